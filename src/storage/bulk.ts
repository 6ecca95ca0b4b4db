import { sql } from 'kysely';
import type { Db } from './db.js';
import type { Database } from './schema.js';

/** A column set by bulkUpdate, with the SQL type its values are cast to (PostgreSQL needs it). */
export interface BulkColumn<Row> {
  name: keyof Row & string;
  type: 'text' | 'integer';
}

const CHUNK = 200;

/**
 * Updates many rows, each with its own values, in one statement per 200 rows:
 * `WITH v(key, a, b) AS (VALUES …) UPDATE t SET a = v.a, b = v.b FROM v WHERE t.key = v.key`.
 * Both SQLite (≥ 3.33) and PostgreSQL take this form; on PostgreSQL it saves a round trip per
 * row, which is what an alert storm's thousands of repeats would otherwise cost.
 */
export async function bulkUpdate<T extends keyof Database & string>(
  db: Db,
  table: T,
  key: keyof Database[T] & string,
  columns: BulkColumn<Database[T]>[],
  rows: Database[T][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const all = [key, ...columns.map((c) => c.name)];
    const types: Record<string, 'text' | 'integer'> = { [key]: 'text', ...Object.fromEntries(columns.map((c) => [c.name, c.type])) };
    const values = sql.join(part.map((row) => sql`(${sql.join(all.map((c) => sql`CAST(${(row as unknown as Record<string, unknown>)[c] ?? null} AS ${sql.raw(types[c] === 'integer' ? 'INTEGER' : 'TEXT')})`))})`));
    const names = sql.join(all.map((c) => sql.ref(c)));
    const sets = sql.join(columns.map((c) => sql`${sql.ref(c.name)} = v.${sql.ref(c.name)}`));
    await sql`WITH v(${names}) AS (VALUES ${values}) UPDATE ${sql.table(table)} SET ${sets} FROM v WHERE ${sql.table(table)}.${sql.ref(key)} = v.${sql.ref(key)}`.execute(db);
  }
}
