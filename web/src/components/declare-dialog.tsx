// The declare dialog: a modal <dialog>, so Esc closes it and focus stays inside.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { navigate } from '../router.js';
import type { IncidentDetail, Severity } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { SeverityPick } from './severity-pick.js';

/** Declare an incident; on success go to its war room. */
export function DeclareDialog({ onClose }: { onClose: () => void }) {
  const { t, users, user } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('SEV2');
  const [summary, setSummary] = useState('');
  const [services, setServices] = useState('');
  const [commanderId, setCommanderId] = useState(user.id);
  const [drill, setDrill] = useState(false);
  const { busy, error, run } = useAction();

  useEffect(() => {
    const d = ref.current;
    // No close() on cleanup: unmounting removes the dialog, and a close event would re-enter onClose.
    if (d && !d.open) d.showModal();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body = {
        title, severity, summary, drill, commanderId,
        services: services.split(',').map((s) => s.trim()).filter(Boolean),
      };
      const created = await api<IncidentDetail>('POST', '/incidents', body);
      onClose();
      navigate(`/incidents/${created.ref}`);
    });
  };
  const err = (f: string) => error?.field(f);

  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="declare-title">
      <form onSubmit={submit} noValidate>
        <h2 id="declare-title">{t('declare.title')}</h2>
        <FormError error={error} fields={['title', 'summary', 'services', 'commanderId']} />
        <Field id="declare-title-input" label={t('declare.incidentTitle')} hint={t('declare.titleHint')} error={err('title')}>
          <input id="declare-title-input" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus {...describedBy('declare-title-input', err('title'), true)} />
        </Field>
        <SeverityPick name="severity" value={severity} onChange={setSeverity} />
        <Field id="declare-summary" label={t('declare.summary')} error={err('summary')}>
          <textarea id="declare-summary" rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} />
        </Field>
        <div className="row">
          <Field id="declare-services" label={t('declare.services')} hint={t('declare.servicesHint')} error={err('services')}>
            <input id="declare-services" value={services} onChange={(e) => setServices(e.target.value)} {...describedBy('declare-services', err('services'), true)} />
          </Field>
          <Field id="declare-commander" label={t('declare.commander')} error={err('commanderId')}>
            <select id="declare-commander" value={commanderId} onChange={(e) => setCommanderId(e.target.value)}>
              {users.filter((u) => !u.disabled).map((u) => (
                <option key={u.id} value={u.id}>{u.id === user.id ? t('common.me', { name: u.name }) : u.name}</option>
              ))}
            </select>
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={drill} onChange={(e) => setDrill(e.target.checked)} />
          {t('declare.drill')}
        </label>
        <div className="actions">
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('declare.submit')}</button>
        </div>
      </form>
    </dialog>
  );
}
