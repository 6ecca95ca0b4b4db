// The alert list's filter bar and its storm banner: in a storm, one summary instead of thousands of rows.
import { type FormEvent, useEffect, useState } from 'react';
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import { ALERT_SEVERITIES, type AlertSeverity, type AlertsOverview, type Integration } from '../types.js';

export const FILTER_NAMES = ['q', 'severity', 'integrationId', 'service', 'label', 'incidentId'] as const;
/** The list's filters as they are in the URL ('' when unset). */
export type Filters = Record<(typeof FILTER_NAMES)[number], string>;

const LABEL_FILTER = /^[A-Za-z_][A-Za-z0-9_]*=.*$/;

/** Search, severity, integration, service and one label=value; applied on submit (selects at once). */
export function AlertFilters({ filters, integrations, onApply }: { filters: Filters; integrations: Pick<Integration, 'id' | 'name'>[]; onApply: (f: Partial<Filters>) => void }) {
  const { t } = useApp();
  const [draft, setDraft] = useState<Filters>(filters);
  // The URL changed (a chip, the storm banner, back): show what is applied now.
  const applied = JSON.stringify(filters);
  useEffect(() => setDraft(JSON.parse(applied) as Filters), [applied]);
  const labelBad = draft.label !== '' && !LABEL_FILTER.test(draft.label);
  const set = (k: keyof Filters, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (labelBad) return;
    onApply({ ...draft, q: draft.q.trim(), service: draft.service.trim(), label: draft.label.trim() });
  };
  /** A select applies at once, with whatever else was typed (unless that is not valid yet). */
  const applyNow = (k: 'severity' | 'integrationId', v: string) => {
    set(k, v);
    onApply(labelBad ? { [k]: v } : { ...draft, q: draft.q.trim(), service: draft.service.trim(), label: draft.label.trim(), [k]: v });
  };
  const any = FILTER_NAMES.some((n) => filters[n]);
  /** One applied filter in words: "Severity: Critical", "region=ap-northeast-1". */
  const describe = (n: keyof Filters): string => {
    const v = filters[n];
    if (n === 'label') return v;
    if (n === 'severity') return `${t('alerts.colSeverity')}: ${(ALERT_SEVERITIES as readonly string[]).includes(v) ? t(`alerts.severity.${v as AlertSeverity}`) : v}`;
    if (n === 'integrationId') return `${t('alerts.colIntegration')}: ${integrations.find((i) => i.id === v)?.name ?? v}`;
    if (n === 'service') return `${t('alerts.colService')}: ${v}`;
    if (n === 'incidentId') return t('alerts.filterIncident');
    return `${t('alerts.filterSearch')}: “${v}”`;
  };
  return (
    <form className="alert-filters" role="search" aria-label={t('alerts.filters')} onSubmit={submit} noValidate>
      <div className="field grow">
        <label htmlFor="af-q">{t('alerts.filterSearch')}</label>
        <input id="af-q" type="search" value={draft.q} placeholder={t('alerts.filterSearchHint')} onChange={(e) => set('q', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="af-severity">{t('alerts.colSeverity')}</label>
        <select id="af-severity" value={draft.severity} onChange={(e) => applyNow('severity', e.target.value)}>
          <option value="">{t('alerts.any')}</option>
          {ALERT_SEVERITIES.map((s) => <option key={s} value={s}>{t(`alerts.severity.${s}`)}</option>)}
        </select>
      </div>
      {integrations.length ? (
        <div className="field">
          <label htmlFor="af-integration">{t('alerts.colIntegration')}</label>
          <select id="af-integration" value={draft.integrationId} onChange={(e) => applyNow('integrationId', e.target.value)}>
            <option value="">{t('alerts.any')}</option>
            {integrations.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="af-service">{t('alerts.colService')}</label>
        <input id="af-service" value={draft.service} onChange={(e) => set('service', e.target.value)} />
      </div>
      <div className={`field label-field${labelBad ? ' has-error' : ''}`}>
        <label htmlFor="af-label">{t('alerts.filterLabel')}</label>
        <input id="af-label" className="mono" value={draft.label} placeholder="service=checkout" onChange={(e) => set('label', e.target.value)}
          aria-invalid={labelBad || undefined} aria-describedby={labelBad ? 'af-label-error' : undefined} />
        {labelBad ? <p className="field-error" id="af-label-error">{t('alerts.filterLabelBad')}</p> : null}
      </div>
      <div className="filter-buttons">
        <button type="submit">{t('alerts.filterApply')}</button>
        {any ? (
          <button type="button" className="ghost" onClick={() => onApply({ q: '', severity: '', integrationId: '', service: '', label: '', incidentId: '' })}>
            {t('alerts.filterClear')}
          </button>
        ) : null}
      </div>
      {any ? (
        <div className="active-filters" data-testid="active-filters">
          <span className="muted">{t('alerts.filteredBy')}</span>
          {FILTER_NAMES.filter((n) => filters[n]).map((n) => (
            <button key={n} type="button" className="chip chip-button active-filter" onClick={() => onApply({ [n]: '' })}
              aria-label={t('alerts.removeFilter', { filter: describe(n) })} title={t('alerts.removeFilter', { filter: describe(n) })}>
              {describe(n)} <span aria-hidden="true">✕</span>
            </button>
          ))}
        </div>
      ) : null}
    </form>
  );
}

/** "Alert storm: 9,812 alerts in the last 5 minutes, 2,311 new groups" and the label values most groups share. */
export function StormBanner({ storm, active, onPick }: { storm: AlertsOverview['storm']; active: string; onPick: (label: string | null) => void }) {
  const { t, fmt } = useApp();
  const now = useNow(15_000);
  return (
    <section className="storm" aria-labelledby="storm-h" data-testid="storm-banner">
      <h2 id="storm-h">
        <span aria-hidden="true">⚠ </span>
        {t('alerts.storm.title', { alerts: fmt.number(storm.alertsLast5m), groups: fmt.number(storm.newGroupsLast5m) })}
      </h2>
      <p className="storm-sub">
        {storm.since ? <>{t('alerts.storm.since', { time: fmt.time(storm.since), ago: fmt.ago(storm.since, now) })} </> : null}
        {t('alerts.storm.advice')}
      </p>
      {storm.top.length ? (
        <div className="storm-top">
          <span className="storm-top-label">{t('alerts.storm.shared')}</span>
          <ul className="chips">
            {storm.top.map((x) => {
              const label = `${x.label}=${x.value}`;
              const on = active === label;
              return (
                <li key={label}>
                  <button type="button" className="storm-chip" aria-pressed={on} onClick={() => onPick(on ? null : label)}
                    title={t('alerts.filterBy', { label })}>
                    <span className="mono">{x.label}={x.value}</span>
                    <span className="storm-chip-n">{t('alerts.storm.groups', { n: fmt.number(x.groups) })}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
