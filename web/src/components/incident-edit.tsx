// Edit an incident's title, summary and affected services (severity and phase have their own controls).
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { IncidentDetail } from '../types.js';
import { Field, FormError, useAction } from './form.js';

/** A collapsible form under the war room header. */
export function IncidentEdit({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const { t } = useApp();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(incident.title);
  const [summary, setSummary] = useState(incident.summary);
  const [services, setServices] = useState(incident.services.join(', '));
  const { busy, error, run } = useAction();
  const toggle = () => {
    if (!open) {
      // Start from what the incident says now, not what it said when the page opened.
      setTitle(incident.title);
      setSummary(incident.summary);
      setServices(incident.services.join(', '));
    }
    setOpen(!open);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('PATCH', `/incidents/${incident.id}`, {
        title, summary, services: services.split(',').map((s) => s.trim()).filter(Boolean),
      });
      setOpen(false);
      reload();
    });
  };
  const err = (f: string) => error?.field(f);
  return (
    <div className="incident-edit">
      <button type="button" className="ghost small-button" aria-expanded={open} aria-controls="incident-edit-form" onClick={toggle}>
        ✎ {t('edit.open')}
      </button>
      {open ? (
        <form id="incident-edit-form" onSubmit={submit} noValidate className="subform">
          <FormError error={error} fields={['title', 'summary', 'services']} />
          <Field id="edit-title" label={t('edit.title')} error={err('title')}>
            <input id="edit-title" value={title} onChange={(e) => setTitle(e.target.value)} />
          </Field>
          <Field id="edit-summary" label={t('edit.summary')} error={err('summary')}>
            <textarea id="edit-summary" rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} />
          </Field>
          <Field id="edit-services" label={t('edit.services')} error={err('services')}>
            <input id="edit-services" value={services} onChange={(e) => setServices(e.target.value)} />
          </Field>
          <div className="actions">
            <button type="button" onClick={() => setOpen(false)}>{t('common.cancel')}</button>
            <button type="submit" className="primary" disabled={busy}>{t('edit.save')}</button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
