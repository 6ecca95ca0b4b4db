// The SQLite inbox file: appends are durable and ordered, grouping's cursor lives in the main
// database and survives a lost inbox file, rows behind the cursor are deleted, and a writer that
// dies fails only the appends it had not confirmed.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../storage/db.js';
import { isDatabaseTrouble } from './grouper.js';
import { openInbox, type AlertInbox, type InboxRow } from './inbox.js';

const row = (id: string, alerts = 1): InboxRow => ({
  id, integration_id: 'int-1', received_at: new Date().toISOString(), message_id: null, alert_count: alerts, alerts_json: JSON.stringify([{ dedupKey: id }]),
});

describe('the SQLite inbox file', () => {
  const open: { storage: Storage; inbox: AlertInbox }[] = [];
  const dirs: string[] = [];
  const start = async (dir = mkdtempSync(join(tmpdir(), 'hikeshi-inbox-'))) => {
    dirs.push(dir);
    const storage = await openStorage({ dataDir: dir });
    const inbox = await openInbox(storage);
    open.push({ storage, inbox });
    return { dir, storage, inbox };
  };
  const stop = async (s: { storage: Storage; inbox: AlertInbox }) => {
    open.splice(open.indexOf(s), 1);
    await s.inbox.close();
    await s.storage.close();
  };
  afterEach(async () => {
    for (const s of [...open]) await stop(s);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  /** Applies the first `n` waiting requests the way the grouper does. */
  const apply = async (s: { storage: Storage; inbox: AlertInbox }, n: number) => {
    const rows = await s.storage.db.transaction().execute(async (trx) => {
      const head = await s.inbox.head(trx, n, 10_000);
      await s.inbox.applied(trx, head);
      return head;
    });
    s.inbox.committed();
    return rows.map((r) => r.id);
  };

  it('fails only the bad append among those it gathered into one transaction', async () => {
    const s = await start();
    // Handed over in one turn: the writer commits them together, and the NOT NULL refuses one.
    const bad = { ...row('bad'), alerts_json: null as unknown as string };
    const results = await Promise.allSettled([s.inbox.append([row('one')]), s.inbox.append([bad]), s.inbox.append([row('two')])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(await apply(s, 10)).toEqual(['one', 'two']);
  });

  it('keeps what it confirmed across a restart, in order, and counts it', async () => {
    const first = await start();
    await first.inbox.append([row('a', 3), row('b')]);
    await first.inbox.append([row('c', 2)]);
    await stop(first);
    expect(existsSync(join(first.dir, 'hikeshi-inbox.sqlite'))).toBe(true);

    const again = await start(first.dir);
    expect(await again.inbox.count()).toMatchObject({ requests: 3, alerts: 6, setAside: 0 });
    const head = await again.storage.db.transaction().execute((trx) => again.inbox.head(trx, 10, 4));
    // At most 4 alerts: a (3) and b (1); c would make 6.
    expect(head.map((r) => r.id)).toEqual(['a', 'b']);
    expect(JSON.parse(head[0]!.alerts_json)).toEqual([{ dedupKey: 'a' }]);
    // Always at least one, however large.
    expect((await again.storage.db.transaction().execute((trx) => again.inbox.head(trx, 10, 1))).map((r) => r.id)).toEqual(['a']);
  });

  it('moves the cursor with the grouping transaction and deletes what is behind it', async () => {
    const s = await start();
    await s.inbox.append([row('a'), row('b'), row('c')]);
    expect(await apply(s, 2)).toEqual(['a', 'b']);
    expect(await s.inbox.count()).toMatchObject({ requests: 1, alerts: 1 });
    // A grouping transaction that rolls back moves nothing.
    await expect(s.storage.db.transaction().execute(async (trx) => {
      await s.inbox.applied(trx, await s.inbox.head(trx, 10, 10));
      throw new Error('grouping failed');
    })).rejects.toThrow('grouping failed');
    expect(await s.inbox.count()).toMatchObject({ requests: 1 });
    // The writer deletes the applied rows in its next transaction.
    await s.inbox.append([row('d')]);
    const file = new BetterSqlite3(join(s.dir, 'hikeshi-inbox.sqlite'), { readonly: true });
    try {
      expect((file.prepare('SELECT id FROM alert_inbox ORDER BY seq').all() as { id: string }[]).map((r) => r.id)).toEqual(['c', 'd']);
    } finally {
      file.close();
    }
  });

  it('deletes only what a committed grouping transaction passed', async () => {
    const s = await start();
    await s.inbox.append([row('a'), row('b'), row('c')]);
    // A transaction that took all three and rolled back (its commit failed, say)...
    await expect(s.storage.db.transaction().execute(async (trx) => {
      await s.inbox.applied(trx, await s.inbox.head(trx, 10, 10));
      throw new Error('commit failed');
    })).rejects.toThrow('commit failed');
    // ...then one that took only the first and committed: b and c still wait, in the file too.
    expect(await apply(s, 1)).toEqual(['a']);
    await s.inbox.append([row('d')]);
    expect(await apply(s, 10)).toEqual(['b', 'c', 'd']);
  });

  it('counts what waits exactly, without reading every row, through appends, grouping, set-aside and a new writer', async () => {
    const s = await start();
    const file = new BetterSqlite3(join(s.dir, 'hikeshi-inbox.sqlite'), { readonly: true });
    const cursor = async () => Number((await s.storage.db.selectFrom('alert_inbox_cursor').select('seq').executeTakeFirst())?.seq ?? 0);
    const scanned = async () => {
      const after = await cursor();
      const r = file.prepare('SELECT count(*) AS requests, coalesce(sum(alert_count), 0) AS alerts FROM alert_inbox WHERE seq > ?').get(after) as { requests: number; alerts: number };
      const next = file.prepare('SELECT received_at FROM alert_inbox WHERE seq > ? ORDER BY seq LIMIT 1').get(after) as { received_at: string } | undefined;
      return { requests: r.requests, alerts: r.alerts, oldest: next?.received_at ?? null };
    };
    const check = async (requests: number, alerts: number) => {
      const counted = await s.inbox.count();
      expect(counted).toMatchObject({ requests, alerts });
      expect({ requests: counted.requests, alerts: counted.alerts, oldest: counted.oldest }).toEqual(await scanned());
    };
    try {
      await check(0, 0);
      await Promise.all([s.inbox.append([row('a', 3), row('b', 2)]), s.inbox.append([row('c', 50)]), s.inbox.append([row('d')])]);
      await check(4, 56);
      await apply(s, 2);
      await check(2, 51);
      const [c] = await s.storage.db.transaction().execute((trx) => s.inbox.head(trx, 1, 100));
      await s.inbox.setAside(c!, 'cannot be grouped');
      await check(1, 1);
      // Thousands of requests, grouped in chunks as a storm is.
      for (let i = 0; i < 30; i++) await s.inbox.append(Array.from({ length: 100 }, (_, j) => row(`s${i}-${j}`, 1 + (j % 3))));
      // Each hundred holds 34 × 1 + 33 × 2 + 33 × 3 = 199 alerts.
      await check(3001, 1 + 30 * 199);
      for (let i = 0; i < 25; i++) await apply(s, 100);
      // d and 2,499 of them are grouped: the last of the 25th hundred (1 alert) and five hundreds wait.
      await check(501, 1 + 5 * 199);
      // A writer that dies may have stored what it never confirmed (here: a row put in behind its
      // back, as its last commit would be): the next one counts the file again.
      const behind = new BetterSqlite3(join(s.dir, 'hikeshi-inbox.sqlite'));
      behind.prepare('INSERT INTO alert_inbox (id, integration_id, received_at, message_id, alert_count, alerts_json) VALUES (?, ?, ?, ?, ?, ?)')
        .run('unconfirmed', 'int-1', new Date().toISOString(), null, 4, '[]');
      behind.close();
      await (s.inbox as unknown as { worker: Worker }).worker.terminate();
      await expect.poll(() => s.inbox.append([row('after', 7)]).then(() => true, () => false), { timeout: 10_000 }).toBe(true);
      await check(503, 996 + 4 + 7);
      await apply(s, 10_000);
      await check(0, 0);
    } finally {
      file.close();
    }
  });

  it('never reuses a number grouping has passed, even when the inbox file is lost', async () => {
    const first = await start();
    await first.inbox.append([row('a'), row('b')]);
    await apply(first, 2);
    await stop(first);
    for (const f of ['hikeshi-inbox.sqlite', 'hikeshi-inbox.sqlite-wal', 'hikeshi-inbox.sqlite-shm']) rmSync(join(first.dir, f), { force: true });

    const again = await start(first.dir);
    await again.inbox.append([row('c')]);
    expect(await again.inbox.count()).toMatchObject({ requests: 1, alerts: 1 });
    expect((await again.storage.db.transaction().execute((trx) => again.inbox.head(trx, 10, 10))).map((r) => r.id)).toEqual(['c']);
  });

  it('sets a request aside in the main database, past the cursor', async () => {
    const s = await start();
    await s.inbox.append([row('bad'), row('good')]);
    const [bad] = await s.storage.db.transaction().execute((trx) => s.inbox.head(trx, 1, 10));
    await s.inbox.setAside(bad!, 'cannot be grouped');
    expect(await s.inbox.count()).toMatchObject({ requests: 1, setAside: 1 });
    expect(await s.storage.db.selectFrom('alert_inbox').selectAll().execute()).toMatchObject([{ id: 'bad', error: 'cannot be grouped', alert_count: 1 }]);
    expect(await apply(s, 10)).toEqual(['good']);
  });

  it('fails only unconfirmed appends when its writer dies, and starts a new writer', async () => {
    const s = await start();
    await s.inbox.append([row('before')]);
    const writer = (s.inbox as unknown as { worker: Worker }).worker;
    const cut = s.inbox.append([row('cut-off')]);
    await writer.terminate();
    // Confirmed before the writer died, or the sender gets an error (and retries, as after a crash:
    // the request may or may not have been stored; a repeat is deduplicated by grouping).
    const outcome = await cut.then(() => 'stored', (err: Error) => err.message);
    // A new writer takes appends once it is ready; until then they fail at once (senders retry).
    await expect.poll(() => s.inbox.append([row('after')]).then(() => true, () => false), { timeout: 10_000 }).toBe(true);
    const ids = (await s.storage.db.transaction().execute((trx) => s.inbox.head(trx, 10, 10))).map((r) => r.id);
    expect(ids.filter((id) => id === 'after')).toHaveLength(1); // refused tries stored nothing
    if (outcome === 'stored') expect(ids).toEqual(['before', 'cut-off', 'after']);
    else {
      expect(outcome).toMatch(/inbox: the writer stopped/);
      expect([['before', 'after'], ['before', 'cut-off', 'after']]).toContainEqual(ids);
    }
  });

  it('closes promptly while a writer that died is being replaced', async () => {
    const s = await start();
    await (s.inbox as unknown as { worker: Worker }).worker.terminate();
    const t0 = Date.now();
    await stop(s);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('which failures are the database\'s', () => {
  it('never counts a full disk, a lost connection or a lock timeout against a request', () => {
    const e = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_BUSY', '08006', '53100', '57P01', '40001', '55P03', 'ECONNREFUSED']) {
      expect(isDatabaseTrouble(e(code)), code).toBe(true);
    }
    for (const code of ['SQLITE_CONSTRAINT_FOREIGNKEY', '23505', '22P02', 'ERR_X']) expect(isDatabaseTrouble(e(code)), code).toBe(false);
    expect(isDatabaseTrouble(new TypeError('x is undefined'))).toBe(false);
  });
});
