// What subscribers read: the e-mails (plain text and simple HTML) for confirmations, tests, incident
// updates and maintenance, in English and Japanese. Pure: the notifier gathers the facts, this words them.
import type { ChannelMessage } from '../../plugins/channel.js';
import { type Locale, type Phase, PHASE_PREFIX } from '../../shared/phases.js';
import type { MaintenanceStatus } from './model.js';
import { esc } from './render/escape.js';

/** The page as messages name and link it. */
export interface MessagePage {
  name: string;
  /** Absolute URL of the page's root, with a trailing slash. */
  url: string;
  brandColor: string;
  timeZone: string;
}

/** Who a message goes to: their language, their unsubscribe link and what they follow (null: everything). */
export interface MessageRecipient {
  locale: Locale;
  unsubscribeUrl: string;
  componentNames: string[] | null;
}

export interface IncidentFacts {
  title: string;
  phase: Phase;
  body: string;
  postedAt: string;
  url: string;
  /** Names of the affected components the recipient follows (or all affected ones). */
  components: string[];
}

export interface MaintenanceFacts {
  title: string;
  /** The state the message announces. */
  status: MaintenanceStatus;
  /** An update's own words, or null for a milestone by the clock. */
  body: string | null;
  startsAt: string;
  endsAt: string;
  url: string;
  components: string[];
}

const MAINTENANCE_PREFIX: Record<Locale, Record<MaintenanceStatus, string>> = {
  en: { scheduled: '[Scheduled maintenance]', in_progress: '[Maintenance in progress]', verifying: '[Verifying maintenance]', completed: '[Maintenance completed]', cancelled: '[Maintenance cancelled]' },
  ja: { scheduled: '【メンテナンス予定】', in_progress: '【メンテナンス中】', verifying: '【メンテナンス確認中】', completed: '【メンテナンス完了】', cancelled: '【メンテナンス中止】' },
};

const MAINTENANCE_SENTENCE: Record<Locale, Record<MaintenanceStatus, string>> = {
  en: {
    scheduled: 'Maintenance is scheduled for the window below.', in_progress: 'The scheduled maintenance has started.',
    verifying: 'The work is done and is being verified.', completed: 'The scheduled maintenance is complete.', cancelled: 'The scheduled maintenance has been cancelled.',
  },
  ja: {
    scheduled: '下記の時間帯にメンテナンスを予定しています。', in_progress: '予定していたメンテナンスを開始しました。',
    verifying: '作業が終わり、確認を行っています。', completed: '予定していたメンテナンスが完了しました。', cancelled: '予定していたメンテナンスは中止になりました。',
  },
};

const T = {
  en: {
    confirmSubject: (page: string) => `Confirm your subscription to ${page}`,
    confirmIntro: (page: string) => `Someone, hopefully you, asked for status updates from ${page} to be sent to this address.`,
    confirmAction: 'To start receiving them, open this link within 48 hours and press the button on the page it opens:',
    confirmButton: 'Confirm subscription',
    confirmIgnore: 'If this was not you, ignore this message: nothing more will be sent unless the subscription is confirmed.',
    testSubject: (page: string) => `Test message — ${page}`,
    testBody: (page: string) => `This is a test message from ${page}. Your subscription works.`,
    posted: 'Posted',
    affected: 'Affected',
    window: 'Window',
    details: 'Details',
    footer: (page: string, comps: string | null) => `You receive this because you subscribed to updates from ${page}${comps ? ` (${comps})` : ''}.`,
    unsubscribe: 'Unsubscribe',
    listSep: ', ',
  },
  ja: {
    confirmSubject: (page: string) => `${page} の更新通知の登録確認`,
    confirmIntro: (page: string) => `このアドレスに ${page} の更新通知を送るよう申し込みがありました。`,
    confirmAction: '通知を受け取るには、48 時間以内に次のリンクを開き、表示されるページのボタンで登録を確定してください:',
    confirmButton: '登録を確定する',
    confirmIgnore: 'お心当たりがない場合はこのメールを無視してください。登録を確定しない限り、これ以上は送られません。',
    testSubject: (page: string) => `テストメッセージ — ${page}`,
    testBody: (page: string) => `${page} からのテストメッセージです。通知の登録は有効です。`,
    posted: '掲載日時',
    affected: '影響',
    window: '時間帯',
    details: '詳細',
    footer: (page: string, comps: string | null) => `${page} の更新通知${comps ? `（${comps}）` : ''}に登録されているため、このメールをお送りしています。`,
    unsubscribe: '配信停止',
    listSep: '、',
  },
} as const;

/** A time in the page's zone: 2026-11-23 14:00 JST. */
export function formatTime(iso: string, timeZone: string, locale: Locale): string {
  const opts: Intl.DateTimeFormatOptions = {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  };
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { ...opts, timeZone }).formatToParts(new Date(iso));
  } catch {
    parts = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: 'UTC' }).formatToParts(new Date(iso));
  }
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} ${p('timeZoneName')}`.trim();
}

/** "[Investigating] text" in English; "【調査中】text" in Japanese, where the brackets need no space (as shared/render.ts does). */
function prefixed(locale: Locale, prefix: string, text: string): string {
  return locale === 'ja' ? prefix + text : `${prefix} ${text}`;
}

/** Subjects are one line: whatever the title holds, line breaks and other controls become spaces. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400);
}

/** A block of the message: a paragraph, a "label: value" line, or a link. */
type Block = { p: string } | { field: string; value: string } | { link: string; href: string };

function compose(locale: Locale, page: MessagePage, subject: string, blocks: Block[], recipient?: MessageRecipient): ChannelMessage {
  const t = T[locale];
  const footer: Block[] = recipient
    ? [{ p: t.footer(page.name, recipient.componentNames?.join(t.listSep) ?? null) }, { link: t.unsubscribe, href: recipient.unsubscribeUrl }]
    : [];
  const text = [
    ...blocks.map((b) => ('p' in b ? b.p : 'field' in b ? `${b.field}: ${b.value}` : `${b.link}: ${b.href}`)),
    ...(footer.length ? ['--', ...footer.map((b) => ('p' in b ? b.p : 'link' in b ? `${b.link}: ${b.href}` : ''))] : []),
  ].join('\n\n') + '\n';
  const color = /^#[0-9a-fA-F]{6}$/.test(page.brandColor) ? page.brandColor : '#444444';
  const html = (b: Block, small = false): string => {
    const style = small ? ' style="font-size:12px;color:#666666"' : '';
    if ('p' in b) return `<p${style}>${esc(b.p).replace(/\n/g, '<br>')}</p>`;
    if ('field' in b) return `<p${style}><strong>${esc(b.field)}:</strong> ${esc(b.value)}</p>`;
    return `<p${style}><a href="${esc(b.href)}" style="color:${color}">${esc(b.link)}</a></p>`;
  };
  const body = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>`,
    `<body style="margin:0;padding:16px;font-family:-apple-system,'Segoe UI','Hiragino Sans',Meiryo,sans-serif;line-height:1.5;color:#222222">`,
    `<div style="max-width:600px;border-top:4px solid ${color};padding-top:8px">`,
    `<p style="font-size:14px;color:#666666"><a href="${esc(page.url)}" style="color:#666666">${esc(page.name)}</a></p>`,
    `<h1 style="font-size:18px">${esc(subject)}</h1>`,
    ...blocks.map((b) => html(b)),
    ...(footer.length ? ['<hr style="border:0;border-top:1px solid #dddddd">', ...footer.map((b) => html(b, true))] : []),
    '</div></body></html>',
  ].join('\n');
  return { subject: oneLine(subject), text, html: body, ...(recipient ? { unsubscribeUrl: recipient.unsubscribeUrl } : {}) };
}

/** The double opt-in e-mail: the only message an unconfirmed address ever gets. */
export function confirmMessage(locale: Locale, page: MessagePage, confirmUrl: string): ChannelMessage {
  const t = T[locale];
  return compose(locale, page, t.confirmSubject(page.name), [
    { p: t.confirmIntro(page.name) }, { p: t.confirmAction }, { link: t.confirmButton, href: confirmUrl }, { p: t.confirmIgnore },
  ]);
}

/** What an admin's "send a test" sends. */
export function testMessage(page: MessagePage, r: MessageRecipient): ChannelMessage {
  const t = T[r.locale];
  return compose(r.locale, page, t.testSubject(page.name), [{ p: t.testBody(page.name) }, { link: page.name, href: page.url }], r);
}

/** A public status update: "[Investigating] <public title> — <page>", the update's words, a link. */
export function incidentMessage(page: MessagePage, r: MessageRecipient, f: IncidentFacts): ChannelMessage {
  const t = T[r.locale];
  const prefix = PHASE_PREFIX[r.locale][f.phase];
  const blocks: Block[] = [{ p: prefixed(r.locale, prefix, f.body) }, { field: t.posted, value: formatTime(f.postedAt, page.timeZone, r.locale) }];
  if (f.components.length) blocks.push({ field: t.affected, value: f.components.join(t.listSep) });
  blocks.push({ link: t.details, href: f.url });
  return compose(r.locale, page, `${prefixed(r.locale, prefix, oneLine(f.title))} — ${page.name}`, blocks, r);
}

/** A maintenance milestone or update: "[Scheduled maintenance] <title> — <page>", the window, a link. */
export function maintenanceMessage(page: MessagePage, r: MessageRecipient, f: MaintenanceFacts): ChannelMessage {
  const t = T[r.locale];
  const prefix = MAINTENANCE_PREFIX[r.locale][f.status];
  const window = `${formatTime(f.startsAt, page.timeZone, r.locale)} – ${formatTime(f.endsAt, page.timeZone, r.locale)}`;
  const blocks: Block[] = [{ p: f.body ? prefixed(r.locale, prefix, f.body) : MAINTENANCE_SENTENCE[r.locale][f.status] }, { field: t.window, value: window }];
  if (f.components.length) blocks.push({ field: t.affected, value: f.components.join(t.listSep) });
  blocks.push({ link: t.details, href: f.url });
  return compose(r.locale, page, `${prefixed(r.locale, prefix, oneLine(f.title))} — ${page.name}`, blocks, r);
}
