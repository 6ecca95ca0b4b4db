// Daily availability for the 90-day bars: pure arithmetic over a component's status segments, with
// day boundaries in the page's time zone (a DST day has 23 or 25 hours, and is counted as such).
import { type ComponentStatus, type StatusSegment, worseStatus } from '../model.js';
import { addDays, localDate, startOfLocalDay } from './time.js';

/** The statuses that are not "operational": the ones a day's minutes are counted for. */
export type NonOperationalStatus = Exclude<ComponentStatus, 'operational'>;
/** Those statuses, worst first (the order a day's hover text lists them in). */
export const NON_OPERATIONAL: readonly NonOperationalStatus[] = ['major_outage', 'partial_outage', 'degraded_performance', 'under_maintenance'];

/**
 * How much of a minute in each status counts as downtime, as Statuspage's uptime showcase counts it
 * (section "How it works" of https://help.statuspage.io/help/uptime-calendar): a major outage is full
 * downtime, a partial outage counts 30 %, degraded performance and maintenance count none. The same
 * weights are spelled out by Instatus for its Statuspage-style bars
 * (https://instatus.com/help/status-page/uptime-colors: "Major outages duration + 0.3 × Partial
 * outages duration") and by Harness for its Statuspage-published SLIs.
 */
export const DOWNTIME_WEIGHT: Record<ComponentStatus, number> = {
  operational: 0, under_maintenance: 0, degraded_performance: 0, partial_outage: 0.3, major_outage: 1,
};

/** The bars' length. */
export const AVAILABILITY_DAYS = 90;

/** One day of one component's bar. */
export interface DayAvailability {
  /** Local date in the page's time zone, YYYY-MM-DD. */
  date: string;
  /** Share of the observed part of the day that was up (0–1); null when the component did not exist yet. */
  uptime: number | null;
  /** The worst status at any moment of the day ("operational" for a clean day or one without data). */
  worst: ComponentStatus;
  /** Minutes spent in each non-operational status during the day. */
  minutes: Record<NonOperationalStatus, number>;
}

/** A component's 90 days and its uptime over all of them. */
export interface Availability {
  days: DayAvailability[];
  /** Weighted uptime over the observed minutes of the 90 days (0–1); null when nothing was observed. */
  uptime: number | null;
}

interface Piece { from: number; to: number; status: ComponentStatus }

/** Overlapping segments resolved to the worst status at each moment, clipped to [from, to). */
function flatten(segments: StatusSegment[], from: number, to: number, now: number): Piece[] {
  const spans = segments
    .map((s) => ({ from: Math.max(Date.parse(s.from), from), to: Math.min(s.to === null ? now : Date.parse(s.to), to), status: s.status }))
    .filter((s) => s.status !== 'operational' && Number.isFinite(s.from) && Number.isFinite(s.to) && s.to > s.from);
  const cuts = [...new Set(spans.flatMap((s) => [s.from, s.to]))].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i]!;
    const b = cuts[i + 1]!;
    let status: ComponentStatus = 'operational';
    for (const s of spans) if (s.from <= a && s.to >= b) status = worseStatus(status, s.status);
    if (status !== 'operational') pieces.push({ from: a, to: b, status });
  }
  return pieces;
}

const boundsCache = new Map<string, { date: string; start: number; end: number }[]>();

/** The `count` local days ending with `today`, with the instants they start and end (shared by every component of a render). */
function dayBounds(today: string, count: number, timeZone: string): { date: string; start: number; end: number }[] {
  const key = `${timeZone}|${today}|${count}`;
  let bounds = boundsCache.get(key);
  if (!bounds) {
    const first = addDays(today, -(count - 1));
    const starts = Array.from({ length: count + 1 }, (_, i) => startOfLocalDay(addDays(first, i), timeZone));
    bounds = Array.from({ length: count }, (_, i) => ({ date: addDays(first, i), start: starts[i]!, end: starts[i + 1]! }));
    if (boundsCache.size > 64) boundsCache.clear();
    boundsCache.set(key, bounds);
  }
  return bounds;
}

const zeroMinutes = (): Record<NonOperationalStatus, number> => ({ major_outage: 0, partial_outage: 0, degraded_performance: 0, under_maintenance: 0 });

/**
 * The last 90 local days up to and including the day of `builtAt`, oldest first. Today counts only
 * up to `builtAt`. Like Statuspage's start_date, a component counts from the start of the local day
 * it was created on (a component added during an outage must not read 89% for a few seconds' blip).
 */
export function dailyAvailability(input: { history: StatusSegment[]; createdAt: string; timeZone: string; builtAt: string; days?: number }): Availability {
  const { timeZone } = input;
  const count = input.days ?? AVAILABILITY_DAYS;
  const now = Date.parse(input.builtAt);
  const createdAt = Date.parse(input.createdAt);
  const created = Number.isNaN(createdAt) ? createdAt : startOfLocalDay(localDate(createdAt, timeZone), timeZone);
  const bounds = dayBounds(localDate(now, timeZone), count, timeZone);
  const windowStart = bounds[0]!.start;
  const pieces = flatten(input.history, Math.max(windowStart, Number.isNaN(created) ? windowStart : created), now, now);

  const days: DayAvailability[] = [];
  let observed = 0;
  let down = 0;
  for (let i = 0; i < count; i++) {
    const { date, start: dayStart, end } = bounds[i]!;
    const dayEnd = i === count - 1 ? now : end;
    const from = Number.isNaN(created) ? dayStart : Math.max(dayStart, created);
    const to = Math.min(dayEnd, now);
    const minutes = zeroMinutes();
    if (to <= from) {
      days.push({ date, uptime: null, worst: 'operational', minutes });
      continue;
    }
    let worst: ComponentStatus = 'operational';
    let dayDown = 0;
    for (const p of pieces) {
      const a = Math.max(p.from, from);
      const b = Math.min(p.to, to);
      if (b <= a) continue;
      const m = (b - a) / 60_000;
      minutes[p.status as NonOperationalStatus] += m;
      dayDown += m * DOWNTIME_WEIGHT[p.status];
      worst = worseStatus(worst, p.status);
    }
    const span = (to - from) / 60_000;
    observed += span;
    down += dayDown;
    days.push({ date, uptime: Math.max(0, 1 - dayDown / span), worst, minutes });
  }
  return { days, uptime: observed > 0 ? Math.max(0, 1 - down / observed) : null };
}

/**
 * An uptime share as a percentage for people: truncated, never rounded up, so a day with any
 * downtime never reads "100%" (99.996 → "99.99"). Whole numbers lose their decimals ("100").
 */
export function formatPercent(share: number, decimals = 2): string {
  const f = 10 ** decimals;
  const v = Math.floor(share * 100 * f + 1e-9) / f;
  return Number.isInteger(v) ? String(v) : v.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '');
}
