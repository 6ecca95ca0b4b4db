// One composer, three audiences: what you type is previewed exactly as the server will render it,
// in both languages (src/shared/render.ts), then posted. Below: what each audience has been told.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { AUDIENCES, PHASES } from '../../../src/shared/phases.js';
import { renderUpdate } from '../../../src/shared/render.js';
import type { Audience, IncidentDetail, Phase } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { CopyButton } from './copy-button.js';
import { tabListKeys } from './tab-keys.js';

/** The status update composer with live en/ja preview and the posted updates. */
export function Composer({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const { t, settings, locale, fmt, canAct } = useApp();
  const [audience, setAudience] = useState<Audience>('public');
  const [phase, setPhase] = useState<Phase>(incident.phase);
  const [body, setBody] = useState('');
  const [impact, setImpact] = useState('');
  const [eta, setEta] = useState('');
  const [decisionsNeeded, setDecisionsNeeded] = useState('');
  const { busy, error, run } = useAction();
  // Follow the incident's phase when it moves (unless the composer is mid-message).
  useEffect(() => { if (!body) setPhase(incident.phase); }, [incident.phase]); // eslint-disable-line react-hooks/exhaustive-deps

  const stakeholder = audience === 'stakeholder';
  const content = { phase, body, ...(stakeholder ? { impact, eta, decisionsNeeded } : {}) };
  const facts = { number: incident.number, title: incident.title, severity: incident.severity, commander: incident.commander?.name ?? null, drill: incident.drill };
  const preview = (l: 'en' | 'ja') => renderUpdate(settings.templates, audience, l, facts, content);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', `/incidents/${incident.id}/updates`, {
        audience, phase, body,
        ...(stakeholder ? { impact: impact || undefined, eta: eta || undefined, decisionsNeeded: decisionsNeeded || undefined } : {}),
      });
      setBody('');
      setImpact('');
      setEta('');
      setDecisionsNeeded('');
      reload();
    });
  };
  const err = (f: string) => error?.field(f);
  const posted = incident.updates.filter((u) => u.audience === audience).slice().reverse();

  return (
    <section className="panel composer" aria-labelledby="composer-h">
      <h2 id="composer-h">{t('composer.title')}</h2>
      <div className="tabs" role="tablist" aria-label={t('composer.title')} onKeyDown={tabListKeys}>
        {AUDIENCES.map((a) => (
          <button key={a} type="button" role="tab" id={`aud-${a}`} aria-selected={audience === a} aria-controls={canAct ? 'composer-form' : 'composer-posted'} className="tab" tabIndex={audience === a ? 0 : -1}
            onClick={() => setAudience(a)}>
            {t(`audience.${a}`)}
            {incident.clocks.audiences[a].overdue && incident.phase !== 'resolved' ? <span className="dot-late" aria-hidden="true" /> : null}
          </button>
        ))}
      </div>
      {canAct ? (
        <form id="composer-form" role="tabpanel" aria-labelledby={`aud-${audience}`} onSubmit={submit} noValidate data-testid="composer">
          <FormError error={error} fields={['phase', 'body', 'impact', 'eta', 'decisionsNeeded']} />
          <div className="composer-grid">
            <div>
              <Field id="update-phase" label={t('composer.phase')} error={err('phase')}>
                <select id="update-phase" value={phase} onChange={(e) => setPhase(e.target.value as Phase)}>
                  {PHASES.map((p) => <option key={p} value={p}>{t(`phase.${p}`)}</option>)}
                </select>
              </Field>
              {phase !== incident.phase ? <p className="notice small">{t('composer.phaseMoves', { phase: t(`phase.${phase}`) })}</p> : null}
              <Field id="update-body" label={t('composer.body')} hint={t(`composer.bodyHint.${audience}`)} error={err('body')}>
                <textarea id="update-body" rows={4} value={body} onChange={(e) => setBody(e.target.value)} {...describedBy('update-body', err('body'), true)} />
              </Field>
              {stakeholder ? (
                <>
                  <Field id="update-impact" label={t('composer.impact')} error={err('impact')}>
                    <input id="update-impact" value={impact} onChange={(e) => setImpact(e.target.value)} />
                  </Field>
                  <div className="row">
                    <Field id="update-eta" label={t('composer.eta')} error={err('eta')}>
                      <input id="update-eta" value={eta} onChange={(e) => setEta(e.target.value)} />
                    </Field>
                    <Field id="update-decisions" label={t('composer.decisionsNeeded')} error={err('decisionsNeeded')}>
                      <input id="update-decisions" value={decisionsNeeded} onChange={(e) => setDecisionsNeeded(e.target.value)} />
                    </Field>
                  </div>
                </>
              ) : null}
            </div>
            <div className="preview" aria-label={t('composer.preview')}>
              <div className="preview-label">{t('composer.preview')} · {t('composer.previewEn')}</div>
              <pre lang="en" data-testid="preview-en">{preview('en')}</pre>
              <div className="preview-label">{t('composer.preview')} · {t('composer.previewJa')}</div>
              <pre lang="ja" data-testid="preview-ja">{preview('ja')}</pre>
            </div>
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>{t('composer.post', { audience: t(`audience.${audience}`) })}</button>
          </div>
        </form>
      ) : null}
      <div id="composer-posted" {...(canAct ? {} : { role: 'tabpanel', 'aria-labelledby': `aud-${audience}` })}>
        <h3>{t('composer.posted', { audience: t(`audience.${audience}`) })}</h3>
        {posted.length === 0 ? <p className="muted">{t('composer.noneYet')}</p> : (
          <ol className="updates" data-testid={`updates-${audience}`}>
            {posted.map((u) => (
              <li key={u.id}>
                <pre lang={locale}>{u.rendered[locale]}</pre>
                <div className="update-meta">
                  <span className="muted small">{t('composer.by', { name: u.author?.name ?? t('timeline.system'), time: fmt.dateTime(u.createdAt) })}</span>
                  <span className="update-copy">
                    <CopyButton className="small-button" text={u.rendered.en} label={t('composer.copyIn', { language: 'English' })} />
                    <CopyButton className="small-button" text={u.rendered.ja} label={t('composer.copyIn', { language: '日本語' })} />
                  </span>
                </div>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
