import type { Kysely } from 'kysely';

/**
 * On-call schedules. A schedule's layers are kept as versions: an edit adds the layers that apply
 * from a time on and leaves the earlier ones in place, so "who was on call at 02:15 last Tuesday"
 * (a page's history, a fatigue report, a calendar) still has the answer it had then. Overrides are
 * rows of their own; calendar feeds are secret URLs, stored as hashes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The layers (JSON, in order of precedence: later on top) in effect from effective_from until the next row's.
  await db.schema
    .createTable('schedule_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedules.id'))
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('layers_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('schedule_versions_schedule').on('schedule_versions').columns(['schedule_id', 'effective_from']).unique().execute();

  await db.schema
    .createTable('schedule_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedules.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('schedule_overrides_schedule').on('schedule_overrides').columns(['schedule_id', 'ends_at']).execute();

  // A feed is either a schedule's or a user's; the URL's secret is stored as its SHA-256.
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('schedule_id', 'text', (c) => c.references('schedules.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
}
