// Readers' side of the status pages: every GET is answered from the in-memory snapshot, with an
// ETag, short caching and stale-while-revalidate, and without touching the database or sessions.
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** What to answer for one file: status, headers and body (none for a 304). */
interface Answer { status: 200 | 304; headers: Record<string, string>; body: Buffer | null }

/** The headers of a file in one encoding, built once per snapshot file, not per request. */
const headerCache = new WeakMap<ServedFile, { identity?: Record<string, string>; gzip?: Record<string, string> }>();

function headersOf(snap: PageSnapshot, file: ServedFile, gzip: boolean): Record<string, string> {
  let entry = headerCache.get(file);
  if (!entry) headerCache.set(file, (entry = {}));
  const cached = gzip ? entry.gzip : entry.identity;
  if (cached) return cached;
  const h: Record<string, string> = {
    'content-type': file.contentType,
    'cache-control': CACHE_CONTROL,
    vary: 'Accept-Encoding',
    etag: gzip ? file.gzipEtag : file.etag,
    'content-security-policy': policyOf(snap),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  if (file.contentType.startsWith('application/json') || file.contentType.includes('xml')) {
    // Widgets and dashboards on other sites read the JSON and feeds, as they do Statuspage's.
    h['access-control-allow-origin'] = '*';
    h['cross-origin-resource-policy'] = 'cross-origin';
  }
  if (snap.staleSince) h.warning = '110 - "Response is Stale"';
  if (gzip) h['content-encoding'] = 'gzip';
  if (gzip) entry.gzip = h;
  else entry.identity = h;
  return h;
}

/** The answer for a file, given what the reader accepts and already has. */
function answer(snap: PageSnapshot, file: ServedFile, acceptEncoding: string | undefined, ifNoneMatch: string | undefined): Answer {
  const gzip = file.gzip !== null && acceptEncoding !== undefined && acceptEncoding.includes('gzip');
  const headers = headersOf(snap, file, gzip);
  if (ifNoneMatch && (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === headers.etag))) {
    return { status: 304, headers, body: null };
  }
  return { status: 200, headers, body: gzip ? file.gzip : file.body };
}

function send(req: FastifyRequest, reply: FastifyReply, snap: PageSnapshot, file: ServedFile): FastifyReply {
  const a = answer(snap, file, req.headers['accept-encoding'], req.headers['if-none-match']);
  reply.code(a.status).headers(a.headers);
  return a.body ? reply.send(a.body) : reply.send();
}

/**
 * The readers' fast path, in front of the whole application (Fastify's serverFactory): a GET for a
 * file of a page is answered from memory straight from the HTTP server, with headers built once
 * per snapshot, and never reaches the router, the API's hooks or the request log. During an outage
 * this is the busiest URL on the server. Anything else (another URL, a miss, a 404, the redirect to
 * the trailing slash) goes on to the application, whose routes answer the same way.
 */
export function statusReader(snapshots: () => StatusSnapshots | undefined, app: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if ((req.method === 'GET' || req.method === 'HEAD') && fromMemory(snapshots(), req, res)) return;
    app(req, res);
  };
}

const PAGE_FILE = /^\/status\/([a-z0-9-]{1,64})\/([^?#%]*)(?:\?.*)?$/;

/** What the readers' paths need of a request. */
export interface ReaderRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The answer from memory to a GET or HEAD of a page's file, or null when it is not one (a miss included). */
export function readerAnswer(s: StatusSnapshots, req: ReaderRequest): Answer | null {
  const url = req.url;
  // Most readers ask for /status/<slug>/…; custom hosts and the root JSON API are rewritten first.
  const m = PAGE_FILE.exec(url.startsWith('/status/') && !s.hasHosts() ? url : statusRewrite(() => s, req));
  const snap = m ? s.page(m[1]!) : null;
  const file = snap ? lookup(snap, m![2]!) : undefined;
  if (!snap || !file) return null;
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  return answer(snap, file, header('accept-encoding'), header('if-none-match'));
}

function fromMemory(s: StatusSnapshots | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  if (!s) return false;
  const a = readerAnswer(s, { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
  if (!a) return false;
  res.writeHead(a.status, a.headers);
  res.end(req.method === 'HEAD' ? undefined : (a.body ?? undefined));
  s.served++;
  return true;
}

/** Maps a request path inside a page to a file of its snapshot: "" → index.html, "ja/" → ja/index.html, "history" → history.html. */
function lookup(snap: PageSnapshot, path: string): ServedFile | undefined {
  const exact = snap.files.get(path); // most requests name the file itself
  if (exact) return exact;
  const clean = path.replace(/^\/+/, '');
  const candidates = clean === '' || clean.endsWith('/') ? [`${clean}index.html`] : [clean, `${clean}.html`, `${clean}/index.html`];
  for (const c of candidates) {
    const f = snap.files.get(c);
    if (f) return f;
  }
  return undefined;
}

/** GET /status/:slug/* from memory, for what the reader in front did not answer (and app.inject). */
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
      snapshots().served++;
      return send(req, reply, snap, file);
    });
  };
}
