import type { Logger } from 'pino';
import { sql } from 'kysely';
import type { Db } from './db.js';

/** Rows written before the first refresh. */
const FIRST_AFTER_ROWS = 10_000;

/**
 * PostgreSQL plans a query from its tables' statistics, which autovacuum refreshes at most once a
 * minute, and only after 10% growth. An alert storm on a young database grows the alert tables
 * tenfold in seconds. Planned from the statistics of an almost empty table, grouping's dedup lookup
 * (`integration_id = $1 AND dedup_key = ANY($2)`) read every alert of the integration instead of
 * looking up its keys: 15 to 50 ms per chunk and growing, grouping at 2.5k alerts/s. Refreshed by
 * this as the tables grow (after 10k rows, then each time they have doubled), the lookup stayed
 * at ~2 ms and grouping ran at 5k alerts/s (scratch runs of bench:ingest's 50-alert row).
 *
 * One refresh at a time, off the caller's path. It counts the rows this node wrote: with several
 * nodes grouping in turn each counts its share, so a refresh comes later (autovacuum still runs).
 * ANALYZE needs the tables' owner, as the migrations' role is; a failed refresh is logged and tried
 * again after half as many rows again.
 */
export class StatisticsKeeper {
  private written = 0;
  private next = FIRST_AFTER_ROWS;
  private running: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly tables: readonly string[], private readonly log: Logger) {}

  /** `rows` were added to the tables; refreshes their statistics once they have grown enough. */
  wrote(rows: number): void {
    this.written += rows;
    if (this.written < this.next || this.running) return;
    this.running = this.refresh().finally(() => { this.running = null; });
  }

  /** Resolves when no refresh is running (before the database is closed). */
  async settled(): Promise<void> {
    await this.running;
  }

  private async refresh(): Promise<void> {
    const written = this.written;
    try {
      await sql`ANALYZE ${sql.join(this.tables.map((t) => sql.table(t)))}`.execute(this.db);
      const size = await sql<{ rows: number }>`SELECT coalesce(sum(greatest(reltuples, 0)), 0)::float8 AS rows FROM pg_class
        WHERE oid = ANY(${[...this.tables]}::regclass[])`.execute(this.db);
      this.written -= written;
      this.next = Math.max(FIRST_AFTER_ROWS, size.rows[0]?.rows ?? 0);
    } catch (err) {
      this.log.warn({ err, tables: this.tables }, 'could not refresh table statistics (ANALYZE); trying again later');
      this.written -= written / 2;
    }
  }
}
