// The SQLite inbox: accepted requests wait in a file of their own, written by a worker thread.
// better-sqlite3 is synchronous, so a commit on the server's connection stops the event loop for
// its fsync; measured under a storm that was a third of ingest's time. Here the worker commits
// (group commit: everything that arrived while it was busy goes into its next transaction) while
// the event loop goes on reading requests. Grouping reads the file on a connection of its own and
// records how far it has got (alert_inbox_cursor) in the main database, in the transaction that
// applies the requests, so each is grouped exactly once; the worker then deletes what is behind
// the cursor.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { WaitingLedger } from './inbox-ledger.js';
import type { Db, Storage } from '../../storage/db.js';
import { countSetAside, discardSetAside, fits, type AlertInbox, type InboxRow, type SetAsideRow, type WaitingCount, type WaitingRow } from './inbox.js';

const CURSOR = 'inbox-file';

// Plain JavaScript run with `eval`, so the same worker starts from the compiled server, from tsx
// and inside the test runner (see storage/dialect/sqlite-checkpoint.ts).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
db.pragma('journal_size_limit = 67108864');
db.exec('CREATE TABLE IF NOT EXISTS alert_inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, integration_id TEXT NOT NULL, received_at TEXT NOT NULL, message_id TEXT, alert_count INTEGER NOT NULL, alerts_json TEXT NOT NULL)');
// Never hand out a number grouping has passed already (a file deleted or replaced by hand).
db.transaction(() => {
  const cur = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'alert_inbox'").get();
  if (!cur) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('alert_inbox', ?)").run(workerData.cursor);
  else if (cur.seq < workerData.cursor) db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'alert_inbox'").run(workerData.cursor);
})();
const insert = db.prepare('INSERT INTO alert_inbox (id, integration_id, received_at, message_id, alert_count, alerts_json) VALUES (?, ?, ?, ?, ?, ?)');
const trim = db.prepare('DELETE FROM alert_inbox WHERE seq <= ?');
let queue = [];
let trimTo = 0;
let trimmed = 0;
let scheduled = false;
// Each append learns the numbers its requests got (the server keeps a count of what waits, inbox-ledger.ts).
const write = db.transaction((batches) => {
  for (const b of batches) b.seqs = b.rows.map((r) => Number(insert.run(r.id, r.integration_id, r.received_at, r.message_id, r.alert_count, r.alerts_json).lastInsertRowid));
  if (trimTo > trimmed) trim.run(trimTo);
});
function flush() {
  scheduled = false;
  const batches = queue;
  queue = [];
  const to = trimTo;
  try {
    write(batches);
    trimmed = to;
    for (const b of batches) parentPort.postMessage({ id: b.id, seqs: b.seqs });
  } catch (err) {
    if (batches.length === 1) {
      parentPort.postMessage({ id: batches[0].id, error: String((err && err.message) || err) });
      return;
    }
    // One bad append must not fail the others gathered with it: each again, alone.
    for (const b of batches) {
      try {
        write([b]);
        trimmed = to;
        parentPort.postMessage({ id: b.id, seqs: b.seqs });
      } catch (e) {
        parentPort.postMessage({ id: b.id, error: String((e && e.message) || e) });
      }
    }
  }
}
function schedule() {
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
}
parentPort.on('message', (m) => {
  if (m.type === 'append') {
    queue.push(m);
    schedule();
  } else if (m.type === 'trim') {
    if (m.seq > trimTo) trimTo = m.seq;
    schedule();
  } else if (m.type === 'stop') {
    if (queue.length) flush();
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ ready: true });
`;

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
  /** The alerts of each request appended. */
  alerts: number[];
}

export class FileInbox implements AlertInbox {
  readonly coalesces = true;
  private worker!: Worker;
  /** Settles when the current writer has exited. */
  private exited: Promise<unknown> = Promise.resolve();
  /** A writer being started after one died, and the timer of the next try. */
  private starting: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | null = null;
  /** False while a writer that died is being replaced: appends fail at once (the sender retries). */
  private ready = false;
  private readonly waiting = new Map<number, Waiter>();
  private seq = 0;
  private closing = false;
  /** How far grouping has got: the cursor of the last grouping transaction that committed. */
  private appliedTo = 0;
  /** Where the grouping transaction in flight moves the cursor to; taken into appliedTo once it commits. */
  private applying = 0;
  /** What waits past the cursor, counted without reading the file (inbox-ledger.ts). */
  private readonly ledger = new WaitingLedger();
  /** Requeues and discards of set-aside requests, one after another. */
  private serial: Promise<unknown> = Promise.resolve();
  /** Grouping's own connection to the file (WAL: reading never waits for the writer). */
  private reader: BetterSqlite3.Database | null = null;

  private constructor(private readonly storage: Storage, private readonly file: string) {}

  static async open(storage: Storage, file: string): Promise<FileInbox> {
    const inbox = new FileInbox(storage, file);
    await inbox.startWriter(); // it creates the file
    try {
      inbox.reader = new BetterSqlite3(file, { fileMustExist: true });
      inbox.recount(await inbox.cursor(storage.db));
    } catch (err) {
      await inbox.close();
      throw err;
    }
    return inbox;
  }

  /** Counts what the file holds past `cursor` into the ledger (at start, and when a new writer starts). */
  private recount(cursor: number): void {
    this.ledger.reset(this.reader!.prepare('SELECT seq, alert_count FROM alert_inbox WHERE seq > ? ORDER BY seq').iterate(cursor) as Iterable<{ seq: number; alert_count: number }>, cursor);
  }

  private async cursor(db: Db): Promise<number> {
    const row = await db.selectFrom('alert_inbox_cursor').select('seq').where('name', '=', CURSOR).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /** Starts the writer; resolves once it has the file ready. A writer that dies is started again. */
  private async startWriter(): Promise<void> {
    const cursor = await this.cursor(this.storage.db);
    if (this.closing) return;
    // A writer that died may have stored appends it never confirmed: count the file again (the
    // first start has no reader yet; open() counts). Nothing is in flight: appends fail until ready.
    if (this.reader) this.recount(cursor);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), cursor },
    });
    this.worker = worker;
    this.exited = new Promise((r) => worker.once('exit', r));
    await new Promise<void>((resolve, reject) => {
      const failed = (err: unknown) => reject(err instanceof Error ? err : new Error(`the inbox writer stopped (${String(err)})`));
      worker.once('error', failed);
      worker.once('exit', failed);
      worker.once('message', () => {
        worker.off('error', failed);
        worker.off('exit', failed);
        resolve();
      });
    });
    worker.on('message', (m: { id: number; error?: string; seqs?: number[] }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error) {
        w.reject(new Error(`inbox: ${m.error}`));
        return;
      }
      m.seqs?.forEach((seq, i) => this.ledger.add(seq, w.alerts[i] ?? 0));
      w.resolve();
    });
    worker.on('error', () => {}); // 'exit' follows
    worker.once('exit', () => {
      // Requests the writer had not confirmed get no 2xx (their senders retry); new ones go to a new writer.
      this.ready = false;
      for (const w of this.waiting.values()) w.reject(new Error('inbox: the writer stopped before confirming'));
      this.waiting.clear();
      if (!this.closing) this.restart(0);
    });
    worker.unref();
    this.ready = true;
  }

  private restart(attempt: number): void {
    if (this.closing) return;
    this.starting = this.startWriter().catch(() => {
      if (!this.closing) this.retry = setTimeout(() => this.restart(attempt + 1), Math.min(30_000, 250 * 2 ** attempt)).unref();
    });
  }

  append(rows: InboxRow[]): Promise<void> {
    if (this.closing) return Promise.reject(new Error('inbox: closing'));
    if (!this.ready) return Promise.reject(new Error('inbox: the writer is restarting'));
    return new Promise((resolve, reject) => {
      const id = ++this.seq;
      this.waiting.set(id, { resolve, reject, alerts: rows.map((r) => r.alert_count) });
      this.worker.postMessage({ type: 'append', id, rows });
    });
  }

  async head(trx: Db, maxRequests: number, maxAlerts: number): Promise<WaitingRow[]> {
    this.applying = 0;
    const after = await this.cursor(trx);
    const sizes = this.reader!.prepare('SELECT seq, alert_count FROM alert_inbox WHERE seq > ? ORDER BY seq LIMIT ?').all(after, maxRequests) as { seq: number; alert_count: number }[];
    const n = fits(sizes, maxAlerts);
    if (n === 0) return [];
    return this.reader!.prepare('SELECT seq, id, integration_id, received_at, message_id, alert_count, alerts_json FROM alert_inbox WHERE seq > ? AND seq <= ? ORDER BY seq')
      .all(after, sizes[n - 1]!.seq) as WaitingRow[];
  }

  async applied(trx: Db, rows: WaitingRow[]): Promise<void> {
    await this.moveCursor(trx, rows[rows.length - 1]!.seq);
  }

  private async moveCursor(db: Db, seq: number): Promise<void> {
    // Never backwards, whatever a caller passes.
    await db.insertInto('alert_inbox_cursor').values({ name: CURSOR, seq })
      .onConflict((oc) => oc.column('name').doUpdateSet({ seq: sql<number>`max(alert_inbox_cursor.seq, excluded.seq)` })).execute();
    // Only once committed: a transaction that rolls back must not have the writer delete its rows.
    this.applying = seq;
  }

  committed(): void {
    this.appliedTo = Math.max(this.appliedTo, this.applying);
    this.applying = 0;
    this.ledger.forget(this.appliedTo);
    this.worker.postMessage({ type: 'trim', seq: this.appliedTo });
  }

  async setAside(row: WaitingRow, error: string): Promise<void> {
    const { seq, ...kept } = row;
    await this.storage.db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_inbox').values({ ...kept, error }).execute();
      await this.moveCursor(trx, seq);
    });
    this.committed();
  }

  /**
   * Appended to the file again (durably; it is grouped after what waits now), then taken out of the
   * set-aside ones with `record`. Requeues and discards run one at a time on this node (SQLite has
   * one), so a discard cannot slip between the two steps. A crash between them leaves it queued and
   * still set aside; a retry then finds it in the file and does not append it twice.
   */
  requeue(row: SetAsideRow, record: (trx: Db) => Promise<void>): Promise<boolean> {
    return this.oneAtATime(async () => {
      if (!(await this.isSetAside(row.id))) return false;
      const cursor = await this.cursor(this.storage.db);
      const queued = this.reader!.prepare('SELECT 1 FROM alert_inbox WHERE id = ? AND seq > ?').get(row.id, cursor);
      if (!queued) {
        const { error: _error, ...request } = row;
        await this.append([request]);
      }
      // Out of the set-aside ones: the same delete as a discard, audited as the retry it is.
      return discardSetAside(this.storage.db, row.id, record);
    });
  }

  discard(id: string, record: (trx: Db) => Promise<void>): Promise<boolean> {
    return this.oneAtATime(() => discardSetAside(this.storage.db, id, record));
  }

  private async isSetAside(id: string): Promise<boolean> {
    return Boolean(await this.storage.db.selectFrom('alert_inbox').select('id').where('id', '=', id).where('error', 'is not', null).executeTakeFirst());
  }

  private oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.serial.then(fn);
    this.serial = turn.catch(() => undefined);
    return turn;
  }

  async count(): Promise<WaitingCount> {
    const after = await this.cursor(this.storage.db);
    if (this.ledger.stale) this.recount(after);
    const { requests, alerts } = this.ledger.count(after);
    const first = requests ? this.reader!.prepare('SELECT received_at FROM alert_inbox WHERE seq > ? ORDER BY seq LIMIT 1').get(after) as { received_at: string } | undefined : undefined;
    return { requests, alerts, oldest: first?.received_at ?? null, setAside: await countSetAside(this.storage.db) };
  }

  /** Stops the writer after what it was given; requests it confirmed are on disk. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.retry) clearTimeout(this.retry);
    await this.starting;
    this.worker.postMessage({ type: 'stop' }); // ignored by a writer that is gone already
    await this.exited;
    this.reader?.close();
  }
}
