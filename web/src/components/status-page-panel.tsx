// The war room's status page panel: what customers see of this incident (components, public title),
// and the ten-minute rule — until the first public update is out, a ticking "no public word yet" and
// ONE action that posts ready-made words (seed 001: the first public notice came 36 minutes in).
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import { PHASES } from '../../../src/shared/phases.js';
import { publicTemplate } from '../../../src/shared/public-templates.js';
import type { IncidentDetail, IncidentFace, Locale, Phase, StatusPageListItem } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { ComponentStatusBadge } from './status-badges.js';
import { minutesBetween } from './status-incidents.js';
import { StatusPageLinks } from './status-page-links.js';

/** The panel; `version` changes whenever the war room reloads (the incident's stream said something changed). */
export function StatusPagePanel({ incident, version, reload }: { incident: IncidentDetail; version: number; reload: () => void }) {
  const { t, fmt, canAct } = useApp();
  const [face, setFace] = useState<IncidentFace | null>(null);
  const [pages, setPages] = useState<StatusPageListItem[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const path = `/incidents/${encodeURIComponent(incident.id)}/status-page`;

  const load = useCallback(() => {
    Promise.all([api<IncidentFace>('GET', path), api<{ pages: StatusPageListItem[] }>('GET', '/status-pages')])
      .then(([f, p]) => { setFace(f); setPages(p.pages); setFailed(null); })
      .catch((e: unknown) => setFailed(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e)));
  }, [path]);
  useEffect(load, [load, version]);

  const firstAt = incident.clocks.firstPublicUpdate.metAt ?? incident.updates.find((u) => u.audience === 'public')?.createdAt ?? null;
  // Pages this incident shows on, once each, in the order of its components.
  const linkedPages = [...new Map((face?.components ?? []).map((c) => [c.pageId, { id: c.pageId, name: c.pageName, slug: c.pageSlug }])).values()];
  const pageLocale = pages.find((p) => p.id === linkedPages[0]?.id)?.locale;

  return (
    <section className="panel status-page-panel" aria-labelledby="status-panel-h" data-testid="status-page-panel">
      <div className="panel-head">
        <h2 id="status-panel-h">{t('statusPanel.title')}</h2>
        {canAct && face && !editing ? (
          <button type="button" className="small-button" onClick={() => setEditing(true)}>{face.components.length ? t('statusPanel.edit') : t('statusPanel.link')}</button>
        ) : null}
      </div>
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      {incident.drill ? <p className="notice small">{t('statusPanel.drill')}</p> : null}

      {firstAt ? (
        <p className="public-went-out" data-testid="public-went-out">
          <span className="ok-text">✓ {t('statusPanel.wentOut', { time: fmt.dateTime(firstAt), after: fmt.duration(Math.max(0, (Date.parse(firstAt) - Date.parse(incident.declaredAt)) / 1000)) })}</span>
          {linkedPages.map((p) => (
            <span key={p.id}> · <a href={`/status/${encodeURIComponent(p.slug)}/`} target="_blank" rel="noopener noreferrer">{t('statusPanel.seePublic', { name: p.name })}</a></span>
          ))}
        </p>
      ) : incident.phase !== 'resolved' ? (
        <FirstPublicUpdate incident={incident} face={face} locale={pageLocale} needsLink={pages.length > 0 && (face?.components.length ?? 0) === 0} reload={reload} />
      ) : null}

      {face ? (
        <>
          <dl className="facts public-face">
            <div>
              <dt>{t('statusPanel.publicTitle')}</dt>
              <dd data-testid="public-title">{face.publicTitle ?? t('statusPanel.publicTitleFallback')}</dd>
            </div>
          </dl>
          {face.components.length === 0 ? <p className="muted small">{pages.length ? t('statusPanel.notLinked') : t('statusPanel.noPages')}</p> : (
            <ul className="linked-components" data-testid="linked-components">
              {face.components.map((c) => (
                <li key={c.componentId}>
                  <span className="muted small">{c.pageName} ›</span> <strong>{c.name}</strong> <ComponentStatusBadge status={c.status} />
                </li>
              ))}
            </ul>
          )}
          {editing ? (
            <StatusPageLinks incident={incident} face={face} pages={pages} onCancel={() => setEditing(false)} onDone={() => { setEditing(false); load(); }} />
          ) : null}
        </>
      ) : failed ? null : <p className="muted">{t('app.loading')}</p>}
    </section>
  );
}

/** "No public word yet — 7 min" and the one action, with the words it will post (editable). */
function FirstPublicUpdate({ incident, face, locale: pageLocale, needsLink, reload }: {
  incident: IncidentDetail; face: IncidentFace | null; locale: Locale | undefined;
  /** Status pages exist but none of this incident's components is linked: the words would reach no page and no subscriber. */
  needsLink: boolean; reload: () => void;
}) {
  const { t, locale: myLocale, canAct } = useApp();
  const now = useNow(1000);
  const [phase, setPhase] = useState<Phase>(incident.phase);
  // null: follow the template (it refills when the phase or the components change); text: edited by hand.
  const [draft, setDraft] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  // Follow the incident's phase when it moves, unless the words were edited by hand.
  useEffect(() => { if (draft === null) setPhase(incident.phase); }, [incident.phase]); // eslint-disable-line react-hooks/exhaustive-deps
  const locale = pageLocale ?? myLocale;
  const target = incident.clocks.firstPublicUpdate.targetMinutes;
  const late = now - Date.parse(incident.declaredAt) > target * 60_000;
  const names = (face?.components ?? []).map((c) => c.name);
  const template = publicTemplate(locale, phase, [...new Set(names)], incident.clocks.audiences.public.cadenceMinutes);
  const body = draft ?? template;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', `/incidents/${encodeURIComponent(incident.id)}/updates`, { audience: 'public', phase, body });
      reload();
    });
  };
  const bodyErr = error?.field('body');
  return (
    <div className={`public-first${late ? ' late' : ''}`} data-testid="public-first">
      <p className="public-first-clock" data-testid="no-public-word" data-late={late}>
        <span aria-hidden="true">◷ </span>{t('statusPanel.noPublicWord', { time: t('status.minutes', { n: minutesBetween(incident.declaredAt, now) }) })}
      </p>
      <p className="small">{t('statusPanel.noPublicWordHint', { n: target })}</p>
      {canAct ? (
        <form onSubmit={submit} noValidate data-testid="first-public-form" aria-label={t('statusPanel.firstUpdate')}>
          <FormError error={error} fields={['phase', 'body']} />
          <div className="row">
            <Field id="first-phase" label={t('statusPanel.firstPhase')} error={error?.field('phase')} className="narrow">
              <select id="first-phase" value={phase} onChange={(e) => { setPhase(e.target.value as Phase); setDraft(null); }}>
                {PHASES.map((p) => <option key={p} value={p}>{t(`phase.${p}`)}</option>)}
              </select>
            </Field>
            <Field id="first-body" label={t('statusPanel.firstBody')} hint={t('statusPanel.firstBodyHint', { language: t(`statusPanel.language.${locale}`) })} error={bodyErr}>
              <textarea id="first-body" rows={3} lang={locale} value={body} onChange={(e) => setDraft(e.target.value)} {...describedBy('first-body', bodyErr, true)} />
            </Field>
          </div>
          {phase !== incident.phase ? <p className="notice small">{t('composer.phaseMoves', { phase: t(`phase.${phase}`) })}</p> : null}
          {needsLink ? <p className="notice small" data-testid="first-needs-link">{t('statusPanel.linkFirst')}</p> : null}
          <div className="actions">
            <button type="submit" className="primary big" disabled={busy || !body.trim() || needsLink}>{t('statusPanel.postFirst')}</button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
