// Decisions with their rationale and the risk accepted (seed 003: "roll back; risk accepted by IC").
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { IncidentDetail } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { UserSelect } from './user-select.js';

/** Record a decision; list the decisions, newest first. */
export function DecisionsPanel({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const { t, fmt, user, canAct } = useApp();
  const [decision, setDecision] = useState('');
  const [rationale, setRationale] = useState('');
  const [risk, setRisk] = useState('');
  const [decidedById, setDecidedById] = useState(user.id);
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', `/incidents/${incident.id}/decisions`, { decision, rationale, risk, decidedById });
      setDecision('');
      setRationale('');
      setRisk('');
      reload();
    });
  };
  const err = (f: string) => error?.field(f);
  const list = [...incident.decisions].reverse();
  return (
    <section className="panel" aria-labelledby="decisions-h">
      <h2 id="decisions-h">{t('decisions.title')}</h2>
      {list.length === 0 ? <p className="muted">{t('decisions.empty')}</p> : (
        <ol className="decisions" data-testid="decisions">
          {list.map((d) => (
            <li key={d.id}>
              <div className="decision-text">⚖ {d.decision}</div>
              <dl>
                <div><dt>{t('decisions.rationale')}</dt><dd>{d.rationale}</dd></div>
                <div><dt>{t('decisions.risk')}</dt><dd className="risk">{d.risk}</dd></div>
              </dl>
              <div className="muted small">{t('decisions.by', { name: d.decidedBy.name, time: fmt.dateTime(d.decidedAt) })}</div>
            </li>
          ))}
        </ol>
      )}
      {canAct ? (
        <form className="subform" onSubmit={submit} noValidate aria-labelledby="decision-new-h" data-testid="decision-form">
          <h3 id="decision-new-h">{t('decisions.new')}</h3>
          <FormError error={error} fields={['decision', 'rationale', 'risk', 'decidedById']} />
          <Field id="decision-text" label={t('decisions.decision')} error={err('decision')}>
            <input id="decision-text" value={decision} onChange={(e) => setDecision(e.target.value)} {...describedBy('decision-text', err('decision'))} />
          </Field>
          <Field id="decision-why" label={t('decisions.rationale')} error={err('rationale')}>
            <textarea id="decision-why" rows={2} value={rationale} onChange={(e) => setRationale(e.target.value)} {...describedBy('decision-why', err('rationale'))} />
          </Field>
          <div className="row">
            <Field id="decision-risk" label={t('decisions.risk')} hint={t('decisions.riskHint')} error={err('risk')}>
              <input id="decision-risk" value={risk} onChange={(e) => setRisk(e.target.value)} {...describedBy('decision-risk', err('risk'), true)} />
            </Field>
            <Field id="decision-by" label={t('decisions.decidedBy')} error={err('decidedById')}>
              <UserSelect id="decision-by" value={decidedById} onChange={(e) => setDecidedById(e.target.value)} />
            </Field>
          </div>
          <div className="actions"><button type="submit" className="primary" disabled={busy}>{t('decisions.submit')}</button></div>
        </form>
      ) : null}
    </section>
  );
}
