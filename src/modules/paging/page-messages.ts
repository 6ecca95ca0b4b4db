// What a page says to the person it wakes, in their language and time zone: one message with a
// subject and text (e-mail), a card (Slack, Teams) and a JSON document (signed webhooks), each with
// the acknowledge and resolve links.
import type { ChannelMessage } from '../../plugins/channel.js';
import { esc } from '../statuspages/render/escape.js';

export interface PageFacts {
  id: string;
  title: string;
  severity: string;
  status: string;
  policyName: string;
  /** From 0. */
  level: number;
  createdAt: string;
  drill: boolean;
  alertGroupId: string | null;
  incidentId: string | null;
}

export interface PageMessageInput {
  page: PageFacts;
  locale: 'en' | 'ja';
  timeZone: string;
  ackUrl: string;
  resolveUrl: string;
  pageUrl: string;
  /** The delivery id (the same on every retry). */
  deliveryId: string;
  /** A test notification, not a page. */
  test?: boolean;
}

const COLOURS: Record<string, string> = { critical: '#b42318', error: '#d1495b', warning: '#b7791f', info: '#2563eb' };

const WORDS = {
  en: {
    subject: (p: PageFacts) => `${p.drill ? '[DRILL] ' : ''}[${p.severity.toUpperCase()}] Page: ${p.title}`,
    testSubject: 'Hikeshi test notification',
    testText: 'This is a test notification from Hikeshi. If you can read it, pages will reach you here.',
    severity: 'Severity', policy: 'Escalation policy', level: 'Level', started: 'Started',
    ack: 'Acknowledge', resolve: 'Resolve', open: 'Open in Hikeshi',
    drill: 'This is a drill.',
    links: 'The acknowledge and resolve links work for 24 hours and act as you.',
  },
  ja: {
    subject: (p: PageFacts) => `${p.drill ? '【訓練】' : ''}【${p.severity.toUpperCase()}】呼び出し: ${p.title}`,
    testSubject: 'Hikeshi テスト通知',
    testText: 'Hikeshi からのテスト通知です。これが読めれば、呼び出しはここに届きます。',
    severity: '重大度', policy: 'エスカレーションポリシー', level: 'レベル', started: '開始',
    ack: '確認する', resolve: '解決する', open: 'Hikeshi で開く',
    drill: 'これは訓練です。',
    links: '確認・解決のリンクは 24 時間有効で、あなたとして操作します。',
  },
};

/** Formatters by language and zone: making one costs far more than using it, and pages come in bursts. */
const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-24 02:15 (Asia/Tokyo)" */
function localTime(iso: string, timeZone: string, locale: 'en' | 'ja'): string {
  const key = `${locale} ${timeZone}`;
  let format = FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    if (FORMATS.size < 1000) FORMATS.set(key, format);
  }
  const parts = format.formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} (${timeZone})`;
}

/** The message for one notification of a page (or a test notification). */
export function pageMessage(input: PageMessageInput): ChannelMessage {
  const w = WORDS[input.locale];
  const p = input.page;
  if (input.test) {
    return {
      subject: w.testSubject, text: w.testText, html: `<p>${esc(w.testText)}</p>`,
      card: { title: w.testSubject, summary: w.testText, facts: [], actions: [] },
      json: { type: 'test', deliveryId: input.deliveryId, text: w.testText },
    };
  }
  const subject = w.subject(p).replace(/[\r\n]+/g, ' ');
  const facts = [
    { label: w.severity, value: p.severity },
    { label: w.policy, value: p.policyName },
    { label: w.level, value: String(p.level + 1) },
    { label: w.started, value: localTime(p.createdAt, input.timeZone, input.locale) },
  ];
  const lines = [
    ...(p.drill ? [w.drill, ''] : []),
    p.title, '',
    ...facts.map((f) => `${f.label}: ${f.value}`), '',
    `${w.ack}: ${input.ackUrl}`,
    `${w.resolve}: ${input.resolveUrl}`,
    `${w.open}: ${input.pageUrl}`, '',
    w.links,
  ];
  const html = [
    ...(p.drill ? [`<p><strong>${esc(w.drill)}</strong></p>`] : []),
    `<h2>${esc(p.title)}</h2>`,
    `<table>${facts.map((f) => `<tr><th align="left">${esc(f.label)}</th><td>${esc(f.value)}</td></tr>`).join('')}</table>`,
    `<p><a href="${esc(input.ackUrl)}">${esc(w.ack)}</a> · <a href="${esc(input.resolveUrl)}">${esc(w.resolve)}</a> · <a href="${esc(input.pageUrl)}">${esc(w.open)}</a></p>`,
    `<p><small>${esc(w.links)}</small></p>`,
  ].join('\n');
  return {
    subject, text: lines.join('\n'), html,
    card: {
      title: subject, summary: p.drill ? w.drill : undefined, facts, color: COLOURS[p.severity],
      actions: [
        { label: w.ack, url: input.ackUrl, style: 'primary' },
        { label: w.resolve, url: input.resolveUrl },
        { label: w.open, url: input.pageUrl },
      ],
    },
    json: {
      type: 'page.triggered',
      deliveryId: input.deliveryId,
      page: {
        id: p.id, title: p.title, severity: p.severity, status: p.status, policy: p.policyName, level: p.level,
        createdAt: p.createdAt, drill: p.drill, alertGroupId: p.alertGroupId, incidentId: p.incidentId, url: input.pageUrl,
      },
      links: { acknowledge: input.ackUrl, resolve: input.resolveUrl },
    },
  };
}
