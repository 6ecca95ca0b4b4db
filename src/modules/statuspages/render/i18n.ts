// Every word the public status page shows, in English and Japanese. The pages never build a
// sentence from fragments of one language and values of another: templated strings are functions.
import type { Locale, Phase } from '../../../shared/phases.js';
import type { ComponentStatus, IncidentImpact, MaintenanceStatus, PageIndicator } from '../model.js';

/** The strings of one language. */
export interface Strings {
  languageName: string;
  languageSwitch: string;
  skipToContent: string;
  documentTitle: (page: string) => string;
  componentStatus: Record<ComponentStatus, string>;
  /** The overall banner, by page indicator. */
  indicator: Record<PageIndicator, string>;
  impact: Record<IncidentImpact, string>;
  impactLine: (label: string) => string;
  phase: Record<Phase, string>;
  /** The title of an incident nobody wrote a public title for (its own title is internal). */
  untitledIncident: string;
  maintenanceStatus: Record<MaintenanceStatus, string>;
  statusLine: (label: string) => string;
  activeIncidents: string;
  activeMaintenance: string;
  upcomingMaintenance: string;
  components: string;
  pastIncidents: string;
  noIncidentsReported: string;
  incidentHistory: string;
  viewHistory: string;
  updates: string;
  noUpdatesYet: string;
  affects: (names: string) => string;
  affectedComponents: string;
  scheduledWindow: (from: string, to: string) => string;
  incidentReportFor: (page: string) => string;
  maintenanceReportFor: (page: string) => string;
  incidentLabel: string;
  maintenanceLabel: string;
  backToStatus: string;
  uptime: (pct: string) => string;
  daysAgo: (n: number) => string;
  today: string;
  availabilityOf: (name: string, pct: string) => string;
  availabilityUnknown: (name: string) => string;
  daysWithIssues: string;
  noIssues: (days: number) => string;
  dayNoData: (date: string) => string;
  dayClean: (date: string, pct: string) => string;
  dayIssues: (date: string, pct: string, parts: string) => string;
  minutesIn: (status: string, minutes: number) => string;
  subscribe: string;
  subscribeHelp: string;
  email: string;
  subscribeComponents: string;
  subscribeButton: string;
  feedsAndApi: string;
  atomFeed: string;
  rssFeed: string;
  jsonApi: string;
  support: string;
  lastUpdated: (time: string) => string;
  stale: (since: string, asOf: string) => string;
  feedTitle: (page: string) => string;
}

const en: Strings = {
  languageName: 'English',
  languageSwitch: 'Language',
  skipToContent: 'Skip to content',
  documentTitle: (page) => `${page} Status`,
  componentStatus: {
    operational: 'Operational', degraded_performance: 'Degraded Performance', partial_outage: 'Partial Outage',
    major_outage: 'Major Outage', under_maintenance: 'Under Maintenance',
  },
  indicator: {
    none: 'All Systems Operational', minor: 'Minor Service Outage', major: 'Partial System Outage',
    critical: 'Major Service Outage', maintenance: 'Service Under Maintenance',
  },
  impact: { none: 'None', minor: 'Minor', major: 'Major', critical: 'Critical' },
  impactLine: (label) => `Impact: ${label}`,
  phase: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' },
  untitledIncident: 'Service disruption',
  maintenanceStatus: { scheduled: 'Scheduled', in_progress: 'In progress', verifying: 'Verifying', completed: 'Completed', cancelled: 'Cancelled' },
  statusLine: (label) => `Status: ${label}`,
  activeIncidents: 'Active incidents',
  activeMaintenance: 'Maintenance in progress',
  upcomingMaintenance: 'Upcoming maintenance',
  components: 'Components',
  pastIncidents: 'Past incidents',
  noIncidentsReported: 'No incidents reported.',
  incidentHistory: 'Incident history',
  viewHistory: 'View incident history',
  updates: 'Updates',
  noUpdatesYet: 'No updates yet.',
  affects: (names) => `Affects: ${names}`,
  affectedComponents: 'Affected components',
  scheduledWindow: (from, to) => `Scheduled for ${from} – ${to}`,
  incidentReportFor: (page) => `Incident report for ${page}`,
  maintenanceReportFor: (page) => `Scheduled maintenance report for ${page}`,
  incidentLabel: 'Incident',
  maintenanceLabel: 'Maintenance',
  backToStatus: 'Current status',
  uptime: (pct) => `${pct}% uptime`,
  daysAgo: (n) => `${n} days ago`,
  today: 'Today',
  availabilityOf: (name, pct) => `${name}: ${pct}% uptime over the last 90 days.`,
  availabilityUnknown: (name) => `${name}: no availability data yet.`,
  daysWithIssues: 'Days with issues:',
  noIssues: (days) => `No issues in the last ${days} days.`,
  dayNoData: (date) => `${date}: no data`,
  dayClean: (date, pct) => `${date}: ${pct}%`,
  dayIssues: (date, pct, parts) => `${date}: ${pct}% — ${parts}`,
  minutesIn: (status, minutes) => `${status.toLowerCase()} ${minutes} min`,
  subscribe: 'Subscribe to updates',
  subscribeHelp: 'Get an email whenever an incident or maintenance is posted, updated or resolved.',
  email: 'Email address',
  subscribeComponents: 'Only these components (leave all unticked for everything)',
  subscribeButton: 'Subscribe',
  feedsAndApi: 'Feeds and API',
  atomFeed: 'Atom feed',
  rssFeed: 'RSS feed',
  jsonApi: 'JSON API (Statuspage v2 compatible)',
  support: 'Get help',
  lastUpdated: (time) => `Last updated ${time}`,
  stale: (since, asOf) => `This page could not be refreshed since ${since}. It shows the status as of ${asOf}.`,
  feedTitle: (page) => `${page} status history`,
};

const ja: Strings = {
  languageName: '日本語',
  languageSwitch: '言語',
  skipToContent: '本文へ移動',
  documentTitle: (page) => `${page} ステータス`,
  componentStatus: {
    operational: '稼働中', degraded_performance: 'パフォーマンス低下', partial_outage: '部分的な障害',
    major_outage: '大規模な障害', under_maintenance: 'メンテナンス中',
  },
  indicator: {
    none: 'すべてのシステムは正常に稼働しています', minor: '一部のサービスで軽微な障害が発生しています',
    major: '一部のシステムで障害が発生しています', critical: '大規模な障害が発生しています', maintenance: 'メンテナンス中です',
  },
  impact: { none: 'なし', minor: '軽微', major: '重大', critical: '深刻' },
  impactLine: (label) => `影響度: ${label}`,
  phase: { investigating: '調査中', identified: '原因特定', monitoring: '経過観察', resolved: '復旧完了' },
  untitledIncident: 'サービス障害',
  maintenanceStatus: { scheduled: '予定', in_progress: '実施中', verifying: '確認中', completed: '完了', cancelled: '中止' },
  statusLine: (label) => `状態: ${label}`,
  activeIncidents: '発生中の障害',
  activeMaintenance: '実施中のメンテナンス',
  upcomingMaintenance: '予定されているメンテナンス',
  components: 'コンポーネント',
  pastIncidents: '過去の障害',
  noIncidentsReported: '報告された障害はありません。',
  incidentHistory: '障害履歴',
  viewHistory: '障害履歴を見る',
  updates: '更新情報',
  noUpdatesYet: '更新情報はまだありません。',
  affects: (names) => `影響範囲: ${names}`,
  affectedComponents: '影響を受けるコンポーネント',
  scheduledWindow: (from, to) => `予定: ${from} 〜 ${to}`,
  incidentReportFor: (page) => `${page} の障害報告`,
  maintenanceReportFor: (page) => `${page} の計画メンテナンス`,
  incidentLabel: '障害',
  maintenanceLabel: 'メンテナンス',
  backToStatus: '現在の状況',
  uptime: (pct) => `稼働率 ${pct}%`,
  daysAgo: (n) => `${n}日前`,
  today: '今日',
  availabilityOf: (name, pct) => `${name}: 過去90日間の稼働率 ${pct}%。`,
  availabilityUnknown: (name) => `${name}: 稼働率のデータはまだありません。`,
  daysWithIssues: '問題があった日:',
  noIssues: (days) => `過去${days}日間、問題はありません。`,
  dayNoData: (date) => `${date}: データなし`,
  dayClean: (date, pct) => `${date}: ${pct}%`,
  dayIssues: (date, pct, parts) => `${date}: ${pct}% — ${parts}`,
  minutesIn: (status, minutes) => `${status} ${minutes}分`,
  subscribe: '更新情報を受け取る',
  subscribeHelp: '障害やメンテナンスが掲載・更新・解決されたときにメールでお知らせします。',
  email: 'メールアドレス',
  subscribeComponents: '対象のコンポーネント（すべて未選択ならすべて）',
  subscribeButton: '登録する',
  feedsAndApi: 'フィードと API',
  atomFeed: 'Atom フィード',
  rssFeed: 'RSS フィード',
  jsonApi: 'JSON API（Statuspage v2 互換）',
  support: 'お問い合わせ',
  lastUpdated: (time) => `最終更新: ${time}`,
  stale: (since, asOf) => `${since} 以降、このページを更新できていません。${asOf} 時点の状況を表示しています。`,
  feedTitle: (page) => `${page} ステータス履歴`,
};

/** The status page's strings by language. */
export const STRINGS: Record<Locale, Strings> = { en, ja };
