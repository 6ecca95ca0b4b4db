// kill -9 during an escalation: a server process pages someone whose webhook is failing (503 with
// Retry-After), and is killed (SIGKILL) while that notification is being retried and the level's
// timeout is still running. While it is down the receiver recovers and the level times out. After
// the restart on the same database the escalation carries on where it was: the failed
// notification arrives with the delivery id of its first try, the next level is notified, and no
// notification is lost or arrives under two ids.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Launch } from '../../bench/lib/compile-server.js';
import { ServerProcess } from '../../bench/lib/server-process.js';
import { nowIso } from '../../src/shared/ids.js';
import { openStorage } from '../../src/storage/db.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

/** The bench's server child through tsx (see ingest-crash.test.ts). */
const LAUNCH: Launch = {
  runtime: 'tsx',
  args: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, fileURLToPath(new URL('../../bench/server-child.ts', import.meta.url))],
};

interface Hit { delivery: string; status: number; body: any }

async function until<T>(what: () => Promise<T | undefined> | T | undefined, why: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out: ${why}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function call(url: string, token: string | null, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

describe.each(DATABASE_KINDS)('paging survives kill -9 mid-escalation (%s)', (kind) => {
  const servers: ServerProcess[] = [];
  let db: TestDatabase | undefined;
  let workDir: string | undefined;
  let receiver: Server | undefined;

  afterAll(async () => {
    for (const s of servers) s.kill();
    await db?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
  }, 60_000);

  it('carries on after the restart: the retried notification keeps its delivery id, the next level is paged, nothing is lost', async () => {
    db = await createTestDatabase(kind);
    workDir = mkdtempSync(join(tmpdir(), 'hikeshi-paging-crash-'));
    const settings = { dataDir: db.dataDir ?? workDir, databaseUrl: db.databaseUrl, config: { webhookAllowPrivate: true } };

    // The receiver: failing at first (503, try again in a second), healthy once `healthy` is set.
    const hits: Hit[] = [];
    let healthy = false;
    receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = healthy ? 200 : 503;
        hits.push({ delivery: String(req.headers['x-hikeshi-delivery']), status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(status, status === 503 ? { 'retry-after': '1' } : {}).end();
      });
    });
    await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    let server = await ServerProcess.start(LAUNCH, settings, workDir);
    servers.push(server);
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: new URL(server.setupUrl!).searchParams.get('token'), email: 'crash@example.com', name: 'Crash Admin', password: 'a long crash test password' }),
    });
    const setupBody = await setup.json() as { user: { id: string }; csrfToken: string };
    const cookie = setup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const token = ((await (await fetch(`${server.url}/api/v1/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': setupBody.csrfToken }, body: JSON.stringify({ name: 'crash' }),
    })).json()) as { token: string }).token;
    const me = setupBody.user.id;

    const hook = await call(server.url, token, 'POST', `/api/v1/users/${me}/contact-methods`, { kind: 'webhook', address: hookUrl });
    await call(server.url, token, 'PUT', `/api/v1/users/${me}/notification-rules`, { rules: [{ contactMethodId: hook.id, delayMinutes: 0 }] });
    const policy = await call(server.url, token, 'POST', '/api/v1/escalation-policies', {
      name: 'Crash policy', levels: [{ targets: [{ type: 'user', id: me }], timeoutMinutes: 30 }, { targets: [{ type: 'user', id: me }], timeoutMinutes: 30 }],
    });
    const page = await call(server.url, token, 'POST', '/api/v1/pages', { title: 'Crash page', target: { type: 'policy', id: policy.id } });

    // The first try failed; kill the server while the retry and the level's timeout are pending. (Killed
    // in the middle of a send, the job would stay leased to the dead process for the lease's 2 minutes.)
    const firstTry = await until(() => hits.find((h) => h.status === 503), 'the first delivery attempt');
    await until(async () => ((await call(server.url, token, 'GET', `/api/v1/pages/${page.id}`)).notifications[0]?.status === 'retrying' ? true : undefined), 'the retry to be scheduled');
    process.kill(server.pid, 'SIGKILL');
    await until(() => { try { server.assertAlive(); return undefined; } catch { return true; } }, 'the server to die');

    // While it is down the receiver recovers, and the level's 30 minutes pass.
    healthy = true;
    const storage = await openStorage({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir, migrate: false });
    try {
      const escalations = await storage.db.updateTable('jobs').set({ run_at: nowIso() }).where('kind', '=', 'page.escalate').where('status', '=', 'pending').executeTakeFirst();
      expect(Number(escalations.numUpdatedRows)).toBe(1);
    } finally {
      await storage.close();
    }

    server = await ServerProcess.start(LAUNCH, settings, workDir);
    servers.push(server);
    const delivered = await until(() => {
      const ok = new Set(hits.filter((h) => h.status === 200).map((h) => h.delivery));
      return ok.size >= 2 ? ok : undefined;
    }, 'both levels delivered after the restart');

    const after = await call(server.url, token, 'GET', `/api/v1/pages/${page.id}`);
    expect(after.level).toBe(1);
    expect(after.events.map((e: { kind: string }) => e.kind)).toEqual(['triggered', 'notified', 'escalated']);
    // Every notification arrived, under its own id; the one retried across the crash kept the id of its first try.
    expect(after.notifications.map((n: { level: number; status: string }) => [n.level, n.status])).toEqual([[0, 'sent'], [1, 'sent']]);
    const ids = after.notifications.map((n: { id: string }) => n.id);
    expect(firstTry.delivery).toBe(ids[0]);
    expect([...delivered].sort()).toEqual([...ids].sort());
    expect(hits.every((h) => ids.includes(h.delivery))).toBe(true);
    expect(hits.filter((h) => h.status === 200 && h.delivery === ids[0]).map((h) => h.body.page.level)).toEqual([0]);
  }, 120_000);
});
