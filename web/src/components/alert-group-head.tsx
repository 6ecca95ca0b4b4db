// The head of an alert group: status, severity, counts, labels, where it is routed, why it is quiet;
// acknowledge, resolve, declare or link an incident, silence.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { LiveDot, ReadOnlyBadge } from '../pages/incident-list.js';
import { Link, navigate } from '../router.js';
import type { AlertGroupDetail, AlertRoute, EscalationPolicy, IncidentSummary } from '../types.js';
import { AlertSeverityBadge, GroupFlags, GroupStatusBadge, LabelChips, sharedLabels } from './alert-badges.js';
import { FormError, useAction } from './form.js';
import { GroupDeclareDialog } from './group-declare-dialog.js';

/** The labels a silence for this group starts from: its group labels, else the labels all its alerts share. */
export function silenceLabels(group: AlertGroupDetail): Record<string, string> {
  return Object.keys(group.groupLabels).length ? group.groupLabels : sharedLabels(group.alerts);
}

/** The link that opens the silence form pre-filled for a group. */
export function silenceHref(group: AlertGroupDetail): string {
  const q = new URLSearchParams({ from: group.id });
  for (const [k, v] of Object.entries(silenceLabels(group))) q.append('m', `${k}=${v}`);
  return `/alerts/silences?${q.toString()}`;
}

/** Header of the alert group page. */
export function AlertGroupHead({ group: g, route, live, reload }: { group: AlertGroupDetail; route: AlertRoute | null; live: boolean; reload: () => void }) {
  const { t, fmt, canAct, user } = useApp();
  const [declaring, setDeclaring] = useState(false);
  const [policyName, setPolicyName] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  // The group names its policy by id; show the policy's name (the id when it has been deleted since).
  useEffect(() => {
    setPolicyName(null);
    if (!g.escalationPolicy) return;
    api<EscalationPolicy>('GET', `/escalation-policies/${encodeURIComponent(g.escalationPolicy)}`).then((p) => setPolicyName(p.name)).catch(() => {});
  }, [g.escalationPolicy]);
  const base = `/alert-groups/${encodeURIComponent(g.id)}`;
  const act = (what: 'acknowledge' | 'resolve') => void run(async () => { await api('POST', `${base}/${what}`); reload(); });
  const edge = g.status === 'resolved' ? 'resolved' : g.severity;
  const dash = <span className="muted">{t('common.dash')}</span>;

  return (
    <section className={`incident-head alert-head aedge-${edge}`} aria-labelledby="group-title">
      <div className="crumbs">
        <Link to="/alerts">← {t('alerts.backToList')}</Link>
        <span className="crumbs-right">{canAct ? null : <ReadOnlyBadge />}<LiveDot live={live} /></span>
      </div>
      <div className="head-line">
        <GroupStatusBadge status={g.status} />
        <AlertSeverityBadge severity={g.severity} />
        <span className="group-count" data-testid="group-count">
          {t('group.firingOf', { firing: fmt.number(g.firingCount), total: fmt.number(g.alertCount) })}
        </span>
        <GroupFlags group={g} />
      </div>
      <h1 id="group-title">{g.title}</h1>
      <div className="group-labels">
        <LabelChips labels={g.groupLabels} />
        {g.alerts.length > 1 && Object.keys(sharedLabels(g.alerts)).length > Object.keys(g.groupLabels).length ? (
          <span className="shared-labels"><span className="muted small">{t('group.shared')}</span> <LabelChips labels={sharedLabels(g.alerts)} omit={g.groupLabels} /></span>
        ) : null}
      </div>
      <dl className="facts">
        <div><dt>{t('alerts.colIntegration')}</dt><dd>{user.role === 'admin' ? <Link to={`/admin/integrations/${encodeURIComponent(g.integrationId)}`}>{g.integrationName}</Link> : g.integrationName}</dd></div>
        <div><dt>{t('alerts.colService')}</dt><dd>{g.service ?? dash}</dd></div>
        <div><dt>{t('group.route')}</dt><dd>{route ? route.name : g.routeId ? <span className="mono">{g.routeId}</span> : <span className="muted">{t('group.noRoute')}</span>}</dd></div>
        <div><dt>{t('group.escalation')}</dt><dd>{g.escalationPolicy ? (policyName ?? <span className="mono">{g.escalationPolicy}</span>) : dash}</dd></div>
        <div><dt>{t('group.firstAlert')}</dt><dd><time dateTime={g.createdAt}>{fmt.dateTime(g.createdAt)}</time></dd></div>
        <div><dt>{t('alerts.colLast')}</dt><dd><time dateTime={g.lastAlertAt}>{fmt.dateTime(g.lastAlertAt)}</time></dd></div>
        {g.acknowledgedAt ? (
          <div><dt>{t('alerts.status.acknowledged')}</dt><dd>{t('group.byAt', { name: g.acknowledgedBy?.name ?? t('timeline.system'), time: fmt.dateTime(g.acknowledgedAt) })}</dd></div>
        ) : null}
        {g.resolvedAt ? <div><dt>{t('alerts.status.resolved')}</dt><dd><time dateTime={g.resolvedAt}>{fmt.dateTime(g.resolvedAt)}</time></dd></div> : null}
      </dl>
      {g.suppressedBy ? (
        <p className="notice quiet-notice" data-testid="suppression">
          {g.suppressedBy.kind === 'silence' ? t('group.silencedNotice') : t('group.maintenanceNotice')}{' '}
          <Link to={g.suppressedBy.kind === 'silence' ? '/alerts/silences' : '/alerts/maintenance'}>
            {g.suppressedBy.kind === 'silence' ? t('group.viewSilences') : t('group.viewMaintenance')}
          </Link>
        </p>
      ) : null}
      {g.flapping ? <p className="notice">{t('group.flappingNotice')}</p> : null}
      {g.incident ? (
        <p className="linked-incident">
          <span aria-hidden="true">⚑</span> {t('group.linkedTo')} <Link to={`/incidents/INC-${g.incident.number}`}><span className="mono">INC-{g.incident.number}</span> {g.incident.title}</Link>
          {canAct ? (
            <button type="button" className="small-button" disabled={busy}
              onClick={() => void run(async () => { await api('DELETE', `${base}/incident`); reload(); })}>{t('group.unlink')}</button>
          ) : null}
        </p>
      ) : null}
      {canAct ? (
        <div className="controls">
          {g.status === 'triggered' ? (
            <button type="button" className="primary" disabled={busy} onClick={() => act('acknowledge')}><span aria-hidden="true">✓</span> {t('alerts.acknowledge')}</button>
          ) : null}
          {g.status !== 'resolved' ? (
            <button type="button" className="resolve" disabled={busy} onClick={() => act('resolve')}><span aria-hidden="true">✔</span> {t('alerts.resolve')}</button>
          ) : null}
          {g.incident ? null : (
            <>
              <button type="button" disabled={busy} onClick={() => setDeclaring(true)}><span aria-hidden="true">⚑</span> {t('group.declare')}</button>
              <LinkIncident groupId={g.id} reload={reload} />
            </>
          )}
          <button type="button" onClick={() => navigate(silenceHref(g))}><span aria-hidden="true">⊘</span> {t('group.silence')}</button>
        </div>
      ) : <p className="muted read-only-note">{t('alerts.readOnlyHint')}</p>}
      <FormError error={error} />
      {declaring ? <GroupDeclareDialog group={g} onClose={() => setDeclaring(false)} /> : null}
    </section>
  );
}

/** Link the group to one of the open incidents. */
function LinkIncident({ groupId, reload }: { groupId: string; reload: () => void }) {
  const { t } = useApp();
  const [incidents, setIncidents] = useState<IncidentSummary[] | null>(null);
  const [incidentId, setIncidentId] = useState('');
  const { busy, error, run } = useAction();
  useEffect(() => {
    api<{ incidents: IncidentSummary[] }>('GET', '/incidents?state=open').then((r) => setIncidents(r.incidents)).catch(() => setIncidents([]));
  }, []);
  if (!incidents?.length) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!incidentId) return;
    void run(async () => {
      await api('POST', `/alert-groups/${encodeURIComponent(groupId)}/incident`, { incidentId });
      reload();
    });
  };
  return (
    <form className="inline link-incident" onSubmit={submit}>
      <label htmlFor="link-incident">{t('group.linkTo')}</label>
      <select id="link-incident" value={incidentId} onChange={(e) => setIncidentId(e.target.value)}>
        <option value="">{t('common.choose')}</option>
        {incidents.map((i) => <option key={i.id} value={i.id}>{i.ref} · {i.severity} · {i.title}</option>)}
      </select>
      <button type="submit" disabled={busy || !incidentId}>{t('group.link')}</button>
      <FormError error={error} />
    </form>
  );
}
