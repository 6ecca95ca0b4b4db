// The public subscription endpoints of a status page: sign-up (no-JS HTML form or JSON), the
// confirmation link and unsubscribe (a button page, and the RFC 8058 one-click POST). Nobody signs
// in: these routes skip sessions entirely (config.public), so a form post from a browser that also
// holds an admin session never meets the CSRF check, and they have their own, stricter rate limit.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { errorHandler, type FieldError, HttpProblem, sendProblem } from '../../server/problem.js';
import { localeFromHeader } from '../../server/problem-i18n.js';
import type { Locale } from '../../shared/phases.js';
import type { StatusPagesTable } from '../../storage/schema.js';
import { type PageLook, pageStatus, renderSubscriberPage, type SubscriberPage } from './subscribers.pages.js';
import { checkSignUp, FORM_FIELDS, JSON_FIELDS, type RawSignUp, rawFromJson } from './subscribers.schema.js';
import { emailUnavailable, type Visitor } from './subscribers.service.js';

/** The most a sign-up may post: an address and some component ids fit many times over. */
export const SIGNUP_BODY_LIMIT = 8 * 1024;

type SlugRequest = FastifyRequest<{ Params: { slug: string }; Querystring: { token?: unknown } }>;

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

function lookOf(page: StatusPagesTable | undefined): PageLook | null {
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

/** POST /status/:slug/subscribe, GET /status/:slug/subscriptions/confirm, GET and POST /status/:slug/unsubscribe. */
export function subscriberPublicRoutes(ctx: AppContext) {
  const svc = ctx.statusSubscribers;
  // Links carry tokens in the query string: these routes log only warnings and errors, never the URL of a success.
  const linkRoute = { config: { public: true }, logLevel: 'warn' as const, schema: { hide: true } };

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
          rateLimit: { max: ctx.config.subscribeRateLimitPerMinute, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => req.ip },
        },
        schema: { hide: true },
      }, async (req: SlugRequest, reply) => {
        const form = isForm(req);
        const page = await svc.publicPage(req.params.slug);
        if (!page) throw new HttpProblem(404, 'Not found', 'No such status page');
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
            ? 'このアドレスにメールが届く場合、登録確認のリンクを送りました。48 時間以内に開くと通知が始まります。'
            : 'If the address can receive mail, a confirmation link was sent to it; the subscription starts once it is opened (within 48 hours).',
        });
      });
    });

    // ---- one-click unsubscribe: RFC 8058 clients POST multipart/form-data or a urlencoded form; the body is not needed ----
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SIGNUP_BODY_LIMIT }, (_req, _body, done) => done(null, null));
      pageErrors(ctx, scope, './', () => true);
      scope.post('/status/:slug/unsubscribe', linkRoute, async (req: SlugRequest, reply) => {
        const page = await svc.publicPage(req.params.slug);
        if (!page) throw new HttpProblem(404, 'Not found', 'No such status page');
        const r = await svc.unsubscribe(page, req.query.token, visitor(req));
        const locale = r.locale ?? readerLocale(req, page.locale);
        return sendPage(reply, r.outcome === 'done' ? { kind: 'unsubscribed' } : { kind: 'badLink' }, locale, lookOf(page), './');
      });
    });

    // ---- links opened from e-mails ----
    await app.register(async (scope) => {
      pageErrors(ctx, scope, '../', () => true);
      scope.get('/status/:slug/subscriptions/confirm', linkRoute, async (req: SlugRequest, reply) => {
        const page = await svc.publicPage(req.params.slug);
        if (!page) throw new HttpProblem(404, 'Not found', 'No such status page');
        const r = await svc.confirm(page, req.query.token, visitor(req));
        const locale = r.locale ?? readerLocale(req, page.locale);
        const shown: SubscriberPage = r.outcome === 'invalid' ? { kind: 'badLink' } : { kind: 'confirmed', already: r.outcome === 'already' };
        return sendPage(reply, shown, locale, lookOf(page), '../');
      });
    });
    await app.register(async (scope) => {
      pageErrors(ctx, scope, './', () => true);
      scope.get('/status/:slug/unsubscribe', linkRoute, async (req: SlugRequest, reply) => {
        const page = await svc.publicPage(req.params.slug);
        if (!page) throw new HttpProblem(404, 'Not found', 'No such status page');
        const target = await svc.unsubscribeTarget(page, req.query.token);
        const locale = target?.locale ?? readerLocale(req, page.locale);
        const shown: SubscriberPage = target
          ? { kind: 'unsubscribeAsk', action: `unsubscribe?token=${encodeURIComponent(String(req.query.token))}` }
          : { kind: 'badLink' };
        return sendPage(reply, shown, locale, lookOf(page), './');
      });
    });
  };
}
