// Maintenance windows: planned work during which the chosen integrations' and services' alerts do not page.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { AlertsNav } from '../components/alerts-nav.js';
import { CheckGrid, describedBy, Field, FormError, problemAt, useAction, useChosen } from '../components/form.js';
import { WindowFields } from '../components/silence-form.js';
import { useNow } from '../live.js';
import type { Integration, MaintenanceWindow } from '../types.js';
import { fromLocalInput, toLocalInput } from '../zoned-time.js';
import { ReadOnlyBadge } from './incident-list.js';

/** The page for /alerts/maintenance. */
export function MaintenancePage() {
  const { t, fmt, canAct } = useApp();
  const [windows, setWindows] = useState<MaintenanceWindow[] | null>(null);
  // null: not for me to see (the list is admin-only, it holds keys' prefixes).
  const [integrations, setIntegrations] = useState<Integration[] | null>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const cancel = useAction();
  const now = useNow(30_000);

  const load = useCallback(() => {
    api<{ windows: MaintenanceWindow[] }>('GET', '/maintenance-windows')
      .then((r) => { setWindows(r.windows); setFailed(null); })
      .catch((e: Error) => setFailed(e.message));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    api<{ integrations: Integration[] }>('GET', '/integrations/brief').then((r) => setIntegrations(r.integrations)).catch(() => setIntegrations(null));
  }, []);
  const names = new Map((integrations ?? []).map((i) => [i.id, i.name]));
  // Current and coming windows first; finished and cancelled ones after.
  const order = { in_progress: 0, scheduled: 1, completed: 2, cancelled: 3 } as const;
  const sorted = windows?.slice().sort((a, b) => order[a.state] - order[b.state] || a.startsAt.localeCompare(b.startsAt)) ?? null;

  return (
    <div className="page">
      <AlertsNav />
      <div className="page-head">
        <h1>{t('maintenance.title')}</h1>
        <div className="spacer" />
        {canAct ? (creating ? null : <button type="button" className="primary" onClick={() => setCreating(true)}>+ {t('maintenance.new')}</button>) : <ReadOnlyBadge />}
      </div>
      <p className="muted section-hint">{t('maintenance.intro')}</p>
      {creating && canAct ? <MaintenanceForm integrations={integrations} onDone={() => { setCreating(false); load(); }} onCancel={() => setCreating(false)} /> : null}
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      <FormError error={cancel.error} />
      {sorted === null ? <p className="muted">{t('app.loading')}</p> : sorted.length === 0 ? <p className="empty">{t('maintenance.empty')}</p> : (
        <table data-testid="maintenance-windows">
          <thead>
            <tr>
              <th scope="col">{t('maintenance.colState')}</th>
              <th scope="col">{t('maintenance.name')}</th>
              <th scope="col">{t('silences.colWhen')}</th>
              <th scope="col">{t('maintenance.integrations')}</th>
              <th scope="col">{t('maintenance.services')}</th>
              <th scope="col">{t('silences.colBy')}</th>
              {canAct ? <th scope="col"><span className="sr-only">{t('maintenance.cancel')}</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {sorted.map((w) => (
              <tr key={w.id} className={w.state === 'completed' || w.state === 'cancelled' ? 'muted' : ''}>
                <td><span className={`badge mstate mstate-${w.state}`}>{t(`maintenance.state.${w.state}`)}</span></td>
                <td className="title-cell"><strong>{w.title}</strong></td>
                <td className="nowrap">
                  <div>{fmt.dateTime(w.startsAt)} – {fmt.dateTime(w.endsAt)}</div>
                  <div className="muted small">
                    {w.state === 'scheduled' ? t('silences.startsIn', { time: fmt.until(w.startsAt, now) })
                      : w.state === 'in_progress' ? t('silences.endsIn', { time: fmt.until(w.endsAt, now) }) : null}
                  </div>
                </td>
                <td>{w.integrationIds.length ? w.integrationIds.map((id) => names.get(id) ?? id).join(', ') : <span className="muted">{t('common.none')}</span>}</td>
                <td>{w.services.length ? w.services.join(', ') : <span className="muted">{t('common.none')}</span>}</td>
                <td>{w.createdBy?.name ?? t('timeline.system')}</td>
                {canAct ? (
                  <td>
                    {w.state === 'scheduled' || w.state === 'in_progress' ? (
                      <button type="button" className="danger small-button" disabled={cancel.busy} aria-label={t('maintenance.cancelOne', { title: w.title })}
                        onClick={() => void cancel.run(async () => { await api('DELETE', `/maintenance-windows/${encodeURIComponent(w.id)}`); load(); })}>
                        {t('maintenance.cancel')}
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function MaintenanceForm({ integrations, onDone, onCancel }: { integrations: Integration[] | null; onDone: () => void; onCancel: () => void }) {
  const { t, user } = useApp();
  const zone = user.timeZone;
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(() => toLocalInput(Date.now(), zone));
  const [end, setEnd] = useState(() => toLocalInput(Date.now() + 3_600_000, zone));
  const { chosen, toggle } = useChosen();
  const [services, setServices] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', '/maintenance-windows', {
        title, startsAt: fromLocalInput(start, zone) ?? start, endsAt: fromLocalInput(end, zone) ?? end,
        integrationIds: [...chosen], services: services.split(',').map((s) => s.trim()).filter(Boolean),
      });
      onDone();
    });
  };
  const titleErr = problemAt(error, 'title');
  const servicesErr = problemAt(error, 'services');
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="maintenance-new-h">
      <h2 id="maintenance-new-h">{t('maintenance.new')}</h2>
      <FormError error={error} fields={['title', 'startsAt', 'endsAt', 'services']} />
      <Field id="mw-title" label={t('maintenance.name')} hint={t('maintenance.nameHint')} error={titleErr}>
        <input id="mw-title" value={title} onChange={(e) => setTitle(e.target.value)} {...describedBy('mw-title', titleErr, true)} />
      </Field>
      <WindowFields id="mw" start={start} end={end} setStart={setStart} setEnd={setEnd} error={error} />
      <fieldset>
        <legend>{t('maintenance.integrations')}</legend>
        {integrations === null ? <p className="muted small">{t('maintenance.integrationsAdminOnly')}</p>
          : integrations.length === 0 ? <p className="muted small">{t('maintenance.noIntegrations')}</p> : (
          <CheckGrid items={integrations} chosen={chosen} toggle={toggle} />
        )}
      </fieldset>
      <Field id="mw-services" label={t('maintenance.services')} hint={t('declare.servicesHint')} error={servicesErr}>
        <input id="mw-services" value={services} onChange={(e) => setServices(e.target.value)} {...describedBy('mw-services', servicesErr, true)} />
      </Field>
      <div className="actions">
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy}>{t('maintenance.create')}</button>
      </div>
    </form>
  );
}
