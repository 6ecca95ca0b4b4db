// On-call health (seed 002: the engineer woken at 2:15 after a long week). Per person over a
// period: how often they were paged, how many of those pages came outside 08:00–20:00 in their own
// time zone, how long they took to acknowledge, and how many hours they were on call. A team's
// report is its members' rows and their totals.
import { DateTime } from 'luxon';
import { problems } from '../../server/problem.js';
import type { Db, Storage } from '../../storage/db.js';

/** Local hours that count as the working day; a page outside them woke someone or spoiled their evening. */
export const DAY_STARTS = 8;
export const DAY_ENDS = 20;

export interface HealthPeople {
  getUser(id: string): Promise<{ id: string; name: string; timeZone: string }>;
  listTeams(): Promise<{ id: string; name: string; memberIds: string[] }[]>;
}

/** A person's shifts in every schedule (the on-call room). */
export interface HealthShifts {
  userShifts(userId: string, range: { from: number; to: number }): Promise<{ shifts: { start: string; end: string }[] }>;
}

export interface PersonHealth {
  user: { id: string; name: string };
  timeZone: string;
  pages: number;
  pagesOutOfHours: number;
  acknowledged: number;
  /** Median seconds from the first notification to their acknowledgement, over the pages they acknowledged. */
  medianSecondsToAcknowledge: number | null;
  hoursOnCall: number;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Hours covered by a set of intervals (overlaps counted once: on call in two schedules is still one hour). */
export function coveredHours(spans: { start: number; end: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const s of sorted) {
    if (s.start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s.start;
      curEnd = s.end;
    } else curEnd = Math.max(curEnd, s.end);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return Math.round((total / 3_600_000) * 10) / 10;
}

/** Whether a moment falls outside the working day in `zone`. */
export function outOfHours(at: number, zone: string): boolean {
  const hour = DateTime.fromMillis(at, { zone }).hour;
  return hour < DAY_STARTS || hour >= DAY_ENDS;
}

export class OnCallHealth {
  constructor(private readonly storage: Storage, private readonly people: HealthPeople, private readonly shifts: HealthShifts) {}

  private get db(): Db {
    return this.storage.db;
  }

  /** One person's row over [from, to). */
  async person(userId: string, range: { from: number; to: number }): Promise<PersonHealth> {
    const user = await this.people.getUser(userId);
    const from = new Date(range.from).toISOString();
    const to = new Date(range.to).toISOString();
    // Each page that reached them (a notification that went out, not one skipped because someone
    // acknowledged first): when it first did.
    const firsts = await this.db.selectFrom('page_notifications')
      .select(['page_id', (eb) => eb.fn.min('sent_at').as('first')])
      .where('user_id', '=', userId).where('sent_at', 'is not', null).where('sent_at', '>=', from).where('sent_at', '<', to)
      .groupBy('page_id').execute();
    const acks = firsts.length
      ? await this.db.selectFrom('pages').select(['id', 'acknowledged_at']).where('id', 'in', firsts.map((f) => f.page_id))
        .where('acknowledged_by', '=', userId).where('acknowledged_at', 'is not', null).execute()
      : [];
    const firstOf = new Map(firsts.map((f) => [f.page_id, Date.parse(String(f.first))]));
    const shifts = await this.shifts.userShifts(userId, range);
    return {
      user: { id: user.id, name: user.name },
      timeZone: user.timeZone,
      pages: firsts.length,
      pagesOutOfHours: firsts.filter((f) => outOfHours(Date.parse(String(f.first)), user.timeZone)).length,
      acknowledged: acks.length,
      medianSecondsToAcknowledge: median(acks.map((a) => Math.max(0, (Date.parse(a.acknowledged_at!) - firstOf.get(a.id)!) / 1000))),
      hoursOnCall: coveredHours(shifts.shifts.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end) }))),
    };
  }

  /** A team's members' rows, and the team's totals. */
  async team(teamId: string, range: { from: number; to: number }) {
    const team = (await this.people.listTeams()).find((t) => t.id === teamId);
    if (!team) throw problems.notFound('Team', teamId);
    const rows: PersonHealth[] = [];
    for (const id of team.memberIds) rows.push(await this.person(id, range));
    return {
      team: { id: team.id, name: team.name },
      people: rows,
      totals: {
        pages: rows.reduce((n, r) => n + r.pages, 0),
        pagesOutOfHours: rows.reduce((n, r) => n + r.pagesOutOfHours, 0),
        acknowledged: rows.reduce((n, r) => n + r.acknowledged, 0),
        hoursOnCall: Math.round(rows.reduce((n, r) => n + r.hoursOnCall, 0) * 10) / 10,
      },
    };
  }
}
