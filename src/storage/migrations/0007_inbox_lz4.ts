import { type Kysely, sql } from 'kysely';

/**
 * PostgreSQL compresses the inbox's alerts_json (a whole request, often tens of KB) with lz4 rather
 * than the default pglz: an append of three 50-alert requests took 1.96 ms instead of 2.81 ms on an
 * idle server, and under an ingest storm on two cores the server's own CPU is what ingest waits for
 * (bench:ingest, 50 alerts per request: about 20% more accepted). A server built without lz4, or
 * older than PostgreSQL 14, keeps pglz: the statement runs in a block that ignores its failure.
 * SQLite does not compress; its inbox is a file of its own (inbox-file.ts).
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`DO $$
BEGIN
  EXECUTE 'ALTER TABLE alert_inbox ALTER COLUMN alerts_json SET COMPRESSION lz4';
EXCEPTION WHEN others THEN
  RAISE NOTICE 'alert_inbox.alerts_json keeps the default compression: %', SQLERRM;
END $$`.execute(db);
}
