import { type Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

/** A pooled PostgreSQL connection. Several Hikeshi nodes may share one database. */
export function postgresDialect(url: string, max = 10): { dialect: PostgresDialect; pool: pg.Pool } {
  // A database that stops answering (a network black hole) must fail requests, not hang them:
  // connecting gives up after 10 s, and TCP keep-alive notices a dead peer on idle connections.
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000, keepAlive: true });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may a checked-out one (pg emits 'error' on it with no listener attached): its query fails
  // with the same error, which the caller handles; the status page then serves its last snapshot.
  pool.on('connect', (client) => client.on('error', () => {}));
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** PostgreSQL's unique_violation. */
export function isPostgresUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

/**
 * Holds a transaction-scoped advisory lock named `name` until the transaction ends, so nodes that
 * compute something from the table's current state (the next incident number) take turns.
 */
export async function postgresTransactionLock(trx: Kysely<any>, name: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}
