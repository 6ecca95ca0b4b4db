// Small visual markers: severity, phase, drill, overdue clocks.
import { useApp } from '../app-context.js';
import type { Audience, IncidentSummary, Phase, Severity } from '../types.js';

/** SEV1…SEV4 in its colour. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev sev-${severity.toLowerCase()}`}>{severity}</span>;
}

/** The phase in words. */
export function PhaseBadge({ phase }: { phase: Phase }) {
  const { t } = useApp();
  return <span className={`badge phase phase-${phase}`}>{t(`phase.${phase}`)}</span>;
}

/** DRILL / 訓練. */
export function DrillBadge() {
  const { t } = useApp();
  return <span className="badge drill">{t('list.drill')}</span>;
}

/** Every overdue clock of an incident, as red badges. */
export function OverdueBadges({ incident }: { incident: IncidentSummary }) {
  const { t } = useApp();
  if (incident.phase === 'resolved') return null;
  const late = (Object.keys(incident.clocks.audiences) as Audience[]).filter((a) => incident.clocks.audiences[a].overdue);
  const first = incident.clocks.firstPublicUpdate.overdue && !incident.clocks.firstPublicUpdate.metAt;
  return (
    <>
      {first ? <span className="badge overdue" data-testid="overdue-first">◷ {t('list.firstUpdateOverdue')}</span> : null}
      {late.map((a) => <span key={a} className="badge overdue">◷ {t('list.audienceOverdue', { audience: t(`audience.${a}`) })}</span>)}
    </>
  );
}
