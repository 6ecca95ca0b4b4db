// Kysely queries of the subscriber side of the status pages room. No rules here.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../../storage/db.js';
import type { Database, StatusSubscribersTable } from '../../storage/schema.js';

/** A subscriber's state as people name it. */
export type SubscriberState = 'pending' | 'active' | 'unsubscribed';

export async function findPageBySlug(db: Db, slug: string) {
  return db.selectFrom('status_pages').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findPageById(db: Db, id: string) {
  return db.selectFrom('status_pages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The page's components, id and name. */
export async function pageComponents(db: Db, pageId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('status_components').select(['id', 'name']).where('page_id', '=', pageId).orderBy('position').orderBy('id').execute();
}

export async function findSubscriber(db: Db, id: string) {
  return db.selectFrom('status_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSubscriberByTarget(db: Db, pageId: string, kind: string, target: string) {
  return db.selectFrom('status_subscribers').selectAll()
    .where('page_id', '=', pageId).where('kind', '=', kind).where('target', '=', target).executeTakeFirst();
}

export async function insertSubscriber(db: Db, row: StatusSubscribersTable): Promise<void> {
  await db.insertInto('status_subscribers').values(row).execute();
}

export async function updateSubscriber(db: Db, id: string, set: Partial<StatusSubscribersTable>): Promise<number> {
  const res = await db.updateTable('status_subscribers').set(set).where('id', '=', id).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function deleteSubscriber(db: Db, id: string): Promise<void> {
  await db.deleteFrom('status_subscribers').where('id', '=', id).execute();
}

/** One page of a page's subscribers, newest first, before the id `before`. */
export async function listSubscribers(db: Db, pageId: string, q: { limit: number; before?: string; kind?: string; state?: SubscriberState }) {
  let query = db.selectFrom('status_subscribers').selectAll().where('page_id', '=', pageId);
  if (q.before) query = query.where('id', '<', q.before);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.state === 'unsubscribed') query = query.where('unsubscribed_at', 'is not', null);
  if (q.state === 'active') query = query.where('unsubscribed_at', 'is', null).where('confirmed_at', 'is not', null);
  if (q.state === 'pending') query = query.where('unsubscribed_at', 'is', null).where('confirmed_at', 'is', null);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}

/** Confirmed, still subscribed subscribers of a page: who hears about its incidents and maintenance. */
export async function activeSubscribers(db: Db, pageId: string): Promise<{ id: string; component_ids_json: string | null }[]> {
  return db.selectFrom('status_subscribers').select(['id', 'component_ids_json'])
    .where('page_id', '=', pageId).where('confirmed_at', 'is not', null).where('unsubscribed_at', 'is', null).orderBy('id').execute();
}

/** A status update with what deliveries need of its incident. */
export async function statusUpdateWithIncident(db: Db, updateId: string) {
  return db.selectFrom('status_updates')
    .innerJoin('incidents', 'incidents.id', 'status_updates.incident_id')
    .leftJoin('status_incidents', 'status_incidents.incident_id', 'incidents.id')
    .select([
      'status_updates.id', 'status_updates.incident_id', 'status_updates.audience', 'status_updates.phase', 'status_updates.body',
      'status_updates.created_at', 'incidents.title', 'incidents.drill', 'status_incidents.public_title',
    ])
    .where('status_updates.id', '=', updateId).executeTakeFirst();
}

/** The components (id, page, name) whose ids `linked` selects, each once, by id. */
function componentsIn(db: Db, linked: SelectQueryBuilder<Database, keyof Database, { component_id: string }>) {
  return db.selectFrom('status_components').select(['id', 'page_id', 'name']).where('id', 'in', linked).orderBy('id').execute();
}

/** Every component an incident was ever linked to (segments open or closed), with its page. */
export function incidentComponents(db: Db, incidentId: string): Promise<{ id: string; page_id: string; name: string }[]> {
  return componentsIn(db, db.selectFrom('status_incident_components').select('component_id').where('incident_id', '=', incidentId));
}

export async function findMaintenance(db: Db, id: string) {
  return db.selectFrom('status_maintenances').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The components a maintenance covers, with their page. */
export function maintenanceComponents(db: Db, maintenanceId: string): Promise<{ id: string; page_id: string; name: string }[]> {
  return componentsIn(db, db.selectFrom('status_maintenance_components').select('component_id').where('maintenance_id', '=', maintenanceId));
}

export async function findMaintenanceUpdate(db: Db, id: string) {
  return db.selectFrom('status_maintenance_updates').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A maintenance's updates, oldest first. */
export async function maintenanceUpdates(db: Db, maintenanceId: string) {
  return db.selectFrom('status_maintenance_updates').selectAll().where('maintenance_id', '=', maintenanceId).orderBy('created_at').orderBy('id').execute();
}

/** Rows counted per state (for the admin list's totals). */
export async function subscriberCounts(db: Db, pageId: string): Promise<Record<SubscriberState, number>> {
  const rows = await db.selectFrom('status_subscribers')
    .select([
      sql<string>`CASE WHEN unsubscribed_at IS NOT NULL THEN 'unsubscribed' WHEN confirmed_at IS NULL THEN 'pending' ELSE 'active' END`.as('state'),
      (eb) => eb.fn.countAll().as('n'),
    ])
    .where('page_id', '=', pageId).groupBy(sql`1`).execute();
  const out: Record<SubscriberState, number> = { pending: 0, active: 0, unsubscribed: 0 };
  for (const r of rows) out[r.state as SubscriberState] = Number(r.n);
  return out;
}
