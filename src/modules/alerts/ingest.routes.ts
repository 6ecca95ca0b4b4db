import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SourcePlugin } from '../../plugins/source.js';
import type { AppContext } from '../../server/context.js';
import { HttpProblem } from '../../server/problem.js';
import { nowIso } from '../../shared/ids.js';
import { type InvalidRequest, readJson } from './parse.js';

/** The most a sender may post in one request. */
export const INGEST_BODY_LIMIT = 512 * 1024;
/** What a sender is told to wait when too many accepted alerts are still waiting to be grouped. */
const INBOX_FULL_RETRY_S = 30;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An ingest endpoint: authenticated by integration key, not by user token or session. */
    ingest?: boolean;
    /** An ingest endpoint whose body stays text until parseRequest reads it (the key is not in the body). */
    bodyAsText?: boolean;
  }
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** The route leaves the body as text for parseRequest. */
function bodyIsText(req: FastifyRequest): boolean {
  return req.routeOptions.config.bodyAsText === true;
}

/** The 400 for a request the sender got wrong, naming the field. */
function badRequest(invalid: InvalidRequest): HttpProblem {
  const p = new HttpProblem(400, invalid.title, invalid.detail, [{ field: invalid.field, message: invalid.problem }]);
  if (invalid.extra) p.extra = invalid.extra;
  return p;
}

/** One answer for every authentication failure, so a prober learns nothing about which keys exist. */
function notAuthenticated(): HttpProblem {
  return new HttpProblem(401, 'Unauthorized', 'The request could not be authenticated: the integration key is unknown, revoked or disabled, or a signature did not verify',
    undefined, 'リクエストを認証できません。インテグレーションキーが不明・失効・無効か、署名を検証できませんでした');
}

/** The integration key: Authorization Bearer or Basic (the password), `?key=`, or where the source keeps it. */
function keyOf(req: FastifyRequest, plugin: SourcePlugin<unknown>): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (bearer) return bearer[1];
    const basic = /^Basic\s+(\S+)\s*$/i.exec(auth);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 ? (decoded.slice(colon + 1) || decoded.slice(0, colon)) : decoded;
    }
  }
  const q = (req.query as Record<string, unknown> | undefined)?.key;
  if (typeof q === 'string' && q) return q;
  return plugin.keyFromBody?.(req.body);
}

/**
 * Inbound alert endpoints, one set of paths per source plugin (e.g. /ingest/prometheus/api/v2/alerts,
 * /v2/enqueue). Each request: content type → key → rate limit → parse (parse-pool.ts) → stored durably → 2xx.
 * A request refused at any step stores nothing.
 */
export function ingestRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    // Signatures (Grafana's HMAC) are over the exact bytes, so the body is kept as text too. SNS
    // posts JSON as text/plain; which types a source accepts is checked per source below.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT }, (req, body, done) => {
      const text = body as string;
      req.rawBody = text;
      // The JSON is parsed with the rest of the request (parse-pool.ts), on a worker when it is large.
      if (bodyIsText(req)) {
        done(null, text);
        return;
      }
      const json = readJson(text);
      if ('kind' in json) done(badRequest(json), undefined);
      else done(null, json.value);
    });

    for (const plugin of Object.values(ctx.sources)) {
      for (const path of plugin.paths) {
        app.post(path, {
          bodyLimit: INGEST_BODY_LIMIT,
          // Storms come from a handful of addresses; each integration has its own budget instead.
          // Where the key is in the body (PagerDuty), the JSON is read before the key is checked.
          config: { ingest: true, rateLimit: false, bodyAsText: !plugin.keyFromBody },
          // A sender retrying every few seconds must not flood the log; failures are still logged.
          logLevel: 'warn',
          schema: { tags: ['ingest'], summary: `${plugin.name.en}: send alerts (integration key)`, security: [] },
        }, (req, reply) => handle(ctx, plugin, req, reply));
      }
    }
  };
}

async function handle(ctx: AppContext, plugin: SourcePlugin<unknown>, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!plugin.contentTypes.includes(type)) {
    throw new HttpProblem(415, 'Unsupported media type', `${plugin.name.en} sends ${plugin.contentTypes.join(' or ')}; this request is ${type || 'without a content type'}`);
  }
  const key = keyOf(req, plugin);
  if (!key) {
    throw new HttpProblem(401, 'Unauthorized', 'Send the integration key: "Authorization: Bearer <key>", or "?key=<key>" in the URL',
      undefined, 'インテグレーションキーを送ってください（"Authorization: Bearer <キー>" または URL の "?key=<キー>"）');
  }
  const integration = await ctx.integrations.authenticate(key);
  if (!integration || integration.source !== plugin.id) throw notAuthenticated();
  const wait = ctx.ingestLimiter.take(integration.id, integration.rateLimitPerMinute);
  if (wait) {
    const p = new HttpProblem(429, 'Too many requests', `This integration may send ${integration.rateLimitPerMinute} requests per minute; retry in ${wait} s`);
    p.headers = { 'retry-after': String(wait) };
    throw p;
  }

  // Grouping runs behind acceptance during a storm; past this much waiting, senders are asked to come
  // back (they all retry) rather than letting the inbox, and the lag, grow without bound.
  if (ctx.ingestor.grouper.waiting >= ctx.config.ingestMaxWaitingAlerts) {
    const p = new HttpProblem(429, 'Too many requests', `${ctx.ingestor.grouper.waiting} alerts are waiting to be grouped; retry in ${INBOX_FULL_RETRY_S} s`,
      undefined, `${ctx.ingestor.grouper.waiting} 件のアラートがグループ化待ちです。${INBOX_FULL_RETRY_S} 秒後に再送してください`);
    p.headers = { 'retry-after': String(INBOX_FULL_RETRY_S) };
    throw p;
  }

  const parsed = await ctx.ingestParsers.parse(
    plugin,
    { headers: req.headers, rawBody: req.rawBody ?? '', body: bodyIsText(req) ? undefined : req.body, receivedAt: new Date() },
    { config: integration.config, integrationId: integration.id, fetchText: ctx.fetchText },
  );
  switch (parsed.kind) {
    case 'invalid': {
      if (parsed.status === 401) {
        req.log.warn({ integration: integration.id, field: parsed.field, problem: parsed.problem }, 'ingest: signature refused');
        throw notAuthenticated();
      }
      throw badRequest(parsed);
    }
    case 'reply':
      if (parsed.note) await ctx.integrations.setNote(integration.id, parsed.note);
      return reply.code(parsed.status).send(parsed.body);
    case 'alerts':
      await ctx.ingestor.submit({ integration, alertsJson: parsed.alertsJson, alertCount: parsed.count, messageId: parsed.messageId, receivedAt: nowIso() });
      return reply.code(parsed.answer.status).send(parsed.answer.body);
    default:
      throw new Error(`ingest: unexpected parse result ${parsed.kind}`);
  }
}
