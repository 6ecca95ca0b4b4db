// A page's policy as it started (the level reached marked), its notifications (failed deliveries in
// red with the channel's error) and what happened, in words.
import { useApp } from '../app-context.js';
import type { Translate } from '../i18n/index.js';
import { CONTACT_KINDS, type ContactKind, type PageDetail, type PageEvent, type PageNotification } from '../types.js';
import { levelText } from './paging-parts.js';

/** "Webhook", "E-mail"; an unknown kind as sent. */
export function kindWord(kind: string, t: Translate): string {
  return (CONTACT_KINDS as readonly string[]).includes(kind) ? t(`paging.kind.${kind as ContactKind}`) : kind;
}

/** The levels of the snapshot, in order; the one reached is marked, and so are those passed. */
export function PolicySnapshot({ page }: { page: PageDetail }) {
  const { t, fmt } = useApp();
  return (
    <section className="panel" aria-labelledby="snapshot-h" data-testid="page-snapshot">
      <h2 id="snapshot-h">{t('paging.snapshot')}</h2>
      <p className="muted section-hint">{t('paging.snapshotHint')}</p>
      <ol className="level-list">
        {page.levels.map((l, i) => {
          const current = i === page.level;
          const passed = i < page.level || page.cycle > 0;
          const last = i === page.levels.length - 1;
          return (
            <li key={i} className={`level-card${current ? ' current' : passed ? ' passed' : ''}`} aria-current={current ? 'step' : undefined} data-testid="snapshot-level">
              <div className="level-head">
                <strong>{t('paging.levelN', { n: i + 1 })}</strong>
                {current ? <span className="badge level-badge">{t('paging.currentLevel')}</span> : passed ? <span className="badge">{t('paging.reached')}</span> : null}
                <span className="muted small">{last ? t('paging.lastLevelTimeout', { n: l.timeoutMinutes }) : t('paging.levelTimeout', { n: l.timeoutMinutes })}</span>
              </div>
              <ul className="target-list">
                {l.targets.map((x) => (
                  <li key={`${x.type}:${x.id}`}><span className="muted small">{t(`paging.target.${x.type}`)}</span> {x.name}</li>
                ))}
              </ul>
              {current && page.status === 'triggered' && page.escalatesAt ? (
                <p className="small">{t('paging.escalates')}: <time dateTime={page.escalatesAt}>{t('paging.escalatesAt', { time: fmt.dateTime(page.escalatesAt), when: fmt.until(page.escalatesAt, Date.now()) })}</time></p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {page.exhaustedAt ? <p className="late-text" data-testid="page-exhausted">{t('paging.exhausted')}: {t('paging.exhaustedAt', { time: fmt.dateTime(page.exhaustedAt) })}</p> : null}
    </section>
  );
}

const STATUS_ICON: Record<PageNotification['status'], string> = { scheduled: '◷', sent: '✓', retrying: '↻', failed: '✕', skipped: '–' };

/** Every notification: who, how, level, status, attempts, error, due and sent times. */
export function NotificationsTable({ page }: { page: PageDetail }) {
  const { t, fmt } = useApp();
  return (
    <section className="panel" aria-labelledby="notifications-h" data-testid="page-notifications">
      <h2 id="notifications-h">{t('paging.notifications')}</h2>
      <p className="muted section-hint">{t('paging.notificationsHint')}</p>
      {page.notifications.length === 0 ? <p className="muted">{t('paging.noNotifications')}</p> : (
        <table className="notifications">
          <thead>
            <tr>
              <th scope="col">{t('paging.colWho')}</th>
              <th scope="col">{t('paging.colHow')}</th>
              <th scope="col">{t('paging.colLevel')}</th>
              <th scope="col">{t('paging.colStatus')}</th>
              <th scope="col" className="num">{t('paging.colAttempts')}</th>
              <th scope="col">{t('paging.colError')}</th>
              <th scope="col">{t('paging.colDue')}</th>
              <th scope="col">{t('paging.colSent')}</th>
            </tr>
          </thead>
          <tbody>
            {page.notifications.map((n) => (
              <tr key={n.id} data-testid="notification-row" data-status={n.status} className={`nrow-${n.status}`}>
                <td>{n.user.name}</td>
                <td>{n.contactMethodId === null && n.kind === 'email' ? t('paging.signInEmail') : kindWord(n.kind, t)}</td>
                <td>{levelText(n, t)}</td>
                <td><span className={`badge nstatus nstatus-${n.status}`}><span aria-hidden="true">{STATUS_ICON[n.status]}</span> {t(`paging.nstatus.${n.status}`)}</span></td>
                <td className="num">{n.attempts}</td>
                <td className={n.error && (n.status === 'failed' || n.status === 'retrying') ? 'notification-error' : 'muted small'}>{n.error ?? t('common.dash')}</td>
                <td><time dateTime={n.dueAt}>{fmt.dateTime(n.dueAt)}</time></td>
                <td>{n.sentAt ? <time dateTime={n.sentAt}>{fmt.time(n.sentAt)}</time> : <span className="muted">{t('common.dash')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const EVENT_ICON: Record<string, string> = {
  triggered: '●', notified: '✉', escalated: '⇡', repeated: '↺', exhausted: '⚠', acknowledged: '✓', resolved: '✔', delivery_failed: '✕',
};

/** Strings of an event's data field (the names the server put beside the ids). */
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** An event in words; people are named by the server (`userNames` beside `users`, `userName` beside `userId`). */
function eventText(ev: PageEvent, t: Translate): string {
  const d = ev.data;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const people = () => {
    const names = strings(d.userNames).length ? strings(d.userNames) : strings(d.users);
    return names.length ? names.join(', ') : t('paging.event.nobody');
  };
  switch (ev.kind) {
    case 'triggered': return t('paging.event.triggered', { policy: String(d.policy ?? '') });
    case 'notified': return t('paging.event.notified', { level: num(d.level) + 1, people: people() });
    case 'escalated': return t('paging.event.escalated', { level: num(d.level) + 1, people: people() });
    case 'repeated': return t('paging.event.repeated', { round: num(d.cycle) + 1, level: num(d.level) + 1, people: people() });
    case 'exhausted': return t('paging.event.exhausted');
    case 'acknowledged': return t('paging.event.acknowledged');
    case 'resolved': return d.reason === 'alert_group_resolved' ? t('paging.event.resolvedWithGroup') : t('paging.event.resolved');
    case 'delivery_failed':
      return t('paging.event.delivery_failed', { kind: kindWord(String(d.kind ?? ''), t), name: String(d.userName ?? d.userId ?? ''), error: String(d.error ?? '') });
    default: return ev.kind;
  }
}

/** What happened, newest first. */
export function PageEvents({ events }: { events: PageEvent[] }) {
  const { t, fmt } = useApp();
  const shown = events.slice().reverse();
  return (
    <section className="panel" aria-labelledby="page-events-h">
      <h2 id="page-events-h">{t('paging.events')}</h2>
      {shown.length === 0 ? <p className="muted">{t('paging.noEvents')}</p> : (
        <ol className="events" data-testid="page-events">
          {shown.map((ev) => (
            <li key={ev.id} data-kind={ev.kind} className={ev.kind === 'delivery_failed' ? 'event-failed' : undefined}>
              <span className="event-icon" aria-hidden="true">{EVENT_ICON[ev.kind] ?? '•'}</span>
              <div className="event-main">
                <div className="event-meta">
                  <time dateTime={ev.at}>{fmt.dateTime(ev.at)}</time>
                  <span className="actor">{ev.actor?.name ?? t('paging.system')}</span>
                </div>
                <div className="event-body">{eventText(ev, t)}</div>
              </div>
              <span />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
