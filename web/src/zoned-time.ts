// <input type="datetime-local"> speaks wall-clock time without a zone; the user's zone is their
// profile's, not necessarily the browser's. These convert between the two exactly (DST included).

function parts(ms: number, zone: string): Record<string, number> {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offset(ms: number, zone: string): number {
  const p = parts(ms, zone);
  const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return wall - Math.floor(ms / 1000) * 1000;
}

function safe(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

/** An instant as "2026-11-23T14:05" on the zone's wall clock (for a datetime-local input). */
export function toLocalInput(iso: string | number, zone: string): string {
  const p = parts(typeof iso === 'number' ? iso : Date.parse(iso), safe(zone));
  const pad = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** "2026-11-23T14:05" on the zone's wall clock as an ISO-8601 UTC instant; null when not a time. */
export function fromLocalInput(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const z = safe(zone);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Guess with the offset at the wall time, then correct once with the offset at the guess (DST edges).
  let guess = wall - offset(wall, z);
  guess = wall - offset(guess, z);
  return Number.isNaN(guess) ? null : new Date(guess).toISOString();
}

/** The zone's calendar date at an instant: "2026-11-23". */
export function localDate(iso: string | number, zone: string): string {
  return toLocalInput(iso, zone).slice(0, 10);
}

/** A calendar date moved by whole days ("2026-11-23" + 7 → "2026-11-30"); no zone, so no DST. */
export function addDays(date: string, days: number): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
