// Admin: alert routes, in order — the first whose integration and matchers fit a new group decides its
// service, escalation policy and whether an incident is declared. Saving replaces the whole list.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { IntegrationsNav } from '../components/alerts-nav.js';
import { Field, FormError, problemAt, useAction } from '../components/form.js';
import { draftProblem, fromDrafts, type MatcherDraft, MatchersEditor, toDrafts } from '../components/matchers-editor.js';
import { Link } from '../router.js';
import { SEVERITIES } from '../../../src/shared/phases.js';
import type { AlertRoute, EscalationPolicy, Integration, Severity } from '../types.js';

interface RouteDraft {
  key: number; name: string; integrationId: string; matchers: MatcherDraft[]; service: string; escalationPolicy: string; declareSeverity: Severity | '';
}

let nextKey = 1;
function toDraft(r?: AlertRoute): RouteDraft {
  return {
    key: nextKey++, name: r?.name ?? '', integrationId: r?.integrationId ?? '', matchers: r ? toDrafts(r.matchers) : [],
    service: r?.service ?? '', escalationPolicy: r?.escalationPolicy ?? '', declareSeverity: r?.declareSeverity ?? '',
  };
}

/** The page for /admin/alert-routes. */
export function AdminAlertRoutesPage() {
  const { t } = useApp();
  const [drafts, setDrafts] = useState<RouteDraft[] | null>(null);
  const [savedJson, setSavedJson] = useState('');
  const [integrations, setIntegrations] = useState<Integration[]>([]);
  const [policies, setPolicies] = useState<EscalationPolicy[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  const body = (ds: RouteDraft[]) => ({
    routes: ds.map((d) => ({
      name: d.name, integrationId: d.integrationId || null, matchers: fromDrafts(d.matchers),
      service: d.service.trim() || null, escalationPolicy: d.escalationPolicy || null, declareSeverity: d.declareSeverity || null,
    })),
  });
  const accept = (routes: AlertRoute[]) => {
    const ds = routes.map((r) => toDraft(r));
    setDrafts(ds);
    setSavedJson(JSON.stringify(body(ds)));
  };
  useEffect(() => {
    api<{ routes: AlertRoute[] }>('GET', '/alert-routes').then((r) => accept(r.routes)).catch((e: Error) => setFailed(e.message));
    api<{ integrations: Integration[] }>('GET', '/integrations').then((r) => setIntegrations(r.integrations)).catch(() => {});
    api<{ policies: EscalationPolicy[] }>('GET', '/escalation-policies').then((r) => setPolicies(r.policies)).catch(() => {});
  }, []);

  if (!drafts) {
    return (
      <div className="page narrow-page">
        <IntegrationsNav />
        <h1>{t('routes.title')}</h1>
        {failed ? <p className="form-error" role="alert">{failed}</p> : <p className="muted">{t('app.loading')}</p>}
      </div>
    );
  }
  const edit = (key: number, patch: Partial<RouteDraft>) => { setSaved(false); setDrafts(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d))); };
  const move = (at: number, by: -1 | 1) => {
    const next = drafts.slice();
    const [item] = next.splice(at, 1);
    if (!item) return;
    next.splice(at + by, 0, item);
    setSaved(false);
    setDrafts(next);
  };
  const dirty = JSON.stringify(body(drafts)) !== savedJson;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (drafts.some((d) => d.matchers.some((m) => draftProblem(m, t)))) return;
    void run(async () => {
      const r = await api<{ routes: AlertRoute[] }>('PUT', '/alert-routes', body(drafts));
      accept(r.routes);
      setSaved(true);
    });
  };

  return (
    <div className="page narrow-page">
      <IntegrationsNav />
      <h1>{t('routes.title')}</h1>
      <p className="muted section-hint">{t('routes.intro')} <Link to="/admin/escalation-policies">{t('policies.manage')}</Link></p>
      <form onSubmit={submit} noValidate data-testid="routes-form">
        <FormError error={error} fields={['routes']} />
        {drafts.length === 0 ? <p className="empty">{t('routes.empty')}</p> : null}
        <ol className="route-list">
          {drafts.map((d, i) => {
            const p = `routes.${i}`;
            const rid = `route-${d.key}`;
            return (
              <li key={d.key} className="panel route-card" aria-labelledby={`${rid}-h`}>
                <div className="panel-head">
                  <h2 id={`${rid}-h`}><span className="route-index">{i + 1}.</span> {d.name || t('routes.unnamed')}</h2>
                  <div className="role-buttons">
                    <button type="button" className="icon-button" disabled={i === 0} onClick={() => move(i, -1)}
                      aria-label={t('routes.moveUp', { name: d.name || String(i + 1) })} title={t('routes.moveUp', { name: d.name || String(i + 1) })}>↑</button>
                    <button type="button" className="icon-button" disabled={i === drafts.length - 1} onClick={() => move(i, 1)}
                      aria-label={t('routes.moveDown', { name: d.name || String(i + 1) })} title={t('routes.moveDown', { name: d.name || String(i + 1) })}>↓</button>
                    <button type="button" className="icon-button danger" onClick={() => { setSaved(false); setDrafts(drafts.filter((x) => x.key !== d.key)); }}
                      aria-label={t('routes.remove', { name: d.name || String(i + 1) })} title={t('routes.remove', { name: d.name || String(i + 1) })}>✕</button>
                  </div>
                </div>
                <div className="row">
                  <Field id={`${rid}-name`} label={t('routes.name')} error={problemAt(error, `${p}.name`)}>
                    <input id={`${rid}-name`} value={d.name} onChange={(e) => edit(d.key, { name: e.target.value })} />
                  </Field>
                  <Field id={`${rid}-integration`} label={t('alerts.colIntegration')} error={problemAt(error, `${p}.integrationId`)}>
                    <select id={`${rid}-integration`} value={d.integrationId} onChange={(e) => edit(d.key, { integrationId: e.target.value })}>
                      <option value="">{t('routes.anyIntegration')}</option>
                      {integrations.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
                    </select>
                  </Field>
                </div>
                <MatchersEditor id={rid} drafts={d.matchers} onChange={(m) => edit(d.key, { matchers: m })} error={error} path={`${p}.matchers`} emptyHint={t('routes.matchesAll')} />
                <div className="row">
                  <Field id={`${rid}-service`} label={t('alerts.colService')} error={problemAt(error, `${p}.service`)}>
                    <input id={`${rid}-service`} value={d.service} onChange={(e) => edit(d.key, { service: e.target.value })} />
                  </Field>
                  <Field id={`${rid}-policy`} label={t('group.escalation')} hint={t('routes.policyHint')} error={problemAt(error, `${p}.escalationPolicy`)}>
                    <select id={`${rid}-policy`} value={d.escalationPolicy} onChange={(e) => edit(d.key, { escalationPolicy: e.target.value })} aria-describedby={`${rid}-policy-hint`}>
                      <option value="">{t('routes.noPolicy')}</option>
                      {/* A policy deleted since (or not loaded) still shows, by its id, rather than silently becoming "none". */}
                      {d.escalationPolicy && !policies.some((x) => x.id === d.escalationPolicy) ? <option value={d.escalationPolicy}>{d.escalationPolicy}</option> : null}
                      {policies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
                    </select>
                  </Field>
                  <Field id={`${rid}-declare`} label={t('routes.declare')} error={problemAt(error, `${p}.declareSeverity`)} className="narrow">
                    <select id={`${rid}-declare`} value={d.declareSeverity} onChange={(e) => edit(d.key, { declareSeverity: e.target.value as Severity | '' })}>
                      <option value="">{t('routes.noDeclare')}</option>
                      {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
                    </select>
                  </Field>
                </div>
              </li>
            );
          })}
        </ol>
        <div className="actions routes-add">
          <button type="button" onClick={() => { setSaved(false); setDrafts([...drafts, toDraft()]); }}>+ {t('routes.add')}</button>
        </div>
        <div className="save-bar">
          <button type="submit" className="primary" disabled={busy || !dirty}>{t('routes.save')}</button>
          <span className="save-status" role="status">
            {saved && !dirty ? <span className="ok-text">✓ {t('common.saved')}</span> : dirty ? <span className="warn-text">{t('settings.unsaved')}</span> : null}
          </span>
        </div>
      </form>
    </div>
  );
}
