import { CompiledQuery } from 'kysely';
import type { Db, Storage } from './db.js';
import type { Database } from './schema.js';

/** A column set by bulkUpdate, with the SQL type its values are cast to (PostgreSQL needs it). */
export interface BulkColumn<Row> {
  name: keyof Row & string;
  type: 'text' | 'integer';
}

type Dialect = Storage['dialect'];

const UPDATE_CHUNK = 200;
/** Rows per INSERT: well under SQLite's 32,766 bound parameters for tables of up to ~60 columns. */
const INSERT_CHUNK = 250;

/** `?` for SQLite, `$n` for PostgreSQL. */
function placeholder(dialect: Dialect, n: number): string {
  return dialect === 'postgres' ? `$${n}` : '?';
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

// The SQL of a bulk statement depends only on the table, the columns and the row count, so it is
// built once and kept: on the ingest path, building it through the query builder per batch cost
// more than running it.
const sqlCache = new Map<string, string>();

function cached(key: string, build: () => string): string {
  let text = sqlCache.get(key);
  if (text === undefined) {
    text = build();
    if (sqlCache.size > 1000) sqlCache.clear();
    sqlCache.set(key, text);
  }
  return text;
}

/** Inserts rows (all with the same columns) in as few statements as the parameter limit allows. */
export async function bulkInsert<T extends keyof Database & string>(db: Db, dialect: Dialect, table: T, rows: Database[T][]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const part = rows.slice(i, i + INSERT_CHUNK);
    const text = cached(`i|${dialect}|${table}|${columns.join(',')}|${part.length}`, () => {
      let n = 0;
      const tuples = part.map(() => `(${columns.map(() => placeholder(dialect, ++n)).join(', ')})`);
      return `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`;
    });
    const params: unknown[] = [];
    for (const row of part) for (const c of columns) params.push((row as unknown as Record<string, unknown>)[c] ?? null);
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

/**
 * Updates many rows, each with its own values, in one statement per 200 rows:
 * `WITH v(key, a, b) AS (VALUES …) UPDATE t SET a = v.a, b = v.b FROM v WHERE t.key = v.key`.
 * Both SQLite (≥ 3.33) and PostgreSQL take this form; on PostgreSQL it saves a round trip per
 * row, which is what an alert storm's thousands of repeats would otherwise cost.
 */
export async function bulkUpdate<T extends keyof Database & string>(
  db: Db,
  dialect: Dialect,
  table: T,
  key: keyof Database[T] & string,
  columns: BulkColumn<Database[T]>[],
  rows: Database[T][],
): Promise<void> {
  const all = [key, ...columns.map((c) => c.name)];
  const types = new Map<string, string>([[key, 'TEXT'], ...columns.map((c): [string, string] => [c.name, c.type === 'integer' ? 'INTEGER' : 'TEXT'])]);
  for (let i = 0; i < rows.length; i += UPDATE_CHUNK) {
    const part = rows.slice(i, i + UPDATE_CHUNK);
    const text = cached(`u|${dialect}|${table}|${all.join(',')}|${part.length}`, () => {
      let n = 0;
      const tuples = part.map(() => `(${all.map((c) => `CAST(${placeholder(dialect, ++n)} AS ${types.get(c)})`).join(', ')})`);
      const sets = columns.map((c) => `${quote(c.name)} = v.${quote(c.name)}`).join(', ');
      return `WITH v(${all.map(quote).join(', ')}) AS (VALUES ${tuples.join(', ')}) UPDATE ${quote(table)} SET ${sets} FROM v WHERE ${quote(table)}.${quote(key)} = v.${quote(key)}`;
    });
    const params: unknown[] = [];
    for (const row of part) for (const c of all) params.push((row as unknown as Record<string, unknown>)[c] ?? null);
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}
