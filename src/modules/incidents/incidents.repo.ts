import type { Db } from '../../storage/db.js';
import type {
  IncidentDecisionsTable, IncidentTasksTable, IncidentsTable, StatusUpdatesTable, TimelineEventsTable,
} from '../../storage/schema.js';

/** The next incident number; call it under the service's numbering lock, or a concurrent declare may take it first. */
export async function nextIncidentNumber(db: Db): Promise<number> {
  const row = await db.selectFrom('incidents').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

export async function insertIncident(db: Db, row: IncidentsTable): Promise<void> {
  await db.insertInto('incidents').values(row).execute();
}

export async function updateIncident(db: Db, id: string, patch: Partial<IncidentsTable>): Promise<void> {
  await db.updateTable('incidents').set(patch).where('id', '=', id).execute();
}

/**
 * Finds an incident by id, number (`12`) or reference (`INC-12`). `forUpdate` also locks its row until
 * the transaction ends (PostgreSQL only: SQLite has no row locks and needs none).
 */
export function findIncident(db: Db, idOrRef: string, opts: { forUpdate?: boolean } = {}): Promise<IncidentsTable | undefined> {
  const m = /^(?:inc-)?(\d{1,9})$/i.exec(idOrRef);
  let q = db.selectFrom('incidents').selectAll();
  q = m ? q.where('number', '=', Number(m[1])) : q.where('id', '=', idOrRef);
  return (opts.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export interface IncidentFilter {
  state: 'open' | 'resolved' | 'all';
  severity?: string;
  drill?: boolean;
  limit: number;
}

export function listIncidents(db: Db, f: IncidentFilter): Promise<IncidentsTable[]> {
  let q = db.selectFrom('incidents').selectAll().orderBy('declared_at', 'desc').limit(f.limit);
  if (f.state === 'open') q = q.where('phase', '!=', 'resolved');
  if (f.state === 'resolved') q = q.where('phase', '=', 'resolved');
  if (f.severity) q = q.where('severity', '=', f.severity);
  if (f.drill !== undefined) q = q.where('drill', '=', f.drill ? 1 : 0);
  return q.execute();
}

export async function servicesOf(db: Db, incidentIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (incidentIds.length === 0) return out;
  const rows = await db.selectFrom('incident_services').selectAll().where('incident_id', 'in', incidentIds).orderBy('name').execute();
  for (const r of rows) out.set(r.incident_id, [...(out.get(r.incident_id) ?? []), r.name]);
  return out;
}

export async function replaceServices(db: Db, incidentId: string, names: string[]): Promise<void> {
  await db.deleteFrom('incident_services').where('incident_id', '=', incidentId).execute();
  const unique = [...new Set(names)];
  if (unique.length) await db.insertInto('incident_services').values(unique.map((name) => ({ incident_id: incidentId, name }))).execute();
}

export function rolesOf(db: Db, incidentId: string) {
  return db.selectFrom('incident_roles').selectAll().where('incident_id', '=', incidentId).execute();
}

export async function setRole(db: Db, incidentId: string, role: string, userId: string, at: string): Promise<void> {
  await db.insertInto('incident_roles').values({ incident_id: incidentId, role, user_id: userId, assigned_at: at })
    .onConflict((oc) => oc.columns(['incident_id', 'role']).doUpdateSet({ user_id: userId, assigned_at: at })).execute();
}

export async function deleteRole(db: Db, incidentId: string, role: string): Promise<void> {
  await db.deleteFrom('incident_roles').where('incident_id', '=', incidentId).where('role', '=', role).execute();
}

/** Responders currently in the response (joined and not left). */
export function respondersOf(db: Db, incidentId: string) {
  return db.selectFrom('incident_responders').selectAll().where('incident_id', '=', incidentId).where('left_at', 'is', null).orderBy('joined_at').execute();
}

/** Adds a responder (or brings one back); false when they were already in. */
export async function joinResponder(db: Db, incidentId: string, userId: string, at: string): Promise<boolean> {
  const existing = await db.selectFrom('incident_responders').selectAll().where('incident_id', '=', incidentId).where('user_id', '=', userId).executeTakeFirst();
  if (existing && existing.left_at === null) return false;
  if (existing) {
    await db.updateTable('incident_responders').set({ joined_at: at, left_at: null }).where('incident_id', '=', incidentId).where('user_id', '=', userId).execute();
  } else {
    await db.insertInto('incident_responders').values({ incident_id: incidentId, user_id: userId, joined_at: at, left_at: null }).execute();
  }
  return true;
}

export async function leaveResponder(db: Db, incidentId: string, userId: string, at: string): Promise<boolean> {
  const res = await db.updateTable('incident_responders').set({ left_at: at })
    .where('incident_id', '=', incidentId).where('user_id', '=', userId).where('left_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export function tasksOf(db: Db, incidentId: string) {
  return db.selectFrom('incident_tasks').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').execute();
}

export function findTask(db: Db, incidentId: string, taskId: string) {
  return db.selectFrom('incident_tasks').selectAll().where('incident_id', '=', incidentId).where('id', '=', taskId).executeTakeFirst();
}

export async function insertTask(db: Db, row: IncidentTasksTable): Promise<void> {
  await db.insertInto('incident_tasks').values(row).execute();
}

export async function updateTask(db: Db, id: string, patch: Partial<IncidentTasksTable>): Promise<void> {
  await db.updateTable('incident_tasks').set(patch).where('id', '=', id).execute();
}

export function decisionsOf(db: Db, incidentId: string) {
  return db.selectFrom('incident_decisions').selectAll().where('incident_id', '=', incidentId).orderBy('decided_at').execute();
}

export async function insertDecision(db: Db, row: IncidentDecisionsTable): Promise<void> {
  await db.insertInto('incident_decisions').values(row).execute();
}

export function updatesOf(db: Db, incidentId: string) {
  return db.selectFrom('status_updates').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').orderBy('id').execute();
}

export async function insertStatusUpdate(db: Db, row: StatusUpdatesTable): Promise<void> {
  await db.insertInto('status_updates').values(row).execute();
}

export async function insertTimelineEvent(db: Db, row: TimelineEventsTable): Promise<void> {
  await db.insertInto('timeline_events').values(row).execute();
}

export function timelineOf(db: Db, incidentId: string, starredOnly: boolean) {
  let q = db.selectFrom('timeline_events').selectAll().where('incident_id', '=', incidentId).orderBy('id');
  if (starredOnly) q = q.where('starred', '=', 1);
  return q.execute();
}

export function findTimelineEvent(db: Db, incidentId: string, eventId: string) {
  return db.selectFrom('timeline_events').selectAll().where('incident_id', '=', incidentId).where('id', '=', eventId).executeTakeFirst();
}

export async function setStarred(db: Db, eventId: string, starred: boolean): Promise<void> {
  await db.updateTable('timeline_events').set({ starred: starred ? 1 : 0 }).where('id', '=', eventId).execute();
}

/** Open incidents, for the clock sweep. */
export function openIncidents(db: Db) {
  return db.selectFrom('incidents').selectAll().where('phase', '!=', 'resolved').execute();
}

/** Whether the timeline already says this clock ran out at this due time (its job may run twice). */
export async function hasClockOverdue(db: Db, incidentId: string, clock: string, dueAt: string): Promise<boolean> {
  const rows = await db.selectFrom('timeline_events').select('data_json').where('incident_id', '=', incidentId).where('kind', '=', 'clock.overdue').execute();
  return rows.some((r) => {
    const d = JSON.parse(r.data_json ?? '{}') as { clock?: string; dueAt?: string };
    return d.clock === clock && d.dueAt === dueAt;
  });
}
