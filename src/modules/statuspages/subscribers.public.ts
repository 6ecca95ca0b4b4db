// The public subscription endpoints of a status page: sign-up (no-JS HTML form or JSON), the
// confirmation link and unsubscribe (each a button page, and a POST that acts: the RFC 8058 one-click
// POST for unsubscribe). Nobody signs in: these routes skip sessions entirely (config.public), so a
// form post from a browser that also holds an admin session never meets the CSRF check, and they
// have their own rate limits, keyed by address.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { errorHandler, type FieldError, HttpProblem, sendProblem } from '../../server/problem.js';
import { localeFromHeader } from '../../server/problem-i18n.js';
import type { Locale } from '../../shared/phases.js';
import type { StatusPagesTable } from '../../storage/schema.js';
import { type PageLook, pageStatus, renderSubscriberPage, type SubscriberPage } from './subscribers.pages.js';
import { checkSignUp, FORM_FIELDS, JSON_FIELDS, type RawSignUp, rawFromJson } from './subscribers.schema.js';
import { emailUnavailable, type LinkOutcome, type Visitor } from './subscribers.service.js';

/** The most a sign-up may post: an address and some component ids fit many times over. */
export const SIGNUP_BODY_LIMIT = 8 * 1024;

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;
/** A link from an e-mail: under /status/<any slug>/, or at the root (a page's former custom host). */
type LinkRequest = FastifyRequest<{ Params: { slug?: string }; Querystring: { token?: unknown } }>;

/** The 404 of a sign-up for a page that does not exist. */
function noSuchPage(): HttpProblem {
  return new HttpProblem(404, 'Not found', 'No such status page', undefined, 'そのステータスページは存在しません');
}

/**
 * Keyed by the client's address only: these routes skip auth, so the global key (the Authorization
 * header first) would let a made-up header buy a fresh budget.
 */
function byAddress(req: FastifyRequest): string {
  return req.ip;
}

/** A form body as field → values (repeatable fields keep every value); no prototype to pollute. */
function formFields(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(text)) (out[k] ??= []).push(v);
  return out;
}

function isForm(req: FastifyRequest): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
}

/** The reader's language: Accept-Language when it says en or ja, else the page's. */
function readerLocale(req: FastifyRequest, fallback: string): Locale {
  const header = req.headers['accept-language']?.trim().toLowerCase() ?? '';
  if (header.startsWith('ja') || header.startsWith('en')) return localeFromHeader(header);
  return fallback === 'ja' ? 'ja' : 'en';
}

function lookOf(page: StatusPagesTable | null | undefined): PageLook | null {
  return page ? { name: page.name, brandColor: page.brand_color, locale: page.locale === 'ja' ? 'ja' : 'en' } : null;
}

function visitor(req: FastifyRequest): Visitor {
  return { ip: req.ip, requestId: req.id };
}

function sendPage(reply: FastifyReply, page: SubscriberPage, locale: Locale, look: PageLook | null, root: string): FastifyReply {
  return reply.code(pageStatus(page)).type('text/html; charset=utf-8')
    // Token-bearing URLs must not leak through Referer, nor the answers be cached anywhere.
    .header('cache-control', 'no-store').header('referrer-policy', 'no-referrer')
    .send(renderSubscriberPage(page, locale, look, root));
}

/** What an error looks like as a page (form posts and link clicks are read by people, not programs). */
function errorPage(err: FastifyError | HttpProblem): SubscriberPage {
  const status = err instanceof HttpProblem ? err.status : (err.statusCode ?? 500);
  if (status === 413) return { kind: 'tooLarge' };
  if (status === 429) return { kind: 'tooMany' };
  if (status === 503) return { kind: 'unavailable' };
  if (status === 404) return { kind: 'notFound' };
  if (status >= 400 && status < 500) {
    const errors: FieldError[] = err instanceof HttpProblem && err.errors?.length ? err.errors : [{ field: 'body', message: err.message }];
    return { kind: 'refused', errors };
  }
  return { kind: 'failed' };
}

/** Answers errors with a page when a person is reading (`html` says when), else with problem+json. */
function pageErrors(ctx: AppContext, app: FastifyInstance, root: string, html: (req: FastifyRequest) => boolean): void {
  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    if (!html(req)) return errorHandler(err, req, reply);
    const page = errorPage(err);
    if (page.kind === 'failed') req.log.error({ err }, 'status page subscription request failed');
    let look: PageLook | null = null;
    try {
      look = lookOf(await ctx.statusSubscribers.publicPage(String((req.params as { slug?: string }).slug ?? '')));
    } catch {
      // the database may be what failed: the page is shown without the status page's look
    }
    return sendPage(reply, page, readerLocale(req, look?.locale ?? 'en'), look, root);
  });
}

/**
 * POST /status/:slug/subscribe; GET and POST /status/:slug/subscriptions/confirm and
 * /status/:slug/unsubscribe (also at the root: /subscriptions/confirm, /unsubscribe).
 */
export function subscriberPublicRoutes(ctx: AppContext) {
  const svc = ctx.statusSubscribers;
  // Links carry tokens in the query string: these routes log only warnings and errors, never the URL of a success.
  const linkRoute = { config: { public: true, rateLimit: { keyGenerator: byAddress } }, logLevel: 'warn' as const, schema: { hide: true } };

  /** The page a link's URL names: only a hint (the token names the subscriber, whose page counts). */
  const hinted = async (req: LinkRequest) => (req.params.slug === undefined ? undefined : svc.publicPage(req.params.slug));
  /** Answers a link with a page: the subscriber's page and language when the token named them, else the URL's. */
  const answer = (req: LinkRequest, reply: FastifyReply, shown: SubscriberPage, r: LinkOutcome<string>, hint: StatusPagesTable | undefined, relative: string) => {
    const page = r.page ?? hint ?? null;
    // Back to the page: relative when this URL is the page's own (also via its host), else where the page is now.
    const root = !page || req.params.slug === page.slug ? relative : svc.links.pageRoot(page);
    return sendPage(reply, shown, r.locale ?? readerLocale(req, page?.locale ?? 'en'), lookOf(page), root);
  };
  /** The same URL and token, for the button's form (relative: it works under any prefix). */
  const sameLink = (last: string, req: LinkRequest) => `${last}?token=${encodeURIComponent(String(req.query.token))}`;

  return async (app: FastifyInstance) => {
    // ---- sign-up: a form body parser for this route only ----
    await app.register(async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: SIGNUP_BODY_LIMIT }, (_req, body, done) => {
        done(null, formFields(body as string));
      });
      pageErrors(ctx, scope, './', isForm);
      scope.post('/status/:slug/subscribe', {
        bodyLimit: SIGNUP_BODY_LIMIT,
        config: {
          public: true,
          // Per address, not per session: each sign-up may send an e-mail to someone else.
          rateLimit: { max: ctx.config.subscribeRateLimitPerMinute, timeWindow: '1 minute', keyGenerator: byAddress },
        },
        schema: { hide: true },
      }, async (req: SlugRequest, reply) => {
        const form = isForm(req);
        const page = await svc.publicPage(req.params.slug);
        if (!page) throw noSuchPage();
        // Refuse before reading anything when e-mail cannot be sent: nothing would ever confirm.
        if (!svc.emailEnabled) throw emailUnavailable();
        let raw: RawSignUp;
        if (form) {
          const f = req.body as Record<string, string[]>;
          raw = { email: f.email ?? [], components: f.component ?? [], locale: f.locale ?? [], unknown: [] };
        } else {
          raw = rawFromJson(req.body ?? {});
        }
        const fallback = readerLocale(req, page.locale);
        const checked = checkSignUp(raw, await svc.componentIds(page.id), fallback, form ? FORM_FIELDS : JSON_FIELDS);
        const shownLocale = checked.ok ? checked.value.locale : raw.locale[0] === 'ja' || raw.locale[0] === 'en' ? raw.locale[0] : fallback;
        if (!checked.ok) {
          if (form) return sendPage(reply, { kind: 'refused', errors: checked.errors }, shownLocale, lookOf(page), './');
          const detail = checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
          return sendProblem(reply, req, new HttpProblem(400, 'Invalid request', detail, checked.errors));
        }
        await svc.signUp(page, checked.value, visitor(req));
        // The same answer whether the address was new, pending or already subscribed.
        if (form) return sendPage(reply, { kind: 'checkInbox' }, shownLocale, lookOf(page), './');
        return reply.code(202).send({
          status: 'pending',
          detail: shownLocale === 'ja'
            ? 'このアドレスにメールが届く場合、登録確認のリンクを送りました。48 時間以内にリンク先で登録を確定すると通知が始まります。'
            : 'If the address can receive mail, a confirmation link was sent to it; the subscription starts once it is confirmed there (within 48 hours).',
        });
      });
    });

    // ---- links opened from e-mails: a GET only shows a button (link scanners such as Safe Links open
    // every link in a mail), a POST acts. Any slug is accepted, and the root too (a page's former custom
    // host): the token decides. ----
    /** A scope for link routes: a body (an empty form, RFC 8058's multipart or urlencoded One-Click) is accepted and ignored. */
    const linkScope = (root: string, routes: (scope: FastifyInstance) => void) => app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SIGNUP_BODY_LIMIT }, (_req, _body, done) => done(null, null));
      pageErrors(ctx, scope, root, () => true);
      routes(scope);
    });
    for (const prefix of ['/status/:slug', '']) {
      await linkScope('../', (scope) => {
        scope.get(`${prefix}/subscriptions/confirm`, linkRoute, async (req: LinkRequest, reply) => {
          const r = await svc.confirmTarget(req.query.token);
          const shown: SubscriberPage = r.outcome === 'invalid' ? { kind: 'badLink' }
            : r.outcome === 'already' ? { kind: 'confirmed', already: true } : { kind: 'confirmAsk', action: sameLink('confirm', req) };
          return answer(req, reply, shown, r, await hinted(req), '../');
        });
        scope.post(`${prefix}/subscriptions/confirm`, linkRoute, async (req: LinkRequest, reply) => {
          const r = await svc.confirm(req.query.token, visitor(req));
          const shown: SubscriberPage = r.outcome === 'invalid' ? { kind: 'badLink' } : { kind: 'confirmed', already: r.outcome === 'already' };
          return answer(req, reply, shown, r, await hinted(req), '../');
        });
      });
      await linkScope('./', (scope) => {
        scope.get(`${prefix}/unsubscribe`, linkRoute, async (req: LinkRequest, reply) => {
          const hint = await hinted(req);
          const r = await svc.unsubscribeTarget(req.query.token, hint);
          const shown: SubscriberPage = r.outcome === 'ask' ? { kind: 'unsubscribeAsk', action: sameLink('unsubscribe', req) } : { kind: 'badLink' };
          return answer(req, reply, shown, r, hint, './');
        });
        scope.post(`${prefix}/unsubscribe`, linkRoute, async (req: LinkRequest, reply) => {
          const hint = await hinted(req);
          const r = await svc.unsubscribe(req.query.token, visitor(req), hint);
          return answer(req, reply, r.outcome === 'done' ? { kind: 'unsubscribed' } : { kind: 'badLink' }, r, hint, './');
        });
      });
    }
  };
}
