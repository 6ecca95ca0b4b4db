import type { Kysely } from 'kysely';

/**
 * The ingest inbox: an accepted request is appended here before its 2xx, and alert grouping takes
 * it from here in order, deleting it in the same transaction that applies it (exactly once, even
 * across a crash). On SQLite the requests wait in a file of their own (hikeshi-inbox.sqlite,
 * written from a worker thread); this table then only keeps requests set aside, and
 * alert_inbox_cursor says, in the same transactions as the grouping, how far grouping has got.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('alert_inbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('alert_count', 'integer', (c) => c.notNull())
    .addColumn('alerts_json', 'text', (c) => c.notNull())
    // Grouping order on PostgreSQL: a request appended after another was answered gets a larger
    // number, whichever node took it and whatever its clock says (ids are per node clock).
    .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer')
    // Set when grouping failed on this request alone, again and again: kept and shown, no longer retried.
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createTable('alert_inbox_cursor')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
}
