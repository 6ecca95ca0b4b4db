// Timeline events are stored as a kind plus data and put into words when read, in the reader's
// language. Pure: used by the server (API `body`) and available to the web.
import { type Locale, PHASE_PREFIX, type Phase } from './phases.js';

type Data = Record<string, unknown>;
type Describe = (d: Data, timeZone: string) => string;

const s = (v: unknown): string => (v == null ? '' : String(v));

const AUDIENCE: Record<Locale, Record<string, string>> = {
  en: { internal: 'responders', stakeholder: 'stakeholders', public: 'the public' },
  ja: { internal: '対応者', stakeholder: 'ステークホルダー', public: '公開' },
};
const CLOCK: Record<Locale, Record<string, string>> = {
  en: { firstPublicUpdate: 'First public update', internal: 'Update to responders', stakeholder: 'Update to stakeholders', public: 'Public update' },
  ja: { firstPublicUpdate: '最初の公開報告', internal: '対応者への報告', stakeholder: 'ステークホルダーへの報告', public: '公開報告' },
};
const TASK_STATUS: Record<Locale, Record<string, string>> = {
  en: { open: 'open', in_progress: 'in progress', done: 'done', cancelled: 'cancelled' },
  ja: { open: '未着手', in_progress: '対応中', done: '完了', cancelled: '取り消し' },
};

const phase = (l: Locale, p: unknown) => PHASE_PREFIX[l][p as Phase] ?? s(p);

const COMPONENT_STATUS: Record<Locale, Record<string, string>> = {
  en: { operational: 'operational', degraded_performance: 'degraded performance', partial_outage: 'partial outage', major_outage: 'major outage', under_maintenance: 'under maintenance' },
  ja: { operational: '稼働中', degraded_performance: 'パフォーマンス低下', partial_outage: '一部障害', major_outage: '重大な障害', under_maintenance: 'メンテナンス中' },
};

/** What a change of an incident's status page links says: components added, changed and removed, and the public title. */
function statusPageLinks(l: Locale, d: Data): string {
  const st = (v: unknown) => COMPONENT_STATUS[l][s(v)] ?? s(v);
  const list = (v: unknown) => (Array.isArray(v) ? (v as Data[]) : []);
  const name = (c: Data) => (l === 'ja' ? `${s(c.component)}（${s(c.page)}）` : `${s(c.component)} (${s(c.page)})`);
  const parts = [
    ...list(d.added).map((c) => `${name(c)}: ${st(c.status)}`),
    ...list(d.changed).map((c) => `${name(c)}: ${st(c.from)} → ${st(c.to)}`),
    ...list(d.removed).map((c) => (l === 'ja' ? `${name(c)} は影響なし` : `${name(c)} no longer affected`)),
    ...(d.publicTitle ? [l === 'ja' ? `公開タイトル「${s(d.publicTitle)}」` : `public title “${s(d.publicTitle)}”`] : []),
  ];
  return `${l === 'ja' ? 'ステータスページ' : 'Status page'} — ${parts.join(l === 'ja' ? '、' : '; ')}`;
}

/** 14:05 JST: a stored time as the reader's wall clock. */
function clock(l: Locale, iso: unknown, timeZone: string): string {
  const t = Date.parse(s(iso));
  if (Number.isNaN(t)) return s(iso);
  try {
    return new Intl.DateTimeFormat(l === 'ja' ? 'ja-JP' : 'en-GB', { hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(t);
  } catch {
    return s(iso);
  }
}

const TEXT: Record<Locale, Record<string, Describe>> = {
  en: {
    'incident.declared': (d) => `Declared ${s(d.severity)}: ${s(d.title)}${d.drill ? ' (drill)' : ''}; ${d.commander ? `commander ${s(d.commander)}` : 'no commander yet'}`,
    'incident.acknowledged': () => 'Acknowledged',
    'incident.edited': (d) => `Changed ${Object.keys((d.changes as Data) ?? {}).join(', ')}`,
    'severity.changed': (d) => `Severity ${s(d.from)} → ${s(d.to)}`,
    'phase.changed': (d) => `Phase ${phase('en', d.from)} → ${phase('en', d.to)}`,
    'role.assigned': (d) => d.previous ? `${s(d.role)} handed over from ${s(d.previous)} to ${s(d.user)}` : `${s(d.user)} is ${s(d.role)}`,
    'role.unassigned': (d) => `${s(d.previous)} is no longer ${s(d.role)}`,
    'responder.joined': (d) => `${s(d.user)} joined`,
    'responder.left': (d) => d.releasedBy ? `${s(d.user)} was released by ${s(d.releasedBy)}` : `${s(d.user)} left`,
    'task.created': (d) => `Task for ${s(d.owner)}: ${s(d.action)} — why: ${s(d.purpose)}`,
    'task.updated': (d) => `Task “${s(d.action)}” (${s(d.owner)}) is ${TASK_STATUS.en[s(d.status)] ?? s(d.status)}`,
    'decision.recorded': (d) => `Decision by ${s(d.decidedBy)}: ${s(d.decision)} — why: ${s(d.rationale)} — risk accepted: ${s(d.risk)}`,
    'update.posted': (d) => `Update to ${AUDIENCE.en[s(d.audience)] ?? s(d.audience)}: ${s(d.renderedEn)}`,
    'clock.overdue': (d, tz) => `${CLOCK.en[s(d.clock)] ?? s(d.clock)} is overdue (was due ${clock('en', d.dueAt, tz)})`,
    'alerts.linked': (d) => `Alert group “${s(d.title)}” linked (${s(d.firing)} of ${s(d.alerts)} alerts firing)`,
    'alerts.unlinked': (d) => `Alert group “${s(d.title)}” unlinked`,
    'alerts.activity': (d) => [
      `Alert group “${s(d.title)}”:`,
      Number(d.fired) ? `${s(d.fired)} fired` : '',
      Number(d.resolved) ? `${s(d.resolved)} resolved` : '',
      d.status === 'resolved' ? '— every alert resolved' : d.status === 'reopened' ? '— firing again' : `— ${s(d.firing)} firing`,
    ].filter(Boolean).join(' '),
    'statuspage.components': (d) => statusPageLinks('en', d),
    'page.started': (d) => `Paged ${s(d.target)}: ${s(d.title)}${Number(d.users) === 0 ? ' — nobody to wake at the first level' : ''}`,
    'page.acknowledged': (d) => `${s(d.by)} acknowledged the page “${s(d.title)}”`,
    'page.resolved': (d) => `${s(d.by)} resolved the page “${s(d.title)}”`,
    'page.delivery_failed': (d) => `A page to ${s(d.user)} by ${s(d.kind)} did not arrive: ${s(d.error)}`,
    'page.exhausted': (d) => `Nobody acknowledged the page “${s(d.title)}”: every level and repeat has been tried`,
    note: () => '',
  },
  ja: {
    'incident.declared': (d) => `${s(d.severity)} を宣言: ${s(d.title)}${d.drill ? '（訓練）' : ''}。${d.commander ? `指揮官 ${s(d.commander)}` : '指揮官は未定'}`,
    'incident.acknowledged': () => '対応開始を確認',
    'incident.edited': (d) => `${Object.keys((d.changes as Data) ?? {}).join('、')} を変更`,
    'severity.changed': (d) => `重大度 ${s(d.from)} → ${s(d.to)}`,
    'phase.changed': (d) => `フェーズ ${phase('ja', d.from)} → ${phase('ja', d.to)}`,
    'role.assigned': (d) => d.previous ? `${s(d.role)} を ${s(d.previous)} から ${s(d.user)} に引き継ぎ` : `${s(d.user)} が ${s(d.role)} を担当`,
    'role.unassigned': (d) => `${s(d.previous)} が ${s(d.role)} を外れた`,
    'responder.joined': (d) => `${s(d.user)} が参加`,
    'responder.left': (d) => d.releasedBy ? `${s(d.user)} を ${s(d.releasedBy)} が解放` : `${s(d.user)} が離脱`,
    'task.created': (d) => `${s(d.owner)} にタスク: ${s(d.action)}（目的: ${s(d.purpose)}）`,
    'task.updated': (d) => `タスク「${s(d.action)}」（${s(d.owner)}）: ${TASK_STATUS.ja[s(d.status)] ?? s(d.status)}`,
    'decision.recorded': (d) => `${s(d.decidedBy)} の判断: ${s(d.decision)}（理由: ${s(d.rationale)}／許容したリスク: ${s(d.risk)}）`,
    'update.posted': (d) => `${AUDIENCE.ja[s(d.audience)] ?? s(d.audience)}向け報告: ${s(d.renderedJa)}`,
    'clock.overdue': (d, tz) => `${CLOCK.ja[s(d.clock)] ?? s(d.clock)}の期限切れ（期限 ${clock('ja', d.dueAt, tz)}）`,
    'alerts.linked': (d) => `アラートグループ「${s(d.title)}」を紐付け（${s(d.alerts)} 件中 ${s(d.firing)} 件が発報中）`,
    'alerts.unlinked': (d) => `アラートグループ「${s(d.title)}」の紐付けを解除`,
    'alerts.activity': (d) => [
      `アラートグループ「${s(d.title)}」:`,
      Number(d.fired) ? `${s(d.fired)} 件発報` : '',
      Number(d.resolved) ? `${s(d.resolved)} 件復旧` : '',
      d.status === 'resolved' ? '— すべて復旧' : d.status === 'reopened' ? '— 再発報' : `— 発報中 ${s(d.firing)} 件`,
    ].filter(Boolean).join(' '),
    'statuspage.components': (d) => statusPageLinks('ja', d),
    'page.started': (d) => `${s(d.target)} を呼び出し: ${s(d.title)}${Number(d.users) === 0 ? '（最初のレベルに呼び出せる人がいません）' : ''}`,
    'page.acknowledged': (d) => `${s(d.by)} が呼び出し「${s(d.title)}」を確認`,
    'page.resolved': (d) => `${s(d.by)} が呼び出し「${s(d.title)}」を解決`,
    'page.delivery_failed': (d) => `${s(d.user)} への ${s(d.kind)} による呼び出しが届きませんでした: ${s(d.error)}`,
    'page.exhausted': (d) => `呼び出し「${s(d.title)}」は誰にも確認されませんでした（すべてのレベルと繰り返しを試しました）`,
    note: () => '',
  },
};

/** What a timeline event says, in the reader's language and time zone; a note's own text is appended. */
export function describeEvent(kind: string, data: Data | null, note: string, locale: Locale, timeZone = 'UTC'): string {
  const describe = TEXT[locale][kind];
  const said = describe ? describe(data ?? {}, timeZone) : kind;
  if (!note) return said;
  return said ? `${said} — ${note}` : note;
}
