// Declare an incident from an alert group: severity and title (the group's by default); then the war room.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { navigate } from '../router.js';
import type { AlertGroupDetail, AlertSeverity, Severity } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { SeverityPick } from './severity-pick.js';

/** A starting point only: whoever declares picks the level. */
const SUGGESTED: Record<AlertSeverity, Severity> = { critical: 'SEV2', error: 'SEV3', warning: 'SEV3', info: 'SEV4' };

/** The dialog; on success it goes to the new incident's war room. */
export function GroupDeclareDialog({ group, onClose }: { group: AlertGroupDetail; onClose: () => void }) {
  const { t } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const [title, setTitle] = useState(group.title);
  const [severity, setSeverity] = useState<Severity>(SUGGESTED[group.severity]);
  const [summary, setSummary] = useState('');
  const { busy, error, run } = useAction();

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const declare = { severity, title: title.trim(), ...(summary.trim() ? { summary: summary.trim() } : {}) };
      const updated = await api<AlertGroupDetail>('POST', `/alert-groups/${encodeURIComponent(group.id)}/incident`, { declare });
      onClose();
      if (updated.incident) navigate(`/incidents/INC-${updated.incident.number}`);
    });
  };
  const err = (f: string) => error?.field(f);

  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="group-declare-h">
      <form onSubmit={submit} noValidate>
        <h2 id="group-declare-h">{t('group.declareTitle')}</h2>
        <p className="muted">{t('group.declareIntro')}</p>
        <FormError error={error} fields={['title', 'summary', 'severity']} />
        <Field id="group-declare-title" label={t('declare.incidentTitle')} hint={t('declare.titleHint')} error={err('title')}>
          <input id="group-declare-title" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus {...describedBy('group-declare-title', err('title'), true)} />
        </Field>
        <SeverityPick name="group-severity" value={severity} onChange={setSeverity} />
        <Field id="group-declare-summary" label={t('declare.summary')} error={err('summary')}>
          <textarea id="group-declare-summary" rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} />
        </Field>
        <div className="actions">
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('declare.submit')}</button>
        </div>
      </form>
    </dialog>
  );
}
