// The acknowledge and resolve links of a page's notifications. Opening one (GET) only shows a
// button, because mail scanners open every link in a message; pressing it (POST) acts, as the person
// the notification went to. The token is the credential: nobody signs in, no JavaScript is needed,
// and only warnings are logged (the logger hides `token=` anyway).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { esc } from '../statuspages/render/escape.js';
import { type Actor, roleAtLeast } from '../../shared/actor.js';
import type { PageAction } from './page-links.js';

type LinkRequest = FastifyRequest<{ Params: { action: string }; Querystring: { token?: unknown } }>;

const WORDS = {
  en: {
    ack: 'Acknowledge', resolve: 'Resolve', title: (t: string) => `Page: ${t}`,
    ask: (a: string) => `${a} this page as yourself?`, done: { ack: 'Acknowledged. Escalation has stopped.', resolve: 'Resolved.' },
    already: 'This page is already resolved.', bad: 'This link is not valid or has expired. Open Hikeshi to act on the page.',
    viewer: 'Your role (viewer) cannot acknowledge or resolve pages. Ask someone who is a responder, or an admin to change your role.',
  },
  ja: {
    ack: '確認する', resolve: '解決する', title: (t: string) => `呼び出し: ${t}`,
    ask: (a: string) => `あなたとしてこの呼び出しを「${a}」しますか？`, done: { ack: '確認しました。エスカレーションは止まりました。', resolve: '解決しました。' },
    already: 'この呼び出しはすでに解決しています。', bad: 'このリンクは無効か期限切れです。Hikeshi を開いて操作してください。',
    viewer: 'あなたのロール（閲覧者）では呼び出しを確認・解決できません。対応者に頼むか、管理者にロールの変更を依頼してください。',
  },
};

function html(reply: FastifyReply, status: number, lang: 'en' | 'ja', title: string, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>` +
    `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.6rem 1.2rem}</style></head>` +
    `<body><h1>${esc(title)}</h1>${body}</body></html>`);
}

/** GET and POST /page-links/ack and /page-links/resolve. */
export function pageLinkRoutes(ctx: AppContext) {
  const route = { config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => req.ip } }, logLevel: 'warn' as const, schema: { hide: true } };
  const actionOf = (req: LinkRequest): PageAction | null => (req.params.action === 'ack' || req.params.action === 'resolve' ? req.params.action : null);
  const langOf = async (userId: string | null): Promise<'en' | 'ja'> => {
    const user = userId ? await ctx.accounts.getUser(userId).catch(() => null) : null;
    return user?.locale === 'ja' ? 'ja' : 'en';
  };

  return async (app: FastifyInstance) => {
    app.register(async (scope) => {
      // The button's form posts an empty urlencoded body.
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, _body, done) => done(null, null));

      scope.get('/page-links/:action', route, async (req: LinkRequest, reply) => {
        const action = actionOf(req);
        const claim = action ? ctx.pageLinks.verify(action, req.query.token) : null;
        const lang = await langOf(claim?.userId ?? null);
        const w = WORDS[lang];
        const page = claim ? await ctx.pages.get(claim.pageId).catch(() => null) : null;
        if (!action || !claim || !page) return html(reply, 404, lang, 'Hikeshi', `<p>${esc(w.bad)}</p>`);
        const form = `<form method="post" action="${esc(action)}?token=${esc(encodeURIComponent(String(req.query.token)))}"><button type="submit">${esc(w[action])}</button></form>`;
        return html(reply, 200, lang, w.title(page.title), `<p>${esc(w.ask(w[action]))}</p>${form}`);
      });

      scope.post('/page-links/:action', route, async (req: LinkRequest, reply) => {
        const action = actionOf(req);
        const claim = action ? ctx.pageLinks.verify(action, req.query.token) : null;
        const lang = await langOf(claim?.userId ?? null);
        const w = WORDS[lang];
        const user = claim ? await ctx.accounts.getUser(claim.userId).catch(() => null) : null;
        if (!action || !claim || !user || user.disabled) return html(reply, 404, lang, 'Hikeshi', `<p>${esc(w.bad)}</p>`);
        // The link acts as its person, with their role: a viewer in a rotation is told, not obeyed.
        if (!roleAtLeast(user.role, 'responder')) return html(reply, 403, lang, 'Hikeshi', `<p>${esc(w.viewer)}</p>`);
        const actor: Actor = { type: 'user', userId: user.id, name: user.name, role: user.role, requestId: req.id, ip: req.ip };
        const page = action === 'ack' ? await ctx.pages.acknowledge(actor, claim.pageId) : await ctx.pages.resolve(actor, claim.pageId);
        const message = action === 'ack' && page.status === 'resolved' ? w.already : w.done[action];
        return html(reply, 200, lang, w.title(page.title), `<p>${esc(message)}</p>`);
      });
    });
  };
}
