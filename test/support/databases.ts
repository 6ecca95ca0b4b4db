import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The PostgreSQL server the suites use; CI sets it, and then PostgreSQL must be reachable. */
export const TEST_PG = process.env.HIKESHI_TEST_PG;

if (process.env.CI && !TEST_PG) {
  throw new Error('CI is set but HIKESHI_TEST_PG is not: the PostgreSQL suites must run in CI');
}

/** A fresh, empty database for one test file, and how to throw it away. */
export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  /** For openStorage / config: exactly one of these is set. */
  databaseUrl?: string;
  dataDir?: string;
  drop(): Promise<void>;
}

/** The kinds of database every contract and API suite runs against (PostgreSQL when configured). */
export const DATABASE_KINDS: ('sqlite' | 'postgres')[] = TEST_PG ? ['sqlite', 'postgres'] : ['sqlite'];

/** Creates an empty SQLite directory or a new PostgreSQL database named hikeshi_test_<random>. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'hikeshi-test-'));
    return { kind, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  if (!TEST_PG) throw new Error('HIKESHI_TEST_PG is not set');
  const name = `hikeshi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL at ${TEST_PG} is unreachable: ${(err as Error).message}`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG);
  url.pathname = `/${name}`;
  return {
    kind,
    databaseUrl: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
