import type { Db } from '../../storage/db.js';
import type { AuditEventsTable } from '../../storage/schema.js';

/** Appends one audit event. */
export async function insertAuditEvent(db: Db, row: AuditEventsTable): Promise<void> {
  await db.insertInto('audit_events').values(row).execute();
}

export interface AuditQuery {
  targetType?: string;
  targetId?: string;
  actorId?: string;
  action?: string;
  /** Only events with id below this one (cursor for the next page, newest first). */
  before?: string;
  limit: number;
}

/** Audit events, newest first. */
export async function listAuditEvents(db: Db, q: AuditQuery): Promise<AuditEventsTable[]> {
  let query = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.targetType) query = query.where('target_type', '=', q.targetType);
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.before) query = query.where('id', '<', q.before);
  return query.execute();
}
