// Tasks and decisions in the war room: who does what by when, and what was decided and why.
import type { z } from 'zod';
import { problems } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId } from '../../shared/ids.js';
import type { IncidentTasksTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import type { IncidentFrame } from './incidents.frame.js';
import * as repo from './incidents.repo.js';
import type { DecisionCreateSchema, IncidentDetail, Task, TaskCreateSchema, TaskUpdateSchema } from './incidents.schema.js';

export class IncidentTasks {
  constructor(private readonly frame: IncidentFrame) {}

  async createTask(actor: Actor, idOrRef: string, input: z.output<typeof TaskCreateSchema>): Promise<Task> {
    const owner = await this.frame.requireUser(input.ownerId, 'body.ownerId');
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      const task: IncidentTasksTable = {
        id: newId(), incident_id: row.id, owner_id: input.ownerId, purpose: input.purpose, action: input.action, status: 'open',
        due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null, created_by: actor.userId, created_at: now, updated_at: now, done_at: null,
      };
      await repo.insertTask(trx, task);
      await repo.joinResponder(trx, row.id, input.ownerId, now);
      await this.frame.event(trx, row.id, actor, 'task.created', { taskId: task.id, owner, ownerId: input.ownerId, purpose: task.purpose, action: task.action, dueAt: task.due_at });
      await recordAudit(trx, actor, { action: 'incident.task_create', targetType: 'incident_task', targetId: task.id, after: task });
      return { result: this.frame.read.task(task, new Map([[input.ownerId, owner]])), events: [{ type: 'incident.task_created', data: { taskId: task.id } }] };
    });
  }

  async updateTask(actor: Actor, idOrRef: string, taskId: string, patch: z.output<typeof TaskUpdateSchema>): Promise<Task> {
    if (patch.ownerId) await this.frame.requireUser(patch.ownerId, 'body.ownerId');
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      const before = await repo.findTask(trx, row.id, taskId);
      if (!before) throw problems.notFound('Task', taskId);
      const set: Partial<IncidentTasksTable> = { updated_at: now };
      if (patch.ownerId !== undefined) set.owner_id = patch.ownerId;
      if (patch.purpose !== undefined) set.purpose = patch.purpose;
      if (patch.action !== undefined) set.action = patch.action;
      if (patch.dueAt !== undefined) set.due_at = patch.dueAt ? new Date(patch.dueAt).toISOString() : null;
      if (patch.status !== undefined) {
        set.status = patch.status;
        set.done_at = patch.status === 'done' ? (before.done_at ?? now) : null;
      }
      await repo.updateTask(trx, taskId, set);
      const after = { ...before, ...set };
      if (patch.ownerId) await repo.joinResponder(trx, row.id, patch.ownerId, now);
      const names = await this.frame.users.userNames([after.owner_id], trx);
      await this.frame.event(trx, row.id, actor, 'task.updated', { taskId, owner: names.get(after.owner_id), ownerId: after.owner_id, action: after.action, status: after.status, changed: Object.keys(patch) });
      await recordAudit(trx, actor, { action: 'incident.task_update', targetType: 'incident_task', targetId: taskId, before, after });
      return { result: this.frame.read.task(after, names), events: [{ type: 'incident.task_updated', data: { taskId } }] };
    });
  }

  async recordDecision(actor: Actor, idOrRef: string, input: z.output<typeof DecisionCreateSchema>): Promise<IncidentDetail['decisions'][number]> {
    const decidedBy = input.decidedById ?? actor.userId;
    if (!decidedBy) throw problems.invalid('body.decidedById', 'say who decided');
    const decider = await this.frame.requireUser(decidedBy, 'body.decidedById');
    return this.frame.mutate(idOrRef, async (trx, row, now) => {
      const d = { id: newId(), incident_id: row.id, decision: input.decision, rationale: input.rationale, risk: input.risk, decided_by: decidedBy, recorded_by: actor.userId, decided_at: now };
      await repo.insertDecision(trx, d);
      const eventId = await this.frame.event(trx, row.id, actor, 'decision.recorded', { decisionId: d.id, decision: d.decision, rationale: d.rationale, risk: d.risk, decidedBy: decider, decidedById: decidedBy });
      // Decisions are what a postmortem most needs: they start starred.
      await repo.setStarred(trx, eventId, true);
      await recordAudit(trx, actor, { action: 'incident.decision_record', targetType: 'incident_decision', targetId: d.id, after: d });
      return {
        result: { id: d.id, decision: d.decision, rationale: d.rationale, risk: d.risk, decidedBy: { id: decidedBy, name: decider }, decidedAt: now },
        events: [{ type: 'incident.decision_recorded', data: { decisionId: d.id } }],
      };
    });
  }
}
