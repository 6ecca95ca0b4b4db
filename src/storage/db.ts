import { join, resolve } from 'node:path';
import { Kysely } from 'kysely';
import { isPostgresUniqueViolation, postgresDialect, postgresTransactionLock } from './dialect/postgres.js';
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
  /**
   * Makes transactions that pass the same `name` run one after another from here until they end
   * (PostgreSQL: an advisory lock across nodes; SQLite's one connection serialises them already).
   */
  lockForTransaction(trx: Db, name: string): Promise<void>;
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
    const { dialect } = postgresDialect(options.databaseUrl);
    const db = new Kysely<Database>({ dialect });
    const url = new URL(options.databaseUrl);
    storage = {
      db,
      dialect: 'postgres',
      where: `postgres://${url.host}${url.pathname}`,
      isUniqueViolation: isPostgresUniqueViolation,
      lockForTransaction: postgresTransactionLock,
      close: () => db.destroy(),
    };
  } else {
    const file = resolve(join(options.dataDir ?? './data', 'hikeshi.sqlite'));
    const { dialect, stop } = sqliteDialect(file);
    const db = new Kysely<Database>({ dialect });
    storage = {
      db, dialect: 'sqlite', where: file, isUniqueViolation: isSqliteUniqueViolation,
      lockForTransaction: async () => {},
      close: async () => {
        await stop();
        await db.destroy();
      },
    };
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
