// Queries of the on-call room: schedules, their layer versions, overrides and calendar feeds.
import type { Insertable } from 'kysely';
import type { Db } from '../../storage/db.js';
import type { CalendarFeedsTable, ScheduleOverridesTable, SchedulesTable, ScheduleVersionsTable } from '../../storage/schema.js';

export async function listSchedules(db: Db, teamId?: string): Promise<SchedulesTable[]> {
  let q = db.selectFrom('schedules').selectAll().orderBy('name').orderBy('id');
  if (teamId) q = q.where('team_id', '=', teamId);
  return q.execute();
}

export async function getSchedule(db: Db, id: string): Promise<SchedulesTable | undefined> {
  return db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSchedule(db: Db, row: Insertable<SchedulesTable>): Promise<void> {
  await db.insertInto('schedules').values(row).execute();
}

export async function updateSchedule(db: Db, id: string, set: Partial<SchedulesTable>): Promise<void> {
  await db.updateTable('schedules').set(set).where('id', '=', id).execute();
}

/** Every version of the given schedules' layers, oldest first. */
export async function versionsOf(db: Db, scheduleIds: string[]): Promise<ScheduleVersionsTable[]> {
  if (scheduleIds.length === 0) return [];
  return db.selectFrom('schedule_versions').selectAll().where('schedule_id', 'in', scheduleIds).orderBy('effective_from').execute();
}

/** Adds a version from its time on; versions that would have started later are dropped (superseded). */
export async function putVersion(db: Db, row: Insertable<ScheduleVersionsTable>): Promise<void> {
  await db.deleteFrom('schedule_versions').where('schedule_id', '=', row.schedule_id).where('effective_from', '>=', row.effective_from).execute();
  await db.insertInto('schedule_versions').values(row).execute();
}

/** Overrides of the given schedules that overlap [from, to). */
export async function overridesOf(db: Db, scheduleIds: string[], from: string, to: string): Promise<ScheduleOverridesTable[]> {
  if (scheduleIds.length === 0) return [];
  return db.selectFrom('schedule_overrides').selectAll()
    .where('schedule_id', 'in', scheduleIds).where('ends_at', '>', from).where('starts_at', '<', to)
    .orderBy('starts_at').orderBy('id').execute();
}

export async function getOverride(db: Db, scheduleId: string, id: string): Promise<ScheduleOverridesTable | undefined> {
  return db.selectFrom('schedule_overrides').selectAll().where('schedule_id', '=', scheduleId).where('id', '=', id).executeTakeFirst();
}

export async function insertOverride(db: Db, row: Insertable<ScheduleOverridesTable>): Promise<void> {
  await db.insertInto('schedule_overrides').values(row).execute();
}

export async function deleteOverride(db: Db, id: string): Promise<void> {
  await db.deleteFrom('schedule_overrides').where('id', '=', id).execute();
}

/** Removes a schedule with everything that hangs off it (its feeds stop answering). */
export async function deleteSchedule(db: Db, id: string): Promise<void> {
  await db.deleteFrom('calendar_feeds').where('schedule_id', '=', id).execute();
  await db.deleteFrom('schedule_overrides').where('schedule_id', '=', id).execute();
  await db.deleteFrom('schedule_versions').where('schedule_id', '=', id).execute();
  await db.deleteFrom('schedules').where('id', '=', id).execute();
}

export async function insertFeed(db: Db, row: Insertable<CalendarFeedsTable>): Promise<void> {
  await db.insertInto('calendar_feeds').values(row).execute();
}

/** Feeds not revoked, newest first; only those of `userId` (as creator or subject) when given. */
export async function listFeeds(db: Db, userId?: string): Promise<CalendarFeedsTable[]> {
  let q = db.selectFrom('calendar_feeds').selectAll().where('revoked_at', 'is', null).orderBy('created_at', 'desc');
  if (userId) q = q.where((eb) => eb.or([eb('created_by', '=', userId), eb('user_id', '=', userId)]));
  return q.execute();
}

export async function getFeed(db: Db, id: string): Promise<CalendarFeedsTable | undefined> {
  return db.selectFrom('calendar_feeds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function feedByHash(db: Db, tokenHash: string): Promise<CalendarFeedsTable | undefined> {
  return db.selectFrom('calendar_feeds').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function updateFeed(db: Db, id: string, set: Partial<CalendarFeedsTable>): Promise<void> {
  await db.updateTable('calendar_feeds').set(set).where('id', '=', id).execute();
}
