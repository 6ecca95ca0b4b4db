// Status pages: every page with what it says right now and a link to its public face, and (admins)
// creating one. Each page's components are fetched for its overall status.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { OverallStatusBadge } from '../components/status-badges.js';
import { type StatusPageBody, StatusPageForm } from '../components/status-page-form.js';
import { useLive } from '../live.js';
import { Link, navigate } from '../router.js';
import type { StatusPage, StatusPageDetail, StatusPageListItem } from '../types.js';
import { ReadOnlyBadge } from './incident-list.js';

/** The public address of a page on this server (its own host, when set, is shown beside it). */
export function publicPath(page: Pick<StatusPage, 'slug'>): string {
  return `/status/${encodeURIComponent(page.slug)}/`;
}

/** The page for /status-pages. */
export function AdminStatusPagesPage() {
  const { t, user, fmt, canAct } = useApp();
  const admin = user.role === 'admin';
  const [pages, setPages] = useState<StatusPageListItem[] | null>(null);
  const [details, setDetails] = useState<Map<string, StatusPageDetail>>(new Map());
  const [failed, setFailed] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const load = useCallback(() => {
    api<{ pages: StatusPageListItem[] }>('GET', '/status-pages')
      .then(async (r) => {
        setPages(r.pages);
        setFailed(null);
        const full = await Promise.all(r.pages.map((p) => api<StatusPageDetail>('GET', `/status-pages/${encodeURIComponent(p.id)}`).catch(() => null)));
        setDetails(new Map(full.flatMap((d) => (d ? [[d.id, d] as const] : []))));
      })
      .catch((e: Error) => setFailed(e.message));
  }, []);
  useEffect(load, [load]);
  // Incidents change what pages say (a linked component, a resolution): follow them live.
  useLive('/api/v1/incidents/events', load);

  const create = async (body: StatusPageBody) => {
    const page = await api<StatusPage>('POST', '/status-pages', body);
    navigate(`/status-pages/${encodeURIComponent(page.slug)}`);
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('status.title')}</h1>
        <div className="spacer" />
        {admin ? (adding ? null : <button type="button" className="primary" onClick={() => setAdding(true)}>+ {t('status.add')}</button>) : canAct ? null : <ReadOnlyBadge />}
      </div>
      <p className="muted section-hint">{t('status.intro')}</p>
      {adding ? (
        <section className="panel" aria-labelledby="new-page-h">
          <div className="panel-head">
            <h2 id="new-page-h">{t('status.add')}</h2>
            <button type="button" className="ghost" onClick={() => setAdding(false)}>{t('common.cancel')}</button>
          </div>
          <StatusPageForm id="new-page" submitLabel={t('status.create')} onSubmit={create} />
        </section>
      ) : null}
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      {pages === null ? <p className="muted">{t('app.loading')}</p> : pages.length === 0 ? <p className="empty">{t('status.empty')}</p> : (
        <table className="status-pages" data-testid="status-pages">
          <thead>
            <tr>
              <th scope="col">{t('status.colName')}</th>
              <th scope="col">{t('status.colStatus')}</th>
              <th scope="col" className="num">{t('status.colComponents')}</th>
              <th scope="col">{t('status.colLanguage')}</th>
              <th scope="col">{t('status.colPublic')}</th>
            </tr>
          </thead>
          <tbody>
            {pages.map((p) => {
              const d = details.get(p.id);
              return (
                <tr key={p.id} data-testid="status-page-row">
                  <td className="title-cell">
                    <Link to={`/status-pages/${encodeURIComponent(p.slug)}`}>{p.name}</Link>
                    {p.description ? <div className="muted small">{p.description}</div> : null}
                  </td>
                  <td>
                    {d ? <OverallStatusBadge components={d.components} /> : <span className="muted">{t('common.dash')}</span>}
                    {d && d.incidents.length ? <div className="small late-text">{d.incidents.map((i) => i.ref).join(', ')}</div> : null}
                  </td>
                  <td className="num">{fmt.number(p.componentCount)}</td>
                  <td>{p.locale === 'ja' ? '日本語' : 'English'} <span className="muted small">· {p.timeZone}</span></td>
                  <td>
                    <a href={publicPath(p)} className="mono" title={t('status.openPublic', { name: p.name })}>{publicPath(p)}</a>
                    {p.host ? <div className="mono small muted">https://{p.host}/</div> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
