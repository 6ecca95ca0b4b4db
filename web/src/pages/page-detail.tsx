// One page: status and what to do about it, the policy as it started with the level reached, every
// notification (failed deliveries in red), and what happened. Polled like the list (no event stream
// carries pages.changed).
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { AlertSeverityBadge } from '../components/alert-badges.js';
import { DrillBadge } from '../components/badges.js';
import { FormError, useAction } from '../components/form.js';
import { NotificationsTable, PageEvents, PolicySnapshot } from '../components/page-activity.js';
import { FailedDeliveriesBadge, levelText, PageStatusBadge } from '../components/paging-parts.js';
import { useNow, usePagesLive } from '../live.js';
import { Link } from '../router.js';
import type { IncidentDetail, PageDetail } from '../types.js';
import { LiveDot, ReadOnlyBadge } from './incident-list.js';

/** The page for /pages/:id. */
export function PageDetailPage({ pageId }: { pageId: string }) {
  const { t, fmt, canAct, user } = useApp();
  const [page, setPage] = useState<PageDetail | null>(null);
  const [incident, setIncident] = useState<{ ref: string; title: string } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const now = useNow(15_000);
  const path = `/pages/${encodeURIComponent(pageId)}`;

  const load = useCallback(() => {
    api<PageDetail>('GET', path).then((p) => { setPage(p); setFailed(null); })
      .catch((e: unknown) => setFailed(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e)));
  }, [path]);
  useEffect(load, [load]);
  const live = usePagesLive(load, (id) => id === pageId);

  const incidentId = page?.incidentId ?? null;
  useEffect(() => {
    if (!incidentId) return;
    api<IncidentDetail>('GET', `/incidents/${encodeURIComponent(incidentId)}`).then((i) => setIncident({ ref: i.ref, title: i.title })).catch(() => {});
  }, [incidentId]);

  useEffect(() => {
    if (page) document.title = `${t(`paging.status.${page.status}`)}: ${page.title} — Hikeshi`;
    return () => { document.title = 'Hikeshi'; };
  }, [page, t]);

  if (!page) {
    return (
      <div className="page">
        {failed ? <div role="alert" className="form-error">{t('paging.loadFailed')} {failed}</div> : <p className="muted">{t('app.loading')}</p>}
        <p><Link to="/pages">← {t('paging.backToList')}</Link></p>
      </div>
    );
  }
  const act = (what: 'acknowledge' | 'resolve') => void run(async () => setPage(await api<PageDetail>('POST', `${path}/${what}`)));
  const edge = page.status === 'resolved' ? 'resolved' : page.severity;

  return (
    <div className="page" data-testid="page-detail">
      <section className={`incident-head alert-head aedge-${edge}`} aria-labelledby="page-title-h">
        <div className="crumbs">
          <Link to="/pages">← {t('paging.backToList')}</Link>
          <span className="crumbs-right">{canAct ? null : <ReadOnlyBadge />}<LiveDot live={live} /></span>
        </div>
        <div className="head-line">
          <PageStatusBadge status={page.status} />
          <AlertSeverityBadge severity={page.severity} />
          {page.drill ? <DrillBadge /> : null}
          <FailedDeliveriesBadge n={page.failedDeliveries} />
        </div>
        <h1 id="page-title-h">{page.title}</h1>
        <dl className="facts">
          <div>
            <dt>{t('paging.policy')}</dt>
            <dd>
              {page.policy.id && user.role === 'admin' ? <Link to="/admin/escalation-policies">{page.policy.name}</Link> : page.policy.name}
              {page.policy.id ? null : <span className="muted small"> ({t('paging.direct')})</span>}
            </dd>
          </div>
          <div><dt>{t('paging.started')}</dt><dd><time dateTime={page.createdAt}>{t('paging.startedAt', { time: fmt.dateTime(page.createdAt), ago: fmt.ago(page.createdAt, now) })}</time></dd></div>
          <div><dt>{t('paging.levelReached')}</dt><dd data-testid="page-level">{levelText(page, t, true)}</dd></div>
          {page.status === 'triggered' && page.escalatesAt && !page.exhaustedAt ? (
            <div><dt>{t('paging.escalates')}</dt><dd><time dateTime={page.escalatesAt}>{t('paging.escalatesAt', { time: fmt.dateTime(page.escalatesAt), when: fmt.until(page.escalatesAt, now) })}</time></dd></div>
          ) : null}
          {page.exhaustedAt ? <div><dt>{t('paging.exhausted')}</dt><dd className="late-text"><time dateTime={page.exhaustedAt}>{fmt.dateTime(page.exhaustedAt)}</time></dd></div> : null}
          {page.acknowledgedAt ? (
            <div><dt>{t('paging.acknowledgedBy')}</dt><dd data-testid="page-acknowledged">{t('paging.byAt', { name: page.acknowledgedBy?.name ?? t('paging.system'), time: fmt.dateTime(page.acknowledgedAt) })}</dd></div>
          ) : null}
          {page.resolvedAt ? (
            <div><dt>{t('paging.resolvedBy')}</dt><dd>{t('paging.byAt', { name: page.resolvedBy?.name ?? t('paging.system'), time: fmt.dateTime(page.resolvedAt) })}</dd></div>
          ) : null}
          {page.alertGroupId ? (
            <div><dt>{t('paging.alertGroup')}</dt><dd><Link to={`/alerts/${encodeURIComponent(page.alertGroupId)}`}>{t('paging.openAlertGroup')}</Link></dd></div>
          ) : null}
          {page.incidentId ? (
            <div>
              <dt>{t('paging.incident')}</dt>
              <dd><Link to={`/incidents/${encodeURIComponent(incident?.ref ?? page.incidentId)}`}>{incident ? `${incident.ref} ${incident.title}` : page.incidentId}</Link></dd>
            </div>
          ) : null}
        </dl>
        {canAct && page.status !== 'resolved' ? (
          <div className="controls">
            {page.status === 'triggered' ? (
              <button type="button" className="primary" disabled={busy} onClick={() => act('acknowledge')}><span aria-hidden="true">✓</span> {t('paging.acknowledge')}</button>
            ) : null}
            <button type="button" className="resolve" disabled={busy} onClick={() => act('resolve')}><span aria-hidden="true">✔</span> {t('paging.resolve')}</button>
          </div>
        ) : null}
        <FormError error={error} />
        {failed ? <div role="alert" className="form-error">{failed}</div> : null}
      </section>
      <PolicySnapshot page={page} />
      <NotificationsTable page={page} />
      <PageEvents events={page.events} />
    </div>
  );
}
