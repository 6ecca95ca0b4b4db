// Readers' side of the status pages: every GET is answered from the in-memory snapshot, with an
// ETag, short caching and stale-while-revalidate, and without touching the database or sessions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { HttpProblem, sendProblem } from '../../server/problem.js';
import type { PageSnapshot, ServedFile, StatusSnapshots } from './snapshots.js';

/** Caching readers and CDNs may do: fresh for 10 s, then served stale while refetching; a day when we are down. */
const CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=60, stale-if-error=86400';

/** The public page's own policy: no scripts at all, inline styles, a logo from https or data:. */
function securityPolicy(formAction: string): string {
  return [
    "default-src 'none'", "style-src 'unsafe-inline'", 'img-src https: data:', `form-action ${formAction}`,
    "base-uri 'none'", "frame-ancestors 'none'",
  ].join('; ');
}

/** Paths a custom status host leaves alone: links that already name the page (/status/<slug>/…). */
const NOT_REWRITTEN = /^\/status\//;

/**
 * Rewrites a request for a custom status host (status.example.com/history.html) to its page's path
 * (/status/<slug>/history.html), and the main host's /api/v2/*.json to the first page's JSON API,
 * as Statuspage clients expect it at the root. Used as Fastify's rewriteUrl. A custom host serves
 * its page and nothing else: its /api/v1, /metrics or /ingest are the page's (and do not exist).
 */
export function statusRewrite(snapshots: () => StatusSnapshots | undefined, req: { url?: string; headers: Record<string, string | string[] | undefined>; method?: string }): string {
  const url = req.url ?? '/';
  const s = snapshots();
  if (!s) return url;
  const host = String(req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const slug = host ? s.slugForHost(host) : null;
  if (slug) return NOT_REWRITTEN.test(url) ? url : `/status/${slug}${url}`;
  if ((req.method === 'GET' || req.method === 'HEAD') && /^\/api\/v2\/[a-z/-]+\.json(\?|$)/.test(url)) {
    const first = s.defaultSlug();
    if (first) return `/status/${first}${url}`;
  }
  return url;
}

/** The subscribe form may post to this server, or to the absolute URL the page was built with. */
function formAction(subscribeAction: string | null): string {
  if (!subscribeAction) return "'none'";
  return /^https?:\/\//.test(subscribeAction) ? `'self' ${new URL(subscribeAction).origin}` : "'self'";
}

/** One policy string per snapshot, not per request (this path runs thousands of times a second in an outage). */
const policies = new WeakMap<PageSnapshot, string>();
function policyOf(snap: PageSnapshot): string {
  let p = policies.get(snap);
  if (!p) policies.set(snap, (p = securityPolicy(formAction(snap.state.subscribeAction))));
  return p;
}

function send(req: FastifyRequest, reply: FastifyReply, snap: PageSnapshot, file: ServedFile): FastifyReply {
  reply.header('cache-control', CACHE_CONTROL).header('vary', 'Accept-Encoding');
  reply.header('content-security-policy', policyOf(snap));
  reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'strict-origin-when-cross-origin');
  if (file.contentType.startsWith('application/json') || file.contentType.includes('xml')) {
    // Widgets and dashboards on other sites read the JSON and feeds, as they do Statuspage's.
    reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
  }
  if (snap.staleSince) reply.header('warning', '110 - "Response is Stale"');
  const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? file.gzip : null;
  const etag = gzip ? file.gzipEtag : file.etag;
  reply.header('etag', etag);
  const inm = req.headers['if-none-match'];
  if (inm && (inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))) return reply.code(304).send();
  reply.type(file.contentType);
  if (gzip) return reply.header('content-encoding', 'gzip').send(gzip);
  return reply.send(file.body);
}

/** Maps a request path inside a page to a file of its snapshot: "" → index.html, "ja/" → ja/index.html, "history" → history.html. */
function lookup(snap: PageSnapshot, path: string): ServedFile | undefined {
  const clean = path.replace(/^\/+/, '');
  const candidates = clean === '' || clean.endsWith('/') ? [`${clean}index.html`] : [clean, `${clean}.html`, `${clean}/index.html`];
  for (const c of candidates) {
    const f = snap.files.get(c);
    if (f) return f;
  }
  return undefined;
}

/**
 * The readers' fast path, registered before every other hook: a request for a file of a page is
 * answered from memory at once, without the security-header, session, rate-limit or idempotency
 * hooks of the API (the page sets its own headers and needs no session). During an outage this is
 * the busiest URL on the server. Anything else (a 404, the redirect) falls through to the routes.
 */
export function registerStatusFastPath(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.url !== '/status/:slug/*') return done();
    const params = req.params as { slug: string; '*'?: string };
    const snap = ctx.statusSnapshots.page(params.slug);
    const file = snap ? lookup(snap, params['*'] ?? '') : undefined;
    if (!snap || !file) return done();
    send(req, reply, snap, file);
  });
}

/** GET /status/:slug/* from memory (after the fast path: what it did not answer). */
export function publicStatusRoutes(ctx: AppContext) {
  const notFound = (req: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, req, new HttpProblem(404, 'Not found', 'No such status page or page file', undefined, 'そのステータスページ（またはページ内のファイル）はありません'));
  const routeConfig = { config: { public: true, rateLimit: false }, schema: { hide: true } } as const;

  return async (app: FastifyInstance) => {
    const snapshots = (): StatusSnapshots => ctx.statusSnapshots;
    // Relative links inside the page need the trailing slash.
    app.get<{ Params: { slug: string } }>('/status/:slug', routeConfig, async (req, reply) => {
      const snap = snapshots().page(req.params.slug);
      if (!snap) return notFound(req, reply);
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return reply.redirect(`${req.url.split('?')[0]}/${query}`, 301);
    });
    app.get<{ Params: { slug: string; '*': string } }>('/status/:slug/*', routeConfig, async (req, reply) => {
      const snap = snapshots().page(req.params.slug);
      if (!snap) return notFound(req, reply);
      const file = lookup(snap, req.params['*'] ?? '');
      if (!file) return notFound(req, reply);
      return send(req, reply, snap, file);
    });
  };
}
