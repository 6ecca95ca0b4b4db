import { join, resolve } from 'node:path';
import { Kysely } from 'kysely';
import { isPostgresUniqueViolation, postgresDialect } from './dialect/postgres.js';
import { isSqliteUniqueViolation, sqliteDialect } from './dialect/sqlite.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

export type { Database } from './schema.js';

/** The query builder every repo receives. */
export type Db = Kysely<Database>;

/** An opened database with what little differs between the two dialects. */
export interface Storage {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  /** Human-readable location for logs (never includes a password). */
  where: string;
  isUniqueViolation(err: unknown): boolean;
  close(): Promise<void>;
}

export interface OpenStorageOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** Runs migrations before returning (default true). */
  migrate?: boolean;
}

/** Opens SQLite (default) or PostgreSQL (when a URL is given) and brings the schema up to date. */
export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  let storage: Storage;
  if (options.databaseUrl) {
    const { dialect, pool } = postgresDialect(options.databaseUrl);
    const db = new Kysely<Database>({ dialect });
    const url = new URL(options.databaseUrl);
    storage = {
      db,
      dialect: 'postgres',
      where: `postgres://${url.host}${url.pathname}`,
      isUniqueViolation: isPostgresUniqueViolation,
      close: () => db.destroy(),
    };
    void pool;
  } else {
    const file = resolve(join(options.dataDir ?? './data', 'hikeshi.sqlite'));
    const db = new Kysely<Database>({ dialect: sqliteDialect(file) });
    storage = { db, dialect: 'sqlite', where: file, isUniqueViolation: isSqliteUniqueViolation, close: () => db.destroy() };
  }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(storage.db, storage.dialect);
    } catch (err) {
      await storage.close();
      throw err;
    }
  }
  return storage;
}
