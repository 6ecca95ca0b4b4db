// Alert groups, live: counts and a storm banner on top, filters in the URL, newest activity first.
import { type MouseEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../api.js';
import { useApp } from '../app-context.js';
import { AlertSeverityBadge, GroupFlags, GroupStatusBadge, LabelChips } from '../components/alert-badges.js';
import { AlertFilters, type Filters, FILTER_NAMES, StormBanner } from '../components/alert-filters.js';
import { AlertsNav } from '../components/alerts-nav.js';
import { FormError, useAction } from '../components/form.js';
import { tabListKeys } from '../components/tab-keys.js';
import { useAlertsLive, useNow } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';
import type { AlertGroupPage, AlertGroupSummary, AlertsOverview, Integration, SetAsideList, SetAsideRequest } from '../types.js';
import { LiveDot, ReadOnlyBadge } from './incident-list.js';

const TABS = ['open', 'acknowledged', 'resolved', 'all'] as const;
type Tab = (typeof TABS)[number];
const PAGE = 50;
/** Accepted alerts waiting longer than this to be grouped are worth telling people about. */
const INBOX_NOTICE_MS = 3_000;
const INBOX_POLL_MS = 5_000;
/**
 * While a storm is shown, look again this long after the last look, events or not: its counts are
 * of the last five minutes, and the server works them out at most every 5 s, so the last refetch of
 * a burst may show them a few seconds old.
 */
const STORM_POLL_MS = 6_000;

/** The alert groups page, /alerts. */
export function AlertsPage() {
  const { t, fmt, canAct } = useApp();
  const { search } = useLocation();
  const status: Tab = (TABS as readonly string[]).includes(search.get('status') ?? '') ? (search.get('status') as Tab) : 'open';
  const filters: Filters = Object.fromEntries(FILTER_NAMES.map((n) => [n, search.get(n) ?? ''])) as Filters;
  const filterKey = JSON.stringify({ status, ...filters });
  const [list, setList] = useState<AlertGroupPage | null>(null);
  const [overview, setOverview] = useState<AlertsOverview | null>(null);
  const [integrations, setIntegrations] = useState<Integration[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const shown = useRef(PAGE);
  const seq = useRef(0);
  const now = useNow(15_000);
  const row = useAction();

  const load = useCallback(() => {
    const mine = ++seq.current;
    // A live refetch keeps as many rows as were shown (up to the API's 200), so "Load more" is not undone.
    const limit = Math.min(200, Math.max(PAGE, shown.current));
    const f = JSON.parse(filterKey) as Filters & { status: Tab };
    Promise.all([
      api<AlertGroupPage>('GET', `/alert-groups${query({ ...f, limit })}`),
      api<AlertsOverview>('GET', '/alert-groups/overview'),
    ]).then(([page, ov]) => {
      if (mine !== seq.current) return;
      setList(page);
      setOverview(ov);
      setFailed(null);
    }).catch((e: Error) => { if (mine === seq.current) setFailed(e.message); });
  }, [filterKey]);

  useEffect(() => {
    shown.current = PAGE;
    setList(null);
    load();
  }, [load]);
  useEffect(() => {
    api<{ integrations: Integration[] }>('GET', '/integrations/brief').then((r) => setIntegrations(r.integrations)).catch(() => {});
  }, []);
  const live = useAlertsLive(load, undefined, overview?.storm.active ?? false);
  // Accepted alerts still waiting to be grouped, or a storm: look again in a while, events or not.
  useEffect(() => {
    const after = overview?.inbox.waitingAlerts ? INBOX_POLL_MS : overview?.storm.active ? STORM_POLL_MS : null;
    if (after === null) return undefined;
    const timer = setTimeout(load, after);
    return () => clearTimeout(timer);
  }, [overview, load]);

  useEffect(() => {
    document.title = overview && overview.triggered > 0 ? `(${overview.triggered}) ${t('alerts.title')} — Hikeshi` : `${t('alerts.title')} — Hikeshi`;
    return () => { document.title = 'Hikeshi'; };
  }, [overview, t]);

  const loadMore = () => {
    if (!list?.next) return;
    const mine = seq.current;
    setLoadingMore(true);
    api<AlertGroupPage>('GET', `/alert-groups${query({ status, ...filters, limit: PAGE, before: list.next })}`)
      .then((page) => {
        if (mine !== seq.current) return;
        setList((l) => {
          const have = new Set(l?.groups.map((g) => g.id));
          const groups = [...(l?.groups ?? []), ...page.groups.filter((g) => !have.has(g.id))];
          shown.current = groups.length;
          return { groups, total: page.total, next: page.next };
        });
      })
      .catch((e: Error) => setFailed(e.message))
      .finally(() => setLoadingMore(false));
  };

  /** Replaces some filters in the URL (the status tab is kept). */
  const setFilters = (next: Partial<Filters>) => {
    const q = new URLSearchParams(search);
    for (const [k, v] of Object.entries(next)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    const s = q.toString();
    navigate(`/alerts${s ? `?${s}` : ''}`, true);
  };
  const tabHref = (s: Tab) => {
    const q = new URLSearchParams(search);
    if (s === 'open') q.delete('status');
    else q.set('status', s);
    const str = q.toString();
    return `/alerts${str ? `?${str}` : ''}`;
  };
  const filtered = FILTER_NAMES.some((n) => filters[n]);
  // Only admins may list integrations (they hold keys); others pick among those the groups name.
  const integrationOptions = integrations.length ? integrations
    : [...new Map((list?.groups ?? []).map((g) => [g.integrationId, { id: g.integrationId, name: g.integrationName }])).values()];
  const act = (g: AlertGroupSummary, what: 'acknowledge' | 'resolve') => void row.run(async () => {
    await api('POST', `/alert-groups/${encodeURIComponent(g.id)}/${what}`);
    load();
  });
  const tabCount = (s: Tab) => (overview && s === 'open' ? overview.open : overview && s === 'acknowledged' ? overview.acknowledged : null);

  return (
    <div className="page alerts-page">
      <AlertsNav />
      <div className="page-head">
        <h1>{t('alerts.title')}</h1>
        <LiveDot live={live} />
        <div className="spacer" />
        {canAct ? null : <ReadOnlyBadge />}
      </div>
      {overview ? <OverviewCounts overview={overview} /> : null}
      {overview ? <InboxNotice inbox={overview.inbox} onChange={load} /> : null}
      {overview?.storm.active ? <StormBanner storm={overview.storm} active={filters.label} onPick={(label) => setFilters({ label: label ?? '' })} /> : null}
      <div className="tabs" role="tablist" aria-label={t('alerts.title')} onKeyDown={tabListKeys}>
        {TABS.map((s) => {
          const n = tabCount(s);
          return (
            <Link key={s} to={tabHref(s)} role="tab" aria-selected={status === s} tabIndex={status === s ? 0 : -1} className="tab">
              {t(`alerts.tab.${s}`)}{n !== null ? <span className="count">{fmt.number(n)}</span> : null}
            </Link>
          );
        })}
      </div>
      <AlertFilters filters={filters} integrations={integrationOptions} onApply={setFilters} />
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      <FormError error={row.error} />
      {list === null ? <p className="muted">{t('app.loading')}</p> : list.groups.length === 0 ? (
        <p className="empty" data-testid="alerts-empty">{filtered ? t('alerts.emptyFiltered') : t(`alerts.empty.${status}`)}</p>
      ) : (
        <>
          <p className="muted small list-total" data-testid="alerts-total">
            {t('alerts.showing', { shown: fmt.number(list.groups.length), total: fmt.number(list.total) })}
          </p>
          <table className="alert-groups" data-testid="alert-groups">
            <thead>
              <tr>
                <th scope="col">{t('alerts.colSeverity')}</th>
                <th scope="col">{t('alerts.colStatus')}</th>
                <th scope="col">{t('alerts.colGroup')}</th>
                <th scope="col" className="num">{t('alerts.colFiring')}</th>
                <th scope="col">{t('alerts.colService')}</th>
                <th scope="col">{t('alerts.colIntegration')}</th>
                <th scope="col">{t('alerts.colLast')}</th>
                {canAct ? <th scope="col"><span className="sr-only">{t('alerts.colActions')}</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {list.groups.map((g) => (
                <GroupRow key={g.id} group={g} now={now} busy={row.busy} act={act}
                  onPick={(name, value) => setFilters({ label: `${name}=${value}` })} />
              ))}
            </tbody>
          </table>
          {list.next ? (
            <div className="actions load-more">
              <button type="button" onClick={loadMore} disabled={loadingMore} aria-busy={loadingMore}>
                {t('alerts.loadMore')}
              </button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

function GroupRow({ group: g, now, busy, act, onPick }: {
  group: AlertGroupSummary; now: number; busy: boolean;
  act: (g: AlertGroupSummary, what: 'acknowledge' | 'resolve') => void; onPick: (name: string, value: string) => void;
}) {
  const { t, fmt, canAct } = useApp();
  const href = `/alerts/${encodeURIComponent(g.id)}`;
  // The whole row opens the group, except where a button, link or chip was clicked.
  const open = (e: MouseEvent<HTMLTableRowElement>) => {
    if ((e.target as HTMLElement).closest('a, button, input, select')) return;
    navigate(href);
  };
  const edge = g.status === 'resolved' ? 'resolved' : g.severity;
  return (
    <tr className={`alert-row arow-${edge}${g.status === 'resolved' ? ' is-resolved' : ''}`} onClick={open} data-testid="alert-group-row">
      <td><AlertSeverityBadge severity={g.severity} /></td>
      <td><GroupStatusBadge status={g.status} /></td>
      <td className="title-cell">
        <Link to={href}>{g.title}</Link>
        <div className="badges"><LabelChips labels={g.groupLabels} onPick={onPick} /><GroupFlags group={g} /></div>
      </td>
      <td className="num nowrap">
        <span className={g.firingCount > 0 ? 'firing-count' : 'muted'}>{fmt.number(g.firingCount)}</span>
        <span className="muted"> / {fmt.number(g.alertCount)}</span>
      </td>
      <td>{g.service ?? <span className="muted">{t('common.dash')}</span>}</td>
      <td>{g.integrationName}</td>
      <td className="nowrap"><time dateTime={g.lastAlertAt} title={fmt.dateTime(g.lastAlertAt)}>{fmt.ago(g.lastAlertAt, now)}</time></td>
      {canAct ? (
        <td className="row-actions">
          {g.status === 'triggered' ? (
            <button type="button" className="small-button ack" disabled={busy} onClick={() => act(g, 'acknowledge')}
              aria-label={t('alerts.ackOne', { title: g.title })}><span aria-hidden="true">✓</span> {t('alerts.acknowledge')}</button>
          ) : null}
          {g.status !== 'resolved' ? (
            <button type="button" className="small-button resolve" disabled={busy} onClick={() => act(g, 'resolve')}
              aria-label={t('alerts.resolveOne', { title: g.title })}><span aria-hidden="true">✔</span> {t('alerts.resolve')}</button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

/** Shown when grouping runs noticeably behind acceptance (a storm), or gave up on a request. */
function InboxNotice({ inbox, onChange }: { inbox: AlertsOverview['inbox']; onChange: () => void }) {
  const { t, fmt } = useApp();
  const now = useNow(5_000);
  const behind = inbox.oldestReceivedAt !== null && now - Date.parse(inbox.oldestReceivedAt) > INBOX_NOTICE_MS;
  if (!behind && !inbox.setAside) return null;
  // The notice shows from INBOX_NOTICE_MS on: "just now" (under 10 s) would read as no lag at all.
  const waitedAgo = (iso: string) => {
    const s = Math.floor((now - Date.parse(iso)) / 1000);
    return s < 60 ? t('time.secAgo', { n: s }) : fmt.ago(iso, now);
  };
  return (
    <div className="inbox-notice" role="status" data-testid="inbox-notice">
      {behind ? <p>{t('alerts.inbox.waiting', { n: fmt.number(inbox.waitingAlerts), ago: waitedAgo(inbox.oldestReceivedAt!) })}</p> : null}
      {inbox.setAside ? <SetAsideRequests count={inbox.setAside} onChange={onChange} /> : null}
    </div>
  );
}

/** Requests grouping gave up on, with the error; an admin retries each once the cause is fixed, or discards it. */
function SetAsideRequests({ count, onChange }: { count: number; onChange: () => void }) {
  const { t, fmt, user } = useApp();
  const [list, setList] = useState<SetAsideList | null>(null);
  const { busy, error, run } = useAction();
  useEffect(() => {
    let live = true;
    api<SetAsideList>('GET', '/alert-inbox/set-aside').then((l) => { if (live) setList(l); }, () => {});
    return () => { live = false; };
  }, [count]);
  const act = (r: SetAsideRequest, what: 'retry' | 'discard') => run(async () => {
    if (what === 'discard' && !window.confirm(t('alerts.setAside.discardConfirm', { n: fmt.number(r.alertCount) }))) return;
    if (what === 'retry') await api('POST', `/alert-inbox/set-aside/${encodeURIComponent(r.id)}/retry`);
    else await api('DELETE', `/alert-inbox/set-aside/${encodeURIComponent(r.id)}`);
    onChange();
  });
  return (
    <>
      <p className="form-error">{t(user.role === 'admin' ? 'alerts.inbox.setAsideAdmin' : 'alerts.inbox.setAside', { n: fmt.number(count) })}</p>
      <FormError error={error} />
      {list && list.requests.length ? (
        <table className="set-aside" data-testid="set-aside">
          <thead>
            <tr>
              <th scope="col">{t('alerts.setAside.received')}</th><th scope="col">{t('alerts.setAside.integration')}</th>
              <th scope="col" className="num">{t('alerts.setAside.alerts')}</th><th scope="col">{t('alerts.setAside.error')}</th>
              {user.role === 'admin' ? <th scope="col"><span className="sr-only">{t('alerts.colActions')}</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {list.requests.map((r) => (
              <tr key={r.id}>
                <td className="nowrap"><time dateTime={r.receivedAt}>{fmt.dateTime(r.receivedAt)}</time></td>
                <td>{r.integrationName ?? r.integrationId}</td>
                <td className="num">{fmt.number(r.alertCount)}</td>
                <td><code>{r.error}</code></td>
                {user.role === 'admin' ? (
                  <td className="row-actions nowrap">
                    <button type="button" className="small-button" disabled={busy} onClick={() => void act(r, 'retry')}>{t('alerts.setAside.retry')}</button>
                    <button type="button" className="small-button danger" disabled={busy} onClick={() => void act(r, 'discard')}>{t('alerts.setAside.discard')}</button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list && list.total > list.requests.length ? <p className="muted">{t('alerts.setAside.more', { n: fmt.number(list.total - list.requests.length) })}</p> : null}
    </>
  );
}

/** Open, triggered, acknowledged, firing, suppressed, flapping: the page's numbers at a glance. */
function OverviewCounts({ overview: o }: { overview: AlertsOverview }) {
  const { t, fmt } = useApp();
  const items: [string, number, string][] = [
    [t('alerts.count.triggered'), o.triggered, o.triggered > 0 ? 'hot' : ''],
    [t('alerts.count.acknowledged'), o.acknowledged, ''],
    [t('alerts.count.firing'), o.firingAlerts, ''],
    [t('alerts.count.suppressed'), o.suppressed, ''],
    [t('alerts.count.flapping'), o.flapping, o.flapping > 0 ? 'warm' : ''],
  ];
  return (
    <dl className="alert-counts" data-testid="alert-counts">
      {items.map(([label, n, tone]) => (
        <div key={label} className={tone}><dt>{label}</dt><dd>{fmt.number(n)}</dd></div>
      ))}
    </dl>
  );
}
