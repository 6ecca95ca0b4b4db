import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { accountsRoutes } from '../modules/accounts/accounts.routes.js';
import { alertsRoutes } from '../modules/alerts/alerts.routes.js';
import { ingestRoutes } from '../modules/alerts/ingest.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { incidentsRoutes } from '../modules/incidents/incidents.routes.js';
import { calendarFeedRoutes, oncallRoutes } from '../modules/oncall/oncall.routes.js';
import { pageLinkRoutes } from '../modules/paging/page-links.routes.js';
import { pagingRoutes } from '../modules/paging/paging.routes.js';
import { settingsRoutes } from '../modules/settings/settings.routes.js';
import { statusExportRoutes } from '../modules/statuspages/export.routes.js';
import { publicStatusRoutes, statusReader, statusRewrite } from '../modules/statuspages/public.routes.js';
import { installFrontDoor } from '../modules/statuspages/front-door.js';
import { statusPagesRoutes } from '../modules/statuspages/statuspages.routes.js';
import { subscriberPublicRoutes } from '../modules/statuspages/subscribers.public.js';
import { subscriberRoutes } from '../modules/statuspages/subscribers.routes.js';
import { registerAuth } from './auth.js';
import type { AppContext } from './context.js';
import { registerHealth } from './health.js';
import { registerIdempotency } from './idempotency.js';
import { errorHandler, HttpProblem, sendProblem } from './problem.js';
import { registerTextGuard } from './text-guard.js';

/** Where `npm run build:web` puts the UI. */
export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Builds the HTTP application: security headers, auth, the API under /api/v1, docs, health, UI. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as unknown as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy ?? false,
    // Live streams never go idle; without this a shutdown would wait for every browser to leave.
    forceCloseConnections: true,
    // Request ids show up in logs and in the audit log, so one can follow a request through both.
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    // URLs the router refuses (bad escapes, over-long ids) get a problem document too.
    frameworkErrors: (error, req, reply) => errorHandler(error, req, reply),
    // A status page's own host name (status.example.com) is served that page at its root.
    rewriteUrl: (req) => statusRewrite(() => ctx.statusSnapshots, req),
    // Readers of the public status pages are answered from memory in front of the application.
    serverFactory: (handler, opts) => {
      const server = createServer(statusReader(() => ctx.statusSnapshots, handler));
      installFrontDoor(server, () => ctx.statusSnapshots);
      // What Fastify sets on a server it makes itself.
      server.keepAliveTimeout = Number(opts.keepAliveTimeout ?? 72_000);
      if (typeof opts.requestTimeout === 'number') server.requestTimeout = opts.requestTimeout;
      return server;
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // JSON only: a text/plain body (which a cross-site form can send without a preflight) is 415, not parsed as a string.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && !req.url.startsWith('/api/') && existsSync(WEB_DIST)) {
      // The UI routes on the client: any other GET gets the app's index.html.
      return reply.sendFile('index.html', WEB_DIST);
    }
    return sendProblem(reply, req, new HttpProblem(404, 'Not found', `No route ${req.method} ${req.url.split('?')[0]}`));
  });

  // helmet's middleware, built once: @fastify/helmet builds it anew for every request (parsing the
  // CSP directives each time), which was 6% of an ingest request's time.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // swagger-ui and React inline a few styles
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // No HSTS: a browser that once saw it over a TLS proxy refuses the plain-HTTP fallback
    // (http://host:8080) for months, just when the proxy is the thing that is down (principle 14).
    // Operators who want it set it on the proxy.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined)));
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: true,
    max: ctx.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // One budget per API token or session, else per address. Only a cookie that authenticated counts
    // (auth runs first): a made-up cookie must not buy a fresh budget for guessing passwords.
    keyGenerator: (req) => req.headers.authorization ?? req.sessionSecret ?? req.ip,
    errorResponseBuilder: (_req, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      const err = new HttpProblem(429, 'Too many requests', `Rate limit of ${context.max} requests per minute exceeded; retry in ${seconds} s`,
        undefined, `1 分あたり ${context.max} リクエストの上限を超えました。${seconds} 秒後に再試行してください`);
      return Object.assign(err, { statusCode: 429 });
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Hikeshi API', version: '1', description: 'Incident response: detect, page, command, communicate, recover, learn.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (hks_…) from /api/v1/tokens' },
          session: { type: 'apiKey', in: 'cookie', name: 'hikeshi_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/v1/docs' });

  registerAuth(app, ctx.accounts);
  registerTextGuard(app);
  registerHealth(app, ctx);

  await app.register(async (api) => {
    registerIdempotency(api, ctx.storage);
    await api.register(accountsRoutes(ctx));
    await api.register(auditRoutes(ctx));
    await api.register(settingsRoutes(ctx));
    await api.register(incidentsRoutes(ctx));
    await api.register(alertsRoutes(ctx));
    await api.register(oncallRoutes(ctx));
    await api.register(pagingRoutes(ctx));
    await api.register(subscriberRoutes(ctx));
    await api.register(statusPagesRoutes(ctx));
    await api.register(statusExportRoutes(ctx));
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  }, { prefix: '/api/v1' });

  // Senders post here with an integration key (paths chosen to match what each tool already sends).
  await app.register(ingestRoutes(ctx));
  // Public status pages, from memory.
  await app.register(publicStatusRoutes(ctx));
  // Public sign-up, confirmation and one-click unsubscribe of status page subscribers.
  await app.register(subscriberPublicRoutes(ctx));
  await app.register(calendarFeedRoutes(ctx));
  await app.register(pageLinkRoutes(ctx));

  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  return app;
}
