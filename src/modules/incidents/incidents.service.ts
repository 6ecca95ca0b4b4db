import type { z } from 'zod';
import type { EventBus } from '../../server/event-bus.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import { type Audience, type Locale, type Phase, phaseChangeAllowed, PHASE_PREFIX } from '../../shared/phases.js';
import type { Db, Storage } from '../../storage/db.js';
import type { IncidentsTable } from '../../storage/schema.js';
import { JobQueue } from '../../jobs/queue.js';
import { recordAudit } from '../audit/audit.service.js';
import { incidentUpdateJob } from '../statuspages/subscribers.jobs.js';
import type { SettingsService } from '../settings/settings.service.js';
import { computeClocks } from './clocks.js';
import { IncidentFrame, type Work } from './incidents.frame.js';
import { IncidentReader, type UserDirectory } from './incidents.read.js';
import * as repo from './incidents.repo.js';
import { IncidentTasks } from './incidents.tasks.js';
import type {
  IncidentDeclareSchema, IncidentDetail, IncidentListQuery, IncidentSummary, IncidentUpdateSchema, StatusUpdateCreateSchema, TimelineEvent,
} from './incidents.schema.js';

type Declare = z.output<typeof IncidentDeclareSchema>;

const OPEN_TASK = new Set(['open', 'in_progress']);

/** A phase change as listeners hear it, inside its transaction. */
export interface PhaseChange {
  incidentId: string;
  from: Phase;
  to: Phase;
  now: string;
  /** When it was resolved before this change (set when it is being reopened). */
  previousResolvedAt: string | null;
}

/** Runs inside the transaction of every phase change: what it writes commits with the change, or not at all. */
export type PhaseChangeListener = (trx: Db, change: PhaseChange) => Promise<void>;

/** The war room: declaring and running incidents. Every change lands in the timeline and the audit log. */
export class IncidentsService {
  private readonly read: IncidentReader;
  private readonly frame: IncidentFrame;
  private readonly phaseListeners: PhaseChangeListener[] = [];
  /** Tasks and decisions (incidents.tasks.ts). */
  readonly tasks: IncidentTasks;

  constructor(
    private readonly storage: Storage,
    private readonly bus: EventBus,
    private readonly settings: SettingsService,
    private readonly users: UserDirectory,
  ) {
    this.read = new IncidentReader(users);
    this.frame = new IncidentFrame(storage, bus, settings, users, this.read);
    this.tasks = new IncidentTasks(this.frame);
  }

  private get db(): Db {
    return this.storage.db;
  }

  // ---- reads ----

  async list(q: z.output<typeof IncidentListQuery>): Promise<IncidentSummary[]> {
    const rows = await repo.listIncidents(this.db, { state: q.state, severity: q.severity, drill: q.drill === undefined ? undefined : q.drill === 'true', limit: q.limit });
    return this.read.list(this.db, rows, await this.settings.incidentSettings());
  }

  async get(idOrRef: string): Promise<IncidentDetail> {
    const row = await repo.findIncident(this.db, idOrRef);
    if (!row) throw problems.notFound('Incident', idOrRef);
    return this.read.detail(this.db, row, await this.settings.incidentSettings());
  }

  async timeline(idOrRef: string, opts: { starredOnly: boolean; locale: Locale; timeZone: string }): Promise<TimelineEvent[]> {
    const row = await repo.findIncident(this.db, idOrRef);
    if (!row) throw problems.notFound('Incident', idOrRef);
    return this.read.timeline(this.db, row.id, opts.starredOnly, opts.locale, opts.timeZone);
  }

  /**
   * Records what linked alert groups did (fired, resolved, linked) on the timeline, inside the
   * caller's transaction: the alerts room calls it so alert state and timeline commit together.
   */
  async recordAlertActivity(trx: Db, incidentId: string, kind: 'alerts.activity' | 'alerts.linked' | 'alerts.unlinked' | `page.${string}`, data: Record<string, unknown>, actor: Actor | null = null): Promise<void> {
    const now = nowIso();
    await repo.insertTimelineEvent(trx, { id: newId(), incident_id: incidentId, at: now, kind, actor_id: actor?.userId ?? null, body: '', data_json: JSON.stringify(data), starred: 0 });
    await repo.updateIncident(trx, incidentId, { updated_at: now });
  }

  /**
   * Changes what status pages say about an incident (the status pages room calls it): `fn` runs on
   * the locked incident in one transaction and returns what changed, which lands on the timeline as
   * `statuspage.components` (null: nothing changed, nothing recorded).
   */
  async changeStatusPageLinks<T>(actor: Actor, idOrRef: string, fn: (trx: Db, row: IncidentsTable, now: string) => Promise<{ result: T; changed: Record<string, unknown> | null }>): Promise<T> {
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      const out = await fn(trx, row, now);
      if (!out.changed) return { result: out.result, events: [] };
      const eventId = await this.frame.event(trx, row.id, actor, 'statuspage.components', out.changed);
      return { result: out.result, events: [{ type: 'incident.timeline', data: { eventId } }] };
    });
  }

  /** Registers a listener of phase changes (the status pages room ends and restarts its incident segments with them). */
  onPhaseChange(listener: PhaseChangeListener): void {
    this.phaseListeners.push(listener);
  }

  /** Tells live views of an incident that alerts changed it (after the caller committed). */
  announceAlertActivity(incidentId: string): void {
    this.bus.publish({ type: 'incident.alerts', incidentId, at: nowIso() });
  }

  // ---- declaring and changing the incident ----

  /**
   * Declares an incident. `alsoInTransaction` runs inside the declaring transaction (the alerts room
   * links the alert group there, so a crash can never leave an incident declared twice for one group).
   */
  async declare(actor: Actor, input: Declare, alsoInTransaction?: (trx: Db, incidentId: string) => Promise<void>): Promise<IncidentDetail> {
    const commanderId = input.commanderId ?? actor.userId;
    // Only the server itself (an alert routed to "declare") may declare with nobody in command yet.
    if (!commanderId && actor.type !== 'system') throw problems.invalid('body.commanderId', 'name a commander');
    const commanderName = commanderId ? await this.frame.requireUser(commanderId, 'body.commanderId') : null;
    for (let attempt = 0; ; attempt++) {
      try {
        const detail = await this.db.transaction().execute(async (trx) => {
          // Numbers are max + 1: declarations take turns, or concurrent ones (several nodes, an alert
          // storm) would collide on the number and fail.
          await this.storage.lockForTransaction(trx, 'incidents.number');
          const now = nowIso();
          const row: IncidentsTable = {
            id: newId(), number: await repo.nextIncidentNumber(trx), title: input.title, summary: input.summary,
            severity: input.severity, phase: 'investigating', drill: input.drill ? 1 : 0, commander_id: commanderId,
            declared_by: actor.userId, declared_at: now,
            // A person declaring is already on it; automated declarations (alerts) will start unacknowledged.
            acknowledged_at: actor.type === 'system' ? null : now,
            first_public_update_at: null, mitigated_at: null, resolved_at: null,
            last_internal_update_at: null, last_stakeholder_update_at: null, last_public_update_at: null, updated_at: now,
          };
          await repo.insertIncident(trx, row);
          await repo.replaceServices(trx, row.id, input.services);
          if (commanderId) {
            await repo.setRole(trx, row.id, 'commander', commanderId, now);
            await repo.joinResponder(trx, row.id, commanderId, now);
          }
          if (actor.userId && actor.userId !== commanderId) await repo.joinResponder(trx, row.id, actor.userId, now);
          await this.frame.event(trx, row.id, actor, 'incident.declared', { title: row.title, severity: row.severity, drill: input.drill, commander: commanderName }, input.summary);
          if (alsoInTransaction) await alsoInTransaction(trx, row.id);
          const detail = await this.frame.detailIn(trx, row.id);
          await recordAudit(trx, actor, { action: 'incident.declare', targetType: 'incident', targetId: row.id, after: { ...input, number: row.number } });
          return detail;
        });
        this.bus.publish({ type: 'incident.declared', incidentId: detail.id, at: nowIso(), data: { severity: detail.severity, drill: detail.drill } });
        return detail;
      } catch (err) {
        // Should not happen under the lock above; a node of an older version might still race us.
        if (this.storage.isUniqueViolation(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  async update(actor: Actor, idOrRef: string, patch: z.output<typeof IncidentUpdateSchema>): Promise<IncidentDetail> {
    return this.frame.mutate(idOrRef, async (trx, row) => {
      const changes: Record<string, [unknown, unknown]> = {};
      const set: Partial<IncidentsTable> = {};
      if (patch.title !== undefined && patch.title !== row.title) { set.title = patch.title; changes.title = [row.title, patch.title]; }
      if (patch.summary !== undefined && patch.summary !== row.summary) { set.summary = patch.summary; changes.summary = [row.summary, patch.summary]; }
      if (patch.services !== undefined) {
        const before = (await repo.servicesOf(trx, [row.id])).get(row.id) ?? [];
        const after = [...new Set(patch.services)].sort();
        if (before.join('\n') !== after.join('\n')) { await repo.replaceServices(trx, row.id, after); changes.services = [before, after]; }
      }
      const events: Work<unknown>['events'] = [];
      if (patch.severity !== undefined && patch.severity !== row.severity) {
        set.severity = patch.severity;
        await this.frame.event(trx, row.id, actor, 'severity.changed', { from: row.severity, to: patch.severity });
        events.push({ type: 'incident.severity_changed', data: { from: row.severity, to: patch.severity } });
      }
      if (Object.keys(set).length) await repo.updateIncident(trx, row.id, set);
      if (Object.keys(changes).length) await this.frame.event(trx, row.id, actor, 'incident.edited', { changes });
      if (Object.keys(set).length || Object.keys(changes).length) {
        await recordAudit(trx, actor, { action: 'incident.update', targetType: 'incident', targetId: row.id, before: { title: row.title, summary: row.summary, severity: row.severity }, after: { ...patch } });
        events.push({ type: 'incident.updated' });
      }
      return { result: await this.frame.detailIn(trx, row.id), events };
    });
  }

  async changePhase(actor: Actor, idOrRef: string, phase: Phase, note?: string): Promise<IncidentDetail> {
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      await this.movePhase(trx, actor, row, phase, now, note ?? '');
      await recordAudit(trx, actor, { action: 'incident.phase', targetType: 'incident', targetId: row.id, before: { phase: row.phase }, after: { phase, note } });
      return { result: await this.frame.detailIn(trx, row.id), events: [{ type: 'incident.phase_changed', data: { from: row.phase, to: phase } }] };
    });
  }

  /** Applies a phase change and its timestamps; refuses moves that make no sense. */
  private async movePhase(trx: Db, actor: Actor, row: IncidentsTable, to: Phase, now: string, note: string): Promise<void> {
    const from = row.phase as Phase;
    if (!phaseChangeAllowed(from, to)) {
      const detail = from === to
        ? `INC-${row.number} is already ${to}`
        : `INC-${row.number} is resolved; reopen it (to investigating or identified) before moving it to ${to}`;
      const detailJa = from === to
        ? `INC-${row.number} はすでに ${PHASE_PREFIX.ja[to]} です`
        : `INC-${row.number} は復旧済みです。${PHASE_PREFIX.ja[to]} にする前に、調査中か原因特定として再開してください`;
      throw new HttpProblem(409, 'Phase change not allowed', detail, [{ field: 'body.phase', message: `cannot go from ${from} to ${to}` }], detailJa);
    }
    const set: Partial<IncidentsTable> = { phase: to };
    if (to === 'monitoring' && !row.mitigated_at) set.mitigated_at = now;
    if (to === 'resolved') {
      set.resolved_at = now;
      if (!row.mitigated_at) set.mitigated_at = now; // resolved without a monitoring phase: mitigated then too
    }
    if (from === 'resolved') set.resolved_at = null; // reopened; the timeline keeps the earlier resolution
    const previousResolvedAt = row.resolved_at;
    await repo.updateIncident(trx, row.id, set);
    Object.assign(row, set);
    for (const listener of this.phaseListeners) await listener(trx, { incidentId: row.id, from, to, now, previousResolvedAt });
    await this.frame.event(trx, row.id, actor, 'phase.changed', { from, to }, note);
  }

  async acknowledge(actor: Actor, idOrRef: string): Promise<IncidentDetail> {
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      if (row.acknowledged_at) return { result: await this.frame.detailIn(trx, row.id), events: [] };
      await repo.updateIncident(trx, row.id, { acknowledged_at: now });
      if (actor.userId) await repo.joinResponder(trx, row.id, actor.userId, now);
      await this.frame.event(trx, row.id, actor, 'incident.acknowledged', null);
      await recordAudit(trx, actor, { action: 'incident.acknowledge', targetType: 'incident', targetId: row.id, after: { acknowledgedAt: now } });
      return { result: await this.frame.detailIn(trx, row.id), events: [{ type: 'incident.acknowledged' }] };
    });
  }

  // ---- roles and roster ----

  async assignRole(actor: Actor, idOrRef: string, role: string, userId: string): Promise<IncidentDetail> {
    const settings = await this.settings.incidentSettings();
    if (!settings.roles.includes(role)) throw problems.invalid('params.role', `unknown role; configured roles: ${settings.roles.join(', ')}`);
    const userName = await this.frame.requireUser(userId, 'body.userId');
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      const held = (await repo.rolesOf(trx, row.id)).find((r) => r.role === role);
      if (held?.user_id === userId) return { result: await this.frame.detailIn(trx, row.id), events: [] };
      await repo.setRole(trx, row.id, role, userId, now);
      if (role === 'commander') await repo.updateIncident(trx, row.id, { commander_id: userId });
      await repo.joinResponder(trx, row.id, userId, now);
      const previous = held ? await this.frame.nameOf(trx, held.user_id) : null;
      await this.frame.event(trx, row.id, actor, 'role.assigned', { role, user: userName, userId, previous, previousId: held?.user_id ?? null });
      await recordAudit(trx, actor, { action: 'incident.role_assign', targetType: 'incident', targetId: row.id, before: { role, userId: held?.user_id ?? null }, after: { role, userId } });
      return { result: await this.frame.detailIn(trx, row.id), events: [{ type: 'incident.role_assigned', data: { role, userId } }] };
    });
  }

  async unassignRole(actor: Actor, idOrRef: string, role: string): Promise<IncidentDetail> {
    if (role === 'commander') throw problems.conflict('An incident always has a commander: hand the role over instead', 'インシデントには常に指揮官が必要です。外すのではなく引き継いでください');
    return this.frame.mutate(idOrRef, async (trx, row) => {
      const held = (await repo.rolesOf(trx, row.id)).find((r) => r.role === role);
      if (!held) throw problems.notFound('Role holder for', role);
      await repo.deleteRole(trx, row.id, role);
      await this.frame.event(trx, row.id, actor, 'role.unassigned', { role, previous: await this.frame.nameOf(trx, held.user_id), previousId: held.user_id });
      await recordAudit(trx, actor, { action: 'incident.role_unassign', targetType: 'incident', targetId: row.id, before: { role, userId: held.user_id } });
      return { result: await this.frame.detailIn(trx, row.id), events: [{ type: 'incident.role_unassigned', data: { role } }] };
    });
  }

  async join(actor: Actor, idOrRef: string, userId?: string): Promise<IncidentDetail> {
    const who = userId ?? actor.userId;
    if (!who) throw problems.invalid('body.userId', 'say who joins');
    const userName = await this.frame.requireUser(who, 'body.userId');
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      if (!(await repo.joinResponder(trx, row.id, who, now))) return { result: await this.frame.detailIn(trx, row.id), events: [] };
      await this.frame.event(trx, row.id, actor, 'responder.joined', { user: userName, userId: who });
      await recordAudit(trx, actor, { action: 'incident.responder_join', targetType: 'incident', targetId: row.id, after: { userId: who } });
      return { result: await this.frame.detailIn(trx, row.id), events: [{ type: 'incident.responder_joined', data: { userId: who } }] };
    });
  }

  /** A responder leaves, or is released. Someone holding a role or an open task must hand it over first. */
  async leave(actor: Actor, idOrRef: string, userId: string): Promise<IncidentDetail> {
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      const roles = (await repo.rolesOf(trx, row.id)).filter((r) => r.user_id === userId).map((r) => r.role);
      if (roles.length) throw problems.conflict(`They hold ${roles.join(', ')}: hand ${roles.length > 1 ? 'those roles' : 'that role'} over first`, `${roles.join('、')} を担当しています。先に引き継いでください`);
      const open = (await repo.tasksOf(trx, row.id)).filter((t) => t.owner_id === userId && OPEN_TASK.has(t.status));
      if (open.length) throw problems.conflict(`They own ${open.length} open task(s): reassign or close them first`, `未完了のタスクが ${open.length} 件あります。先に担当を替えるか閉じてください`);
      if (!(await repo.leaveResponder(trx, row.id, userId, now))) throw problems.notFound('Responder', userId);
      const released = actor.userId !== userId;
      await this.frame.event(trx, row.id, actor, 'responder.left', { user: await this.frame.nameOf(trx, userId), userId, releasedBy: released ? actor.name : null });
      await recordAudit(trx, actor, { action: released ? 'incident.responder_release' : 'incident.responder_leave', targetType: 'incident', targetId: row.id, before: { userId } });
      return { result: await this.frame.detailIn(trx, row.id), events: [{ type: 'incident.responder_left', data: { userId } }] };
    });
  }

  // ---- status updates ----

  /** Posts an update to one audience. A phase other than the current one moves the incident with it. */
  async postUpdate(actor: Actor, idOrRef: string, input: z.output<typeof StatusUpdateCreateSchema>): Promise<IncidentDetail['updates'][number]> {
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      const phase = input.phase ?? (row.phase as Phase);
      const events: Work<unknown>['events'] = [];
      if (phase !== row.phase) {
        const from = row.phase;
        await this.movePhase(trx, actor, row, phase, now, '');
        events.push({ type: 'incident.phase_changed', data: { from, to: phase } });
      }
      const u = {
        id: newId(), incident_id: row.id, audience: input.audience, phase, body: input.body, impact: input.impact ?? null,
        eta: input.eta ?? null, decisions_needed: input.decisionsNeeded ?? null, author_id: actor.userId, created_at: now,
      };
      await repo.insertStatusUpdate(trx, u);
      // Status page subscribers hear of public updates through the outbox, in this transaction; drills never reach customers.
      if (input.audience === 'public' && row.drill !== 1) await new JobQueue(this.storage).enqueue(incidentUpdateJob(u.id), trx);
      const set: Partial<IncidentsTable> = {};
      if (input.audience === 'internal') set.last_internal_update_at = now;
      if (input.audience === 'stakeholder') set.last_stakeholder_update_at = now;
      if (input.audience === 'public') {
        set.last_public_update_at = now;
        if (!row.first_public_update_at) set.first_public_update_at = now;
      }
      await repo.updateIncident(trx, row.id, set);
      Object.assign(row, set);
      const settings = await this.settings.incidentSettings(trx);
      const names = await this.users.userNames([row.commander_id, actor.userId].filter((x): x is string => !!x), trx);
      const read = this.read.update(u, row, names, settings);
      await this.frame.event(trx, row.id, actor, 'update.posted', { updateId: u.id, audience: u.audience, phase, renderedEn: read.rendered.en, renderedJa: read.rendered.ja });
      await recordAudit(trx, actor, { action: 'incident.update_post', targetType: 'status_update', targetId: u.id, after: u });
      events.push({ type: 'incident.update_posted', data: { updateId: u.id, audience: u.audience, drill: row.drill === 1 } });
      return { result: read, events };
    });
  }

  // ---- timeline ----

  async addNote(actor: Actor, idOrRef: string, body: string): Promise<TimelineEvent> {
    return this.frame.mutate(idOrRef, async (trx, row) => {
      const id = await this.frame.event(trx, row.id, actor, 'note', null, body);
      await recordAudit(trx, actor, { action: 'incident.note_add', targetType: 'timeline_event', targetId: id, after: { body } });
      const e = await repo.findTimelineEvent(trx, row.id, id);
      const names = new Map(actor.userId ? [[actor.userId, actor.name]] : []);
      return { result: this.read.timelineEvent(e!, names, 'en'), events: [{ type: 'incident.timeline', data: { eventId: id } }] };
    });
  }

  async star(actor: Actor, idOrRef: string, eventId: string, starred: boolean): Promise<TimelineEvent> {
    return this.frame.mutate(idOrRef, async (trx, row) => {
      const e = await repo.findTimelineEvent(trx, row.id, eventId);
      if (!e) throw problems.notFound('Timeline event', eventId);
      await repo.setStarred(trx, eventId, starred);
      await recordAudit(trx, actor, { action: starred ? 'incident.event_star' : 'incident.event_unstar', targetType: 'timeline_event', targetId: eventId, before: { starred: e.starred === 1 }, after: { starred } });
      const names = await this.users.userNames(e.actor_id ? [e.actor_id] : [], trx);
      return { result: this.read.timelineEvent({ ...e, starred: starred ? 1 : 0 }, names, 'en'), events: [{ type: 'incident.timeline', data: { eventId } }] };
    });
  }

  /**
   * Records, once per due time, that a communication clock ran out (called by the clock job). The job
   * may run a while after the sweep saw the clock overdue (a retry, another node): if the update went
   * out in between, or the incident was resolved, the clock no longer falls due then and nothing is recorded.
   * True when the clock was still due (the caller reminds whoever owns the update).
   */
  async recordClockOverdue(incidentId: string, clock: string, dueAt: string, actor: Actor): Promise<boolean> {
    return this.frame.mutate(incidentId, async (trx, row) => {
      const clocks = computeClocks(row, await this.settings.incidentSettings(trx), Date.parse(dueAt));
      const stillDue = clock === 'firstPublicUpdate'
        ? (clocks.firstPublicUpdate.metAt ? null : clocks.firstPublicUpdate.dueAt)
        : (clocks.audiences[clock as Audience]?.nextDueAt ?? null);
      if (row.phase === 'resolved' || stillDue !== dueAt) return { result: false, events: [] };
      // Run again (its reminder failed and the job is retried): recorded once, still due.
      if (await repo.hasClockOverdue(trx, row.id, clock, dueAt)) return { result: true, events: [] };
      await this.frame.event(trx, row.id, actor, 'clock.overdue', { clock, dueAt, prefix: PHASE_PREFIX.en[row.phase as Phase] });
      return { result: true, events: [{ type: 'incident.clock_overdue', data: { clock, dueAt } }] };
    });
  }
}

