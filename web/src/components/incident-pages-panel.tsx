// The war room's "Page responders": page a person, a schedule's on-call, a team or a policy into the
// incident, and the incident's pages with where each stands. A drill pages only the people named in it.
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../api.js';
import { useApp } from '../app-context.js';
import { useNow, usePagesLive } from '../live.js';
import { Link } from '../router.js';
import type { IncidentDetail, IncidentPageCreate, PageDetail, PageSummary } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { escalationText, FailedDeliveriesBadge, levelText, NobodyReached, PageStatusBadge, type PagingChoices, type TargetKind, usePagingChoices, WhoToPage } from './paging-parts.js';


/**
 * The panel. `version` counts the war room's reloads (each live incident event): the list refetches
 * with them, since a page starting or being acknowledged lands on the incident's timeline; on the
 * page stream's changes to its pages (escalations, notifications); and by a poll while a page is
 * still open (usePagesLive).
 */
export function IncidentPagesPanel({ incident, version, reload }: { incident: IncidentDetail; version: number; reload: () => void }) {
  const { t, canAct } = useApp();
  const [pages, setPages] = useState<PageSummary[] | null>(null);
  const seq = useRef(0);
  const load = useCallback(() => {
    const mine = ++seq.current;
    api<{ pages: PageSummary[] }>('GET', `/pages${query({ incidentId: incident.id, status: 'all', limit: '50' })}`)
      .then((r) => { if (mine === seq.current) setPages(r.pages); })
      .catch(() => {});
  }, [incident.id]);
  useEffect(load, [load, version]);
  const anyOpen = (pages ?? []).some((p) => p.status !== 'resolved');
  // Changes to this incident's pages refetch the list (a page started here comes with the incident's own events).
  const ids = new Set((pages ?? []).map((p) => p.id));
  usePagesLive(load, (id) => ids.has(id), anyOpen);

  const open = incident.phase !== 'resolved';
  return (
    <section className="panel" aria-labelledby="incident-pages-h" data-testid="incident-pages">
      <h2 id="incident-pages-h">{t('paging.war.title')}</h2>
      {incident.drill ? <p className="notice small" data-testid="incident-pages-drill">{t('paging.war.drill')}</p> : null}
      {canAct && open ? <PageRespondersForm incident={incident} onPaged={() => { load(); reload(); }} /> : null}
      {canAct && !open ? <p className="muted small">{t('paging.war.resolved')}</p> : null}
      <h3>{t('paging.war.pages')}</h3>
      <IncidentPagesList incident={incident} pages={pages} />
    </section>
  );
}

/** Who to page (kind, then which one), an optional message, "Page". */
function PageRespondersForm({ incident, onPaged }: { incident: IncidentDetail; onPaged: () => void }) {
  const { t } = useApp();
  const choices: PagingChoices = usePagingChoices();
  const [kind, setKind] = useState<TargetKind>('user');
  const [targetId, setTargetId] = useState('');
  const [message, setMessage] = useState('');
  const [paged, setPaged] = useState<PageDetail | null>(null);
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPaged(null);
    void run(async () => {
      const body: IncidentPageCreate = { target: { type: kind, id: targetId }, ...(message.trim() ? { message } : {}) };
      const page = await api<PageDetail>('POST', `/incidents/${encodeURIComponent(incident.id)}/pages`, body);
      setPaged(page);
      setMessage('');
      onPaged();
    });
  };
  const messageError = error?.field('message');

  return (
    <form onSubmit={submit} noValidate className="page-responders" data-testid="page-responders">
      <p className="muted small section-hint">{t('paging.war.hint')}</p>
      <FormError error={error} fields={['target', 'message']} />
      <WhoToPage idPrefix="war-page" kind={kind} targetId={targetId} choices={choices} error={error} onKind={setKind} onTarget={setTargetId} />
      <Field id="war-page-message" label={t('paging.war.message')} hint={t('paging.war.messageHint')} error={messageError}>
        <input id="war-page-message" value={message} maxLength={200} onChange={(e) => setMessage(e.target.value)} {...describedBy('war-page-message', messageError, true)} />
      </Field>
      <div className="actions">
        {paged ? <span className="ok-text" role="status">✓ {t('paging.war.paged', { name: paged.policy.name })}</span> : null}
        <button type="submit" className="primary" disabled={busy}>{t('paging.war.page')}</button>
      </div>
      {paged ? <NobodyReached page={paged} /> : null}
    </form>
  );
}

/**
 * What the page says beyond the incident: a page started here is titled "INC-7 Title — message"
 * (the server's wording), so only the message is worth repeating; other pages (an alert group's,
 * a clock's reminder) keep their own title.
 */
function pageNote(page: PageSummary, incident: IncidentDetail): string | null {
  const prefix = `${incident.ref} ${incident.title}`;
  if (page.title === prefix) return null;
  if (page.title.startsWith(`${prefix} — `)) return page.title.slice(prefix.length + 3);
  return page.title;
}

/** The incident's pages, newest first: status, who, level, acknowledged by, and a link to each. */
function IncidentPagesList({ incident, pages }: { incident: IncidentDetail; pages: PageSummary[] | null }) {
  const { t, fmt } = useApp();
  const now = useNow(15_000);
  if (pages === null) return <p className="muted small">{t('app.loading')}</p>;
  if (pages.length === 0) return <p className="muted small">{t('paging.war.empty')}</p>;
  return (
    <ul className="incident-pages">
      {pages.map((p) => {
        const note = pageNote(p, incident);
        const escalation = escalationText(p, fmt, now, t);
        return (
          <li key={p.id} data-testid="incident-page" className={p.status === 'resolved' ? 'is-resolved' : ''}>
            <div className="badges"><PageStatusBadge status={p.status} /><FailedDeliveriesBadge n={p.failedDeliveries} /></div>
            <Link to={`/pages/${encodeURIComponent(p.id)}`} aria-label={t('paging.war.openPage', { name: p.policy.name })}>{p.policy.name}</Link>
            <span className="muted small"> · {levelText(p, t)}</span>
            {note ? <div className="small">“{note}”</div> : null}
            <div className="muted small">
              <time dateTime={p.createdAt}>{t('paging.war.startedAt', { time: fmt.time(p.createdAt) })}</time>
              {escalation ? <span className={p.exhaustedAt ? 'late-text' : undefined}> · {escalation}</span> : null}
            </div>
            {p.acknowledgedAt ? (
              <div className="small" data-testid="incident-page-ack">
                {t('paging.war.ackBy', { name: p.acknowledgedBy?.name ?? t('paging.system'), time: fmt.time(p.acknowledgedAt) })}
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
