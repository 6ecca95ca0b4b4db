// Open / resolved / all incidents, kept live by the server's event stream. "n" declares.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { DrillBadge, OverdueBadges, PhaseBadge, SeverityBadge } from '../components/badges.js';
import { DeclareDialog } from '../components/declare-dialog.js';
import { OnCallNowBox } from '../components/oncall-now.js';
import { tabListKeys } from '../components/tab-keys.js';
import { useHotkey, useLive, useNow } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';
import type { IncidentSummary } from '../types.js';

const TABS = ['open', 'resolved', 'all'] as const;
type Tab = (typeof TABS)[number];

/** The incident list. */
export function IncidentListPage() {
  const { t, fmt, canAct } = useApp();
  const { search } = useLocation();
  const tab: Tab = (TABS as readonly string[]).includes(search.get('state') ?? '') ? (search.get('state') as Tab) : 'open';
  const [incidents, setIncidents] = useState<IncidentSummary[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [declaring, setDeclaring] = useState(false);
  const now = useNow(15_000);

  const load = useCallback(() => {
    api<{ incidents: IncidentSummary[] }>('GET', `/incidents?state=${tab}`)
      .then((r) => { setIncidents(r.incidents); setFailed(null); })
      .catch((e: Error) => setFailed(e.message));
  }, [tab]);
  useEffect(load, [load]);
  const live = useLive('/api/v1/incidents/events', load);
  useHotkey('n', () => setDeclaring(true), canAct && !declaring);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('list.title')}</h1>
        <LiveDot live={live} />
        <div className="spacer" />
        {canAct ? (
          <button type="button" className="primary big" onClick={() => setDeclaring(true)} aria-keyshortcuts="n" data-testid="declare-open">
            + {t('list.declare')} <kbd>N</kbd>
          </button>
        ) : <ReadOnlyBadge />}
      </div>
      <OnCallNowBox />
      <div className="tabs" role="tablist" aria-label={t('list.title')} onKeyDown={tabListKeys}>
        {TABS.map((s) => (
          <Link key={s} to={s === 'open' ? '/' : `/?state=${s}`} role="tab" aria-selected={tab === s} tabIndex={tab === s ? 0 : -1} className="tab">{t(`list.${s}`)}</Link>
        ))}
      </div>
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      {incidents === null ? <p className="muted">{t('app.loading')}</p> : incidents.length === 0 ? (
        <p className="empty">{t('list.empty')}</p>
      ) : (
        <table className="incidents">
          <thead>
            <tr>
              <th scope="col">{t('list.colSeverity')}</th>
              <th scope="col">{t('list.colRef')}</th>
              <th scope="col">{t('list.colTitle')}</th>
              <th scope="col">{t('list.colPhase')}</th>
              <th scope="col">{t('list.colCommander')}</th>
              <th scope="col">{t('list.colAge')}</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr key={i.id} className={`sev-row sev-row-${i.severity.toLowerCase()}`} onClick={() => navigate(`/incidents/${i.ref}`)}>
                <td><SeverityBadge severity={i.severity} /></td>
                <td className="mono">{i.ref}</td>
                <td className="title-cell">
                  <Link to={`/incidents/${i.ref}`}>{i.title}</Link>
                  <div className="badges">{i.drill ? <DrillBadge /> : null}<OverdueBadges incident={i} /></div>
                </td>
                <td><PhaseBadge phase={i.phase} /></td>
                <td>{i.commander?.name ?? t('common.unassigned')}</td>
                <td title={fmt.dateTime(i.declaredAt)}>{fmt.ago(i.declaredAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canAct ? <p className="muted small">{t('list.declareKey')}</p> : null}
      {declaring && canAct ? <DeclareDialog onClose={() => setDeclaring(false)} /> : null}
    </div>
  );
}

/** Whether the live stream is connected. */
export function LiveDot({ live }: { live: boolean }) {
  const { t } = useApp();
  return <span className={`live ${live ? 'on' : 'off'}`} role="status">{live ? t('nav.live') : t('nav.offline')}</span>;
}

/** Marks a page a viewer can only read. */
export function ReadOnlyBadge() {
  const { t } = useApp();
  return <span className="badge read-only" title={t('common.readOnlyHint')} data-testid="read-only">{t('common.readOnly')}</span>;
}
