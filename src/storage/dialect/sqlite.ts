import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { WalCheckpointer } from './sqlite-checkpoint.js';

/** Opens (creating if needed) a SQLite file in WAL mode with durable commits; `stop` its background work before closing. */
export function sqliteDialect(file: string): { dialect: SqliteDialect; stop: () => Promise<void> } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we answer 2xx (an incident tool must not lose the timeline).
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // A 64 MB page cache (default 2 MB): alert storms insert into indexes keyed by hashes
  // (fingerprints, group keys), which touch pages all over the file.
  database.pragma('cache_size = -65536');
  cacheStatements(database);
  const checkpointer = file === ':memory:' ? null : WalCheckpointer.start(file, database);
  return { dialect: new SqliteDialect({ database }), stop: async () => checkpointer?.stop() };
}

const STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew; preparing costs as much as running a small statement. The
 * same SQL text gets the same prepared statement back (better-sqlite3 statements are reusable,
 * and the driver is synchronous, so one is never used by two queries at once).
 */
function cacheStatements(database: BetterSqlite3.Database): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, BetterSqlite3.Statement>();
  database.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source); // re-insert: the Map's order is the LRU order
    } else {
      stmt = prepare(source);
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    return stmt;
  }) as typeof database.prepare;
}

/** SQLite reports a duplicate key as SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. */
export function isSqliteUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
