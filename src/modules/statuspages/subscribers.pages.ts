// The small server-rendered pages people see around a subscription, with no JavaScript: "check your
// inbox", what was wrong with the form, the confirm and unsubscribe buttons and their results; en and ja.
// Links are relative, so they work under /status/<slug>/ and at the root of a page's own host.
import { fieldMessageJa } from '../../server/problem-i18n.js';
import type { FieldError } from '../../server/problem.js';
import type { Locale } from '../../shared/phases.js';
import { esc } from './render/escape.js';

/** What a page needs of the status page it belongs to (null when the page is unknown). */
export interface PageLook {
  name: string;
  brandColor: string;
  locale: Locale;
}

/** Which page to show. */
export type SubscriberPage =
  | { kind: 'checkInbox' }
  | { kind: 'refused'; errors: FieldError[] }
  | { kind: 'unavailable' }
  | { kind: 'tooLarge' }
  | { kind: 'tooMany' }
  | { kind: 'failed' }
  | { kind: 'notFound' }
  | { kind: 'confirmAsk'; action: string }
  | { kind: 'confirmed'; already: boolean }
  | { kind: 'badLink' }
  | { kind: 'unsubscribeAsk'; action: string }
  | { kind: 'unsubscribed' };

const FIELD_LABELS: Record<Locale, Record<string, string>> = {
  en: { email: 'E-mail address', component: 'Components', locale: 'Language' },
  ja: { email: 'メールアドレス', component: 'コンポーネント', locale: '言語' },
};

const T = {
  en: {
    back: (page: string) => `Back to ${page}`,
    checkInbox: ['Check your inbox', 'If the address can receive mail, a confirmation link is on its way. Open it within 48 hours and confirm to start receiving updates. Nothing is sent until you do.'],
    refused: ['We could not sign you up', 'Please correct the following and try again:'],
    unavailable: ['E-mail updates are not available', 'This status page cannot send e-mail at the moment. Follow it through its RSS or Atom feed instead.'],
    tooLarge: ['The form was too large', 'Please go back and submit it again with fewer fields.'],
    tooMany: ['Too many attempts', 'Too many sign-ups came from your address. Please wait a minute and try again.'],
    failed: ['Something went wrong', 'Your request could not be completed. Please try again later.'],
    notFound: ['Status page not found', 'There is no status page at this address.'],
    confirmAsk: ['Confirm your subscription', 'Press the button to receive updates from this status page at this address.'],
    confirmButton: 'Confirm subscription',
    confirmed: ['Subscription confirmed', 'You will receive updates from this status page. Every message has a link to unsubscribe.'],
    alreadyConfirmed: ['Already confirmed', 'This subscription was already confirmed. Every message has a link to unsubscribe.'],
    badLink: ['This link is not valid', 'It may have expired (confirmation links work for 48 hours), been withdrawn, or been copied incompletely. You can sign up again on the status page.'],
    unsubscribeAsk: ['Unsubscribe?', 'You will no longer receive updates from this status page.'],
    unsubscribeButton: 'Unsubscribe',
    unsubscribed: ['You are unsubscribed', 'No more updates will be sent. You can sign up again on the status page at any time.'],
  },
  ja: {
    back: (page: string) => `${page} に戻る`,
    checkInbox: ['メールをご確認ください', 'このアドレスにメールが届く場合、登録確認のリンクを送りました。48 時間以内にリンクを開いて登録を確定すると通知が始まります。それまでは何も送られません。'],
    refused: ['登録できませんでした', '次の点を直してから、もう一度お試しください:'],
    unavailable: ['メールでの通知は利用できません', 'このステータスページは現在メールを送れません。RSS または Atom フィードをご利用ください。'],
    tooLarge: ['送信内容が大きすぎます', '前のページに戻り、項目を減らしてもう一度送信してください。'],
    tooMany: ['試行回数が多すぎます', 'お使いのアドレスからの登録が多すぎます。1 分ほど待ってからもう一度お試しください。'],
    failed: ['問題が発生しました', 'リクエストを完了できませんでした。しばらくしてからもう一度お試しください。'],
    notFound: ['ステータスページが見つかりません', 'このアドレスにステータスページはありません。'],
    confirmAsk: ['登録の確定', 'ボタンを押すと、このステータスページの更新通知がこのアドレスに届くようになります。'],
    confirmButton: '登録を確定する',
    confirmed: ['登録が完了しました', 'このステータスページの更新通知をお送りします。各メールに配信停止のリンクがあります。'],
    alreadyConfirmed: ['登録済みです', 'この登録はすでに確定しています。各メールに配信停止のリンクがあります。'],
    badLink: ['このリンクは無効です', '期限切れ（確認リンクの有効期間は 48 時間）、取り消し済み、またはリンクが途中で切れている可能性があります。ステータスページからもう一度登録できます。'],
    unsubscribeAsk: ['配信を停止しますか？', 'このステータスページからの更新通知が届かなくなります。'],
    unsubscribeButton: '配信を停止する',
    unsubscribed: ['配信を停止しました', '今後、更新通知はお送りしません。ステータスページからいつでも再登録できます。'],
  },
} as const;

/** The HTTP status each page is sent with. */
export function pageStatus(p: SubscriberPage): number {
  switch (p.kind) {
    case 'refused': case 'badLink': return 400;
    case 'notFound': return 404;
    case 'tooLarge': return 413;
    case 'tooMany': return 429;
    case 'unavailable': return 503;
    case 'failed': return 500;
    default: return 200;
  }
}

/**
 * Renders one page. `root` is the link to the status page from the current URL: relative ("./" from
 * /status/<slug>/subscribe, "../" from /status/<slug>/subscriptions/confirm), or absolute when the
 * URL is not the page's own (a link sent before its slug or host changed).
 */
export function renderSubscriberPage(p: SubscriberPage, locale: Locale, look: PageLook | null, root: string): string {
  const t = T[locale];
  let heading: string;
  let body: string;
  switch (p.kind) {
    case 'refused': {
      [heading] = t.refused;
      const items = p.errors.map((e) => {
        const label = FIELD_LABELS[locale][e.field.replace(/^body\./, '').replace(/Ids(\.\d+)?$/, '').replace(/\.\d+$/, '')] ?? e.field;
        return `<li><strong>${esc(label)}</strong>: ${esc(locale === 'ja' ? fieldMessageJa(e.message) : e.message)}</li>`;
      });
      body = `<p>${esc(t.refused[1])}</p><ul>${items.join('')}</ul>`;
      break;
    }
    case 'confirmed': {
      const pair = p.already ? t.alreadyConfirmed : t.confirmed;
      heading = pair[0];
      body = `<p>${esc(pair[1])}</p>`;
      break;
    }
    case 'confirmAsk':
      [heading] = t.confirmAsk;
      // A GET never confirms (link scanners open links): this form, to the same URL and token, does.
      body = `<p>${esc(t.confirmAsk[1])}</p><form method="post" action="${esc(p.action)}"><button type="submit">${esc(t.confirmButton)}</button></form>`;
      break;
    case 'unsubscribeAsk':
      [heading] = t.unsubscribeAsk;
      // A plain form: works without JavaScript, cookies or a CSRF token (the signed link is the authority).
      body = `<p>${esc(t.unsubscribeAsk[1])}</p><form method="post" action="${esc(p.action)}">`
        + `<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${esc(t.unsubscribeButton)}</button></form>`;
      break;
    default: {
      const pair = t[p.kind];
      heading = pair[0];
      body = `<p>${esc(pair[1])}</p>`;
    }
  }
  const color = look && /^#[0-9a-fA-F]{6}$/.test(look.brandColor) ? look.brandColor : '#444444';
  const home = look ? root + (look.locale === locale ? '' : `${locale}/`) : null;
  const brand = look && home ? `<p class="brand"><a href="${esc(home)}">${esc(look.name)}</a></p>` : '';
  const back = look && home ? `<p class="back"><a href="${esc(home)}">${esc(t.back(look.name))}</a></p>` : '';
  const title = look ? `${heading} · ${look.name}` : heading;
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>body{margin:0;font-family:-apple-system,"Segoe UI","Hiragino Sans",Meiryo,sans-serif;line-height:1.6;color:#222;background:#f7f7f7}
main{max-width:560px;margin:40px auto;padding:24px;background:#fff;border-top:4px solid ${color};border-radius:4px}
.brand a{color:#666;text-decoration:none;font-weight:600}h1{font-size:1.4em;margin:.4em 0}a{color:${color}}
button{font:inherit;padding:.5em 1.2em;border:0;border-radius:4px;background:${color};color:#fff;cursor:pointer}.back{margin-top:2em}</style>
</head><body><main>${brand}<h1>${esc(heading)}</h1>${body}${back}</main></body></html>
`;
}
