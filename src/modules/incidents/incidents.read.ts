import type { Locale, Phase, Severity } from '../../shared/phases.js';
import { renderUpdate } from '../../shared/render.js';
import { describeEvent } from '../../shared/timeline-text.js';
import type { Db } from '../../storage/db.js';
import type { IncidentTasksTable, IncidentsTable, StatusUpdatesTable, TimelineEventsTable } from '../../storage/schema.js';
import type { IncidentSettings } from '../settings/settings.schema.js';
import { computeClocks } from './clocks.js';
import * as repo from './incidents.repo.js';
import type { IncidentDetail, IncidentSummary, Task, TimelineEvent } from './incidents.schema.js';

/** Looks up display names; the accounts room provides it. */
export interface UserDirectory {
  userNames(ids: string[], db?: Db): Promise<Map<string, string>>;
}

type Names = Map<string, string>;
const ref = (names: Names, id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
const secondsBetween = (from: string, to: string | null) => (to ? Math.round((Date.parse(to) - Date.parse(from)) / 1000) : null);

/** Turns stored rows into the API's read shapes. */
export class IncidentReader {
  constructor(private readonly users: UserDirectory) {}

  summary(row: IncidentsTable, services: string[], names: Names, settings: IncidentSettings, now = Date.now()): IncidentSummary {
    return {
      id: row.id,
      number: row.number,
      ref: `INC-${row.number}`,
      title: row.title,
      summary: row.summary,
      severity: row.severity as Severity,
      phase: row.phase as Phase,
      drill: row.drill === 1,
      commander: ref(names, row.commander_id),
      services,
      declaredAt: row.declared_at,
      updatedAt: row.updated_at,
      clocks: computeClocks(row, settings, now),
      metrics: {
        declaredAt: row.declared_at,
        acknowledgedAt: row.acknowledged_at,
        firstPublicUpdateAt: row.first_public_update_at,
        mitigatedAt: row.mitigated_at,
        resolvedAt: row.resolved_at,
        secondsToAcknowledge: secondsBetween(row.declared_at, row.acknowledged_at),
        secondsToFirstPublicUpdate: secondsBetween(row.declared_at, row.first_public_update_at),
        secondsToMitigate: secondsBetween(row.declared_at, row.mitigated_at),
        secondsToResolve: secondsBetween(row.declared_at, row.resolved_at),
      },
    };
  }

  async list(db: Db, rows: IncidentsTable[], settings: IncidentSettings): Promise<IncidentSummary[]> {
    const services = await repo.servicesOf(db, rows.map((r) => r.id));
    const names = await this.users.userNames(rows.map((r) => r.commander_id).filter((id): id is string => !!id), db);
    const now = Date.now();
    return rows.map((r) => this.summary(r, services.get(r.id) ?? [], names, settings, now));
  }

  task(t: IncidentTasksTable, names: Names, now = Date.now()): Task {
    return {
      id: t.id,
      owner: ref(names, t.owner_id) ?? { id: t.owner_id, name: t.owner_id },
      purpose: t.purpose,
      action: t.action,
      status: t.status as Task['status'],
      dueAt: t.due_at,
      overdue: !!t.due_at && (t.status === 'open' || t.status === 'in_progress') && Date.parse(t.due_at) < now,
      createdAt: t.created_at,
      updatedAt: t.updated_at,
      doneAt: t.done_at,
    };
  }

  update(u: StatusUpdatesTable, row: IncidentsTable, names: Names, settings: IncidentSettings): IncidentDetail['updates'][number] {
    const facts = { number: row.number, title: row.title, severity: row.severity, commander: row.commander_id ? (names.get(row.commander_id) ?? null) : null, drill: row.drill === 1 };
    const content = { phase: u.phase as Phase, body: u.body, impact: u.impact, eta: u.eta, decisionsNeeded: u.decisions_needed };
    const audience = u.audience as IncidentDetail['updates'][number]['audience'];
    return {
      id: u.id,
      audience,
      phase: u.phase as Phase,
      body: u.body,
      impact: u.impact,
      eta: u.eta,
      decisionsNeeded: u.decisions_needed,
      author: ref(names, u.author_id),
      createdAt: u.created_at,
      rendered: {
        en: renderUpdate(settings.templates, audience, 'en', facts, content),
        ja: renderUpdate(settings.templates, audience, 'ja', facts, content),
      },
    };
  }

  timelineEvent(e: TimelineEventsTable, names: Names, locale: Locale, timeZone = 'UTC'): TimelineEvent {
    const data = e.data_json ? (JSON.parse(e.data_json) as Record<string, unknown>) : null;
    return {
      id: e.id,
      at: e.at,
      kind: e.kind,
      actor: ref(names, e.actor_id),
      body: describeEvent(e.kind, data, e.body, locale, timeZone),
      data,
      starred: e.starred === 1,
    };
  }

  /** The whole war room: everything a responder sees on one page. */
  async detail(db: Db, row: IncidentsTable, settings: IncidentSettings): Promise<IncidentDetail> {
    const [services, roles, responders, tasks, decisions, updates] = await Promise.all([
      repo.servicesOf(db, [row.id]), repo.rolesOf(db, row.id), repo.respondersOf(db, row.id),
      repo.tasksOf(db, row.id), repo.decisionsOf(db, row.id), repo.updatesOf(db, row.id),
    ]);
    const ids = new Set<string>();
    for (const id of [row.commander_id, row.declared_by]) if (id) ids.add(id);
    for (const r of roles) ids.add(r.user_id);
    for (const r of responders) ids.add(r.user_id);
    for (const t of tasks) ids.add(t.owner_id);
    for (const d of decisions) ids.add(d.decided_by);
    for (const u of updates) if (u.author_id) ids.add(u.author_id);
    const names = await this.users.userNames([...ids], db);
    const now = Date.now();
    const openTasks = tasks.filter((t) => t.status === 'open' || t.status === 'in_progress');
    const roleRows = new Map(roles.map((r) => [r.role, r]));

    return {
      ...this.summary(row, services.get(row.id) ?? [], names, settings, now),
      declaredBy: ref(names, row.declared_by),
      // Configured roles first, in order; then any role held that is no longer configured.
      roles: [...new Set([...settings.roles, ...roles.map((r) => r.role)])].map((role) => {
        const held = roleRows.get(role);
        return { role, user: held ? ref(names, held.user_id) : null, assignedAt: held?.assigned_at ?? null };
      }),
      responders: responders.map((r) => {
        const myRoles = roles.filter((x) => x.user_id === r.user_id).map((x) => x.role);
        const myTasks = openTasks.filter((t) => t.owner_id === r.user_id).map((t) => t.id);
        return {
          user: ref(names, r.user_id) ?? { id: r.user_id, name: r.user_id },
          joinedAt: r.joined_at,
          roles: myRoles,
          openTaskIds: myTasks,
          idle: myRoles.length === 0 && myTasks.length === 0,
        };
      }),
      tasks: tasks.map((t) => this.task(t, names, now)),
      decisions: decisions.map((d) => ({
        id: d.id, decision: d.decision, rationale: d.rationale, risk: d.risk,
        decidedBy: ref(names, d.decided_by) ?? { id: d.decided_by, name: d.decided_by }, decidedAt: d.decided_at,
      })),
      updates: updates.map((u) => this.update(u, row, names, settings)),
    };
  }

  async timeline(db: Db, incidentId: string, starredOnly: boolean, locale: Locale, timeZone: string): Promise<TimelineEvent[]> {
    const rows = await repo.timelineOf(db, incidentId, starredOnly);
    const names = await this.users.userNames([...new Set(rows.map((r) => r.actor_id).filter((id): id is string => !!id))], db);
    return rows.map((r) => this.timelineEvent(r, names, locale, timeZone));
  }
}
