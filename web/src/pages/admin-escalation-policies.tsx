// Admin: escalation policies — each with its levels in words; create, edit in place, delete (refused
// while an alert route sends to the policy: the server's reason is shown).
import { useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { IntegrationsNav } from '../components/alerts-nav.js';
import { FormError, useAction } from '../components/form.js';
import { type PagingChoices, usePagingChoices } from '../components/paging-parts.js';
import { PolicyForm } from '../components/policy-form.js';
import type { EscalationPolicy, PolicyInput } from '../types.js';

/** The page for /admin/escalation-policies. */
export function AdminEscalationPoliciesPage() {
  const { t } = useApp();
  const choices = usePagingChoices();
  const [adding, setAdding] = useState(false);
  const policies = choices.policies;

  const create = async (body: PolicyInput) => {
    await api<EscalationPolicy>('POST', '/escalation-policies', body);
    setAdding(false);
    choices.reloadPolicies();
  };

  return (
    <div className="page narrow-page">
      <IntegrationsNav />
      <div className="page-head">
        <h1>{t('policies.title')}</h1>
        <div className="spacer" />
        {adding ? null : <button type="button" className="primary" onClick={() => setAdding(true)}>+ {t('policies.new')}</button>}
      </div>
      <p className="muted section-hint">{t('policies.intro')}</p>
      {adding ? (
        <section className="panel" aria-labelledby="new-policy-h">
          <div className="panel-head">
            <h2 id="new-policy-h">{t('policies.new')}</h2>
            <button type="button" className="ghost" onClick={() => setAdding(false)}>{t('common.cancel')}</button>
          </div>
          <PolicyForm id="new-policy" existing={null} choices={choices} submitLabel={t('policies.create')} onSubmit={create} />
        </section>
      ) : null}
      {policies === null ? <p className="muted">{t('app.loading')}</p> : policies.length === 0 ? <p className="empty">{t('policies.empty')}</p> : (
        <ul className="route-list" data-testid="policies">
          {policies.map((p) => <PolicyCard key={`${p.id}-${p.updatedAt}`} policy={p} choices={choices} />)}
        </ul>
      )}
    </div>
  );
}

/** One policy: its levels in words, or its form while editing; delete with confirmation. */
function PolicyCard({ policy, choices }: { policy: EscalationPolicy; choices: PagingChoices }) {
  const { t } = useApp();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const remove = useAction();
  const hid = `policy-${policy.id}-h`;

  const save = async (body: PolicyInput) => {
    await api<EscalationPolicy>('PATCH', `/escalation-policies/${encodeURIComponent(policy.id)}`, body);
    setEditing(false);
    choices.reloadPolicies();
  };
  const destroy = () => void remove.run(async () => {
    await api('DELETE', `/escalation-policies/${encodeURIComponent(policy.id)}`);
    choices.reloadPolicies();
  });

  return (
    <li className="panel route-card" aria-labelledby={hid} data-testid="policy-card">
      <div className="panel-head">
        <h2 id={hid}>{editing ? t('policies.editing', { name: policy.name }) : policy.name}</h2>
        {editing ? null : (
          <div className="role-buttons">
            <button type="button" onClick={() => { setEditing(true); setConfirming(false); }} aria-label={t('policies.editOne', { name: policy.name })}>{t('policies.edit')}</button>
            <button type="button" className="danger" onClick={() => { setConfirming(true); remove.setError(null); }}
              aria-label={t('policies.deleteOne', { name: policy.name })}>{t('policies.delete')}</button>
          </div>
        )}
      </div>
      {editing ? (
        <PolicyForm id={`edit-${policy.id}`} existing={policy} choices={choices} submitLabel={t('policies.save')} onSubmit={save}>
          <button type="button" onClick={() => setEditing(false)}>{t('common.cancel')}</button>
        </PolicyForm>
      ) : (
        <>
          {policy.description ? <p className="muted">{policy.description}</p> : null}
          <p className="muted small">
            {policy.team ? `${t('oncall.team')}: ${policy.team.name} · ` : ''}
            {t('policies.levelCount', { n: policy.levels.length })} · {policy.repeat > 0 ? t('policies.repeatSummary', { n: policy.repeat }) : t('policies.noRepeatSummary')}
          </p>
          <ol className="layer-summary policy-levels" data-testid="policy-levels">
            {policy.levels.map((l, i) => (
              <li key={i}>
                <strong>{t('policies.levelN', { n: i + 1 })}</strong>{' '}
                <span>{l.targets.map((x) => `${t(`paging.target.${x.type}`)}: ${x.name}`).join(', ')}</span>{' '}
                <span className="muted small">· {t('policies.levelSummary', { n: l.timeoutMinutes })}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {confirming && !editing ? (
        <div className="confirm" role="group" aria-labelledby={`${hid}-confirm`}>
          <p id={`${hid}-confirm`} className="warn-text">{t('policies.deleteConfirm', { name: policy.name })}</p>
          <FormError error={remove.error} />
          <div className="actions">
            <button type="button" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
            <button type="button" className="danger" disabled={remove.busy} onClick={destroy} autoFocus>{t('policies.deleteNow')}</button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
