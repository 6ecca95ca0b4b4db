// A page's maintenance: schedule one, and the upcoming, active and past ones with their updates,
// each with "post update" and "cancel" (confirmed in place) for responders.
import { useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import type { StatusMaintenance, StatusPageDetail } from '../types.js';
import { FormError, useAction } from './form.js';
import { MaintenanceStateBadge } from './status-badges.js';
import { MaintenanceForm, MaintenanceUpdateForm } from './status-maintenance-form.js';

const SECTIONS = [
  { key: 'status.maintenanceActive', states: ['in_progress', 'verifying'] },
  { key: 'status.maintenanceUpcoming', states: ['scheduled'] },
  { key: 'status.maintenancePast', states: ['completed', 'cancelled'] },
] as const;

/** The maintenance panel of a page. */
export function StatusMaintenancePanel({ page, base, reload }: { page: StatusPageDetail; base: string; reload: () => void }) {
  const { t, canAct } = useApp();
  const [creating, setCreating] = useState(false);
  const sections = SECTIONS.map((s) => ({
    ...s,
    items: page.maintenances.filter((m) => (s.states as readonly string[]).includes(m.status))
      // Past ones newest first; the rest soonest first.
      .sort((a, b) => (s.key === 'status.maintenancePast' ? b.startsAt.localeCompare(a.startsAt) : a.startsAt.localeCompare(b.startsAt))),
  }));

  return (
    <section className="panel" aria-labelledby="maintenance-h" data-testid="status-maintenance">
      <div className="panel-head">
        <h2 id="maintenance-h">{t('status.maintenance')}</h2>
        {canAct && !creating && page.components.length ? (
          <button type="button" onClick={() => setCreating(true)}>+ {t('status.maintenanceNew')}</button>
        ) : null}
      </div>
      <p className="muted section-hint">{t('status.maintenanceHint')}</p>
      {canAct && !page.components.length ? <p className="muted small">{t('status.maintenanceNoComponents')}</p> : null}
      {creating ? <MaintenanceForm page={page} base={base} onCancel={() => setCreating(false)} onDone={() => { setCreating(false); reload(); }} /> : null}
      {page.maintenances.length === 0 ? <p className="empty">{t('status.maintenanceEmpty')}</p> : sections.map((s) => s.items.length ? (
        <div key={s.key}>
          <h3>{t(s.key)}</h3>
          <ul className="maintenances">
            {s.items.map((m) => <MaintenanceItem key={m.id} m={m} page={page} base={base} reload={reload} />)}
          </ul>
        </div>
      ) : null)}
    </section>
  );
}

function MaintenanceItem({ m, page, base, reload }: { m: StatusMaintenance; page: StatusPageDetail; base: string; reload: () => void }) {
  const { t, fmt, canAct } = useApp();
  const now = useNow(30_000);
  const [mode, setMode] = useState<'idle' | 'update' | 'cancel'>('idle');
  const cancel = useAction();
  const names = new Map(page.components.map((c) => [c.id, c.name]));
  const open = m.status !== 'completed' && m.status !== 'cancelled';
  const when = m.status === 'scheduled' ? t('silences.startsIn', { time: fmt.until(m.startsAt, now) })
    : open ? t('silences.endsIn', { time: fmt.until(m.endsAt, now) })
      : m.cancelledAt ? t('status.maintenanceCancelledAt', { time: fmt.dateTime(m.cancelledAt) })
        : m.completedAt ? t('status.maintenanceEndedAt', { time: fmt.dateTime(m.completedAt) }) : null;
  const doCancel = () => void cancel.run(async () => {
    await api('POST', `${base}/maintenances/${encodeURIComponent(m.id)}/cancel`);
    setMode('idle');
    reload();
  });

  return (
    <li className={`maintenance${open ? '' : ' muted'}`} data-testid="maintenance">
      <div className="maintenance-head">
        <MaintenanceStateBadge status={m.status} />
        <strong>{m.title}</strong>
        <span className="spacer" />
        {canAct && open && mode === 'idle' ? (
          <span className="row-actions">
            <button type="button" className="small-button" aria-label={t('status.maintenancePostUpdateOf', { title: m.title })} onClick={() => setMode('update')}>{t('status.maintenancePostUpdate')}</button>
            <button type="button" className="small-button danger" aria-label={t('status.maintenanceCancelOf', { title: m.title })} onClick={() => setMode('cancel')}>{t('status.maintenanceCancel')}</button>
          </span>
        ) : null}
      </div>
      <div className="small">
        <time dateTime={m.startsAt}>{fmt.dateTime(m.startsAt)}</time> – <time dateTime={m.endsAt}>{fmt.dateTime(m.endsAt)}</time>
        {when ? <span className="muted"> · {when}</span> : null}
      </div>
      <div className="small muted">{m.componentIds.map((id) => names.get(id) ?? id).join(', ')}</div>
      {mode === 'update' ? <MaintenanceUpdateForm maintenance={m} base={base} onCancel={() => setMode('idle')} onDone={() => { setMode('idle'); reload(); }} /> : null}
      {mode === 'cancel' ? (
        <div className="confirm" role="group" aria-label={t('status.maintenanceCancelOf', { title: m.title })}>
          <p className="warn-text">{t('status.maintenanceCancelConfirm', { title: m.title })}</p>
          <FormError error={cancel.error} />
          <div className="actions">
            <button type="button" onClick={() => setMode('idle')}>{t('status.maintenanceKeep')}</button>
            <button type="button" className="danger" disabled={cancel.busy} onClick={doCancel} autoFocus>{t('status.maintenanceCancelNow')}</button>
          </div>
        </div>
      ) : null}
      {m.updates.length ? (
        <details className="maintenance-updates" open={open}>
          <summary>{t('status.maintenanceUpdates')} ({m.updates.length})</summary>
          <ol className="updates">
            {m.updates.map((u) => (
              <li key={u.id}>
                <MaintenanceStateBadge status={u.status} /> <span className="pre-line">{u.body}</span>
                <div className="muted small">{t('composer.by', { name: u.author?.name ?? t('timeline.system'), time: fmt.dateTime(u.createdAt) })}</div>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </li>
  );
}
