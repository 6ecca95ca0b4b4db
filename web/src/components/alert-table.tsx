// The alerts of one group; each opens to its description, annotations, links and the payload as sent.
import { Fragment, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import type { Alert, AlertGroupDetail, AlertWithRaw } from '../types.js';
import { AlertStatusBadge, LabelChips, sharedLabels } from './alert-badges.js';

/** Only web links are followed: a source could send `javascript:` as a link. */
function safeHref(href: string): string | null {
  try {
    const u = new URL(href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The alerts panel of the group page. */
export function AlertTable({ group }: { group: AlertGroupDetail }) {
  const { t, fmt } = useApp();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const now = useNow(15_000);
  // Each row shows what tells its alert apart (instance, pod…); what all share is in the header.
  const omit = group.alerts.length > 1 ? { ...sharedLabels(group.alerts), ...group.groupLabels } : group.groupLabels;
  const toggle = (id: string) => setOpen((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  return (
    <section className="panel" aria-labelledby="group-alerts-h">
      <div className="panel-head">
        <h2 id="group-alerts-h">{t('group.alerts')} <span className="count">{fmt.number(group.alertsTotal)}</span></h2>
      </div>
      {group.alertsTotal > group.alerts.length ? (
        <p className="muted small">{t('group.alertsCut', { shown: fmt.number(group.alerts.length), total: fmt.number(group.alertsTotal) })}</p>
      ) : null}
      <table className="alerts-table" data-testid="group-alerts">
        <thead>
          <tr>
            <th scope="col"><span className="sr-only">{t('group.details')}</span></th>
            <th scope="col">{t('alerts.colStatus')}</th>
            <th scope="col">{t('group.colAlert')}</th>
            <th scope="col">{t('group.colStarted')}</th>
            <th scope="col">{t('group.colReceived')}</th>
            <th scope="col" className="num">{t('group.colCount')}</th>
          </tr>
        </thead>
        <tbody>
          {group.alerts.map((a) => {
            const expanded = open.has(a.id);
            return (
              <Fragment key={a.id}>
                <tr className={`alert-line${a.status === 'resolved' ? ' is-resolved' : ''}`} data-testid="alert-row">
                  <td>
                    <button type="button" className="icon-button disclose" aria-expanded={expanded} aria-controls={`alert-more-${a.id}`}
                      aria-label={t('group.showAlert', { title: a.title })} onClick={() => toggle(a.id)}>
                      <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                    </button>
                  </td>
                  <td><AlertStatusBadge status={a.status} /></td>
                  <td className="alert-title-cell">
                    <div className="alert-title">{a.title}</div>
                    <div className="badges"><LabelChips labels={a.labels} omit={omit} />{a.silencedBy ? <span className="badge quiet"><span aria-hidden="true">⊘</span> {t('alerts.silenced')}</span> : null}</div>
                  </td>
                  <td className="nowrap">{a.startsAt ? <time dateTime={a.startsAt} title={fmt.dateTime(a.startsAt)}>{fmt.dateTime(a.startsAt)}</time> : <span className="muted">{t('common.dash')}</span>}</td>
                  <td className="nowrap"><time dateTime={a.lastReceivedAt} title={fmt.dateTime(a.lastReceivedAt)}>{fmt.ago(a.lastReceivedAt, now)}</time></td>
                  <td className="num">{fmt.number(a.receiveCount)}×</td>
                </tr>
                {expanded ? (
                  <tr className="alert-more" id={`alert-more-${a.id}`}>
                    <td colSpan={6}><AlertMore alert={a} /></td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** One alert opened up; the raw payload is fetched when first shown. */
function AlertMore({ alert: a }: { alert: Alert }) {
  const { t, fmt } = useApp();
  const [raw, setRaw] = useState<{ value: unknown } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    api<AlertWithRaw>('GET', `/alerts/${encodeURIComponent(a.id)}`)
      .then((r) => setRaw({ value: r.raw }))
      .catch((e: unknown) => setFailed(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e)));
  }, [a.id, a.lastReceivedAt]);
  // The summary is the title and the description is shown above: not twice.
  const annotations = Object.entries(a.annotations).filter(([k, v]) => !((k === 'summary' && v === a.title) || (k === 'description' && v === a.description)));
  const links = a.links.map((l) => ({ ...l, safe: safeHref(l.href) }));
  return (
    <div className="alert-detail" data-testid="alert-detail">
      {a.description ? <p className="alert-description">{a.description}</p> : <p className="muted">{t('group.noDescription')}</p>}
      <dl className="kv">
        <div><dt>{t('group.labels')}</dt><dd><LabelChips labels={a.labels} /></dd></div>
        {annotations.map(([k, v]) => <div key={k}><dt className="mono">{k}</dt><dd>{v}</dd></div>)}
        <div><dt>{t('group.dedupKey')}</dt><dd className="mono">{a.dedupKey}</dd></div>
        <div><dt>{t('group.firstReceived')}</dt><dd>{fmt.dateTime(a.firstReceivedAt)}</dd></div>
        {a.endsAt ? <div><dt>{t('group.endsAt')}</dt><dd>{fmt.dateTime(a.endsAt)}</dd></div> : null}
        {a.resolvedAt ? <div><dt>{t('alerts.status.resolved')}</dt><dd>{fmt.dateTime(a.resolvedAt)}</dd></div> : null}
      </dl>
      {links.length ? (
        <ul className="alert-links">
          {links.map((l, i) => (
            <li key={i}>{l.safe ? <a href={l.safe} target="_blank" rel="noopener noreferrer">↗ {l.text || l.href}</a> : <span className="mono">{l.text || l.href}</span>}</li>
          ))}
        </ul>
      ) : null}
      <details className="raw" data-testid="raw-payload">
        <summary>{t('group.raw')}</summary>
        {raw ? <pre>{JSON.stringify(raw.value, null, 2)}</pre> : failed ? <p className="form-error" role="alert">{failed}</p> : <p className="muted">{t('app.loading')}</p>}
      </details>
    </div>
  );
}
