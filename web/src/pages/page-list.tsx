// Pages: mine first, then every open one (or, with "Show resolved", every page); acknowledge and
// resolve from the row; page someone by hand.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../api.js';
import { useApp } from '../app-context.js';
import { AlertSeverityBadge } from '../components/alert-badges.js';
import { DrillBadge } from '../components/badges.js';
import { FormError, useAction } from '../components/form.js';
import { PageSomeoneForm } from '../components/page-form.js';
import { escalationText, FailedDeliveriesBadge, levelText, PageStatusBadge, usePagingChoices } from '../components/paging-parts.js';
import { useNow, usePagesLive } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';
import type { PageSummary } from '../types.js';
import { LiveDot, ReadOnlyBadge } from './incident-list.js';


/** The page for /pages. */
export function PagesPage() {
  const { t, user, canAct } = useApp();
  const { search } = useLocation();
  const withResolved = search.get('resolved') === '1';
  const [mine, setMine] = useState<PageSummary[] | null>(null);
  const [all, setAll] = useState<PageSummary[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [paging, setPaging] = useState(false);
  const choices = usePagingChoices();
  const seq = useRef(0);

  const load = useCallback(() => {
    const mineSeq = ++seq.current;
    const status = withResolved ? 'all' : 'open';
    Promise.all([
      api<{ pages: PageSummary[] }>('GET', `/pages${query({ status, mine: 'true' })}`),
      api<{ pages: PageSummary[] }>('GET', `/pages${query({ status, mine: 'false' })}`),
    ]).then(([m, a]) => {
      if (mineSeq !== seq.current) return;
      setMine(m.pages);
      setAll(a.pages);
      setFailed(null);
    }).catch((e: Error) => { if (mineSeq === seq.current) setFailed(e.message); });
  }, [withResolved]);
  useEffect(load, [load]);
  const live = usePagesLive(load);

  const open = (mine ?? []).filter((p) => p.status === 'triggered').length;
  useEffect(() => {
    document.title = open > 0 ? `(${open}) ${t('paging.title')} — Hikeshi` : `${t('paging.title')} — Hikeshi`;
    return () => { document.title = 'Hikeshi'; };
  }, [open, t]);

  const toggleResolved = (on: boolean) => navigate(on ? '/pages?resolved=1' : '/pages', true);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('paging.title')}</h1>
        <LiveDot live={live} />
        <div className="spacer" />
        {user.role === 'admin' ? <Link to="/admin/escalation-policies">{t('policies.manage')}</Link> : null}
        {canAct ? (paging ? null : <button type="button" className="primary" onClick={() => setPaging(true)}>+ {t('paging.pageSomeone')}</button>) : <ReadOnlyBadge />}
      </div>
      <p className="muted section-hint">{t('paging.intro', { zone: user.timeZone })}</p>
      {paging && canAct ? <PageSomeoneForm choices={choices} onPaged={load} onCancel={() => setPaging(false)} /> : null}
      <label className="check">
        <input type="checkbox" checked={withResolved} onChange={(e) => toggleResolved(e.target.checked)} />
        {t('paging.showResolved')}
      </label>
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}

      <section className="pages-section" aria-labelledby="my-pages-h" data-testid="my-pages">
        <h2 id="my-pages-h">{t('paging.mine')}</h2>
        <p className="muted small section-hint">{t('paging.mineHint')}</p>
        <PagesTable pages={mine} empty={withResolved ? t('paging.noMineAtAll') : t('paging.noMine')} reload={load} />
      </section>
      <section className="pages-section" aria-labelledby="all-pages-h" data-testid="all-pages">
        <h2 id="all-pages-h">{withResolved ? t('paging.allWithResolved') : t('paging.all')}</h2>
        <PagesTable pages={all} empty={withResolved ? t('paging.noneAtAll') : t('paging.noOpen')} reload={load} />
      </section>
    </div>
  );
}

/** Pages as rows: status, severity, title, policy, level, started, acknowledged by; act on a row. */
function PagesTable({ pages, empty, reload }: { pages: PageSummary[] | null; empty: string; reload: () => void }) {
  const { t, fmt, canAct } = useApp();
  const now = useNow(15_000);
  const { busy, error, run } = useAction();
  if (pages === null) return <p className="muted">{t('app.loading')}</p>;
  if (pages.length === 0) return <p className="empty">{empty}</p>;
  const act = (p: PageSummary, what: 'acknowledge' | 'resolve') => void run(async () => {
    await api('POST', `/pages/${encodeURIComponent(p.id)}/${what}`);
    reload();
  });
  return (
    <>
      <FormError error={error} />
      <table className="pages-table">
        <thead>
          <tr>
            <th scope="col">{t('paging.colStatus')}</th>
            <th scope="col">{t('paging.colSeverity')}</th>
            <th scope="col">{t('paging.colTitle')}</th>
            <th scope="col">{t('paging.colPolicy')}</th>
            <th scope="col">{t('paging.colLevel')}</th>
            <th scope="col">{t('paging.colStarted')}</th>
            <th scope="col">{t('paging.colAckBy')}</th>
            {canAct ? <th scope="col"><span className="sr-only">{t('paging.colActions')}</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {pages.map((p) => {
            const escalation = escalationText(p, fmt, now, t);
            return (
              <tr key={p.id} data-testid="page-row" className={`alert-row arow-${p.status === 'resolved' ? 'resolved' : p.severity}${p.status === 'resolved' ? ' is-resolved' : ''}`}>
                <td><PageStatusBadge status={p.status} /></td>
                <td><AlertSeverityBadge severity={p.severity} /></td>
                <td className="title-cell">
                  <Link to={`/pages/${encodeURIComponent(p.id)}`}>{p.title}</Link>
                  <div className="badges">{p.drill ? <DrillBadge /> : null}<FailedDeliveriesBadge n={p.failedDeliveries} /></div>
                </td>
                <td>{p.policy.name}{p.policy.id ? null : <div className="muted small">{t('paging.direct')}</div>}</td>
                <td>
                  {levelText(p, t)}
                  {escalation ? <div className={`small ${p.exhaustedAt ? 'late-text' : 'muted'}`}>{escalation}</div> : null}
                </td>
                <td>
                  <time dateTime={p.createdAt}>{fmt.dateTime(p.createdAt)}</time>
                  <div className="muted small">{fmt.ago(p.createdAt, now)}</div>
                </td>
                <td>
                  {p.acknowledgedBy && p.acknowledgedAt ? (
                    <>{p.acknowledgedBy.name}<div className="muted small"><time dateTime={p.acknowledgedAt}>{fmt.dateTime(p.acknowledgedAt)}</time></div></>
                  ) : <span className="muted">{t('common.dash')}</span>}
                </td>
                {canAct ? (
                  <td className="row-actions">
                    {p.status === 'triggered' ? (
                      <button type="button" className="small-button ack" disabled={busy} onClick={() => act(p, 'acknowledge')}
                        aria-label={t('paging.acknowledgeOne', { title: p.title })}>{t('paging.acknowledge')}</button>
                    ) : null}
                    {p.status !== 'resolved' ? (
                      <button type="button" className="small-button resolve" disabled={busy} onClick={() => act(p, 'resolve')}
                        aria-label={t('paging.resolveOne', { title: p.title })}>{t('paging.resolve')}</button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
