// Who is on call over a day, a week or two: a row per layer and the final schedule, each shift a bar
// in its person's colour, overrides striped. Days start at midnight in the schedule's time zone.
import { useEffect, useMemo, useState } from 'react';
import { api, query } from '../api.js';
import { useApp } from '../app-context.js';
import { formatters } from '../format.js';
import { useNow } from '../live.js';
import type { Schedule, ScheduleShifts, Shift } from '../types.js';
import { addDays, fromLocalInput, localDate } from '../zoned-time.js';
import { personColours } from './person-colours.js';

const ZOOMS = [1, 7, 14] as const;
type Zoom = (typeof ZOOMS)[number];

/** The timeline; `version` changes when something it shows may have (an override, an edit). */
export function ScheduleTimeline({ schedule, version }: { schedule: Schedule; version: number }) {
  const { t, locale } = useApp();
  const zone = schedule.timeZone;
  const [days, setDays] = useState<Zoom>(14);
  const [first, setFirst] = useState(() => localDate(Date.now(), zone));
  const [data, setData] = useState<ScheduleShifts | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const now = useNow(60_000);

  const from = fromLocalInput(`${first}T00:00`, zone) ?? new Date().toISOString();
  const to = fromLocalInput(`${addDays(first, days)}T00:00`, zone) ?? new Date().toISOString();
  useEffect(() => {
    let stale = false;
    api<ScheduleShifts>('GET', `/schedules/${encodeURIComponent(schedule.id)}/shifts${query({ from, to })}`)
      .then((r) => { if (!stale) { setData(r); setFailed(null); } })
      .catch((e: Error) => { if (!stale) setFailed(e.message); });
    return () => { stale = true; };
  }, [schedule.id, from, to, version]);

  const fmt = useMemo(() => formatters(locale, zone, t), [locale, zone, t]);
  const tag = locale === 'ja' ? 'ja-JP' : 'en-GB';
  const start = Date.parse(from);
  const span = Date.parse(to) - start;
  const at = (iso: string | number) => Math.min(100, Math.max(0, ((typeof iso === 'number' ? iso : Date.parse(iso)) - start) / span * 100));
  const ticks = useMemo(() => tickMarks(first, days, zone, tag), [first, days, zone, tag]);
  const colourOf = personColours([...schedule.layers.flatMap((l) => l.participants.map((p) => p.id)), ...(data?.final ?? []).map((s) => s.user.id)]);
  const period = t('oncall.period', { n: days });
  const dayFmt = new Intl.DateTimeFormat(tag, { timeZone: zone, month: 'short', day: 'numeric', weekday: 'short' });
  const range = days === 1 ? dayFmt.format(start) : `${dayFmt.format(start)} – ${dayFmt.format(Date.parse(to) - 1)}`;
  const nowAt = now >= start && now < start + span ? at(now) : null;

  const row = (key: string, label: string, shifts: Shift[], final = false) => (
    <div key={key} className={`tl-row${final ? ' tl-final' : ''}`} data-testid={final ? 'timeline-final' : 'timeline-layer'}>
      <div className="tl-label" id={`tl-${key}`}>{label}</div>
      <div className="tl-track">
        <div className="tl-lines" aria-hidden="true">
          {ticks.map((k) => <span key={k.at} className="tl-line" style={{ left: `${at(k.at)}%` }} />)}
          {nowAt !== null ? <span className="tl-now" style={{ left: `${nowAt}%` }} /> : null}
        </div>
        {shifts.length === 0 ? <p className="tl-empty muted small">{t('oncall.nobody')}</p> : (
          <ul className="tl-bars" aria-labelledby={`tl-${key}`}>
            {shifts.map((s) => {
              const when = `${fmt.dateTime(s.start)} – ${fmt.dateTime(s.end)}`;
              const what = s.overrideId ? t('oncall.overrideBar', { name: s.user.name, when }) : `${s.user.name}: ${when}`;
              return (
                <li key={`${s.start}-${s.user.id}`} className={`tl-bar who-${colourOf(s.user.id)}${s.overrideId ? ' tl-override' : ''}`}
                  style={{ left: `${at(s.start)}%`, width: `${at(s.end) - at(s.start)}%` }} title={what} data-testid="timeline-bar">
                  <span className="tl-name" aria-hidden="true">{s.user.name}</span>
                  <span className="sr-only">{what}</span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );

  return (
    <section className="panel" aria-labelledby="timeline-h" data-testid="timeline">
      <div className="panel-head">
        <h2 id="timeline-h">{t('oncall.timeline')}</h2>
        <div className="tl-controls">
          <button type="button" className="small-button" onClick={() => setFirst(addDays(first, -days))} aria-label={t('oncall.previousPeriod', { period })}>‹ {t('oncall.previous')}</button>
          <button type="button" className="small-button" onClick={() => setFirst(localDate(Date.now(), zone))}>{t('oncall.today')}</button>
          <button type="button" className="small-button" onClick={() => setFirst(addDays(first, days))} aria-label={t('oncall.nextPeriod', { period })}>{t('oncall.next')} ›</button>
          <div className="tl-zoom" role="group" aria-label={t('oncall.zoom')}>
            {ZOOMS.map((z) => (
              <button key={z} type="button" className="small-button" aria-pressed={days === z} onClick={() => setDays(z)}>{t('oncall.period', { n: z })}</button>
            ))}
          </div>
        </div>
      </div>
      <p className="small"><strong data-testid="timeline-range">{range}</strong> <span className="muted">· {t('oncall.timesIn', { zone })}</span></p>
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      {data === null ? <p className="muted">{t('app.loading')}</p> : (
        <div className="timeline" aria-busy={data.from !== from}>
          <div className="tl-row tl-axis" aria-hidden="true">
            <div className="tl-label" />
            <div className="tl-track">
              {ticks.map((k) => <span key={k.at} className="tl-tick" style={{ left: `${at(k.at)}%` }}>{k.label}</span>)}
            </div>
          </div>
          {data.layers.map((l) => row(l.id, l.name, l.shifts))}
          {row('final', t('oncall.finalSchedule'), data.final, true)}
        </div>
      )}
      <p className="tl-legend muted small">
        <span className="tl-swatch tl-override who-0" aria-hidden="true" /> {t('oncall.overrideLegend')}
        <span className="tl-swatch tl-now-swatch" aria-hidden="true" /> {t('oncall.nowLegend')}
      </p>
    </section>
  );
}

/** Where the axis is marked: every 3 hours over one day, else every midnight (in the zone). */
function tickMarks(first: string, days: number, zone: string, tag: string): { at: number; label: string }[] {
  if (days === 1) {
    return [0, 3, 6, 9, 12, 15, 18, 21].map((h) => {
      const hh = String(h).padStart(2, '0');
      return { at: Date.parse(fromLocalInput(`${first}T${hh}:00`, zone) ?? ''), label: `${hh}:00` };
    }).filter((k) => !Number.isNaN(k.at));
  }
  const day = new Intl.DateTimeFormat(tag, { timeZone: zone, weekday: 'short', day: 'numeric' });
  return Array.from({ length: days }, (_, i) => {
    const ms = Date.parse(fromLocalInput(`${addDays(first, i)}T00:00`, zone) ?? '');
    return { at: ms, label: Number.isNaN(ms) ? '' : day.format(ms) };
  }).filter((k) => !Number.isNaN(k.at));
}
