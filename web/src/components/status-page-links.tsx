// The war room's editor of an incident's public face: which components of which status pages it
// affects and how badly, and the title customers see. Saving replaces the whole set.
import { type FormEvent, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { Link } from '../router.js';
import { IMPACT_STATUSES, type ImpactStatus, type IncidentDetail, type IncidentFace, type StatusPageDetail, type StatusPageListItem } from '../types.js';
import { describedBy, Field, FormError, problemAt, useAction } from './form.js';

/** The editor; `pages` is every status page (their components are fetched when it opens). */
export function StatusPageLinks({ incident, face, pages, onDone, onCancel }: {
  incident: IncidentDetail; face: IncidentFace; pages: StatusPageListItem[]; onDone: () => void; onCancel: () => void;
}) {
  const { t, user } = useApp();
  const [details, setDetails] = useState<StatusPageDetail[] | null>(null);
  const [impacts, setImpacts] = useState<Record<string, ImpactStatus>>(
    () => Object.fromEntries(face.components.map((c) => [c.componentId, c.status])),
  );
  const [publicTitle, setPublicTitle] = useState(face.publicTitle ?? '');
  const { busy, error, run, setError } = useAction();

  useEffect(() => {
    let live = true;
    Promise.all(pages.filter((p) => p.componentCount > 0).map((p) => api<StatusPageDetail>('GET', `/status-pages/${encodeURIComponent(p.id)}`)))
      .then((d) => { if (live) setDetails(d); })
      .catch((e: unknown) => { if (live) { setDetails([]); setError(e instanceof ApiError ? e : null); } });
    return () => { live = false; };
  }, [pages, setError]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      // A cleared title is null: customers then read a neutral "Service disruption", never the internal title.
      const title = publicTitle.trim();
      await api('PUT', `/incidents/${encodeURIComponent(incident.id)}/status-page`, {
        ...(title ? { publicTitle: title } : face.publicTitle ? { publicTitle: null } : {}),
        components: Object.entries(impacts).map(([componentId, status]) => ({ componentId, status })),
      });
      onDone();
    });
  };
  const setImpact = (id: string, value: string) => setImpacts((m) => {
    const next = { ...m };
    if (value) next[id] = value as ImpactStatus;
    else delete next[id];
    return next;
  });
  const titleErr = problemAt(error, 'publicTitle');

  return (
    <form className="subform status-links" onSubmit={submit} noValidate aria-labelledby="status-links-h" data-testid="status-links">
      <h3 id="status-links-h">{face.components.length ? t('statusPanel.edit') : t('statusPanel.link')}</h3>
      <FormError error={error} fields={['publicTitle']} />
      <Field id="public-title" label={t('statusPanel.publicTitle')} hint={t('statusPanel.publicTitleHint')} error={titleErr}>
        <input id="public-title" value={publicTitle} placeholder={t('statusPanel.neutralTitle')} onChange={(e) => setPublicTitle(e.target.value)} {...describedBy('public-title', titleErr, true)} />
      </Field>
      {details === null ? <p className="muted">{t('app.loading')}</p> : details.length === 0 ? (
        <p className="muted">
          {t('statusPanel.noPages')}{' '}
          {user.role === 'admin' ? <Link to="/status-pages">{t('statusPanel.createPage')}</Link> : null}
        </p>
      ) : details.map((p) => (
        <fieldset key={p.id} className="page-components">
          <legend>{p.name}</legend>
          <ul className="impact-rows">
            {p.components.map((c) => (
              <li key={c.id} className={impacts[c.id] ? 'affected' : ''}>
                <label htmlFor={`impact-${c.id}`}>{c.name}</label>
                <select id={`impact-${c.id}`} aria-label={t('statusPanel.impactOf', { name: c.name })} value={impacts[c.id] ?? ''} onChange={(e) => setImpact(c.id, e.target.value)}>
                  <option value="">{t('statusPanel.notAffected')}</option>
                  {IMPACT_STATUSES.map((s) => <option key={s} value={s}>{t(`statusPanel.impact.${s}`)}</option>)}
                </select>
              </li>
            ))}
          </ul>
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy || details === null}>{t('statusPanel.save')}</button>
      </div>
    </form>
  );
}
