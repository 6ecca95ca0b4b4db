// One status page: its open incidents (with the ten-minute rule), components and their status,
// maintenance, and for admins its settings, subscribers and deletion. Live with the incidents' stream.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { FormError, useAction } from '../components/form.js';
import { OverallStatusBadge } from '../components/status-badges.js';
import { StatusComponents } from '../components/status-components.js';
import { StatusPageIncidents } from '../components/status-incidents.js';
import { StatusMaintenancePanel } from '../components/status-maintenance.js';
import { type StatusPageBody, StatusPageForm } from '../components/status-page-form.js';
import { StatusSubscribers } from '../components/status-subscribers.js';
import { useLive } from '../live.js';
import { Link, navigate } from '../router.js';
import type { StatusPage, StatusPageDetail } from '../types.js';
import { publicPath } from './admin-status-pages.js';

/** The page for /status-pages/:page (id or slug). */
export function AdminStatusPagePage({ pageRef }: { pageRef: string }) {
  const { t, user } = useApp();
  const admin = user.role === 'admin';
  const [page, setPage] = useState<StatusPageDetail | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const danger = useAction();
  const base = `/status-pages/${encodeURIComponent(page?.id ?? pageRef)}`;

  const load = useCallback(() => {
    api<StatusPageDetail>('GET', `/status-pages/${encodeURIComponent(pageRef)}`)
      .then((p) => { setPage(p); setFailed(null); })
      .catch((e: unknown) => setFailed(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e)));
  }, [pageRef]);
  useEffect(load, [load]);
  // Incidents move what this page says (linked components, first public updates, resolutions).
  useLive('/api/v1/incidents/events', load);

  useEffect(() => {
    if (page) document.title = `${page.name} — Hikeshi`;
    return () => { document.title = 'Hikeshi'; };
  }, [page]);

  if (!page) {
    return (
      <div className="page">
        {failed ? <div role="alert" className="form-error">{t('status.loadFailed')} {failed}</div> : <p className="muted">{t('app.loading')}</p>}
        <p><Link to="/status-pages">← {t('status.back')}</Link></p>
      </div>
    );
  }

  const save = async (body: StatusPageBody) => {
    setSaved(false);
    const updated = await api<StatusPage>('PATCH', base, body);
    setSaved(true);
    if (updated.slug !== pageRef && pageRef !== updated.id) navigate(`/status-pages/${encodeURIComponent(updated.slug)}`, true);
    else load();
  };
  const remove = () => void danger.run(async () => {
    await api('DELETE', base);
    navigate('/status-pages');
  });

  return (
    <div className="page status-page-admin" data-testid="status-page-admin">
      <p className="crumbs"><Link to="/status-pages">← {t('status.back')}</Link></p>
      <div className="page-head">
        <span className="brand-swatch" style={{ background: page.brandColor }} aria-hidden="true" />
        <h1>{page.name}</h1>
        <OverallStatusBadge components={page.components} />
        <div className="spacer" />
        <a href={publicPath(page)} className="public-link" data-testid="public-link">{t('status.publicLink')} <span className="mono small">{publicPath(page)}</span></a>
      </div>
      {page.description ? <p className="muted">{page.description}</p> : null}
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}

      <StatusPageIncidents page={page} />
      <StatusComponents page={page} base={base} reload={load} />
      <StatusMaintenancePanel page={page} base={base} reload={load} />

      {admin ? (
        <>
          <StatusSubscribers page={page} base={base} />
          <section className="panel" aria-labelledby="page-settings-h">
            <h2 id="page-settings-h">{t('status.settings')}</h2>
            <StatusPageForm key={page.updatedAt} id="page-settings" existing={page} submitLabel={t('common.save')} onSubmit={save}>
              {saved ? <p className="ok-text" role="status">{t('common.saved')}</p> : null}
            </StatusPageForm>
          </section>
          <section className="panel danger-zone" aria-labelledby="page-danger-h">
            <h2 id="page-danger-h">{t('status.dangerZone')}</h2>
            <FormError error={danger.error} />
            {confirmDelete ? (
              <div className="confirm" role="group" aria-labelledby="confirm-page-delete">
                <p id="confirm-page-delete" className="warn-text">{t('status.deleteConfirm', { name: page.name })}</p>
                <div className="actions">
                  <button type="button" onClick={() => setConfirmDelete(false)}>{t('common.cancel')}</button>
                  <button type="button" className="danger" disabled={danger.busy} onClick={remove} autoFocus>{t('status.deleteNow')}</button>
                </div>
              </div>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>{t('status.delete')}</button>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
