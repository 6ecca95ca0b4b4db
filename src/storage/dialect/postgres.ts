import { PostgresDialect } from 'kysely';
import pg from 'pg';

/** A pooled PostgreSQL connection. Several Hikeshi nodes may share one database. */
export function postgresDialect(url: string, max = 10): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** PostgreSQL's unique_violation. */
export function isPostgresUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}
