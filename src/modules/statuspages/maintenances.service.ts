import type { z } from 'zod';
import type { JobQueue } from '../../jobs/queue.js';
import type { EventBus } from '../../server/event-bus.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { StatusMaintenancesTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import { enqueueMaintenanceJob, publishChanged } from './events.js';
import { checkComponents, invalidField, requirePage } from './guards.js';
import type { MaintenanceStatus } from './model.js';
import * as repo from './statuspages.repo.js';
import type { Maintenance, MaintenanceCreateSchema, MaintenanceUpdatePostSchema, MaintenanceUpdateSchema } from './statuspages.schema.js';
import { maintenanceStatus } from './status-history.js';

/** Looks up user names (the accounts room). */
export interface UserNames {
  userNames(ids: string[], db?: Db): Promise<Map<string, string>>;
}

const YEAR_MS = 365 * 86_400_000;
/** How far in the past a window may be said to start (a form filled in slowly): any earlier would invent past availability. */
const PAST_START_SLACK_MS = 5 * 60_000;
const iso = (t: string) => new Date(t).toISOString();

/** 400 naming body.startsAt when it lies more than a few minutes before `now`. */
function refusePastStart(startsAt: string, now: string): void {
  if (Date.parse(startsAt) < Date.parse(now) - PAST_START_SLACK_MS) {
    throw invalidField('body.startsAt', 'must not be more than 5 minutes in the past (start a window early with an in_progress update)');
  }
}

/**
 * Scheduled maintenance on a status page: a window over some components, with updates. It starts
 * and ends by the clock unless someone ends it early or calls it off. Each milestone is announced
 * by a `statuspage.maintenance` job enqueued in the transaction that causes it.
 */
export class MaintenancesService {
  constructor(private readonly storage: Storage, private readonly bus: EventBus, private readonly users: UserNames, private readonly queue: JobQueue) {}

  private get db(): Db {
    return this.storage.db;
  }

  /** Maintenances as the API shows them. */
  private async out(db: Db, rows: StatusMaintenancesTable[], now = Date.now()): Promise<Maintenance[]> {
    const parts = await repo.maintenanceParts(db, rows);
    const userIds = new Set<string>();
    for (const r of rows) if (r.created_by) userIds.add(r.created_by);
    for (const ups of parts.updates.values()) for (const u of ups) if (u.author_id) userIds.add(u.author_id);
    const names = await this.users.userNames([...userIds], db);
    const ref = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
    return rows.map((m) => {
      const updates = parts.updates.get(m.id) ?? [];
      return {
        id: m.id, pageId: m.page_id, title: m.title, status: maintenanceStatus(m, updates[0]?.status ?? null, now),
        startsAt: m.starts_at, endsAt: m.ends_at, completedAt: m.completed_at, cancelledAt: m.cancelled_at,
        componentIds: parts.components.get(m.id) ?? [], createdBy: ref(m.created_by), createdAt: m.created_at, updatedAt: m.updated_at,
        updates: updates.map((u) => ({ id: u.id, status: u.status as MaintenanceStatus, body: u.body, author: ref(u.author_id), createdAt: u.created_at })),
      };
    });
  }

  /** A page's maintenances that had not ended before `endedSince` (the page detail shows them). */
  async listOf(pageId: string, endedSince: string): Promise<Maintenance[]> {
    return this.out(this.db, await repo.maintenancesOf(this.db, pageId, endedSince, nowIso()));
  }

  /** Every maintenance of the page from the last 12 months on, latest start first. */
  async list(pageRef: string): Promise<Maintenance[]> {
    const page = await requirePage(this.db, pageRef);
    const now = Date.now();
    const rows = await repo.maintenancesOf(this.db, page.id, nowIso(now - YEAR_MS), nowIso(now));
    return (await this.out(this.db, rows, now)).reverse();
  }

  async get(pageRef: string, id: string): Promise<Maintenance> {
    const page = await requirePage(this.db, pageRef);
    return (await this.out(this.db, [await this.find(this.db, page.id, id)]))[0]!;
  }

  private async find(db: Db, pageId: string, id: string): Promise<StatusMaintenancesTable> {
    const row = await db.selectFrom('status_maintenances').selectAll().where('page_id', '=', pageId).where('id', '=', id).executeTakeFirst();
    if (!row) throw problems.notFound('Maintenance', id);
    return row;
  }

  /**
   * Changes one maintenance in one transaction (writers of one maintenance take turns), refusing
   * once it is over; the page is announced after commit.
   */
  private async mutate(pageRef: string, id: string, fn: (trx: Db, m: StatusMaintenancesTable, status: MaintenanceStatus, now: string) => Promise<boolean>): Promise<Maintenance> {
    let pageId = '';
    const { result, changed } = await this.db.transaction().execute(async (trx) => {
      const page = await requirePage(trx, pageRef);
      pageId = page.id;
      await this.storage.lockForTransaction(trx, `statuspage.maintenance:${id}`);
      const m = await this.find(trx, page.id, id);
      const now = nowIso();
      const latest = await trx.selectFrom('status_maintenance_updates').select('status').where('maintenance_id', '=', id)
        .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
      const changed = await fn(trx, m, maintenanceStatus(m, latest?.status ?? null, Date.parse(now)), now);
      if (changed) await trx.updateTable('status_maintenances').set({ updated_at: now }).where('id', '=', id).execute();
      return { result: (await this.out(trx, [await this.find(trx, page.id, id)]))[0]!, changed };
    });
    if (changed) publishChanged(this.bus, [pageId]);
    return result;
  }

  private static refuseIfOver(status: MaintenanceStatus): void {
    if (status === 'completed') throw problems.conflict('The maintenance is completed; it can no longer change', 'このメンテナンスは完了済みのため変更できません');
    if (status === 'cancelled') throw problems.conflict('The maintenance is cancelled; it can no longer change', 'このメンテナンスは中止済みのため変更できません');
  }

  /** Schedules a maintenance with its first update, and the jobs that announce it, its start and its end. */
  async create(actor: Actor, pageRef: string, input: z.output<typeof MaintenanceCreateSchema>): Promise<Maintenance> {
    const startsAt = iso(input.startsAt);
    const endsAt = iso(input.endsAt);
    const out = await this.db.transaction().execute(async (trx) => {
      const page = await requirePage(trx, pageRef);
      const now = nowIso();
      refusePastStart(startsAt, now);
      if (endsAt <= startsAt) throw invalidField('body.endsAt', 'must be after startsAt');
      if (endsAt <= now) throw invalidField('body.endsAt', 'must be in the future');
      await checkComponents(trx, page.id, input.componentIds, 'body.componentIds');
      const row: StatusMaintenancesTable = {
        id: newId(), page_id: page.id, title: input.title, starts_at: startsAt, ends_at: endsAt, completed_at: null, cancelled_at: null,
        created_by: actor.userId, created_at: now, updated_at: now,
      };
      await trx.insertInto('status_maintenances').values(row).execute();
      await trx.insertInto('status_maintenance_components').values(input.componentIds.map((c) => ({ maintenance_id: row.id, component_id: c }))).execute();
      await trx.insertInto('status_maintenance_updates').values({
        id: newId(), maintenance_id: row.id, status: startsAt > now ? 'scheduled' : 'in_progress', body: input.body, author_id: actor.userId, created_at: now,
      }).execute();
      await enqueueMaintenanceJob(this.queue, trx, { maintenanceId: row.id, event: 'scheduled' });
      await this.enqueueWindow(trx, row.id, startsAt, endsAt);
      await recordAudit(trx, actor, { action: 'status_maintenance.create', targetType: 'status_maintenance', targetId: row.id, after: { pageId: page.id, ...input } });
      return (await this.out(trx, [row]))[0]!;
    });
    publishChanged(this.bus, [out.pageId]);
    return out;
  }

  private async enqueueWindow(trx: Db, maintenanceId: string, startsAt: string | null, endsAt: string | null): Promise<void> {
    if (startsAt) await enqueueMaintenanceJob(this.queue, trx, { maintenanceId, event: 'started', at: startsAt }, Date.parse(startsAt));
    if (endsAt) await enqueueMaintenanceJob(this.queue, trx, { maintenanceId, event: 'completed', at: endsAt }, Date.parse(endsAt));
  }

  /** Changes title, window or components until it is over; a new window enqueues jobs for its new times. */
  async update(actor: Actor, pageRef: string, id: string, patch: z.output<typeof MaintenanceUpdateSchema>): Promise<Maintenance> {
    return this.mutate(pageRef, id, async (trx, m, status, now) => {
      MaintenancesService.refuseIfOver(status);
      const startsAt = patch.startsAt === undefined ? m.starts_at : iso(patch.startsAt);
      const endsAt = patch.endsAt === undefined ? m.ends_at : iso(patch.endsAt);
      if (startsAt !== m.starts_at && status !== 'scheduled') {
        throw new HttpProblem(409, 'Conflict', 'The maintenance has started; only its end can move', [{ field: 'body.startsAt', message: 'already started' }], 'メンテナンスは開始済みのため、終了時刻だけ変更できます');
      }
      if (startsAt !== m.starts_at) refusePastStart(startsAt, now);
      if (endsAt <= startsAt) throw invalidField(patch.endsAt === undefined ? 'body.startsAt' : 'body.endsAt', patch.endsAt === undefined ? 'must be before endsAt' : 'must be after startsAt');
      if (endsAt !== m.ends_at && endsAt <= now) throw invalidField('body.endsAt', 'must be in the future');
      const set: Partial<StatusMaintenancesTable> = {};
      if (patch.title !== undefined && patch.title !== m.title) set.title = patch.title;
      if (startsAt !== m.starts_at) set.starts_at = startsAt;
      if (endsAt !== m.ends_at) set.ends_at = endsAt;
      let components: string[] | undefined;
      if (patch.componentIds !== undefined) {
        await checkComponents(trx, m.page_id, patch.componentIds, 'body.componentIds');
        const before = (await trx.selectFrom('status_maintenance_components').select('component_id').where('maintenance_id', '=', id).execute()).map((r) => r.component_id);
        if ([...before].sort().join() !== [...patch.componentIds].sort().join()) {
          components = patch.componentIds;
          await trx.deleteFrom('status_maintenance_components').where('maintenance_id', '=', id).execute();
          await trx.insertInto('status_maintenance_components').values(components.map((c) => ({ maintenance_id: id, component_id: c }))).execute();
        }
      }
      if (Object.keys(set).length === 0 && !components) return false;
      if (Object.keys(set).length) await trx.updateTable('status_maintenances').set(set).where('id', '=', id).execute();
      await this.enqueueWindow(trx, id, set.starts_at ?? null, set.ends_at ?? null);
      await recordAudit(trx, actor, { action: 'status_maintenance.update', targetType: 'status_maintenance', targetId: id, before: { title: m.title, startsAt: m.starts_at, endsAt: m.ends_at }, after: patch });
      return true;
    });
  }

  /**
   * Posts an update. in_progress or verifying before the window starts it early; completed ends it
   * now; scheduled only fits before the start.
   */
  async postUpdate(actor: Actor, pageRef: string, id: string, input: z.output<typeof MaintenanceUpdatePostSchema>): Promise<Maintenance> {
    return this.mutate(pageRef, id, async (trx, m, status, now) => {
      MaintenancesService.refuseIfOver(status);
      const started = status !== 'scheduled';
      const set: Partial<StatusMaintenancesTable> = {};
      if (input.status === 'scheduled' && started) {
        throw new HttpProblem(409, 'Conflict', 'The maintenance is in progress; it cannot be scheduled again', [{ field: 'body.status', message: 'already started' }], 'メンテナンスは実施中のため「予定」には戻せません');
      }
      if (input.status === 'completed' && !started) {
        throw new HttpProblem(409, 'Conflict', 'The maintenance has not started; cancel it instead', [{ field: 'body.status', message: 'not started yet' }], 'メンテナンスはまだ始まっていません。中止してください');
      }
      if ((input.status === 'in_progress' || input.status === 'verifying') && !started) set.starts_at = now;
      if (input.status === 'completed') set.completed_at = now;
      if (Object.keys(set).length) await trx.updateTable('status_maintenances').set(set).where('id', '=', id).execute();
      if (set.starts_at) await this.enqueueWindow(trx, id, set.starts_at, null);
      const update = { id: newId(), maintenance_id: id, status: input.status, body: input.body, author_id: actor.userId, created_at: now };
      await trx.insertInto('status_maintenance_updates').values(update).execute();
      await enqueueMaintenanceJob(this.queue, trx, { maintenanceId: id, event: 'update', updateId: update.id });
      await recordAudit(trx, actor, { action: 'status_maintenance.post_update', targetType: 'status_maintenance', targetId: id, before: { status }, after: { ...input, ...set } });
      return true;
    });
  }

  /** Calls a maintenance off (also while it runs); cancelling twice changes nothing. */
  async cancel(actor: Actor, pageRef: string, id: string): Promise<Maintenance> {
    return this.mutate(pageRef, id, async (trx, m, status, now) => {
      if (status === 'cancelled') return false;
      MaintenancesService.refuseIfOver(status);
      await trx.updateTable('status_maintenances').set({ cancelled_at: now }).where('id', '=', id).execute();
      await enqueueMaintenanceJob(this.queue, trx, { maintenanceId: id, event: 'cancelled' });
      await recordAudit(trx, actor, { action: 'status_maintenance.cancel', targetType: 'status_maintenance', targetId: id, before: { status, startsAt: m.starts_at, endsAt: m.ends_at } });
      return true;
    });
  }
}
