// The open incidents a page shows, each with the ten-minute rule in plain sight: "no public word yet —
// 7 min" ticking from the declaration (red past the target), or how soon the first public update went out.
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import { Link } from '../router.js';
import type { StatusPageDetail, StatusPageIncident } from '../types.js';
import { PhaseBadge, SeverityBadge } from './badges.js';
import { ComponentStatusBadge } from './status-badges.js';

/** Whole minutes between two instants (never negative). */
export function minutesBetween(fromIso: string, to: number): number {
  return Math.max(0, Math.floor((to - Date.parse(fromIso)) / 60_000));
}

/** "No public word yet — 7 min" (red once past the target), or "First public update after 4 min 12 s". */
export function PublicWordIndicator({ declaredAt, firstPublicUpdateAt, targetMinutes }: { declaredAt: string; firstPublicUpdateAt: string | null; targetMinutes: number }) {
  const { t, fmt } = useApp();
  const now = useNow(1000);
  if (firstPublicUpdateAt) {
    const seconds = Math.max(0, (Date.parse(firstPublicUpdateAt) - Date.parse(declaredAt)) / 1000);
    return <span className="public-word ok-text" data-testid="public-word">✓ {t('status.firstPublicAfter', { time: fmt.duration(seconds) })}</span>;
  }
  const minutes = minutesBetween(declaredAt, now);
  const late = now - Date.parse(declaredAt) > targetMinutes * 60_000;
  return (
    <span className={`public-word badge ${late ? 'overdue' : 'waiting'}`} data-testid="no-public-word" data-late={late}>
      ◷ {t('status.noPublicWord', { time: t('status.minutes', { n: minutes }) })}
    </span>
  );
}

/** The open incidents panel (nothing to do when there are none, but say so). */
export function StatusPageIncidents({ page }: { page: StatusPageDetail }) {
  const { t, settings } = useApp();
  const names = new Map(page.components.map((c) => [c.id, c.name]));
  return (
    <section className="panel" aria-labelledby="page-incidents-h" data-testid="status-incidents">
      <h2 id="page-incidents-h">{t('status.incidents')}</h2>
      <p className="muted section-hint">{t('status.incidentsHint')}</p>
      {page.incidents.length === 0 ? <p className="empty">{t('status.noIncidents')}</p> : (
        <ul className="page-incidents">
          {page.incidents.map((i: StatusPageIncident) => (
            <li key={i.id} data-testid="status-incident">
              <div className="page-incident-head">
                <SeverityBadge severity={i.severity} />
                <PhaseBadge phase={i.phase} />
                <Link to={`/incidents/${encodeURIComponent(i.ref)}`} title={t('status.openWarRoom', { ref: i.ref })}>
                  <span className="ref">{i.ref}</span> {i.publicTitle ?? i.title}
                </Link>
              </div>
              <PublicWordIndicator declaredAt={i.declaredAt} firstPublicUpdateAt={i.firstPublicUpdateAt} targetMinutes={settings.firstPublicUpdateMinutes} />
              <ul className="impacts">
                {i.components.map((c) => (
                  <li key={c.componentId}>{names.get(c.componentId) ?? c.componentId} <ComponentStatusBadge status={c.status} /></li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
