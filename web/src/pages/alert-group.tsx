// One alert group, live: what fires, why it does or does not page, what was done; act on it.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { AlertGroupHead } from '../components/alert-group-head.js';
import { AlertTable } from '../components/alert-table.js';
import { AlertsNav } from '../components/alerts-nav.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { useAlertsLive } from '../live.js';
import { Link } from '../router.js';
import type { AlertGroupDetail, AlertGroupEvent, AlertRoute } from '../types.js';

/** The page for /alerts/:id. */
export function AlertGroupPage({ groupId }: { groupId: string }) {
  const { t } = useApp();
  const [group, setGroup] = useState<AlertGroupDetail | null>(null);
  const [routes, setRoutes] = useState<AlertRoute[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const path = `/alert-groups/${encodeURIComponent(groupId)}`;

  const reload = useCallback(async () => {
    try {
      setGroup(await api<AlertGroupDetail>('GET', path));
      setFailed(null);
    } catch (e) {
      setFailed(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e));
    }
  }, [path]);
  useEffect(() => { void reload(); }, [reload]);
  useEffect(() => {
    api<{ routes: AlertRoute[] }>('GET', '/alert-routes').then((r) => setRoutes(r.routes)).catch(() => {});
  }, []);
  const live = useAlertsLive(() => void reload(), (ids) => ids.includes(groupId) || (group !== null && ids.includes(group.id)));

  useEffect(() => {
    if (group) document.title = `${t(`alerts.status.${group.status}`)}: ${group.title} — Hikeshi`;
    return () => { document.title = 'Hikeshi'; };
  }, [group, t]);

  if (!group) {
    return (
      <div className="page">
        <AlertsNav />
        {failed ? <div role="alert" className="form-error">{t('group.loadFailed')} {failed}</div> : <p className="muted">{t('app.loading')}</p>}
        <p><Link to="/alerts">← {t('alerts.backToList')}</Link></p>
      </div>
    );
  }
  const route = routes.find((r) => r.id === group.routeId) ?? null;
  return (
    <div className="page alert-group-page" data-testid="alert-group">
      <AlertsNav />
      <AlertGroupHead group={group} route={route} live={live} reload={() => void reload()} />
      {failed ? <div role="alert" className="form-error">{failed}</div> : null}
      <div className="war-grid">
        <AlertTable group={group} />
        <GroupHistory events={group.events} />
      </div>
    </div>
  );
}

/** Known event kinds: an icon and the words; others show their kind as sent. */
const EVENTS: Record<string, [string, MessageKey]> = {
  created: ['●', 'group.event.created'],
  alerts_fired: ['▲', 'group.event.alerts_fired'],
  alerts_resolved: ['✔', 'group.event.alerts_resolved'],
  acknowledged: ['✓', 'group.event.acknowledged'],
  resolved: ['✔', 'group.event.resolved'],
  reopened: ['↺', 'group.event.reopened'],
  flapping: ['⇅', 'group.event.flapping'],
  silenced: ['⊘', 'group.event.silenced'],
  maintenance: ['⚒', 'group.event.maintenance'],
  linked_incident: ['⚑', 'group.event.linked_incident'],
  unlinked_incident: ['⚐', 'group.event.unlinked_incident'],
  declared_incident: ['⚑', 'group.event.declared_incident'],
  routed: ['➜', 'group.event.routed'],
  paging_failed: ['✕', 'group.event.paging_failed'],
};

/** A short "2 alerts · service: checkout" from an event's data (plain values only; ids left out). */
function dataText(data: Record<string, unknown> | null, t: Translate): string {
  if (!data) return '';
  return Object.entries(data)
    .filter(([k, v]) => ['string', 'number', 'boolean'].includes(typeof v) && !/Id$/.test(k))
    .map(([k, v]) => {
      if (k === 'count' && typeof v === 'number') return t('group.eventCount', { n: v });
      if (k === 'auto' && v === true) return t('group.eventAuto');
      if (k === 'by' && v === 'source') return t('group.eventBySource');
      if (k === 'service') return `${t('alerts.colService')}: ${String(v)}`;
      if (k === 'escalationPolicy') return `${t('group.escalation')}: ${String(v)}`;
      if (k === 'severity') return String(v);
      return `${k}: ${String(v)}`;
    })
    .join(' · ');
}

/** The group's event history, newest first. */
function GroupHistory({ events }: { events: AlertGroupEvent[] }) {
  const { t, fmt } = useApp();
  const shown = events.slice().reverse();
  return (
    <section className="panel" aria-labelledby="group-history-h">
      <h2 id="group-history-h">{t('group.history')}</h2>
      {shown.length === 0 ? <p className="muted">{t('timeline.empty')}</p> : (
        <ol className="events" data-testid="group-history">
          {shown.map((ev) => {
            const known = Object.hasOwn(EVENTS, ev.kind) ? EVENTS[ev.kind] : undefined;
            const extra = dataText(ev.data, t);
            return (
              <li key={ev.id} data-kind={ev.kind}>
                <span className="event-icon" aria-hidden="true">{known?.[0] ?? '•'}</span>
                <div className="event-main">
                  <div className="event-meta">
                    <time dateTime={ev.at} title={fmt.dateTime(ev.at)}>{fmt.dateTime(ev.at)}</time>
                    <span className="actor">{ev.actor?.name ?? t('timeline.system')}</span>
                  </div>
                  <div className="event-body">
                    {known ? t(known[1]) : <span className="mono">{ev.kind}</span>}
                    {extra ? <span className="muted small"> — {extra}</span> : null}
                  </div>
                </div>
                <span />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
