import { randomBytes } from 'node:crypto';

let lastMs = 0;

// Random bytes fetched 4 KB at a time: one system call per ~400 ids instead of one per id
// (an alert storm creates thousands of ids per second).
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
let pool = Buffer.alloc(0);
let poolAt = 0;

/** `n` random base36 characters (unbiased: bytes ≥ 252 are skipped). */
function randomChars(n: number): string {
  let out = '';
  while (out.length < n) {
    if (poolAt >= pool.length) {
      pool = randomBytes(4096);
      poolAt = 0;
    }
    const b = pool[poolAt++]!;
    if (b < 252) out += ALPHABET[b % 36];
  }
  return out;
}
let seq = 0;

/**
 * A sortable unique id: 10 base36 chars of milliseconds, 4 of a per-process sequence, 10 random.
 * Sorting by id sorts by creation time, so timelines need no extra tiebreaker.
 */
export function newId(now: number = Date.now()): string {
  // Never behind the last id: a clock stepped back (NTP), or a caller's own clock (tests drive
  // escalation with one), must not sort a later id before an earlier one.
  if (now <= lastMs) {
    now = lastMs;
    seq++;
  } else {
    lastMs = now;
    seq = 0;
  }
  const rand = randomChars(10);
  return now.toString(36).padStart(10, '0') + seq.toString(36).padStart(4, '0') + rand;
}

/** The current time as the ISO-8601 UTC string stored in every time column. */
export function nowIso(now: number = Date.now()): string {
  return new Date(now).toISOString();
}

/** The smallest id made at or after `ms`: `id >= idFloor(t)` finds rows created since t by the primary key. */
export function idFloor(ms: number): string {
  return ms.toString(36).padStart(10, '0');
}
