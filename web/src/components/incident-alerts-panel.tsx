// The war room's alert groups: what fired for this incident and whether it still fires.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { Link } from '../router.js';
import type { AlertGroupPage, IncidentDetail } from '../types.js';
import { AlertSeverityBadge, GroupStatusBadge } from './alert-badges.js';

/** Alert groups linked to the incident; nothing at all when there are none. */
export function IncidentAlertsPanel({ incident, version }: { incident: IncidentDetail; version: number }) {
  const { t, fmt } = useApp();
  const [page, setPage] = useState<AlertGroupPage | null>(null);
  const load = useCallback(() => {
    api<AlertGroupPage>('GET', `/alert-groups?status=all&incidentId=${encodeURIComponent(incident.id)}&limit=50`).then(setPage).catch(() => {});
  }, [incident.id]);
  // The server tells the incident's stream when its alert groups change (linked, fired, resolved,
  // acknowledged): the war room reloads, and so does this panel. No second stream per war room tab.
  useEffect(load, [load, version]);
  if (!page || page.groups.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="incident-alerts-h" data-testid="incident-alerts">
      <h2 id="incident-alerts-h">{t('war.alertGroups')} <span className="count">{fmt.number(page.total)}</span></h2>
      <ul className="incident-alerts">
        {page.groups.map((g) => (
          <li key={g.id} className={g.status === 'resolved' ? 'is-resolved' : ''}>
            <div className="badges"><GroupStatusBadge status={g.status} /><AlertSeverityBadge severity={g.severity} /></div>
            <Link to={`/alerts/${encodeURIComponent(g.id)}`}>{g.title}</Link>
            <span className="muted small"> · {t('group.firingOf', { firing: fmt.number(g.firingCount), total: fmt.number(g.alertCount) })}</span>
          </li>
        ))}
      </ul>
      {page.next ? <p className="small"><Link to={`/alerts?status=all&incidentId=${encodeURIComponent(incident.id)}`}>{t('war.moreAlertGroups')}</Link></p> : null}
    </section>
  );
}
