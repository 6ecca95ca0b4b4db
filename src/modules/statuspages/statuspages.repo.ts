// Kysely queries of the status pages room. The public page joins incident rows and their public
// updates (read only): a page must build in a few bounded queries, whatever else is slow.
import { sql } from 'kysely';
import type { Db } from '../../storage/db.js';
import type { StatusMaintenancesTable } from '../../storage/schema.js';
import type { ComponentHistoryInput } from './status-history.js';

/** A page by id or slug. */
export function findPage(db: Db, ref: string) {
  return db.selectFrom('status_pages').selectAll().where((eb) => eb.or([eb('id', '=', ref), eb('slug', '=', ref)]))
    // An id wins over a slug that happens to spell it.
    .orderBy(sql`CASE WHEN id = ${ref} THEN 0 ELSE 1 END`).limit(1).executeTakeFirst();
}

/** Every page with how many components it has, by name. */
export function listPages(db: Db) {
  return db.selectFrom('status_pages').selectAll()
    .select((eb) => eb.selectFrom('status_components').select((e) => e.fn.countAll().as('n')).whereRef('status_components.page_id', '=', 'status_pages.id').as('component_count'))
    .orderBy('name').orderBy('id').limit(1000).execute();
}

/** A page's component groups in display order. */
export function groupsOf(db: Db, pageId: string) {
  return db.selectFrom('status_component_groups').selectAll().where('page_id', '=', pageId).orderBy('position').orderBy('id').execute();
}

/** A page's components by position (displayOrder interleaves them with groups). */
export function componentsOf(db: Db, pageId: string) {
  return db.selectFrom('status_components').selectAll().where('page_id', '=', pageId).orderBy('position').orderBy('id').execute();
}

/** The next free position after every group and component of the page. */
export async function nextPosition(db: Db, pageId: string): Promise<number> {
  const g = await db.selectFrom('status_component_groups').select((eb) => eb.fn.max('position').as('p')).where('page_id', '=', pageId).executeTakeFirst();
  const c = await db.selectFrom('status_components').select((eb) => eb.fn.max('position').as('p')).where('page_id', '=', pageId).executeTakeFirst();
  return Math.max(Number(g?.p ?? -1), Number(c?.p ?? -1)) + 1;
}

/** Incident segments of these components with their incident's facts; those that ended before `since` are left out. */
export function segmentsOf(db: Db, componentIds: string[], since: string) {
  if (componentIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('status_incident_components as s')
    .innerJoin('incidents as i', 'i.id', 's.incident_id')
    .leftJoin('status_incidents as si', 'si.incident_id', 's.incident_id')
    .select([
      's.id', 's.incident_id', 's.component_id', 's.status', 's.from_at', 's.to_at',
      'i.number', 'i.title', 'i.severity', 'i.phase', 'i.drill', 'i.declared_at', 'i.resolved_at', 'i.first_public_update_at', 'si.public_title',
    ])
    .where('s.component_id', 'in', componentIds)
    .where((eb) => eb.or([
      eb('s.from_at', '>=', since),
      eb('s.to_at', '>=', since),
      // Resolving closes segments; any left open (by an older version) end at the resolution: those of incidents resolved long ago are history.
      eb.and([eb('s.to_at', 'is', null), eb.or([eb('i.resolved_at', 'is', null), eb('i.resolved_at', '>=', since)])]),
    ]))
    .orderBy('s.from_at').orderBy('s.id')
    .execute();
}
/** One incident segment with its incident's facts. */
export type SegmentRow = Awaited<ReturnType<typeof segmentsOf>>[number];

/** What status-history needs for each component, from `since` on (plus the manual status in force at `since`). */
export async function historyInputs(db: Db, componentIds: string[], since: string, segments?: SegmentRow[]): Promise<Map<string, ComponentHistoryInput>> {
  const out = new Map<string, ComponentHistoryInput>(componentIds.map((id) => [id, { changes: [], incidents: [], maintenances: [] }]));
  if (componentIds.length === 0) return out;
  const changes = await db.selectFrom('status_component_changes as c').select(['c.component_id', 'c.status', 'c.at'])
    .where('c.component_id', 'in', componentIds)
    .where((eb) => eb.or([
      eb('c.at', '>=', since),
      eb('c.at', '=', eb.selectFrom('status_component_changes as p').select((e) => e.fn.max('p.at').as('m'))
        .whereRef('p.component_id', '=', 'c.component_id').where('p.at', '<', since)),
    ]))
    .orderBy('c.at').orderBy('c.id').execute();
  for (const c of changes) out.get(c.component_id)?.changes.push(c);
  for (const s of segments ?? await segmentsOf(db, componentIds, since)) out.get(s.component_id)?.incidents.push(s);
  const windows = await db.selectFrom('status_maintenance_components as mc')
    .innerJoin('status_maintenances as m', 'm.id', 'mc.maintenance_id')
    .select(['mc.component_id', 'm.starts_at', 'm.ends_at', 'm.completed_at', 'm.cancelled_at'])
    .where('mc.component_id', 'in', componentIds).where('m.ends_at', '>=', since).execute();
  for (const w of windows) out.get(w.component_id)?.maintenances.push(w);
  return out;
}

/**
 * A page's maintenances that have not ended at `now` (upcoming and active: the soonest `limits.open`)
 * and those that ended (over, completed or cancelled) since `endedSince` (the latest `limits.past`),
 * soonest first. Asked apart, so a long past never pushes an upcoming window off the page.
 */
export async function maintenancesOf(db: Db, pageId: string, endedSince: string, now: string, limits = { open: 500, past: 200 }) {
  const ofPage = db.selectFrom('status_maintenances').selectAll().where('page_id', '=', pageId);
  const open = await ofPage.where('ends_at', '>', now).where('completed_at', 'is', null).where('cancelled_at', 'is', null)
    .orderBy('starts_at').orderBy('id').limit(limits.open).execute();
  const past = await ofPage.where('ends_at', '>=', endedSince)
    .where((eb) => eb.or([eb('ends_at', '<=', now), eb('completed_at', 'is not', null), eb('cancelled_at', 'is not', null)]))
    .orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(limits.past).execute();
  return [...past, ...open].sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id < b.id ? -1 : 1));
}

/** The components and updates (newest first) of these maintenances. */
export async function maintenanceParts(db: Db, rows: StatusMaintenancesTable[]) {
  const ids = rows.map((r) => r.id);
  const components = new Map<string, string[]>(ids.map((id) => [id, []]));
  const updates = new Map<string, { id: string; status: string; body: string; author_id: string | null; created_at: string }[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return { components, updates };
  const links = await db.selectFrom('status_maintenance_components as mc').innerJoin('status_components as c', 'c.id', 'mc.component_id')
    .select(['mc.maintenance_id', 'mc.component_id']).where('mc.maintenance_id', 'in', ids).orderBy('c.position').orderBy('c.id').execute();
  for (const l of links) components.get(l.maintenance_id)?.push(l.component_id);
  const ups = await db.selectFrom('status_maintenance_updates').selectAll().where('maintenance_id', 'in', ids)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  for (const u of ups) updates.get(u.maintenance_id)?.push(u);
  return { components, updates };
}

/** Public status updates of these incidents, oldest first (only text written for the public). */
export function publicUpdatesOf(db: Db, incidentIds: string[]) {
  if (incidentIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('status_updates').select(['id', 'incident_id', 'phase', 'body', 'created_at'])
    .where('incident_id', 'in', incidentIds).where('audience', '=', 'public').orderBy('created_at').orderBy('id').execute();
}

/** Every page's id, slug and host, for the public page cache. */
export function servingIndex(db: Db) {
  // Oldest first: the first page created answers /api/v2/*.json on the main host.
  return db.selectFrom('status_pages').select(['id', 'slug', 'host']).orderBy('created_at').orderBy('id').execute();
}

/**
 * One row of maxima and counts that changes whenever anything a public page shows may have: a new
 * or edited row (max of ids and updated_at; changing an incident's links bumps incidents.updated_at
 * through its timeline), a deleted one (counts of the tables deletes start from),
 * an incident resolved or retitled (incidents.updated_at, indexed), a window starting or ending by
 * the clock (how many starts and ends lie behind `now`).
 */
export async function revision(db: Db, now: string): Promise<string> {
  const row = await sql<Record<string, unknown>>`SELECT
    (SELECT max(updated_at) FROM status_pages) AS pages_at, (SELECT count(*) FROM status_pages) AS pages,
    (SELECT max(updated_at) FROM status_component_groups) AS groups_at, (SELECT count(*) FROM status_component_groups) AS groups_n,
    (SELECT max(updated_at) FROM status_components) AS components_at, (SELECT count(*) FROM status_components) AS components,
    (SELECT max(id) FROM status_component_changes) AS changes_id,
    (SELECT max(updated_at) FROM status_incidents) AS faces_at, (SELECT count(*) FROM status_incidents) AS faces,
    (SELECT max(id) FROM status_incident_components) AS segments_id,
    (SELECT max(updated_at) FROM status_maintenances) AS maint_at, (SELECT count(*) FROM status_maintenances) AS maint,
    (SELECT count(*) FROM status_maintenances WHERE starts_at <= ${now}) AS maint_started,
    (SELECT count(*) FROM status_maintenances WHERE ends_at <= ${now}) AS maint_ended,
    (SELECT max(id) FROM status_maintenance_updates) AS maint_updates_id,
    (SELECT max(updated_at) FROM incidents) AS incidents_at,
    (SELECT max(id) FROM status_updates) AS updates_id`.execute(db);
  const r = row.rows[0] ?? {};
  return Object.keys(r).sort().map((k) => String(r[k] ?? '')).join('|');
}
