// Small markers for alerts: severity and status in words and colour, labels as chips, why a group is quiet.
import { useApp } from '../app-context.js';
import { Link } from '../router.js';
import type { AlertGroupSummary, AlertSeverity, GroupStatus, Matcher } from '../types.js';

/** critical / error / warning / info, coloured like SEV1…SEV4. */
export function AlertSeverityBadge({ severity }: { severity: AlertSeverity }) {
  const { t } = useApp();
  return <span className={`badge asev asev-${severity}`}>{t(`alerts.severity.${severity}`)}</span>;
}

/** Triggered (red) / acknowledged (amber) / resolved (green). */
export function GroupStatusBadge({ status }: { status: GroupStatus }) {
  const { t } = useApp();
  const icon = status === 'triggered' ? '●' : status === 'acknowledged' ? '✓' : '✔';
  return <span className={`badge gstatus gstatus-${status}`}><span aria-hidden="true">{icon}</span> {t(`alerts.status.${status}`)}</span>;
}

/** Firing / resolved for one alert. */
export function AlertStatusBadge({ status }: { status: 'firing' | 'resolved' }) {
  const { t } = useApp();
  return <span className={`badge gstatus ${status === 'firing' ? 'gstatus-triggered' : 'gstatus-resolved'}`}>{t(`alerts.alertStatus.${status}`)}</span>;
}

/** `name=value` chips; with onPick each chip is a button that filters by it. */
export function LabelChips({ labels, onPick, omit }: { labels: Record<string, string>; onPick?: (name: string, value: string) => void; omit?: Record<string, string> }) {
  const { t } = useApp();
  const entries = Object.entries(labels).filter(([k, v]) => omit?.[k] !== v);
  if (!entries.length) return null;
  return (
    <span className="chips labels">
      {entries.map(([k, v]) => onPick ? (
        <button key={k} type="button" className="chip chip-button" title={t('alerts.filterBy', { label: `${k}=${v}` })} onClick={() => onPick(k, v)}>
          <span className="chip-name">{k}</span>=<span className="chip-value">{v}</span>
        </button>
      ) : (
        <span key={k} className="chip"><span className="chip-name">{k}</span>=<span className="chip-value">{v}</span></span>
      ))}
    </span>
  );
}

/** Why a group does not page (silence, maintenance), whether it flaps, and its incident. */
export function GroupFlags({ group }: { group: AlertGroupSummary }) {
  const { t } = useApp();
  return (
    <>
      {group.suppressedBy?.kind === 'silence' ? (
        <span className="badge quiet" data-testid="badge-silenced" title={t('alerts.silencedHint')}><span aria-hidden="true">⊘</span> {t('alerts.silenced')}</span>
      ) : null}
      {group.suppressedBy?.kind === 'maintenance' ? (
        <span className="badge quiet" data-testid="badge-maintenance" title={t('alerts.maintenanceHint')}><span aria-hidden="true">⚒</span> {t('alerts.inMaintenance')}</span>
      ) : null}
      {group.flapping ? <span className="badge flapping" title={t('alerts.flappingHint')}><span aria-hidden="true">⇅</span> {t('alerts.flapping')}</span> : null}
      {group.incident ? (
        <Link to={`/incidents/INC-${group.incident.number}`} className="badge incident-link" title={group.incident.title} data-testid="badge-incident">
          <span aria-hidden="true">⚑</span> INC-{group.incident.number}
        </Link>
      ) : null}
    </>
  );
}

/** The labels every alert has with the same value (what the alerts of a group share). */
export function sharedLabels(alerts: { labels: Record<string, string> }[]): Record<string, string> {
  const [first, ...rest] = alerts;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.labels).filter(([k, v]) => rest.every((a) => a.labels[k] === v)));
}

/** The operator Alertmanager writes for a matcher. */
export function matcherOperator(m: Pick<Matcher, 'isRegex' | 'isEqual'>): '=' | '!=' | '=~' | '!~' {
  return m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
}

/** `name="value"`, as Alertmanager writes matchers. */
export function matcherText(m: Matcher): string {
  return `${m.name}${matcherOperator(m)}${JSON.stringify(m.value)}`;
}

/** Matchers as mono chips. */
export function MatcherChips({ matchers }: { matchers: Matcher[] }) {
  return <span className="chips">{matchers.map((m, i) => <code key={i} className="chip mono">{matcherText(m)}</code>)}</span>;
}
