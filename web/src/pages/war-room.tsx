// The war room: one incident, live. Every panel refetches on the incident's event stream.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { ClocksPanel } from '../components/clocks-panel.js';
import { Composer } from '../components/composer.js';
import { DecisionsPanel } from '../components/decisions-panel.js';
import { IncidentAlertsPanel } from '../components/incident-alerts-panel.js';
import { IncidentHeader } from '../components/incident-header.js';
import { IncidentPagesPanel } from '../components/incident-pages-panel.js';
import { RolesPanel } from '../components/roles-panel.js';
import { RosterPanel } from '../components/roster-panel.js';
import { StatusPagePanel } from '../components/status-page-panel.js';
import { TaskBoard } from '../components/task-board.js';
import { TimelinePanel } from '../components/timeline-panel.js';
import { useLive } from '../live.js';
import { Link } from '../router.js';
import type { IncidentDetail, TimelineEvent } from '../types.js';

/** The war room page for /incidents/:ref. */
export function WarRoomPage({ incidentRef }: { incidentRef: string }) {
  const { t, locale } = useApp();
  const [incident, setIncident] = useState<IncidentDetail | null>(null);
  const [events, setEvents] = useState<TimelineEvent[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  // Counts reloads, so the alert groups and pages panels refetch with the rest of the war room.
  const [loads, setLoads] = useState(0);
  const path = `/incidents/${encodeURIComponent(incidentRef)}`;

  const reload = useCallback(async () => {
    try {
      const [detail, timeline] = await Promise.all([
        api<IncidentDetail>('GET', path),
        api<{ events: TimelineEvent[] }>('GET', `${path}/timeline?lang=${locale}`),
      ]);
      setIncident(detail);
      setEvents(timeline.events);
      setLoads((n) => n + 1);
      setFailed(null);
    } catch (e) {
      setFailed(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e));
    }
  }, [path, locale]);

  useEffect(() => { void reload(); }, [reload]);
  const live = useLive(incident ? `/api/v1/incidents/${incident.id}/events` : null, () => void reload());

  useEffect(() => {
    if (incident) document.title = `${incident.ref} ${incident.title} — Hikeshi`;
    return () => { document.title = 'Hikeshi'; };
  }, [incident]);

  if (!incident) {
    return (
      <div className="page">
        {failed ? (
          <div role="alert" className="form-error">{t('war.loadFailed')} {failed}</div>
        ) : <p className="muted">{t('app.loading')}</p>}
        <p><Link to="/">{t('app.backToList')}</Link></p>
      </div>
    );
  }
  const refresh = () => void reload();
  return (
    <div className="page war-room" data-testid="war-room">
      <IncidentHeader incident={incident} reload={refresh} live={live} />
      {failed ? <div role="alert" className="form-error">{failed}</div> : null}
      <ClocksPanel incident={incident} />
      <div className="war-grid">
        <div className="war-main">
          <StatusPagePanel incident={incident} version={loads} reload={refresh} />
          <TaskBoard incident={incident} reload={refresh} />
          <Composer incident={incident} reload={refresh} />
          <DecisionsPanel incident={incident} reload={refresh} />
        </div>
        <aside className="war-side">
          <IncidentAlertsPanel incident={incident} version={loads} />
          <RolesPanel incident={incident} reload={refresh} />
          <RosterPanel incident={incident} reload={refresh} />
          <IncidentPagesPanel incident={incident} version={loads} reload={refresh} />
          <TimelinePanel incident={incident} events={events ?? []} reload={refresh} />
        </aside>
      </div>
    </div>
  );
}
