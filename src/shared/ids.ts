import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * A sortable unique id: 10 base36 chars of milliseconds, 4 of a per-process sequence, 10 random.
 * Sorting by id sorts by creation time, so timelines need no extra tiebreaker.
 */
export function newId(now: number = Date.now()): string {
  if (now === lastMs) {
    seq++;
  } else {
    lastMs = now;
    seq = 0;
  }
  const rand = randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10).toLowerCase();
  return now.toString(36).padStart(10, '0') + seq.toString(36).padStart(4, '0') + rand;
}

/** The current time as the ISO-8601 UTC string stored in every time column. */
export function nowIso(now: number = Date.now()): string {
  return new Date(now).toISOString();
}
