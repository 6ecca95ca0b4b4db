// Escalation policies: ordered levels, each naming people, schedules or teams with a timeout, and a
// number of repeats. A page copies its policy when it starts (Grafana OnCall's lesson): editing or
// deleting the policy mid-incident changes the next page, never one in flight.
import type { z } from 'zod';
import { HttpProblem, problems, type FieldError } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { EscalationPoliciesTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import type { PolicyCreateSchema, PolicyUpdateSchema, TARGET_TYPES } from './paging.schema.js';

type PolicyCreate = z.output<typeof PolicyCreateSchema>;
type PolicyUpdate = z.output<typeof PolicyUpdateSchema>;

export type TargetType = (typeof TARGET_TYPES)[number];
export interface Target { type: TargetType; id: string }
export interface Level { targets: Target[]; timeoutMinutes: number }

/** A policy as a page keeps it: the levels, the repeats and the names at the time. */
export interface PolicySnapshot {
  policyId: string | null;
  name: string;
  repeat: number;
  levels: Level[];
  /** A drill's page: only these people are woken, whatever the levels resolve to. */
  onlyUsers?: string[];
}

/** Names of the things a target can be, from the rooms that own them. */
export interface TargetNames {
  userNames(ids: string[], db?: Db): Promise<Map<string, string>>;
  teamNames(ids: string[], db?: Db): Promise<Map<string, string>>;
  scheduleNames(ids: string[], db?: Db): Promise<Map<string, string>>;
}

/** Says which alert routes send to a policy (a policy in use cannot be deleted). */
export type RoutesUsing = (policyId: string) => Promise<string[]>;
/** How many open alert groups page through a policy. */
export type GroupsUsing = (policyId: string) => Promise<number>;

export class PoliciesService {
  /** Set once the alerts room exists (it is built after this one). */
  routesUsing: RoutesUsing = async () => [];
  /** Set once the alerts room exists: open groups keep the policy they were routed to, and page through it when they reopen. */
  groupsUsing: GroupsUsing = async () => 0;

  constructor(private readonly storage: Storage, private readonly names: TargetNames) {}

  private get db(): Db {
    return this.storage.db;
  }

  /** Target names for display; a target that no longer exists keeps its id as its name. */
  async targetNames(levels: Level[], db: Db = this.db): Promise<(t: Target) => string> {
    const ids = (type: TargetType) => levels.flatMap((l) => l.targets.filter((t) => t.type === type).map((t) => t.id));
    const [users, teams, schedules] = await Promise.all([
      this.names.userNames(ids('user'), db), this.names.teamNames(ids('team'), db), this.names.scheduleNames(ids('schedule'), db),
    ]);
    const maps = { user: users, team: teams, schedule: schedules };
    return (t) => maps[t.type].get(t.id) ?? t.id;
  }

  /** A target's name, or null when there is no such person, schedule or team. */
  async targetName(t: Target, db: Db = this.db): Promise<string | null> {
    const names = t.type === 'user' ? await this.names.userNames([t.id], db)
      : t.type === 'team' ? await this.names.teamNames([t.id], db) : await this.names.scheduleNames([t.id], db);
    return names.get(t.id) ?? null;
  }

  private async out(rows: EscalationPoliciesTable[], db: Db = this.db) {
    const all = rows.flatMap((r) => JSON.parse(r.levels_json) as Level[]);
    const name = await this.targetNames(all, db);
    const teams = await this.names.teamNames(rows.map((r) => r.team_id).filter((t): t is string => !!t), db);
    return rows.map((r) => ({
      id: r.id, name: r.name, description: r.description,
      team: r.team_id ? { id: r.team_id, name: teams.get(r.team_id) ?? r.team_id } : null,
      levels: (JSON.parse(r.levels_json) as Level[]).map((l) => ({ timeoutMinutes: l.timeoutMinutes, targets: l.targets.map((t) => ({ ...t, name: name(t) })) })),
      repeat: r.repeat, createdAt: r.created_at, updatedAt: r.updated_at,
    }));
  }

  async list() {
    return this.out(await this.db.selectFrom('escalation_policies').selectAll().orderBy('name').orderBy('id').execute());
  }

  async get(id: string, db: Db = this.db) {
    const row = await db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw problems.notFound('Escalation policy', id);
    return (await this.out([row], db))[0]!;
  }

  /** The policy as a page keeps it, or null when there is no such policy. */
  async snapshot(id: string, db: Db = this.db): Promise<PolicySnapshot | null> {
    const row = await db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return { policyId: row.id, name: row.name, repeat: row.repeat, levels: JSON.parse(row.levels_json) as Level[] };
  }

  /** Every target must exist; the team too. */
  private async check(db: Db, input: { teamId?: string | null; levels?: Level[] }): Promise<void> {
    const errors: FieldError[] = [];
    if (input.teamId && !(await this.names.teamNames([input.teamId], db)).has(input.teamId)) errors.push({ field: 'body.teamId', message: 'no such team' });
    const levels = input.levels ?? [];
    const ids = (type: TargetType) => levels.flatMap((l) => l.targets.filter((t) => t.type === type).map((t) => t.id));
    const known = {
      user: await this.names.userNames(ids('user'), db), team: await this.names.teamNames(ids('team'), db), schedule: await this.names.scheduleNames(ids('schedule'), db),
    };
    levels.forEach((l, i) => l.targets.forEach((t, j) => {
      if (!known[t.type].has(t.id)) errors.push({ field: `body.levels.${i}.targets.${j}.id`, message: `no such ${t.type}` });
    }));
    if (errors.length) throw new HttpProblem(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  async create(actor: Actor, input: PolicyCreate) {
    return this.db.transaction().execute(async (trx) => {
      await this.check(trx, input);
      const now = nowIso();
      const row: EscalationPoliciesTable = {
        id: newId(), name: input.name, description: input.description, team_id: input.teamId, repeat: input.repeat,
        levels_json: JSON.stringify(input.levels), created_at: now, updated_at: now,
      };
      await trx.insertInto('escalation_policies').values(row).execute();
      const [policy] = await this.out([row], trx);
      await recordAudit(trx, actor, { action: 'escalation_policy.create', targetType: 'escalation_policy', targetId: row.id, after: policy });
      return policy!;
    });
  }

  async update(actor: Actor, id: string, input: PolicyUpdate) {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      await this.check(trx, input);
      const set: Partial<EscalationPoliciesTable> = { updated_at: nowIso() };
      if (input.name !== undefined) set.name = input.name;
      if (input.description !== undefined) set.description = input.description;
      if (input.teamId !== undefined) set.team_id = input.teamId;
      if (input.repeat !== undefined) set.repeat = input.repeat;
      if (input.levels !== undefined) set.levels_json = JSON.stringify(input.levels);
      await trx.updateTable('escalation_policies').set(set).where('id', '=', id).execute();
      const after = await this.get(id, trx);
      await recordAudit(trx, actor, { action: 'escalation_policy.update', targetType: 'escalation_policy', targetId: id, before, after });
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const routes = await this.routesUsing(id);
    if (routes.length) {
      throw problems.conflict(`Alert routes send to this policy: ${routes.join(', ')}. Change them first.`, `このポリシーに送るアラートルートがあります: ${routes.join(', ')}。先に変更してください。`);
    }
    const groups = await this.groupsUsing(id);
    if (groups > 0) {
      throw problems.conflict(`${groups} open alert group(s) page through this policy; resolve them or wait until they are resolved.`, `未解決のアラートグループ ${groups} 件がこのポリシーで呼び出します。解決してから削除してください。`);
    }
    await this.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      await trx.deleteFrom('escalation_policies').where('id', '=', id).execute();
      await recordAudit(trx, actor, { action: 'escalation_policy.delete', targetType: 'escalation_policy', targetId: id, before });
    });
  }

  /** Names of the policies that name this schedule or team as a target (it cannot be deleted while they do). */
  async using(type: 'schedule' | 'team' | 'user', id: string, db: Db = this.db): Promise<string[]> {
    const rows = await db.selectFrom('escalation_policies').select(['name', 'levels_json']).execute();
    return rows.filter((r) => (JSON.parse(r.levels_json) as Level[]).some((l) => l.targets.some((t) => t.type === type && t.id === id))).map((r) => r.name);
  }
}
