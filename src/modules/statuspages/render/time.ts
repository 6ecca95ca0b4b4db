// Wall-clock arithmetic in the page's time zone with Intl only (no date library is a dependency):
// offsets, local dates, the instant a local day starts (DST-safe), and the two ways a time is shown
// — "2026-11-23 14:05 JST" for people and "2026-11-23T14:05:00.000+09:00" for the JSON API.
import type { Locale } from '../../../shared/phases.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone that yields numeric wall-clock parts. */
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsFormats.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at instant `t` (ms). */
export interface WallClock { year: number; month: number; day: number; hour: number; minute: number; second: number }

const clocks = new Map<string, WallClock>();

/** The wall clock in `timeZone` at instant `t` (memoised: a render asks for the same instants many times). */
export function wallClock(t: number, timeZone: string): WallClock {
  // A malformed stored time must not take the status page down: it shows as the epoch instead.
  if (!Number.isFinite(t)) t = 0;
  const key = `${timeZone}|${t}`;
  const known = clocks.get(key);
  if (known) return known;
  const out: Record<string, number> = {};
  for (const p of partsFormat(timeZone).formatToParts(t)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  const w = { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
  if (clocks.size >= 20_000) clocks.clear();
  clocks.set(key, w);
  return w;
}

/** Minutes east of UTC in `timeZone` at instant `t` (540 for Tokyo). */
export function offsetMinutes(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(t / 1000) * 1000) / MINUTE);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The local date (YYYY-MM-DD) of instant `t` in `timeZone`. */
export function localDate(t: number, timeZone: string): string {
  const w = wallClock(t, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The calendar date `n` days after `date` (YYYY-MM-DD, negative n goes back). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY).toISOString().slice(0, 10);
}

/**
 * The first instant whose local date in `timeZone` is `date`. Midnight may not exist (a DST jump at
 * 00:00) or exist twice; either way the day starts at its earliest existing moment.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d);
  // The usual case: midnight exists once, at the offset in force at that moment.
  const guess = naive - offsetMinutes(naive, timeZone) * MINUTE;
  const w = wallClock(guess, timeZone);
  if (w.year === y && w.month === m && w.day === d && w.hour === 0 && w.minute === 0 && localDate(guess - MINUTE, timeZone) !== date) return guess;
  const offsets = new Set([offsetMinutes(naive - DAY, timeZone), offsetMinutes(naive, timeZone), offsetMinutes(naive + DAY, timeZone)]);
  const starts = [...offsets].map((o) => naive - o * MINUTE).filter((t) => localDate(t, timeZone) === date);
  if (starts.length === 0) return naive - offsetMinutes(naive, timeZone) * MINUTE;
  // With a jump at midnight the candidate lands at 01:00; step back to the real first minute of the day.
  let start = Math.min(...starts);
  while (localDate(start - MINUTE, timeZone) === date) start -= MINUTE;
  return start;
}

/** Zones whose ISO times end in "Z", as Statuspage (Rails) writes them for UTC pages. */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

/** ISO 8601 in the page's zone with milliseconds and offset, like Statuspage: 2026-11-23T14:05:00.000+09:00. */
export function isoInZone(iso: string, timeZone: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const w = wallClock(t, timeZone);
  const ms = pad(((t % 1000) + 1000) % 1000, 3);
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${ms}`;
  if (UTC_ZONES.has(timeZone)) return `${base}Z`;
  const off = offsetMinutes(t, timeZone);
  const sign = off < 0 ? '-' : '+';
  return `${base}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** Locales whose short zone names we try, in order, for a familiar abbreviation (JST, BST, EST, IST, AEDT). */
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'ja-JP', 'en-IN', 'en-AU'];
const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();

const abbreviations = new Map<string, string>();

/** "JST", "BST", "EDT", "UTC"; "UTC+8" when no locale knows an abbreviation for the zone. */
export function zoneAbbreviation(t: number, timeZone: string): string {
  // A zone's name for an offset does not change from one instant to the next: ask Intl once.
  const key = `${timeZone}|${offsetMinutes(t, timeZone)}`;
  let name = abbreviations.get(key);
  if (name === undefined) {
    name = findAbbreviation(t, timeZone);
    abbreviations.set(key, name);
  }
  return name;
}

function findAbbreviation(t: number, timeZone: string): string {
  for (const locale of ABBREVIATION_LOCALES) {
    const key = `${locale}|${timeZone}`;
    let f = zoneNameFormats.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
      zoneNameFormats.set(key, f);
    }
    const name = f.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (name && !/^(GMT|UTC)[+-−]/.test(name)) return name;
  }
  const off = offsetMinutes(t, timeZone);
  const h = Math.floor(Math.abs(off) / 60);
  const m = Math.abs(off) % 60;
  return `UTC${off < 0 ? '-' : '+'}${h}${m ? `:${pad(m)}` : ''}`;
}

/** "2026-11-23 14:05 JST": a time as the page's readers see it (the same shape in both languages). */
export function displayTime(iso: string, timeZone: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const w = wallClock(t, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${zoneAbbreviation(t, timeZone)}`;
}

/** "14:05 JST" for the second end of a range on the same day. */
export function displayClock(iso: string, timeZone: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const w = wallClock(t, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)} ${zoneAbbreviation(t, timeZone)}`;
}

const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }),
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }),
};
const MONTH_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long' }),
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'UTC', year: 'numeric', month: 'long' }),
};

/** "Nov 23, 2026" / "2026年11月23日" for a local date heading. */
export function displayDate(date: string, locale: Locale): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return DATE_FORMATS[locale].format(Date.UTC(y, m - 1, d));
}

/** "November 2026" / "2026年11月" for a month heading (month as YYYY-MM). */
export function displayMonth(month: string, locale: Locale): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return MONTH_FORMATS[locale].format(Date.UTC(y, m - 1, 1));
}

/** RFC 822 date for RSS (always GMT, which every reader understands). */
export function rfc822(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toUTCString();
}
