// The status page is up when everything else is down: the server reaches PostgreSQL through a TCP
// proxy that the test cuts; the public page and its JSON keep answering with the last snapshot,
// say since when they could not be refreshed, and recover when the database is back.
import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PG } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** A TCP proxy to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
class CuttableProxy {
  private server: Server | null = null;
  private listening = false;
  private sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(port = 0): Promise<void> {
    if (this.listening) return;
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.listening = true;
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    this.listening = false;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe.runIf(TEST_PG)('status page with the database down (PostgreSQL)', () => {
  let t: TestServer;
  let proxy: CuttableProxy;

  beforeAll(async () => {
    const pgUrl = new URL(TEST_PG!);
    proxy = new CuttableProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    await proxy.open();
    // Point the server at the proxy: same database, one hop in between.
    const { createTestDatabase } = await import('../support/databases.js');
    const db = await createTestDatabase('postgres');
    const url = new URL(db.databaseUrl!);
    url.port = String(proxy.port);
    url.hostname = '127.0.0.1';
    t = await startTestServer('postgres', { databaseUrl: url.toString() });
    const own = t.db.drop.bind(t.db);
    t.db.drop = async () => {
      await own();
      await db.drop();
    };
  }, 60_000);

  afterAll(async () => {
    await proxy.open(proxy.port).catch(() => {});
    await t?.close();
  }, 60_000);

  it('keeps serving the last snapshot, says how old it is, and recovers', async () => {
    const token = t.admin.token;
    const page = await t.call('POST', '/api/v1/status-pages', { token, body: { slug: 'acme', name: 'Acme Cloud', locale: 'en' } });
    expect(page.status).toBe(201);
    const comp = await t.call('POST', '/api/v1/status-pages/acme/components', { token, body: { name: 'Checkout' } });
    expect(comp.status).toBe(201);
    const inc = await t.call('POST', '/api/v1/incidents', { token, body: { title: 'db primary failover', severity: 'SEV1' } });
    expect((await t.call('PUT', `/api/v1/incidents/${inc.body.id}/status-page`, { token, body: { publicTitle: 'Checkout is failing', components: [{ componentId: comp.body.id, status: 'major_outage' }] } })).status).toBe(200);
    expect((await t.call('POST', `/api/v1/incidents/${inc.body.id}/updates`, { token, body: { audience: 'public', phase: 'investigating', body: 'We are looking into failed payments.' } })).status).toBe(201);
    await t.server.ctx.statusSnapshots.refresh(true);

    const before = await fetch(`${t.url}/status/acme/`);
    expect(before.status).toBe(200);
    expect(await before.text()).toContain('Checkout is failing');

    await proxy.cut();
    await t.server.ctx.statusSnapshots.refresh(true); // a refresh now fails: the database is gone

    const html = await fetch(`${t.url}/status/acme/`);
    expect(html.status).toBe(200);
    const body = await html.text();
    expect(body).toContain('Checkout is failing');
    expect(t.server.ctx.statusSnapshots.page('acme')!.staleSince).not.toBeNull();
    expect(html.headers.get('warning')).toContain('Stale');
    const summary = await fetch(`${t.url}/status/acme/api/v2/summary.json`);
    expect(summary.status).toBe(200);
    const json = (await summary.json()) as { incidents: { name: string }[]; status: { indicator: string } };
    expect(json.incidents[0]!.name).toBe('Checkout is failing');
    expect(json.status.indicator).toBe('critical');
    // The API, which needs the database, fails meanwhile; the page does not.
    expect((await t.call('GET', '/api/v1/status-pages', { token })).status).toBeGreaterThanOrEqual(500);

    await proxy.open(proxy.port);
    for (let i = 0; i < 50 && t.server.ctx.statusSnapshots.page('acme')!.staleSince; i++) {
      await t.server.ctx.statusSnapshots.refresh(true).catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(t.server.ctx.statusSnapshots.page('acme')!.staleSince).toBeNull();
    expect((await fetch(`${t.url}/status/acme/`)).headers.get('warning')).toBeNull();
  }, 60_000);
});
