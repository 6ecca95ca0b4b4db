// Where accepted ingest requests wait to be grouped. On PostgreSQL: the alert_inbox table, rows
// deleted by the grouping transaction that applies them. On SQLite: a file of its own
// (inbox-file.ts), written from a worker thread so that its fsync never stops the event loop,
// with the grouping transaction moving a cursor in the main database.
import { dirname, join } from 'node:path';
import type { Db, Storage } from '../../storage/db.js';
import type { AlertInboxTable } from '../../storage/schema.js';
import { bulkInsert } from '../../storage/bulk.js';
import { FileInbox } from './inbox-file.js';

/** One accepted request as stored. */
export type InboxRow = Omit<AlertInboxTable, 'error' | 'seq'>;
/** A stored request with its place in the inbox's order. */
export type WaitingRow = InboxRow & { seq: number };
/** A request grouping gave up on, with the error it failed with (kept in the main database on both kinds). */
export type SetAsideRow = InboxRow & { error: string };

export interface WaitingCount {
  requests: number;
  alerts: number;
  /** When the request next in line was accepted (how far behind grouping is; a retried set-aside request keeps its own time). */
  oldest: string | null;
  /** Requests grouping gave up on: kept, no longer retried. */
  setAside: number;
}

export interface AlertInbox {
  /**
   * Appends made while one commits go together into the next commit (the SQLite file's writer
   * thread): the ingestor hands requests over at once rather than gathering them first.
   */
  readonly coalesces: boolean;
  /** Stores accepted requests; resolves once they are durable. */
  append(rows: InboxRow[]): Promise<void>;
  /**
   * The oldest waiting requests, in the order they were accepted: at most `maxRequests` of them
   * holding at most `maxAlerts` alerts (but always the first). Read inside the grouping transaction.
   */
  head(trx: Db, maxRequests: number, maxAlerts: number): Promise<WaitingRow[]>;
  /** Marks `rows` (the first of head's) grouped, inside the grouping transaction. */
  applied(trx: Db, rows: WaitingRow[]): Promise<void>;
  /** The grouping transaction that called applied() committed. */
  committed(): void;
  /** Keeps `row` (the head) with its error and takes it out of the queue. */
  setAside(row: WaitingRow, error: string): Promise<void>;
  /**
   * Puts a set-aside request back in the queue, to be grouped next; `record` runs in the transaction
   * that takes it out of the set-aside ones (the audit entry). False when it is no longer set aside.
   */
  requeue(row: SetAsideRow, record: (trx: Db) => Promise<void>): Promise<boolean>;
  /** Deletes a set-aside request for good, `record` in the same transaction; false when it is no longer set aside. */
  discard(id: string, record: (trx: Db) => Promise<void>): Promise<boolean>;
  count(): Promise<WaitingCount>;
  close(): Promise<void>;
}

/** The inbox for this storage (the SQLite one lives next to the database file). */
export async function openInbox(storage: Storage): Promise<AlertInbox> {
  if (storage.dialect === 'postgres' || storage.where === ':memory:') return new TableInbox(storage);
  return FileInbox.open(storage, join(dirname(storage.where), 'hikeshi-inbox.sqlite'));
}

/** How many of the first requests hold at most `maxAlerts` alerts together (at least one). */
export function fits(sizes: { alert_count: number }[], maxAlerts: number): number {
  let alerts = 0;
  let n = 0;
  while (n < sizes.length && (n === 0 || alerts + sizes[n]!.alert_count <= maxAlerts)) {
    alerts += sizes[n]!.alert_count;
    n++;
  }
  return n;
}

/** Requests set aside, in the main database on both kinds. */
export async function countSetAside(db: Db): Promise<number> {
  const row = await db.selectFrom('alert_inbox').select((eb) => eb.fn.countAll<number>().as('n')).where('error', 'is not', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A set-aside request without its alerts (up to 512 KB each), for listing. */
export type SetAsideSummary = Omit<SetAsideRow, 'alerts_json'>;

/** The oldest `limit` requests set aside. */
export async function listSetAside(db: Db, limit: number): Promise<SetAsideSummary[]> {
  const rows = await db.selectFrom('alert_inbox').select(['id', 'integration_id', 'received_at', 'message_id', 'alert_count', 'error'])
    .where('error', 'is not', null).orderBy('received_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ ...r, error: r.error! }));
}

/** One set-aside request, or undefined. */
export async function findSetAside(db: Db, id: string): Promise<SetAsideRow | undefined> {
  const r = await db.selectFrom('alert_inbox').select(['id', 'integration_id', 'received_at', 'message_id', 'alert_count', 'alerts_json', 'error'])
    .where('id', '=', id).where('error', 'is not', null).executeTakeFirst();
  return r ? { ...r, error: r.error! } : undefined;
}

/** Deletes a set-aside request for good, `record` in the same transaction; false when it is no longer set aside. */
export async function discardSetAside(db: Db, id: string, record: (trx: Db) => Promise<void>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('alert_inbox').where('id', '=', id).where('error', 'is not', null).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) return false;
    await record(trx);
    return true;
  });
}

/** The alert_inbox table: every node of a PostgreSQL cluster appends to it and groups from it. */
export class TableInbox implements AlertInbox {
  readonly coalesces = false;
  constructor(private readonly storage: Storage) {}

  async append(rows: InboxRow[]): Promise<void> {
    const values = rows.map((r) => ({ ...r, error: null }));
    // PostgreSQL: one INSERT, atomic on its own; without BEGIN and COMMIT an
    // append is one round trip instead of three. SQLite may need several statements.
    if (this.storage.dialect === 'postgres') await bulkInsert(this.storage.db, 'postgres', 'alert_inbox', values);
    else await this.storage.db.transaction().execute((trx) => bulkInsert(trx, this.storage.dialect, 'alert_inbox', values));
  }

  async head(trx: Db, maxRequests: number, maxAlerts: number): Promise<WaitingRow[]> {
    const sizes = await trx.selectFrom('alert_inbox').select(['id', 'alert_count']).where('error', 'is', null).orderBy('seq').orderBy('id').limit(maxRequests).execute();
    const n = fits(sizes, maxAlerts);
    if (n === 0) return [];
    const rows = await trx.selectFrom('alert_inbox').select(['seq', 'id', 'integration_id', 'received_at', 'message_id', 'alert_count', 'alerts_json'])
      .where('id', 'in', sizes.slice(0, n).map((r) => r.id)).orderBy('seq').orderBy('id').execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  async applied(trx: Db, rows: WaitingRow[]): Promise<void> {
    await trx.deleteFrom('alert_inbox').where('id', 'in', rows.map((r) => r.id)).execute();
  }

  committed(): void {}

  async setAside(row: WaitingRow, error: string): Promise<void> {
    await this.storage.db.updateTable('alert_inbox').set({ error }).where('id', '=', row.id).execute();
  }

  discard(id: string, record: (trx: Db) => Promise<void>): Promise<boolean> {
    return discardSetAside(this.storage.db, id, record);
  }

  /** It keeps its place (`seq`), which is before everything waiting now: it is grouped next. */
  async requeue(row: SetAsideRow, record: (trx: Db) => Promise<void>): Promise<boolean> {
    return this.storage.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('alert_inbox').set({ error: null }).where('id', '=', row.id).where('error', 'is not', null).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return false;
      await record(trx);
      return true;
    });
  }

  async count(): Promise<WaitingCount> {
    const live = await this.storage.db.selectFrom('alert_inbox')
      .select((eb) => [eb.fn.countAll<number>().as('requests'), eb.fn.sum<number>('alert_count').as('alerts'), eb.fn.min<string>('received_at').as('oldest')])
      .where('error', 'is', null).executeTakeFirst();
    return {
      requests: Number(live?.requests ?? 0), alerts: Number(live?.alerts ?? 0), oldest: live?.oldest ?? null,
      setAside: await countSetAside(this.storage.db),
    };
  }

  async close(): Promise<void> {}
}
