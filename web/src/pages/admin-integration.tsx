// Admin: one integration — where the sender points, paste-ready snippets, what the source last said,
// settings, key rotation and disabling (each confirmed in place).
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { IntegrationsNav } from '../components/alerts-nav.js';
import { CopyButton } from '../components/copy-button.js';
import { FormError, useAction } from '../components/form.js';
import { type IntegrationBody, IntegrationForm, KeyPanel, Snippets } from '../components/integration-form.js';
import { Link } from '../router.js';
import type { Integration, IntegrationWithKey, SourceInfo } from '../types.js';

/** The page for /admin/integrations/:id. */
export function AdminIntegrationPage({ integrationId }: { integrationId: string }) {
  const { t, fmt, locale } = useApp();
  const [integration, setIntegration] = useState<Integration | null>(null);
  const [sources, setSources] = useState<SourceInfo[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [rotated, setRotated] = useState<IntegrationWithKey | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirm, setConfirm] = useState<'rotate' | 'disable' | null>(null);
  const danger = useAction();
  const path = `/integrations/${encodeURIComponent(integrationId)}`;

  const load = useCallback(() => {
    api<Integration>('GET', path)
      .then((i) => { setIntegration(i); setFailed(null); })
      .catch((e: unknown) => setFailed(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e)));
  }, [path]);
  useEffect(load, [load]);
  useEffect(() => {
    api<{ sources: SourceInfo[] }>('GET', '/sources').then((r) => setSources(r.sources)).catch(() => {});
  }, []);

  if (!integration) {
    return (
      <div className="page">
        <IntegrationsNav />
        {failed ? <div role="alert" className="form-error">{failed}</div> : <p className="muted">{t('app.loading')}</p>}
        <p><Link to="/admin/integrations">← {t('integrations.back')}</Link></p>
      </div>
    );
  }
  const i = integration;
  const source = sources.find((s) => s.id === i.source) ?? null;
  const save = async (body: IntegrationBody) => {
    setSaved(false);
    setIntegration(await api<Integration>('PATCH', path, body));
    setSaved(true);
  };
  const rotate = () => void danger.run(async () => {
    const r = await api<IntegrationWithKey>('POST', `${path}/rotate-key`);
    setRotated(r);
    setIntegration(r);
    setConfirm(null);
  });
  const disable = () => void danger.run(async () => {
    await api('DELETE', path);
    setConfirm(null);
    load();
  });
  const enable = () => void danger.run(async () => { setIntegration(await api<Integration>('PATCH', path, { disabled: false })); });

  return (
    <div className="page narrow-page integration-page">
      <IntegrationsNav />
      <p className="crumbs"><Link to="/admin/integrations">← {t('integrations.back')}</Link></p>
      <div className="page-head">
        <h1>{i.name}</h1>
        <span className="badge">{source?.name[locale] ?? i.source}</span>
        {i.disabledAt ? <span className="badge overdue">{t('users.disabled')}</span> : null}
      </div>
      <dl className="facts">
        <div><dt>{t('integrations.keyPrefix')}</dt><dd className="mono">{i.keyPrefix}…</dd></div>
        <div><dt>{t('integrations.lastReceived')}</dt><dd>{i.lastReceivedAt ? fmt.dateTime(i.lastReceivedAt) : t('common.never')}</dd></div>
        <div><dt>{t('integrations.openGroups')}</dt><dd><Link to={`/alerts?integrationId=${encodeURIComponent(i.id)}`}>{fmt.number(i.openGroups)}</Link></dd></div>
        <div><dt>{t('integrations.created')}</dt><dd>{fmt.dateTime(i.createdAt)}</dd></div>
      </dl>
      {rotated ? <KeyPanel created={rotated} onDismiss={() => setRotated(null)} /> : null}
      {i.note ? <p className="notice" data-testid="integration-note"><strong>{t('integrations.note')}:</strong> {i.note}</p> : null}

      <section className="panel" aria-labelledby="urls-h">
        <h2 id="urls-h">{t('integrations.urls')}</h2>
        <ul className="url-list">
          {i.urls.map((u) => (
            <li key={u} className="secret-row"><code>{u}</code><CopyButton text={u} ariaLabel={t('integrations.copyUrl')} /></li>
          ))}
        </ul>
        <p className="hint">{t('integrations.urlsHint')}</p>
        <h2 className="snippets-h">{t('integrations.snippets')}</h2>
        <Snippets snippets={i.snippets} />
      </section>

      <section className="panel" aria-labelledby="settings-h">
        <h2 id="settings-h">{t('integrations.settings')}</h2>
        {source ? (
          <IntegrationForm key={i.updatedAt} id="edit-integration" source={source} existing={i} submitLabel={t('common.save')} onSubmit={save}>
            {saved ? <p className="ok-text" role="status">{t('common.saved')}</p> : null}
          </IntegrationForm>
        ) : <p className="muted">{t('app.loading')}</p>}
      </section>

      <section className="panel danger-zone" aria-labelledby="danger-h">
        <h2 id="danger-h">{t('integrations.keyAndState')}</h2>
        <FormError error={danger.error} />
        {confirm === 'rotate' ? (
          <div className="confirm" role="group" aria-labelledby="confirm-rotate">
            <p id="confirm-rotate" className="warn-text">{t('integrations.rotateConfirm')}</p>
            <div className="actions">
              <button type="button" onClick={() => setConfirm(null)}>{t('common.cancel')}</button>
              <button type="button" className="danger" disabled={danger.busy} onClick={rotate} autoFocus>{t('integrations.rotateNow')}</button>
            </div>
          </div>
        ) : confirm === 'disable' ? (
          <div className="confirm" role="group" aria-labelledby="confirm-disable">
            <p id="confirm-disable" className="warn-text">{t('integrations.disableConfirm')}</p>
            <div className="actions">
              <button type="button" onClick={() => setConfirm(null)}>{t('common.cancel')}</button>
              <button type="button" className="danger" disabled={danger.busy} onClick={disable} autoFocus>{t('integrations.disableNow')}</button>
            </div>
          </div>
        ) : (
          <div className="row">
            <button type="button" onClick={() => setConfirm('rotate')}><span aria-hidden="true">↻</span> {t('integrations.rotate')}</button>
            {i.disabledAt ? (
              <button type="button" disabled={danger.busy} onClick={enable}>{t('users.enable')}</button>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirm('disable')}>{t('users.disable')}</button>
            )}
          </div>
        )}
        <p className="hint">{t('integrations.disableHint')}</p>
      </section>
    </div>
  );
}
