import type { z } from 'zod';
import { HttpProblem, problems, type FieldError } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { ScheduleOverridesTable, SchedulesTable, ScheduleVersionsTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './oncall.repo.js';
import type { LayerInput, OverrideCreateSchema, ScheduleCreateSchema, ScheduleUpdateSchema, Shift } from './oncall.schema.js';
import { byPerson, computeSchedule, type LayerSpec, onCallAt, type OverrideSpec, type ScheduleVersion, type Span } from './rotation.js';

type ScheduleCreate = z.output<typeof ScheduleCreateSchema>;
type ScheduleUpdate = z.output<typeof ScheduleUpdateSchema>;
type OverrideCreate = z.output<typeof OverrideCreateSchema>;

/** What the on-call room needs to know of people and teams (the accounts service). */
export interface Directory {
  userNames(ids: string[], db?: Db): Promise<Map<string, string>>;
  teamNames(ids: string[], db?: Db): Promise<Map<string, string>>;
}

const DAY_MS = 86_400_000;
/** The longest interval one request may ask shifts for. */
export const MAX_RANGE_MS = 366 * DAY_MS;
/** How far around a moment "on call now" looks to find where that person's stretch begins and ends. */
const AROUND_BEFORE_MS = 35 * DAY_MS;
const AROUND_AFTER_MS = 100 * DAY_MS;
/** An effectiveFrom this far in the past is a mistake, not a clock that runs a little behind. */
const PAST_SLACK_MS = 5 * 60_000;

/** A layer as stored (a version's JSON). */
interface StoredLayer extends LayerSpec {
  name: string;
}

interface Loaded {
  row: SchedulesTable;
  versions: ScheduleVersion[];
  /** The stored layers of each version, by effectiveFrom, for reading them back. */
  stored: { effectiveFrom: string; zone: string; layers: StoredLayer[] }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Parses a range query, at most MAX_RANGE_MS long. Without bounds it is `days` from now on, or
 * (`back`) the `days` up to now: shifts look ahead, reports look back.
 */
export function rangeOf(q: { from?: string; to?: string }, now = Date.now(), days = 14, back = false): { from: number; to: number } {
  const span = days * DAY_MS;
  const to0 = q.to ? Date.parse(q.to) : null;
  const from = q.from ? Date.parse(q.from) : back ? (to0 ?? now) - span : now;
  const to = to0 ?? from + span;
  if (to <= from) throw new HttpProblem(400, 'Invalid request', 'querystring.to: must be after from', [{ field: 'querystring.to', message: 'must be after from' }]);
  if (to - from > MAX_RANGE_MS) throw new HttpProblem(400, 'Invalid request', 'querystring.to: at most 366 days after from', [{ field: 'querystring.to', message: 'at most 366 days after from' }]);
  return { from, to };
}

function overrideSpec(o: ScheduleOverridesTable): OverrideSpec {
  return { id: o.id, userId: o.user_id, start: Date.parse(o.starts_at), end: Date.parse(o.ends_at), createdAt: o.created_at };
}

/**
 * On-call schedules: layers of rotations (kept as versions, so an edit changes the future only),
 * overrides, and the answers everything else asks — who is on call now or at a time, for a
 * schedule, a team or a person.
 */
export class OnCallService {
  /** Names of the escalation policies that page this schedule (set by the paging room): it cannot be deleted while any does. */
  inUse: (scheduleId: string) => Promise<string[]> = async () => [];

  constructor(private readonly storage: Storage, private readonly directory: Directory, private readonly clock: () => number = Date.now) {}

  private get db(): Db {
    return this.storage.db;
  }

  // ---- reading ----

  private async load(db: Db, rows: SchedulesTable[]): Promise<Loaded[]> {
    const versions = await repo.versionsOf(db, rows.map((r) => r.id));
    return rows.map((row) => {
      const own = versions.filter((v) => v.schedule_id === row.id);
      const stored = own.map((v) => ({ effectiveFrom: v.effective_from, ...parseVersion(v) }));
      return {
        row, stored,
        versions: stored.map((v) => ({ effectiveFrom: Date.parse(v.effectiveFrom), zone: v.zone, layers: v.layers })),
      };
    });
  }

  private async loadOne(db: Db, id: string): Promise<Loaded> {
    const row = await repo.getSchedule(db, id);
    if (!row) throw problems.notFound('Schedule', id);
    return (await this.load(db, [row]))[0]!;
  }

  /** The final schedule of each loaded schedule over [from, to), with its overrides. */
  private async compute(db: Db, loaded: Loaded[], from: number, to: number) {
    const overrides = await repo.overridesOf(db, loaded.map((l) => l.row.id), iso(from), iso(to));
    return loaded.map((l) => {
      const own = overrides.filter((o) => o.schedule_id === l.row.id);
      return { loaded: l, overrides: own, computed: computeSchedule(l.versions, own.map(overrideSpec), from, to) };
    });
  }

  private async shiftsOut(spans: Span[], db: Db = this.db): Promise<Shift[]> {
    const names = await this.directory.userNames(spans.map((s) => s.userId), db);
    return spans.map((s) => ({
      user: { id: s.userId, name: names.get(s.userId) ?? s.userId },
      start: iso(s.start), end: iso(s.end), layerId: s.layerId, overrideId: s.overrideId,
    }));
  }

  private async scheduleOut(db: Db, loaded: Loaded[]) {
    const now = this.clock();
    const around = await this.compute(db, loaded, now - AROUND_BEFORE_MS, now + AROUND_AFTER_MS);
    const ids = loaded.flatMap((l) => [...l.stored.flatMap((v) => v.layers.flatMap((x) => x.participants))]);
    const names = await this.directory.userNames([...ids, ...around.flatMap((a) => a.computed.final.map((s) => s.userId))], db);
    const teams = await this.directory.teamNames(loaded.map((l) => l.row.team_id).filter((t): t is string => !!t), db);
    const person = (id: string) => ({ id, name: names.get(id) ?? id });
    const layersOut = (layers: StoredLayer[]) => layers.map((x) => ({
      id: x.id, name: x.name, start: x.start, turn: x.turn, participants: x.participants.map(person), restrictions: x.restrictions, end: x.end,
    }));
    return around.map(({ loaded: l, computed }) => {
      const current = [...l.stored].reverse().find((v) => Date.parse(v.effectiveFrom) <= now);
      const next = l.stored.find((v) => Date.parse(v.effectiveFrom) > now);
      return {
        id: l.row.id, name: l.row.name, description: l.row.description, timeZone: l.row.time_zone,
        team: l.row.team_id ? { id: l.row.team_id, name: teams.get(l.row.team_id) ?? l.row.team_id } : null,
        layers: layersOut(current?.layers ?? []),
        scheduledChange: next ? { effectiveFrom: next.effectiveFrom, layers: layersOut(next.layers) } : null,
        onCallNow: onCallAt(computed.final, now).map((s) => ({
          user: person(s.userId), start: iso(s.start), end: iso(s.end), layerId: s.layerId, overrideId: s.overrideId,
          openEnded: s.end >= now + AROUND_AFTER_MS,
        })),
        createdAt: l.row.created_at, updatedAt: l.row.updated_at,
      };
    });
  }

  async list(teamId?: string) {
    const rows = await repo.listSchedules(this.db, teamId);
    return this.scheduleOut(this.db, await this.load(this.db, rows));
  }

  async get(id: string, db: Db = this.db) {
    return (await this.scheduleOut(db, [await this.loadOne(db, id)]))[0]!;
  }

  /** Each layer's shifts, the overrides and the final schedule over [from, to). */
  async shifts(id: string, range: { from: number; to: number }) {
    const loaded = await this.loadOne(this.db, id);
    const { overrides, computed } = (await this.compute(this.db, [loaded], range.from, range.to))[0]!;
    // Every layer that existed during the range, named as it was last named.
    const names = new Map<string, string>();
    for (const v of loaded.stored) for (const l of v.layers) names.set(l.id, l.name);
    const layers = [];
    for (const [layerId, spans] of computed.layers) layers.push({ id: layerId, name: names.get(layerId) ?? layerId, shifts: await this.shiftsOut(spans) });
    return {
      timeZone: loaded.row.time_zone, from: iso(range.from), to: iso(range.to),
      layers, overrides: await this.overridesOut(overrides), final: await this.shiftsOut(computed.final),
    };
  }

  /** Who is on call at `at`: every schedule's, or a schedule's, a team's schedules', or where a person is. */
  async onCall(q: { at?: string; scheduleId?: string; teamId?: string; userId?: string }) {
    const at = q.at ? Date.parse(q.at) : this.clock();
    let rows: SchedulesTable[];
    if (q.scheduleId) {
      const row = await repo.getSchedule(this.db, q.scheduleId);
      if (!row) throw problems.notFound('Schedule', q.scheduleId);
      rows = [row];
    } else {
      rows = await repo.listSchedules(this.db, q.teamId);
    }
    const computed = await this.compute(this.db, await this.load(this.db, rows), at - AROUND_BEFORE_MS, at + AROUND_AFTER_MS);
    const hits = computed.flatMap(({ loaded, computed: c }) => onCallAt(c.final, at).map((s) => ({ row: loaded.row, span: s })))
      .filter((h) => !q.userId || h.span.userId === q.userId);
    const names = await this.directory.userNames(hits.map((h) => h.span.userId));
    return {
      at: iso(at),
      entries: hits.map(({ row, span }) => ({
        schedule: { id: row.id, name: row.name, timeZone: row.time_zone },
        user: { id: span.userId, name: names.get(span.userId) ?? span.userId },
        start: iso(span.start), end: iso(span.end), overrideId: span.overrideId, openEnded: span.end >= at + AROUND_AFTER_MS,
      })),
    };
  }

  /** A person's stretches on call over [from, to), in every schedule, in time order. */
  async userShifts(userId: string, range: { from: number; to: number }) {
    const names = await this.directory.userNames([userId]);
    if (!names.has(userId)) throw problems.notFound('User', userId);
    const rows = await repo.listSchedules(this.db);
    const computed = await this.compute(this.db, await this.load(this.db, rows), range.from, range.to);
    const shifts = computed.flatMap(({ loaded, computed: c }) => byPerson(c.final).filter((s) => s.userId === userId).map((s) => ({
      schedule: { id: loaded.row.id, name: loaded.row.name, timeZone: loaded.row.time_zone },
      user: { id: userId, name: names.get(userId)! },
      start: iso(s.start), end: iso(s.end), layerId: s.layerId, overrideId: s.overrideId,
    }))).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    return { from: iso(range.from), to: iso(range.to), shifts };
  }

  /** Raw spans for the calendar feeds: a schedule's people (by person), or one person's in every schedule. */
  async feedSpans(target: { scheduleId: string } | { userId: string }, from: number, to: number) {
    const rows = 'scheduleId' in target ? [await repo.getSchedule(this.db, target.scheduleId)].filter((r): r is SchedulesTable => !!r) : await repo.listSchedules(this.db);
    const computed = await this.compute(this.db, await this.load(this.db, rows), from, to);
    const spans = computed.flatMap(({ loaded, computed: c }) => byPerson(c.final)
      .filter((s) => !('userId' in target) || s.userId === target.userId)
      .map((s) => ({ schedule: loaded.row, span: s })));
    const names = await this.directory.userNames(spans.map((s) => s.span.userId));
    return { spans, names };
  }

  // ---- writing ----

  /** Checks what zod cannot: participants and team exist, layer ids are unique, a layer ends after it starts. */
  private async checkInput(db: Db, input: { teamId?: string | null; layers?: LayerInput[] }): Promise<void> {
    const errors: FieldError[] = [];
    if (input.teamId) {
      const teams = await this.directory.teamNames([input.teamId], db);
      if (!teams.has(input.teamId)) errors.push({ field: 'body.teamId', message: 'no such team' });
    }
    const layers = input.layers ?? [];
    const users = await this.directory.userNames(layers.flatMap((l) => l.participants), db);
    const seen = new Set<string>();
    layers.forEach((l, i) => {
      l.participants.forEach((p, j) => {
        if (!users.has(p)) errors.push({ field: `body.layers.${i}.participants.${j}`, message: 'no such user' });
      });
      if (l.id !== undefined) {
        if (seen.has(l.id)) errors.push({ field: `body.layers.${i}.id`, message: 'two layers have this id' });
        seen.add(l.id);
      }
      if (l.end !== null && l.end <= l.start) errors.push({ field: `body.layers.${i}.end`, message: 'must be after start' });
    });
    if (errors.length) throw new HttpProblem(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  async create(actor: Actor, input: ScheduleCreate) {
    return this.db.transaction().execute(async (trx) => {
      await this.checkInput(trx, input);
      const now = nowIso(this.clock());
      const id = newId();
      await repo.insertSchedule(trx, { id, name: input.name, description: input.description, time_zone: input.timeZone, team_id: input.teamId, created_at: now, updated_at: now });
      await repo.putVersion(trx, versionRow(id, now, input.timeZone, input.layers, actor, now));
      const out = await this.get(id, trx);
      await recordAudit(trx, actor, { action: 'schedule.create', targetType: 'schedule', targetId: id, after: out });
      return out;
    });
  }

  async update(actor: Actor, id: string, input: ScheduleUpdate) {
    return this.db.transaction().execute(async (trx) => {
      const loaded = await this.loadOne(trx, id);
      await this.checkInput(trx, input);
      const before = await this.get(id, trx);
      const nowMs = this.clock();
      const now = nowIso(nowMs);
      let from = input.effectiveFrom ? Date.parse(input.effectiveFrom) : nowMs;
      if (from < nowMs - PAST_SLACK_MS) {
        throw new HttpProblem(400, 'Invalid request', 'body.effectiveFrom: must not be in the past (the past keeps the layers it had)', [{ field: 'body.effectiveFrom', message: 'must not be in the past (the past keeps the layers it had)' }]);
      }
      from = Math.max(from, nowMs);
      const zone = input.timeZone ?? loaded.row.time_zone;
      if (input.layers !== undefined || input.timeZone !== undefined) {
        // The layers being replaced are those in effect at `from`, kept when only the zone changes.
        const at = [...loaded.stored].reverse().find((v) => Date.parse(v.effectiveFrom) <= from);
        const layers = input.layers ?? at?.layers.map((l) => ({ ...l })) ?? [];
        const version = versionRow(id, iso(from), zone, layers, actor, now);
        // Saving the form unchanged writes nothing: a scheduled change is not dropped by an edit of the name.
        const same = at && at.zone === zone && JSON.stringify(at.layers) === JSON.stringify(parseVersion(version).layers);
        if (!same) await repo.putVersion(trx, version);
      }
      await repo.updateSchedule(trx, id, {
        name: input.name ?? loaded.row.name,
        description: input.description ?? loaded.row.description,
        time_zone: zone,
        team_id: input.teamId === undefined ? loaded.row.team_id : input.teamId,
        updated_at: now,
      });
      const after = await this.get(id, trx);
      await recordAudit(trx, actor, { action: 'schedule.update', targetType: 'schedule', targetId: id, before, after });
      return after;
    });
  }

  /** Schedule names by id, for other rooms (unknown ids are absent). */
  async scheduleNames(ids: string[], db: Db = this.db): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await db.selectFrom('schedules').select(['id', 'name']).where('id', 'in', unique).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const policies = await this.inUse(id);
    if (policies.length) {
      throw problems.conflict(`Escalation policies page this schedule: ${policies.join(', ')}. Change them first.`, `このスケジュールを呼び出すエスカレーションポリシーがあります: ${policies.join(', ')}。先に変更してください。`);
    }
    await this.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      await repo.deleteSchedule(trx, id);
      await recordAudit(trx, actor, { action: 'schedule.delete', targetType: 'schedule', targetId: id, before });
    });
  }

  // ---- overrides ----

  /** A schedule's overrides that overlap [from, to), earliest first. */
  async listOverrides(scheduleId: string, range: { from: number; to: number }) {
    if (!(await repo.getSchedule(this.db, scheduleId))) throw problems.notFound('Schedule', scheduleId);
    return this.overridesOut(await repo.overridesOf(this.db, [scheduleId], iso(range.from), iso(range.to)));
  }

  private async overridesOut(rows: ScheduleOverridesTable[], db: Db = this.db) {
    const names = await this.directory.userNames(rows.flatMap((r) => [r.user_id, r.created_by].filter((x): x is string => !!x)), db);
    return rows.map((r) => ({
      id: r.id, user: { id: r.user_id, name: names.get(r.user_id) ?? r.user_id }, start: r.starts_at, end: r.ends_at, note: r.note,
      createdBy: r.created_by ? { id: r.created_by, name: names.get(r.created_by) ?? r.created_by } : null, createdAt: r.created_at,
    }));
  }

  async createOverride(actor: Actor, scheduleId: string, input: OverrideCreate) {
    return this.db.transaction().execute(async (trx) => {
      if (!(await repo.getSchedule(trx, scheduleId))) throw problems.notFound('Schedule', scheduleId);
      const start = Date.parse(input.start);
      const end = Date.parse(input.end);
      const errors: FieldError[] = [];
      if (end <= start) errors.push({ field: 'body.end', message: 'must be after start' });
      else if (end - start > MAX_RANGE_MS) errors.push({ field: 'body.end', message: 'an override lasts at most 366 days' });
      if (!(await this.directory.userNames([input.userId], trx)).has(input.userId)) errors.push({ field: 'body.userId', message: 'no such user' });
      if (errors.length) throw new HttpProblem(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
      const row: ScheduleOverridesTable = {
        id: newId(), schedule_id: scheduleId, user_id: input.userId, starts_at: iso(start), ends_at: iso(end), note: input.note,
        created_by: actor.userId, created_at: nowIso(this.clock()),
      };
      await repo.insertOverride(trx, row);
      const [out] = await this.overridesOut([row], trx);
      await recordAudit(trx, actor, { action: 'schedule.override_create', targetType: 'schedule', targetId: scheduleId, after: out });
      return out!;
    });
  }

  async deleteOverride(actor: Actor, scheduleId: string, overrideId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.getOverride(trx, scheduleId, overrideId);
      if (!row) throw problems.notFound('Override', overrideId);
      const [before] = await this.overridesOut([row], trx);
      await repo.deleteOverride(trx, overrideId);
      await recordAudit(trx, actor, { action: 'schedule.override_delete', targetType: 'schedule', targetId: scheduleId, before });
    });
  }
}

/** A version row: the layers (ids assigned to new ones) in effect from `effectiveFrom` on. */
function versionRow(scheduleId: string, effectiveFrom: string, zone: string, layers: LayerInput[], actor: Actor, now: string): ScheduleVersionsTable {
  const stored: StoredLayer[] = layers.map((l) => ({
    id: l.id ?? newId(), name: l.name, start: l.start, turn: l.turn, participants: l.participants,
    restrictions: l.restrictions.map((r) => ({ ...r, days: [...new Set(r.days)].sort() })), end: l.end,
  }));
  return { id: newId(), schedule_id: scheduleId, effective_from: effectiveFrom, layers_json: JSON.stringify({ zone, layers: stored }), created_by: actor.userId, created_at: now };
}

function parseVersion(v: ScheduleVersionsTable): { zone: string; layers: StoredLayer[] } {
  return JSON.parse(v.layers_json) as { zone: string; layers: StoredLayer[] };
}
