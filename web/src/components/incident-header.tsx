// The war room's head: who, what, how bad, which phase; severity and phase changes; acknowledge.
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { LiveDot, ReadOnlyBadge } from '../pages/incident-list.js';
import { Link } from '../router.js';
import { PHASES, phaseChangeAllowed, SEVERITIES } from '../../../src/shared/phases.js';
import type { IncidentDetail, Phase, Severity } from '../types.js';
import { DrillBadge, OverdueBadges, PhaseBadge, SeverityBadge } from './badges.js';
import { FormError, useAction } from './form.js';
import { IncidentEdit } from './incident-edit.js';

/** Header of the war room. */
export function IncidentHeader({ incident, reload, live }: { incident: IncidentDetail; reload: () => void; live: boolean }) {
  const { t, fmt, canAct } = useApp();
  const [severity, setSeverity] = useState<Severity>(incident.severity);
  useEffect(() => setSeverity(incident.severity), [incident.severity]);
  const moves = PHASES.filter((p) => p !== 'resolved' && phaseChangeAllowed(incident.phase, p));
  const [phase, setPhase] = useState<Phase | ''>('');
  const { busy, error, run } = useAction();
  const base = `/incidents/${incident.id}`;

  const act = (fn: () => Promise<unknown>) => void run(async () => { await fn(); reload(); });
  const changePhase = (to: Phase) => act(async () => { await api('POST', `${base}/phase`, { phase: to }); setPhase(''); });
  const resolved = incident.phase === 'resolved';

  return (
    <section className={`incident-head sev-edge-${incident.severity.toLowerCase()}`} aria-labelledby="incident-title">
      {incident.drill ? <div className="drill-banner" role="note">⚠ {t('war.drillBanner')}</div> : null}
      <div className="crumbs"><Link to="/">← {t('nav.incidents')}</Link><span className="crumbs-right">{canAct ? null : <ReadOnlyBadge />}<LiveDot live={live} /></span></div>
      <div className="head-line">
        <span className="mono ref" data-testid="incident-ref">{incident.ref}</span>
        <SeverityBadge severity={incident.severity} />
        <PhaseBadge phase={incident.phase} />
        {incident.drill ? <DrillBadge /> : null}
        <OverdueBadges incident={incident} />
      </div>
      <h1 id="incident-title">{incident.title}</h1>
      {incident.summary ? <p className="summary">{incident.summary}</p> : null}
      <dl className="facts">
        <div><dt>{t('war.commander')}</dt><dd>{incident.commander?.name ?? t('common.unassigned')}</dd></div>
        <div><dt>{t('war.services')}</dt><dd>{incident.services.length ? incident.services.join(', ') : t('common.none')}</dd></div>
        <div><dd className="muted">{t('war.declaredBy', { time: fmt.dateTime(incident.declaredAt), name: incident.declaredBy?.name ?? t('timeline.system') })}</dd></div>
      </dl>
      {canAct ? (
        <div className="controls">
          {incident.metrics.acknowledgedAt === null ? (
            <button type="button" className="primary" disabled={busy} onClick={() => act(() => api('POST', `${base}/acknowledge`))}>
              ✓ {t('war.acknowledge')}
            </button>
          ) : <span className="muted">✓ {t('war.acknowledged', { time: fmt.time(incident.metrics.acknowledgedAt) })}</span>}
          <form className="inline" onSubmit={(e) => { e.preventDefault(); act(() => api('PATCH', base, { severity })); }}>
            <label htmlFor="change-severity">{t('war.severity')}</label>
            <select id="change-severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
              {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
            <button type="submit" disabled={busy || severity === incident.severity}>{t('war.change')}</button>
          </form>
          {!resolved ? (
            <form className="inline" onSubmit={(e) => { e.preventDefault(); if (phase) changePhase(phase); }}>
              <label htmlFor="change-phase">{t('war.moveTo')}</label>
              <select id="change-phase" value={phase} onChange={(e) => setPhase(e.target.value as Phase | '')}>
                <option value="">{t('common.choose')}</option>
                {moves.map((p) => <option key={p} value={p}>{t(`phase.${p}`)}</option>)}
              </select>
              <button type="submit" disabled={busy || !phase}>{t('war.change')}</button>
            </form>
          ) : null}
          {resolved ? (
            <button type="button" disabled={busy} onClick={() => changePhase('investigating')}>↺ {t('war.reopen')}</button>
          ) : (
            <button type="button" className="resolve" disabled={busy} onClick={() => changePhase('resolved')}>✔ {t('war.resolve')}</button>
          )}
        </div>
      ) : (
        <p className="muted read-only-note">
          {incident.metrics.acknowledgedAt ? `✓ ${t('war.acknowledged', { time: fmt.time(incident.metrics.acknowledgedAt) })} · ` : ''}{t('common.readOnlyHint')}
        </p>
      )}
      <FormError error={error} />
      {canAct ? <IncidentEdit incident={incident} reload={reload} /> : null}
    </section>
  );
}
