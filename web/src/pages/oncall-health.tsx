// On-call health: per person over the last 7, 30 or 90 days, how often they were paged, how many of
// those pages came outside 08:00–20:00 in their own time zone, how quickly they acknowledged and how
// many hours they were on call; mine, or a team's with its totals. The period and team stay in the URL.
import { useEffect, useState } from 'react';
import { api, ApiError, query } from '../api.js';
import { useApp } from '../app-context.js';
import type { Formatters } from '../format.js';
import type { Translate } from '../i18n/index.js';
import { Link, navigate, useLocation } from '../router.js';
import type { OnCallHealth, Team } from '../types.js';

/** The periods offered, in days back from now. */
const PERIODS = [7, 30, 90] as const;
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

/** "3 (43%)": pages out of hours and their share of the pages; just the count when there were none. */
function shareText(outOfHours: number, pages: number, t: Translate, fmt: Formatters): string {
  if (pages === 0) return fmt.number(outOfHours);
  return t('health.share', { n: fmt.number(outOfHours), pct: Math.round((outOfHours / pages) * 100) });
}

/** The page for /oncall/health. */
export function OnCallHealthPage() {
  const { t, fmt, user } = useApp();
  const { search } = useLocation();
  const asked = Number(search.get('days'));
  const days: number = (PERIODS as readonly number[]).includes(asked) ? asked : DEFAULT_DAYS;
  const teamId = search.get('team') ?? '';
  const [teams, setTeams] = useState<Team[]>([]);
  const [report, setReport] = useState<OnCallHealth | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    api<{ teams: Team[] }>('GET', '/teams').then((r) => setTeams(r.teams)).catch(() => {});
  }, []);

  useEffect(() => {
    let current = true;
    const to = Date.now();
    setFailed(null);
    api<OnCallHealth>('GET', `/oncall-health${query({ from: new Date(to - days * DAY_MS).toISOString(), to: new Date(to).toISOString(), teamId })}`)
      .then((r) => { if (current) setReport(r); })
      .catch((e: unknown) => {
        if (!current) return;
        setReport(null);
        setFailed(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e));
      });
    return () => { current = false; };
  }, [days, teamId]);

  useEffect(() => {
    document.title = `${t('health.title')} — Hikeshi`;
    return () => { document.title = 'Hikeshi'; };
  }, [t]);

  const go = (nextDays: number, nextTeam: string) => {
    navigate(`/oncall/health${query({ days: nextDays === DEFAULT_DAYS ? undefined : nextDays, team: nextTeam })}`, true);
  };
  const range = report ? { from: fmt.dateTime(report.from), to: fmt.dateTime(report.to) } : null;

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('health.title')}</h1>
        <div className="spacer" />
        <Link to="/schedules">{t('oncall.allSchedules')}</Link>
      </div>
      <p className="muted section-hint">{t('health.intro')}</p>
      <div className="health-controls">
        <fieldset>
          <legend>{t('health.period')}</legend>
          <div className="period-buttons">
            {PERIODS.map((n) => (
              <button key={n} type="button" aria-pressed={days === n} onClick={() => go(n, teamId)}>{t('health.lastDays', { n })}</button>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="health-whose">{t('health.whose')}</label>
          <select id="health-whose" value={teamId} onChange={(e) => go(days, e.target.value)}>
            <option value="">{t('health.me', { name: user.name })}</option>
            {teams.length ? (
              <optgroup label={t('health.teams')}>
                {teams.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
              </optgroup>
            ) : null}
          </select>
        </div>
      </div>
      {failed ? <p className="form-error" role="alert">{t('health.loadFailed')} {failed}</p> : null}
      {!report ? (failed ? null : <p className="muted">{t('app.loading')}</p>) : (
        <section className="panel" aria-labelledby="health-range-h">
          <h2 id="health-range-h" className="small muted">
            {report.team ? t('health.teamRange', { team: report.team.name, ...range! }) : t('health.range', range!)}
          </h2>
          {report.people.length === 0 ? <p className="empty">{t('health.noPeople')}</p> : <HealthTable report={report} />}
        </section>
      )}
      <section className="panel" aria-labelledby="health-columns-h">
        <h2 id="health-columns-h">{t('health.columns')}</h2>
        <dl className="column-notes">
          <dt>{t('health.colPages')}</dt><dd>{t('health.explain.pages')}</dd>
          <dt>{t('health.colOutOfHours')}</dt><dd>{t('health.explain.outOfHours')}</dd>
          <dt>{t('health.colAcknowledged')}</dt><dd>{t('health.explain.acknowledged')}</dd>
          <dt>{t('health.colMedianAck')}</dt><dd>{t('health.explain.median')}</dd>
          <dt>{t('health.colHoursOnCall')}</dt><dd>{t('health.explain.hours')}</dd>
        </dl>
      </section>
    </div>
  );
}

/** A row per person; a team's report ends with its totals. */
function HealthTable({ report }: { report: OnCallHealth }) {
  const { t, fmt } = useApp();
  const hours = (n: number) => t('health.hours', { n: fmt.number(n) });
  const { totals } = report;
  return (
    <table className="health" data-testid="health-table">
      <thead>
        <tr>
          <th scope="col">{t('health.colPerson')}</th>
          <th scope="col" className="num">{t('health.colPages')}</th>
          <th scope="col" className="num">{t('health.colOutOfHours')}</th>
          <th scope="col" className="num">{t('health.colAcknowledged')}</th>
          <th scope="col" className="num">{t('health.colMedianAck')}</th>
          <th scope="col" className="num">{t('health.colHoursOnCall')}</th>
        </tr>
      </thead>
      <tbody>
        {report.people.map((p) => (
          <tr key={p.user.id} data-testid="health-row">
            <th scope="row">
              {p.user.name}
              <div className="muted small mono">{p.timeZone}</div>
            </th>
            <td className="num" data-testid="health-pages">{fmt.number(p.pages)}</td>
            <td className="num">{shareText(p.pagesOutOfHours, p.pages, t, fmt)}</td>
            <td className="num">{fmt.number(p.acknowledged)}</td>
            <td className="num">{fmt.duration(p.medianSecondsToAcknowledge)}</td>
            <td className="num">{hours(p.hoursOnCall)}</td>
          </tr>
        ))}
      </tbody>
      {report.team ? (
        <tfoot>
          <tr data-testid="health-totals">
            <th scope="row">{t('health.total')}</th>
            <td className="num">{fmt.number(totals.pages)}</td>
            <td className="num">{shareText(totals.pagesOutOfHours, totals.pages, t, fmt)}</td>
            <td className="num">{fmt.number(totals.acknowledged)}</td>
            <td className="num muted"><span aria-hidden="true">{t('common.dash')}</span><span className="sr-only">{t('health.noMedian')}</span></td>
            <td className="num">{hours(totals.hoursOnCall)}</td>
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
