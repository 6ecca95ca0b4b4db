import { CompiledQuery, type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db, Storage } from './db.js';
import type { Database } from './schema.js';

type Dialect = Storage['dialect'];

const UPDATE_CHUNK = 200;
/** Rows per INSERT: well under SQLite's 32,766 bound parameters for tables of up to ~60 columns. */
const INSERT_CHUNK = 250;

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

/**
 * PostgreSQL: a VALUES list (one placeholder per value) for a few rows or for large text, else one
 * array per column. node-postgres writes a JS array as an array literal, escaping every quote of
 * every string in JavaScript, and the server unescapes it again: for a few rows of large JSON text
 * (the ingest inbox: three 21 KB requests) that took 1.6 ms of the client's CPU and 3.4 ms in all,
 * against 0.34 ms and 1.6 ms as plain parameters. For hundreds of short rows the arrays win
 * (200 alert rows: 4.0 ms against 9.4 ms), as a statement with thousands of placeholders costs
 * more to parse and plan than the rows cost to insert. Measured with scratch runs of both.
 * The cost of arrays grows with the text, that of placeholders with the values: so rows of large
 * text go as a VALUES list however many there are (the inbox's requests of a few alerts or more).
 * Chosen by row count alone, 64 senders of 50 alerts each (batches of 20 to 60 requests) fell from
 * 45k to 22k alerts/s on the escaping.
 */
const VALUES_MAX_ROWS = 16;
/** Average characters of text per value from which a VALUES list is used whatever the number of rows (alert rows: ~50; inbox rows of 50 alerts: ~4,000, of 1 alert: ~110). */
const VALUES_MIN_TEXT_PER_VALUE = 512;
/** PostgreSQL's limit of bound parameters in one statement. */
const PG_MAX_PARAMS = 65_535;

/** PostgreSQL: whether the rows go as a VALUES list (few, or of large text, within one statement's parameters) rather than as arrays. */
function valuesList(rows: object[], columns: string[]): boolean {
  if (rows.length * columns.length > PG_MAX_PARAMS) return false;
  if (rows.length <= VALUES_MAX_ROWS) return true;
  let chars = 0;
  for (const row of rows) {
    for (const c of columns) {
      const v = (row as Record<string, unknown>)[c];
      if (typeof v === 'string') chars += v.length;
    }
  }
  return chars / (rows.length * columns.length) >= VALUES_MIN_TEXT_PER_VALUE;
}

/**
 * Inserts rows (all with the same columns): on SQLite in as few statements as its parameter limit
 * allows, on PostgreSQL in one statement (a VALUES list for a few rows or rows of large text, else
 * an array per column).
 */
export async function bulkInsert<T extends keyof Database & string>(db: Db, dialect: Dialect, table: T, rows: Database[T][]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  if (dialect === 'postgres' && !valuesList(rows, columns)) {
    // One array parameter per column: PostgreSQL parses and plans a short statement instead of one
    // with thousands of placeholders, which cost more than inserting the rows.
    const types = await columnTypes(db, table);
    const text = cached(`i|pg|${table}|${columns.join(',')}`, () =>
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) SELECT * FROM ${unnest(types, table, columns)}`);
    await db.executeQuery(CompiledQuery.raw(text, columnArrays(rows, columns)));
    return;
  }
  // PostgreSQL gets here only with rows that fit one statement.
  const chunk = dialect === 'postgres' ? rows.length : INSERT_CHUNK;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const build = () => {
      let n = 0;
      const placeholder = dialect === 'postgres' ? () => `$${++n}` : () => '?';
      const tuples = part.map(() => `(${columns.map(placeholder).join(', ')})`);
      return `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`;
    };
    // PostgreSQL's statements for many rows of large text are built each time rather than kept:
    // one per row count would crowd out the rest of the cache.
    const keep = dialect === 'sqlite' || part.length <= VALUES_MAX_ROWS;
    const text = keep ? cached(`i|${dialect}|${table}|${columns.join(',')}|${part.length}`, build) : build();
    const params: unknown[] = [];
    for (const row of part) for (const c of columns) params.push((row as unknown as Record<string, unknown>)[c] ?? null);
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

/** The rows' values column by column, as arrays (node-postgres sends a JS array as a PostgreSQL array). */
function columnArrays(rows: object[], columns: string[]): unknown[][] {
  const arrays = columns.map(() => new Array<unknown>(rows.length));
  rows.forEach((row, r) => {
    columns.forEach((c, i) => { arrays[i]![r] = (row as Record<string, unknown>)[c] ?? null; });
  });
  return arrays;
}

/** PostgreSQL's type name of each column of a table, read once from the catalogue. */
const typeCache = new Map<string, Map<string, string>>();

async function columnTypes(db: Db, table: string): Promise<Map<string, string>> {
  let types = typeCache.get(table);
  if (!types) {
    const { rows } = await db.executeQuery<{ column_name: string; udt_name: string }>(CompiledQuery.raw(
      'SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table]));
    types = new Map(rows.map((r) => [r.column_name, r.udt_name]));
    typeCache.set(table, types);
  }
  return types;
}

/** `unnest($1::text[], $2::int4[], …)`: one array parameter per column, typed as the column is. */
function unnest(types: Map<string, string>, table: string, columns: string[]): string {
  return `unnest(${columns.map((c, i) => {
    const t = types.get(c);
    if (!t || !/^[a-z0-9_]+$/.test(t)) throw new Error(`bulk: ${table}.${c} has no known column type`);
    return `$${i + 1}::${t}[]`;
  }).join(', ')})`;
}

/**
 * Updates many rows, each with its own values, in few statements instead of one per row (on
 * PostgreSQL a round trip per row is what an alert storm's thousands of repeats would cost):
 * - SQLite (≥ 3.33), 200 rows a statement:
 *   `WITH v(key, a, b) AS (VALUES …) UPDATE t SET a = v.a, b = v.b FROM v WHERE t.key = v.key`;
 * - PostgreSQL, one statement with an array per column:
 *   `UPDATE t SET a = v.a, b = v.b FROM unnest($1::text[], …) AS v(key, a, b) WHERE t.key = v.key`.
 */
export async function bulkUpdate<T extends keyof Database & string>(
  db: Db,
  dialect: Dialect,
  table: T,
  key: keyof Database[T] & string,
  columns: (keyof Database[T] & string)[],
  rows: Database[T][],
): Promise<void> {
  if (rows.length === 0) return;
  const all = [key, ...columns];
  const sets = columns.map((c) => `${quote(c)} = v.${quote(c)}`).join(', ');
  if (dialect === 'postgres') {
    const pgTypes = await columnTypes(db, table);
    const text = cached(`u|pg|${table}|${all.join(',')}`, () =>
      `UPDATE ${quote(table)} SET ${sets} FROM ${unnest(pgTypes, table, all)} AS v(${all.map(quote).join(', ')}) WHERE ${quote(table)}.${quote(key)} = v.${quote(key)}`);
    await db.executeQuery(CompiledQuery.raw(text, columnArrays(rows, all)));
    return;
  }
  for (let i = 0; i < rows.length; i += UPDATE_CHUNK) {
    const part = rows.slice(i, i + UPDATE_CHUNK);
    const text = cached(`u|${dialect}|${table}|${all.join(',')}|${part.length}`, () => {
      // VALUES columns have no type; the table's columns give theirs to what is stored and compared.
      const tuples = part.map(() => `(${all.map(() => '?').join(', ')})`);
      return `WITH v(${all.map(quote).join(', ')}) AS (VALUES ${tuples.join(', ')}) UPDATE ${quote(table)} SET ${sets} FROM v WHERE ${quote(table)}.${quote(key)} = v.${quote(key)}`;
    });
    const params: unknown[] = [];
    for (const row of part) for (const c of all) params.push((row as unknown as Record<string, unknown>)[c] ?? null);
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

/** Keys per `IN (…)` list on SQLite. */
const KEY_CHUNK = 400;

/** Keys in parts for `keyIn`: SQLite's lists stay short; PostgreSQL takes any number as one array parameter. */
export function keyChunks<T extends string>(dialect: Dialect, keys: Iterable<T>): T[][] {
  const all = [...keys];
  if (dialect === 'postgres' || all.length <= KEY_CHUNK) return all.length ? [all] : [];
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += KEY_CHUNK) out.push(all.slice(i, i + KEY_CHUNK));
  return out;
}

/**
 * `column IN (values)`, for a where clause. PostgreSQL gets `column = any($1::text[])`: one parameter
 * that it plans once, instead of one per value.
 */
export function keyIn(dialect: Dialect, column: string, values: readonly string[]) {
  // Any table: the caller names the column.
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> =>
    dialect === 'postgres' ? eb(eb.ref(column), '=', sql<string>`any(${values}::text[])`) : eb(eb.ref(column), 'in', values);
}
