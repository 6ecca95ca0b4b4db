// "Page someone": a title, a severity and who — a person, a schedule's on-call, a team or a whole
// escalation policy. The page starts at once; the form stays so the list below shows it arrive.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { Link } from '../router.js';
import { ALERT_SEVERITIES, type AlertSeverity, type PageCreate, type PageDetail } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { NobodyReached, type PagingChoices, type TargetKind, WhoToPage } from './paging-parts.js';

/** The form; `onPaged` refreshes the lists. */
export function PageSomeoneForm({ choices, onPaged, onCancel }: { choices: PagingChoices; onPaged: () => void; onCancel: () => void }) {
  const { t } = useApp();
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<AlertSeverity>('critical');
  const [kind, setKind] = useState<TargetKind>('user');
  const [targetId, setTargetId] = useState('');
  const [paged, setPaged] = useState<PageDetail | null>(null);
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPaged(null);
    void run(async () => {
      const body: PageCreate = { title, severity, target: { type: kind, id: targetId } };
      setPaged(await api<PageDetail>('POST', '/pages', body));
      setTitle('');
      onPaged();
    });
  };
  const err = (f: string) => error?.field(f);

  return (
    <section className="panel" aria-labelledby="page-someone-h" data-testid="page-someone">
      <div className="panel-head">
        <h2 id="page-someone-h">{t('paging.pageSomeone')}</h2>
        <button type="button" className="ghost" onClick={onCancel}>{t('common.close')}</button>
      </div>
      <p className="muted section-hint">{t('paging.pageSomeoneHint')}</p>
      <form onSubmit={submit} noValidate>
        <FormError error={error} fields={['title', 'severity', 'target']} />
        <div className="row">
          <Field id="page-title" label={t('paging.formTitle')} hint={t('paging.formTitleHint')} error={err('title')}>
            <input id="page-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} {...describedBy('page-title', err('title'), true)} />
          </Field>
          <Field id="page-severity" label={t('paging.severity')} error={err('severity')} className="narrow">
            <select id="page-severity" value={severity} onChange={(e) => setSeverity(e.target.value as AlertSeverity)}>
              {ALERT_SEVERITIES.map((s) => <option key={s} value={s}>{t(`alerts.severity.${s}`)}</option>)}
            </select>
          </Field>
        </div>
        <WhoToPage idPrefix="page" kind={kind} targetId={targetId} choices={choices} error={error} onKind={setKind} onTarget={setTargetId} />
        <div className="actions">
          {paged ? (
            <span className="ok-text" role="status">
              ✓ {t('paging.paged', { title: paged.title })} <Link to={`/pages/${encodeURIComponent(paged.id)}`}>{t('paging.openPage')}</Link>
            </span>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>{t('paging.pageNow')}</button>
        </div>
        {paged ? <NobodyReached page={paged} /> : null}
      </form>
    </section>
  );
}
