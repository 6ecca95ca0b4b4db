// Two Hikeshi nodes on one PostgreSQL database: a live view on one sees changes made on the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PG } from '../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../test/support/server.js';
import { loadConfig } from '../config/config.js';
import { type RunningServer, startServer } from './serve.js';

describe.runIf(TEST_PG)('live events across nodes (postgres)', () => {
  let nodeA: TestServer;
  let nodeB: RunningServer;
  beforeAll(async () => {
    nodeA = await startTestServer('postgres');
    nodeB = await startServer(loadConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', databaseUrl: nodeA.db.databaseUrl, clockSweepSeconds: 3600 } }));
  });
  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
  });

  /**
   * Subscribes to a stream of node B, does `act` on node A, and returns the events B streamed until
   * `enough` shows in them (or 5 s), plus 200 ms for a duplicate to arrive, were there one.
   */
  async function streamedOnB(path: string, enough: string, act: () => Promise<void>): Promise<any[]> {
    const ctrl = new AbortController();
    const res = await fetch(`${nodeB.url}${path}`, { headers: { authorization: `Bearer ${nodeA.admin.token}` }, signal: ctrl.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const reading = (async () => {
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += dec.decode(value);
        if (text.includes(enough)) return;
      }
    })();
    await act();
    await Promise.race([reading, new Promise((r) => setTimeout(r, 5000))]);
    await new Promise((r) => setTimeout(r, 200));
    ctrl.abort();
    return text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
  }

  it('streams an incident declared on node A to a subscriber of node B, once', async () => {
    let id = '';
    const events = await streamedOnB('/api/v1/incidents/events', 'incident.declared', async () => {
      id = (await nodeA.call('POST', '/api/v1/incidents', { token: nodeA.admin.token, body: { title: 'Seen everywhere', severity: 'SEV3' } })).body.id;
    });
    expect(events.filter((e) => e.type === 'incident.declared' && e.incidentId === id)).toHaveLength(1);
  });

  it('streams a page acknowledged on node A to a live view on node B; a page started on A stays on A', async () => {
    let id = '';
    const events = await streamedOnB('/api/v1/pages/events', '"acknowledged"', async () => {
      const page = await nodeA.call('POST', '/api/v1/pages', { token: nodeA.admin.token, body: { title: 'Seen on B', target: { type: 'user', id: nodeA.admin.id } } });
      expect(page.status).toBe(201);
      id = page.body.id;
      await nodeA.call('POST', `/api/v1/pages/${id}/acknowledge`, { token: nodeA.admin.token });
    });
    const kinds = events.filter((e) => e.type === 'pages.changed' && e.data.pageId === id).map((e) => e.data.kind);
    expect(kinds).toContain('acknowledged');
    // Started on A: B's view hears of it by its poll. (B's worker may have sent the notification, and said so on B.)
    expect(kinds).not.toContain('triggered');
  });
});
