import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCheckpointer } from './sqlite-checkpoint.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openWal(): { file: string; db: BetterSqlite3.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'hikeshi-ckpt-'));
  dirs.push(dir);
  const file = join(dir, 'db.sqlite');
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { file, db };
}

const autocheckpoint = (db: BetterSqlite3.Database) => db.pragma('wal_autocheckpoint', { simple: true });

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe('WAL checkpoints from a worker', () => {
  it('copies commits into the database file while the connection itself never checkpoints', async () => {
    const { file, db } = openWal();
    const ckpt = WalCheckpointer.start(file, db);
    expect(autocheckpoint(db)).toBe(0);
    const before = statSync(file).size;
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    // ~8 MB: far past the 1,000 pages at which the connection would have checkpointed by itself.
    db.transaction(() => { for (let i = 0; i < 2000; i++) insert.run('x'.repeat(4000)); })();
    expect(statSync(file).size).toBe(before); // all of it is still in the WAL
    expect(await until(() => statSync(file).size > 8_000_000)).toBe(true);
    await ckpt.stop();
    expect(autocheckpoint(db)).toBe(1000); // on its own again
    db.close();
    const reopened = new BetterSqlite3(file, { readonly: true });
    expect(reopened.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
    reopened.close();
  });

  it('hands checkpoints back to the connection when the worker cannot run', async () => {
    const { db } = openWal();
    const ckpt = WalCheckpointer.start(join(tmpdir(), 'hikeshi-no-such-dir', 'db.sqlite'), db);
    expect(await until(() => autocheckpoint(db) === 1000)).toBe(true);
    await ckpt.stop(); // returns although the worker is long gone
    db.close();
  });
});
