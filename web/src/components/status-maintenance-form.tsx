// Scheduling a maintenance (its window on the page's or my wall clock, its components, its first
// words) and posting an update on one.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { MAINTENANCE_UPDATE_STATUSES, type StatusMaintenance, type StatusPageDetail } from '../types.js';
import { fromLocalInput, toLocalInput } from '../zoned-time.js';
import { CheckGrid, describedBy, Field, FormError, problemAt, useAction, useChosen } from './form.js';

const HOUR = 3_600_000;

/** The schedule form. Times are typed on the page's wall clock by default (what customers read), or mine. */
export function MaintenanceForm({ page, base, onDone, onCancel }: { page: StatusPageDetail; base: string; onDone: () => void; onCancel: () => void }) {
  const { t, user } = useApp();
  const [zoneOf, setZoneOf] = useState<'page' | 'me'>('page');
  const zone = zoneOf === 'page' ? page.timeZone : user.timeZone;
  // The window as instants, so switching zones re-labels the same times instead of moving them.
  const [startsAt, setStartsAt] = useState(() => new Date(Math.ceil((Date.now() + HOUR) / HOUR) * HOUR).toISOString());
  const [endsAt, setEndsAt] = useState(() => new Date(Math.ceil((Date.now() + HOUR) / HOUR) * HOUR + 2 * HOUR).toISOString());
  const [startText, setStartText] = useState<string | null>(null);
  const [endText, setEndText] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const { chosen, toggle } = useChosen();
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', `${base}/maintenances`, { title, startsAt, endsAt, componentIds: [...chosen], body });
      onDone();
    });
  };
  const typed = (text: string, set: (iso: string) => void, setText: (s: string | null) => void) => {
    setText(text);
    const iso = fromLocalInput(text, zone);
    if (iso) set(iso);
  };
  const switchZone = (z: 'page' | 'me') => {
    setZoneOf(z);
    setStartText(null);
    setEndText(null);
  };
  const err = (f: string) => problemAt(error, f);
  const componentsErr = err('componentIds') ?? ((error?.problem.errors ?? []).filter((x) => x.field.startsWith('body.componentIds.')).map((x) => x.message).join(' · ') || undefined);

  return (
    <form className="panel subform" onSubmit={submit} noValidate aria-labelledby="maintenance-new-h" data-testid="maintenance-form">
      <h3 id="maintenance-new-h">{t('status.maintenanceNew')}</h3>
      <FormError error={error} fields={['title', 'startsAt', 'endsAt', 'componentIds', 'body']} />
      <Field id="sm-title" label={t('status.maintenanceTitle')} hint={t('status.maintenanceTitleHint')} error={err('title')}>
        <input id="sm-title" value={title} onChange={(e) => setTitle(e.target.value)} {...describedBy('sm-title', err('title'), true)} />
      </Field>
      {/* A choice only when the page's clock and mine differ. */}
      {page.timeZone !== user.timeZone ? (
        <fieldset className="zone-pick">
          <legend>{t('status.maintenanceZone')}</legend>
          <label className="check">
            <input type="radio" name="sm-zone" checked={zoneOf === 'page'} onChange={() => switchZone('page')} />
            {t('status.maintenanceZonePage', { zone: page.timeZone })}
          </label>
          <label className="check">
            <input type="radio" name="sm-zone" checked={zoneOf === 'me'} onChange={() => switchZone('me')} />
            {t('status.maintenanceZoneMine', { zone: user.timeZone })}
          </label>
        </fieldset>
      ) : null}
      <div className="row">
        <Field id="sm-start" label={t('status.maintenanceStarts', { zone })} error={err('startsAt')}>
          <input id="sm-start" type="datetime-local" value={startText ?? toLocalInput(startsAt, zone)}
            onChange={(e) => typed(e.target.value, setStartsAt, setStartText)} {...describedBy('sm-start', err('startsAt'))} />
        </Field>
        <Field id="sm-end" label={t('status.maintenanceEnds', { zone })} error={err('endsAt')}>
          <input id="sm-end" type="datetime-local" value={endText ?? toLocalInput(endsAt, zone)}
            onChange={(e) => typed(e.target.value, setEndsAt, setEndText)} {...describedBy('sm-end', err('endsAt'))} />
        </Field>
      </div>
      <fieldset className={componentsErr ? 'has-error' : ''} aria-describedby={componentsErr ? 'sm-components-error' : undefined}>
        <legend>{t('status.maintenanceComponents')}</legend>
        <CheckGrid items={page.components} chosen={chosen} toggle={toggle} />
        {componentsErr ? <p className="field-error" id="sm-components-error" role="alert">{componentsErr}</p> : null}
      </fieldset>
      <Field id="sm-body" label={t('status.maintenanceBody')} hint={t('status.maintenanceBodyHint')} error={err('body')}>
        <textarea id="sm-body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} {...describedBy('sm-body', err('body'), true)} />
      </Field>
      <div className="actions">
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy}>{t('status.maintenanceCreate')}</button>
      </div>
    </form>
  );
}

/** The next state a maintenance would usually announce. */
function nextStatus(m: StatusMaintenance): (typeof MAINTENANCE_UPDATE_STATUSES)[number] {
  if (m.status === 'scheduled') return 'in_progress';
  if (m.status === 'in_progress') return 'verifying';
  return 'completed';
}

/** Posts an update on one maintenance. */
export function MaintenanceUpdateForm({ maintenance, base, onDone, onCancel }: { maintenance: StatusMaintenance; base: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useApp();
  const [status, setStatus] = useState(() => nextStatus(maintenance));
  const [body, setBody] = useState('');
  const { busy, error, run } = useAction();
  const id = `mu-${maintenance.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', `${base}/maintenances/${encodeURIComponent(maintenance.id)}/updates`, { status, body });
      onDone();
    });
  };
  const bodyErr = problemAt(error, 'body');
  return (
    <form className="subform" onSubmit={submit} noValidate aria-label={t('status.maintenancePostUpdateOf', { title: maintenance.title })}>
      <FormError error={error} fields={['status', 'body']} />
      <div className="row">
        <Field id={`${id}-status`} label={t('status.maintenanceUpdateStatus')} error={problemAt(error, 'status')} className="narrow">
          <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            {MAINTENANCE_UPDATE_STATUSES.map((s) => <option key={s} value={s}>{t(`status.maintenanceState.${s}`)}</option>)}
          </select>
        </Field>
        <Field id={`${id}-body`} label={t('status.maintenanceUpdateBody')} error={bodyErr}>
          <textarea id={`${id}-body`} rows={2} value={body} onChange={(e) => setBody(e.target.value)} autoFocus {...describedBy(`${id}-body`, bodyErr)} />
        </Field>
      </div>
      <div className="actions">
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy}>{t('status.maintenancePost')}</button>
      </div>
    </form>
  );
}
