import { invalid } from './input.js';

// RFC 3339 as Go writes it (up to nanoseconds), plus the `+0000` offset PagerDuty's and
// CloudWatch's own examples use. Components are range-checked below; Date.parse alone would
// roll 2024-02-30 over into March.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})$/;
// RFC 1123 as AWS Health still writes startTime/endTime: `Sat, 04 Jun 2016 05:01:10 GMT`.
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 0001-01-01T00:00:00Z: Go's zero `time.Time`, which Alertmanager and Grafana send for "no end time". */
const GO_ZERO_TIME_MS = -62_135_596_800_000;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS[month - 1]!;
}

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // setUTCFullYear keeps years < 100 as written; Date.UTC would not
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

function parseRfc3339(text: string): number | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const base = utcMs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
  if (base === null) return null;
  if (zone === 'Z' || zone === 'z') return base;
  const digits = zone!.replace(':', '');
  const offH = Number(digits.slice(1, 3));
  const offM = Number(digits.slice(3, 5));
  if (offH > 23 || offM > 59) return null;
  const sign = digits[0] === '-' ? -1 : 1;
  return base - sign * (offH * 60 + offM) * 60_000;
}

function parseHttpDate(text: string): number | null {
  const m = HTTP_DATE.exec(text);
  if (!m) return null;
  const [, d, mon, y, h, mi, s] = m as unknown as string[];
  return utcMs(Number(y), MONTHS.indexOf(mon!) + 1, Number(d), Number(h), Number(mi), Number(s), 0);
}

/**
 * An ISO-8601 UTC string (millisecond precision) from an RFC 3339 timestamp, or null when the
 * value is absent, empty or Go's zero time. `httpDate` also accepts RFC 1123 (AWS Health).
 */
export function parseTime(value: unknown, field: string, opts: { httpDate?: boolean } = {}): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalid(field, 'must be an RFC 3339 timestamp string');
  const ms = parseRfc3339(value) ?? (opts.httpDate ? parseHttpDate(value) : null);
  if (ms === null || !Number.isFinite(ms)) throw invalid(field, `must be an RFC 3339 timestamp like 2024-05-01T12:00:00Z (got ${JSON.stringify(value.slice(0, 40))})`);
  if (ms === GO_ZERO_TIME_MS) return null;
  return new Date(ms).toISOString();
}
