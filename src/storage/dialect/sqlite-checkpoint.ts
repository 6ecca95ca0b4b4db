// WAL checkpoints off the request path. In WAL mode SQLite copies committed pages back into the
// database file (a checkpoint) from inside whichever commit crosses 1,000 WAL pages; during an alert
// storm that was half of every commit's time, spent on the one thread that also answers HTTP. Here
// the server's connection never checkpoints by itself: a second connection on a worker thread does
// it (PASSIVE: it never makes a writer wait) five times a second, and again within 20 ms while a
// reader keeps frames from being copied. If the worker cannot run, the connection goes back to
// checkpointing by itself.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** SQLite's own default threshold, restored when the worker is gone. */
const AUTOCHECKPOINT_PAGES = 1000;
/** After a checkpoint reset the WAL, its file is cut back to this size. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;
const INTERVAL_MS = 200;

// Plain JavaScript run with `eval`, so the same worker starts from the compiled server, from tsx
// and inside the test runner (a worker file in TypeScript would need the loader of each).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
let timer = null;
const tick = () => {
  let pinned = false;
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    // Frames a reader still needs could not be copied yet: come back soon rather than in a while.
    pinned = r.log > r.checkpointed;
  } catch (err) {
    if (!err || (err.code !== 'SQLITE_BUSY' && err.code !== 'SQLITE_LOCKED')) throw err;
  }
  timer = setTimeout(tick, pinned ? 20 : workerData.intervalMs);
};
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
timer = setTimeout(tick, workerData.intervalMs);
`;

/** The background checkpointer of one database file; `stop` before closing the connection. */
export class WalCheckpointer {
  private readonly exited: Promise<unknown>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((r) => worker.once('exit', r));
  }

  /** Starts checkpointing `file` from a worker and turns off `database`'s own checkpoints. */
  static start(file: string, database: BetterSqlite3.Database): WalCheckpointer {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: INTERVAL_MS },
    });
    // A server that is done must not stay up for its checkpointer.
    worker.unref();
    database.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    const ownCheckpoints = () => {
      if (database.open) database.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    };
    database.pragma('wal_autocheckpoint = 0');
    worker.on('error', ownCheckpoints);
    worker.on('exit', ownCheckpoints);
    return new WalCheckpointer(worker);
  }

  async stop(): Promise<void> {
    this.worker.postMessage('stop'); // ignored by a worker that is gone already
    await this.exited;
  }
}
