// The timeline, newest first: what happened, who, when; notes; stars lead the postmortem.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { IncidentDetail, TimelineEvent } from '../types.js';
import { Field, FormError, useAction } from './form.js';

/** An icon per event kind; unknown kinds get a dot. */
function icon(kind: string, data: Record<string, unknown> | null): string {
  const k = kind.toLowerCase();
  if (k === 'phase.changed' && data?.to === 'resolved') return '✔';
  if (k === 'phase.changed' && data?.from === 'resolved') return '↺';
  const table: [string, string][] = [
    ['page.started', '☎'], ['delivery_failed', '✕'], ['declare', '⚑'], ['resolve', '✔'], ['reopen', '↺'], ['phase', '➜'], ['ack', '✓'], ['task', '☑'],
    ['decision', '⚖'], ['update', '✉'], ['note', '✎'], ['role', '◉'], ['join', '+'], ['leave', '−'],
    ['left', '−'], ['responder', '●'], ['severity', '⚠'], ['edit', '✎'], ['clock', '◷'], ['overdue', '◷'],
  ];
  return table.find(([key]) => k.includes(key))?.[1] ?? '•';
}

/** The timeline panel. */
export function TimelinePanel({ incident, events, reload }: { incident: IncidentDetail; events: TimelineEvent[]; reload: () => void }) {
  const { t, fmt, canAct } = useApp();
  const [starredOnly, setStarredOnly] = useState(false);
  const [note, setNote] = useState('');
  const add = useAction();
  const star = useAction();
  const base = `/incidents/${incident.id}/timeline`;
  const shown = events.filter((e) => !starredOnly || e.starred).slice().reverse();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void add.run(async () => { await api('POST', base, { body: note }); setNote(''); reload(); });
  };

  return (
    <section className="panel timeline" aria-labelledby="timeline-h">
      <div className="panel-head">
        <h2 id="timeline-h">{t('timeline.title')}</h2>
        <label className="check small">
          <input type="checkbox" checked={starredOnly} onChange={(e) => setStarredOnly(e.target.checked)} />
          ★ {t('timeline.starredOnly')}
        </label>
      </div>
      {canAct ? (
        <form onSubmit={submit} noValidate className="note-form">
          <FormError error={add.error} fields={['body']} />
          <Field id="timeline-note" label={t('timeline.note')} error={add.error?.field('body')}>
            <textarea id="timeline-note" rows={2} value={note} placeholder={t('timeline.notePlaceholder')} onChange={(e) => setNote(e.target.value)}
              onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e); }} />
          </Field>
          <div className="actions"><button type="submit" disabled={add.busy}>{t('timeline.addNote')}</button></div>
        </form>
      ) : null}
      <FormError error={star.error} />
      {shown.length === 0 ? <p className="muted">{t('timeline.empty')}</p> : (
        <ol className="events" data-testid="timeline">
          {shown.map((ev) => (
            <li key={ev.id} className={`event kind-${ev.kind.replace(/[^a-z0-9_-]/gi, '-')}${ev.starred ? ' starred' : ''}`} data-kind={ev.kind}>
              <span className="event-icon" aria-hidden="true">{icon(ev.kind, ev.data)}</span>
              <div className="event-main">
                <div className="event-meta">
                  <time dateTime={ev.at} title={fmt.dateTime(ev.at)}>{fmt.time(ev.at)}</time>
                  <span className="actor">{ev.actor?.name ?? t('timeline.system')}</span>
                </div>
                <div className="event-body">{ev.body}</div>
              </div>
              {canAct ? (
                <button type="button" className={`star ${ev.starred ? 'on' : ''}`} aria-pressed={ev.starred}
                  aria-label={ev.starred ? t('timeline.unstar') : t('timeline.star')} title={ev.starred ? t('timeline.unstar') : t('timeline.star')}
                  disabled={star.busy}
                  onClick={() => void star.run(async () => { await api('PUT', `${base}/${ev.id}/star`, { starred: !ev.starred }); reload(); })}>
                  {ev.starred ? '★' : '☆'}
                </button>
              ) : ev.starred ? (
                // Viewers see which events are starred, but cannot change it.
                <span className="star on" role="img" aria-label={t('timeline.starred')} title={t('timeline.starred')}>★</span>
              ) : <span />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
