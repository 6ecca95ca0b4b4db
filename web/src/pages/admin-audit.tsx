// Admin: the append-only audit log, newest first, with before/after and paging.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { useApp } from '../app-context.js';
import { FormError, useAction } from '../components/form.js';
import type { AuditEvent } from '../types.js';

/** The audit log page. */
export function AdminAuditPage() {
  const { t, fmt } = useApp();
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState('');
  const [cursor, setCursor] = useState<string | null>(null);
  const [page, setPage] = useState<{ events: AuditEvent[]; nextBefore: string | null } | null>(null);
  const { error, run } = useAction();

  const load = useCallback(() => {
    void run(async () => {
      setPage(await api('GET', `/audit${query({ action: filter, before: cursor, limit: 50 })}`));
    });
  }, [filter, cursor, run]);
  useEffect(load, [load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCursor(null);
    setFilter(action.trim());
  };

  return (
    <div className="page">
      <h1>{t('audit.title')}</h1>
      <form className="inline filter" onSubmit={submit}>
        <label htmlFor="audit-action">{t('audit.filterAction')}</label>
        <input id="audit-action" value={action} placeholder={t('audit.filterHint')} onChange={(e) => setAction(e.target.value)} />
        <button type="submit">{t('audit.filter')}</button>
      </form>
      <FormError error={error} />
      {page && page.events.length === 0 ? <p className="muted">{t('audit.empty')}</p> : null}
      {page && page.events.length > 0 ? (
        <table className="audit">
          <thead>
            <tr>
              <th scope="col">{t('audit.colTime')}</th><th scope="col">{t('audit.colActor')}</th>
              <th scope="col">{t('audit.colAction')}</th><th scope="col">{t('audit.colTarget')}</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((ev) => (
              <tr key={ev.id}>
                <td className="nowrap">{fmt.dateTime(ev.at)}</td>
                <td>{ev.actor.name} <span className="muted small">({ev.actor.type})</span></td>
                <td className="mono">
                  {ev.action}
                  {ev.before !== null || ev.after !== null ? (
                    <details>
                      <summary>{t('audit.details')}</summary>
                      <div className="diff">
                        <div><h4>{t('audit.before')}</h4><pre>{JSON.stringify(ev.before, null, 2)}</pre></div>
                        <div><h4>{t('audit.after')}</h4><pre>{JSON.stringify(ev.after, null, 2)}</pre></div>
                      </div>
                    </details>
                  ) : null}
                </td>
                <td className="mono">{ev.target.type}{ev.target.id ? ` ${ev.target.id}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="actions">
        {cursor ? <button type="button" onClick={() => setCursor(null)}>{t('audit.first')}</button> : null}
        {page?.nextBefore ? <button type="button" onClick={() => setCursor(page.nextBefore)}>{t('audit.next')} →</button> : null}
      </div>
    </div>
  );
}
