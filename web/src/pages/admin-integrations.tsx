// Admin: inbound integrations (one key each) and adding one: pick a source, name it, configure it,
// then copy the key and the sender's configuration — the key is shown once.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { IntegrationsNav } from '../components/alerts-nav.js';
import { type IntegrationBody, IntegrationForm, KeyPanel } from '../components/integration-form.js';
import { useNow } from '../live.js';
import { Link, navigate } from '../router.js';
import type { Integration, IntegrationWithKey, SourceId, SourceInfo } from '../types.js';

/** The page for /admin/integrations. */
export function AdminIntegrationsPage() {
  const { t, fmt, locale } = useApp();
  const [integrations, setIntegrations] = useState<Integration[] | null>(null);
  const [sources, setSources] = useState<SourceInfo[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<IntegrationWithKey | null>(null);
  const now = useNow(30_000);

  const load = useCallback(() => {
    api<{ integrations: Integration[] }>('GET', '/integrations')
      .then((r) => { setIntegrations(r.integrations); setFailed(null); })
      .catch((e: Error) => setFailed(e.message));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    api<{ sources: SourceInfo[] }>('GET', '/sources').then((r) => setSources(r.sources)).catch((e: Error) => setFailed(e.message));
  }, []);
  const sourceName = (id: SourceId) => sources.find((s) => s.id === id)?.name[locale] ?? id;

  return (
    <div className="page">
      <IntegrationsNav />
      <div className="page-head">
        <h1>{t('integrations.title')}</h1>
        <div className="spacer" />
        {adding || created ? null : <button type="button" className="primary" onClick={() => setAdding(true)}>+ {t('integrations.add')}</button>}
      </div>
      <p className="muted section-hint">{t('integrations.intro')}</p>
      {created ? <KeyPanel created={created} onDismiss={() => setCreated(null)} /> : null}
      {adding ? (
        <AddIntegration sources={sources} onCancel={() => setAdding(false)}
          onCreated={(c) => { setAdding(false); setCreated(c); load(); }} />
      ) : null}
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      {integrations === null ? <p className="muted">{t('app.loading')}</p> : integrations.length === 0 ? (
        <p className="empty">{t('integrations.empty')}</p>
      ) : (
        <table className="integrations" data-testid="integrations">
          <thead>
            <tr>
              <th scope="col">{t('integrations.name')}</th>
              <th scope="col">{t('integrations.source')}</th>
              <th scope="col">{t('integrations.keyPrefix')}</th>
              <th scope="col">{t('integrations.lastReceived')}</th>
              <th scope="col" className="num">{t('integrations.openGroups')}</th>
              <th scope="col">{t('users.colStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {integrations.map((i) => (
              <tr key={i.id} className={i.disabledAt ? 'muted' : ''} onClick={(e) => { if (!(e.target as HTMLElement).closest('a')) navigate(`/admin/integrations/${encodeURIComponent(i.id)}`); }}>
                <td className="title-cell"><Link to={`/admin/integrations/${encodeURIComponent(i.id)}`}>{i.name}</Link></td>
                <td>{sourceName(i.source)}</td>
                <td className="mono">{i.keyPrefix}…</td>
                <td className="nowrap">{i.lastReceivedAt ? <time dateTime={i.lastReceivedAt} title={fmt.dateTime(i.lastReceivedAt)}>{fmt.ago(i.lastReceivedAt, now)}</time> : <span className="muted">{t('common.never')}</span>}</td>
                <td className="num">
                  {i.openGroups > 0 ? <Link to={`/alerts?integrationId=${encodeURIComponent(i.id)}`}>{fmt.number(i.openGroups)}</Link> : <span className="muted">0</span>}
                </td>
                <td>{i.disabledAt ? <span className="late-text">{t('users.disabled')}</span> : <span className="ok-text">{t('users.active')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Choose a source (cards), then its settings. */
function AddIntegration({ sources, onCreated, onCancel }: { sources: SourceInfo[]; onCreated: (c: IntegrationWithKey) => void; onCancel: () => void }) {
  const { t, locale } = useApp();
  const [sourceId, setSourceId] = useState<SourceId | null>(null);
  const source = sources.find((s) => s.id === sourceId) ?? null;
  const create = async (body: IntegrationBody) => {
    if (!source) return;
    onCreated(await api<IntegrationWithKey>('POST', '/integrations', { source: source.id, ...body }));
  };
  return (
    <section className="panel" aria-labelledby="add-integration-h" data-testid="add-integration">
      <div className="panel-head">
        <h2 id="add-integration-h">{t('integrations.add')}</h2>
        <button type="button" className="ghost" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
      <fieldset className="source-pick">
        <legend>{t('integrations.chooseSource')}</legend>
        {sources.length === 0 ? <p className="muted">{t('app.loading')}</p> : (
          <div className="source-cards">
            {sources.map((s) => (
              <label key={s.id} className="source-card">
                <input type="radio" name="source" value={s.id} checked={sourceId === s.id} onChange={() => setSourceId(s.id)} />
                <span className="source-name">{s.name[locale]}</span>
                {s.paths[0] ? <span className="mono small muted">{s.paths[0]}</span> : null}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      {source ? (
        <IntegrationForm key={source.id} id="new-integration" source={source} submitLabel={t('integrations.create')} onSubmit={create} />
      ) : null}
    </section>
  );
}
