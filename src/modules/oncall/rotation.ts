// Who is on call when: pure arithmetic over a schedule's layers and overrides, in the schedule's
// time zone. No database and no clock: callers pass the interval, so the same code answers "now",
// "at 02:15 last Tuesday", a two-week timeline and a calendar feed.
//
// Turns are counted in wall-clock time: the k-th hand-off is the layer's start plus k turns on the
// calendar of the schedule's zone, so a daily turn that hands off at 09:00 does so at 09:00 on
// both sides of a DST change (that day's turn is 23 or 25 hours long), and a 12-hour turn keeps
// handing off at 08:00 and 20:00. A local time the clocks skip (02:30 when they spring forward)
// moves forward by the gap (03:30); one they repeat (01:30 when they fall back) is its first
// occurrence (see instant()).

import { DateTime } from 'luxon';
import type { Restriction } from './oncall.schema.js';

/** One layer as the engine needs it; `start` and `end` are local wall-clock times ("2026-11-23T09:00"). */
export interface LayerSpec {
  id: string;
  start: string;
  turn: { length: number; unit: 'hours' | 'days' | 'weeks' };
  participants: string[];
  restrictions: Restriction[];
  end: string | null;
}

/** The layers (and the zone their local times are in) a schedule had from `effectiveFrom` (epoch ms) until the next version's. */
export interface ScheduleVersion {
  effectiveFrom: number;
  zone: string;
  layers: LayerSpec[];
}

export interface OverrideSpec {
  id: string;
  userId: string;
  start: number;
  end: number;
  /** Of two overlapping overrides the one created later wins. */
  createdAt: string;
}

/** A stretch of time, in epoch ms, [start, end). */
export interface Span {
  userId: string;
  start: number;
  end: number;
  layerId: string | null;
  overrideId: string | null;
}

const DAY_MS = 86_400_000;
const NOMINAL_MS = { hours: 3_600_000, days: DAY_MS, weeks: 7 * DAY_MS } as const;

/** A wall-clock time, as numbers. */
export interface Wall { year: number; month: number; day: number; hour: number; minute: number }

/** A local wall-clock time ("2026-11-23T09:00") as numbers. */
function parseWall(local: string): Wall {
  const [date = '', time = ''] = local.split('T');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return { year, month, day, hour, minute };
}

/** The zone's offset from UTC at an instant, in minutes. */
const offsetAt = (t: number, zone: string): number => DateTime.fromMillis(t, { zone }).offset;

/**
 * The instant a wall-clock time happens in `zone`, the way calendars and Temporal ("compatible")
 * do it: a time the clocks repeat is its first occurrence; a time they skip is moved forward by the
 * gap (02:30 on the spring-forward night is 03:30). Worked out from the offsets a day either side,
 * not from luxon's guess, which starts from today's offset and so answered differently in summer and
 * in winter.
 */
export function instant(w: Wall, zone: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const before = offsetAt(naive - DAY_MS, zone);
  const after = offsetAt(naive + DAY_MS, zone);
  const fits = [before, after].map((o) => naive - o * 60_000).filter((t) => {
    const d = DateTime.fromMillis(t, { zone });
    return d.year === w.year && d.month === w.month && d.day === w.day && d.hour === w.hour && d.minute === w.minute;
  });
  if (fits.length) return Math.min(...fits);
  // Skipped: read with the offset from before the gap, which lands as far past the gap as the time was into it.
  return naive - before * 60_000;
}

/** `w` moved by `n` units on the wall clock (UTC arithmetic on the numbers, so no DST shifts it). */
function addWall(w: Wall, n: number, unit: 'hours' | 'days' | 'weeks'): Wall {
  const d = DateTime.fromObject(w, { zone: 'utc' }).plus({ [unit]: n });
  return { year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute };
}

/** The start of turn k (epoch ms). */
function turnStart(layer: LayerSpec, start: Wall, k: number, zone: string): number {
  return instant(addWall(start, k * layer.turn.length, layer.turn.unit), zone);
}

/** The turns of a layer that overlap [from, to), before restrictions: who holds each one. */
function turns(layer: LayerSpec, zone: string, from: number, to: number): Span[] {
  const start = parseWall(layer.start);
  const first = instant(start, zone);
  const end = layer.end ? Math.min(to, instant(parseWall(layer.end), zone)) : to;
  const lo = Math.max(from, first);
  if (lo >= end || layer.participants.length === 0) return [];
  // Guess the turn holding `lo` from the nominal length, then step to the exact one.
  let k = Math.max(0, Math.floor((lo - first) / (layer.turn.length * NOMINAL_MS[layer.turn.unit])));
  while (k > 0 && turnStart(layer, start, k, zone) > lo) k--;
  while (turnStart(layer, start, k + 1, zone) <= lo) k++;
  const out: Span[] = [];
  let s = turnStart(layer, start, k, zone);
  while (s < end) {
    const e = turnStart(layer, start, k + 1, zone);
    const a = Math.max(s, lo);
    const b = Math.min(e, end);
    // A skipped hour can make a one-hour turn empty; its holder simply has no time.
    if (a < b) out.push({ userId: layer.participants[k % layer.participants.length]!, start: a, end: b, layerId: layer.id, overrideId: null });
    s = e;
    k++;
  }
  return out;
}

/** The windows a layer's restrictions open over [from, to), merged and sorted. */
export function restrictionWindows(restrictions: Restriction[], zone: string, from: number, to: number): [number, number][] {
  const windows: [number, number][] = [];
  // Start a day early: a window opened yesterday evening may still be open.
  let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromMillis(to, { zone });
  for (; day <= last; day = day.plus({ days: 1 })) {
    const date = { year: day.year, month: day.month, day: day.day };
    for (const r of restrictions) {
      if (!r.days.includes(day.weekday)) continue;
      const [fh, fm] = r.from.split(':').map(Number) as [number, number];
      const [th, tm] = r.to.split(':').map(Number) as [number, number];
      const open = { ...date, hour: fh, minute: fm };
      const overnight = th * 60 + tm <= fh * 60 + fm;
      const close = overnight ? { ...addWall({ ...date, hour: 0, minute: 0 }, 1, 'days'), hour: th, minute: tm } : { ...date, hour: th, minute: tm };
      const a = Math.max(from, instant(open, zone));
      const b = Math.min(to, instant(close, zone));
      if (a < b) windows.push([a, b]);
    }
  }
  windows.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const w of windows) {
    const prev = merged[merged.length - 1];
    if (prev && w[0] <= prev[1]) prev[1] = Math.max(prev[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

/** A layer's shifts over [from, to): its turns, cut to its restriction windows when it has any. */
export function layerShifts(layer: LayerSpec, zone: string, from: number, to: number): Span[] {
  const all = turns(layer, zone, from, to);
  if (layer.restrictions.length === 0 || all.length === 0) return all;
  const windows = restrictionWindows(layer.restrictions, zone, all[0]!.start, all[all.length - 1]!.end);
  const out: Span[] = [];
  for (const t of all) {
    for (const [a, b] of windows) {
      if (b <= t.start) continue;
      if (a >= t.end) break;
      out.push({ ...t, start: Math.max(a, t.start), end: Math.min(b, t.end) });
    }
  }
  return out;
}

/** The versions' pieces that overlap [from, to): each version's layers apply until the next version starts. */
function pieces(versions: ScheduleVersion[], from: number, to: number): { version: ScheduleVersion; from: number; to: number }[] {
  const sorted = [...versions].sort((a, b) => a.effectiveFrom - b.effectiveFrom);
  const out: { version: ScheduleVersion; from: number; to: number }[] = [];
  sorted.forEach((v, i) => {
    const a = Math.max(from, v.effectiveFrom);
    const b = Math.min(to, sorted[i + 1]?.effectiveFrom ?? Infinity);
    if (a < b) out.push({ version: v, from: a, to: b });
  });
  return out;
}

/** Joins spans of the same person and source that touch. Input sorted by start. */
function joinTouching(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const prev = out[out.length - 1];
    if (prev && prev.end === s.start && prev.userId === s.userId && prev.layerId === s.layerId && prev.overrideId === s.overrideId) prev.end = s.end;
    else out.push({ ...s });
  }
  return out;
}

export interface ComputedSchedule {
  /** Each layer's shifts, by layer id, in the order layers first appear (bottom first). */
  layers: Map<string, Span[]>;
  /** Who is on call: the top layer with someone on call, an override above all. */
  final: Span[];
}

/**
 * The schedule over [from, to): every layer's shifts, and the final schedule. Later layers are on
 * top: where a later layer has someone on call it wins, and its gaps show the layers below.
 * Overrides replace whoever the layers put on call; of overlapping overrides the newest wins.
 */
export function computeSchedule(versions: ScheduleVersion[], overrides: OverrideSpec[], from: number, to: number): ComputedSchedule {
  const layers = new Map<string, Span[]>();
  // Candidates by precedence: overrides (newest first), then layers from the top.
  const ranked: Span[][] = [];
  for (const piece of pieces(versions, from, to)) {
    const inPiece: Span[][] = [];
    for (const layer of piece.version.layers) {
      const shifts = layerShifts(layer, piece.version.zone, piece.from, piece.to);
      layers.set(layer.id, [...(layers.get(layer.id) ?? []), ...shifts]);
      inPiece.push(shifts);
    }
    ranked.push(...inPiece.reverse());
  }
  for (const [id, shifts] of layers) layers.set(id, joinTouching(shifts));

  const overrideSpans = overrides
    .filter((o) => o.start < to && o.end > from)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .map((o): Span[] => [{ userId: o.userId, start: Math.max(from, o.start), end: Math.min(to, o.end), layerId: null, overrideId: o.id }]);
  const candidates = [...overrideSpans, ...ranked];

  // Sweep the elementary intervals between every boundary; each takes its first covering candidate.
  const bounds = new Set<number>([from, to]);
  for (const list of candidates) for (const s of list) { bounds.add(s.start); bounds.add(s.end); }
  const cuts = [...bounds].filter((b) => b >= from && b <= to).sort((a, b) => a - b);
  const cursor = candidates.map(() => 0);
  const final: Span[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i]!;
    const b = cuts[i + 1]!;
    for (let c = 0; c < candidates.length; c++) {
      const list = candidates[c]!;
      while (cursor[c]! < list.length && list[cursor[c]!]!.end <= a) cursor[c]!++;
      const s = list[cursor[c]!];
      if (s && s.start <= a) {
        final.push({ ...s, start: a, end: b });
        break;
      }
    }
  }
  return { layers, final: joinTouching(final) };
}

/**
 * A final schedule as each person's stretches: touching spans of the same person join whatever
 * layer or override they come from (a calendar entry, "on call until"). The source kept is the
 * first span's.
 */
export function byPerson(final: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of final) {
    const prev = out[out.length - 1];
    if (prev && prev.end === s.start && prev.userId === s.userId) prev.end = s.end;
    else out.push({ ...s });
  }
  return out;
}

/** Who is on call at `at` in a computed final schedule, with their whole stretch around it. */
export function onCallAt(final: Span[], at: number): Span[] {
  const i = final.findIndex((s) => s.start <= at && at < s.end);
  if (i < 0) return [];
  const hit = final[i]!;
  let start = hit.start;
  let end = hit.end;
  for (let j = i - 1; j >= 0 && final[j]!.end === start && final[j]!.userId === hit.userId; j--) start = final[j]!.start;
  for (let j = i + 1; j < final.length && final[j]!.start === end && final[j]!.userId === hit.userId; j++) end = final[j]!.end;
  return [{ ...hit, start, end }];
}
