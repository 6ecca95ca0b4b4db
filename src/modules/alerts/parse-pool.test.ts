// The parse workers: what a worker makes of a request is exactly what the event loop makes of it,
// requests that need the server come back to it, and a worker that dies or is missing costs speed,
// never a request.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { SOURCES } from '../../plugins/registry.js';
import type { SourceContext } from '../../plugins/source.js';
import { parseRequest, type RawRequest } from './parse.js';
import { MIN_WORKER_BODY_BYTES, ParsePool, type ParsePoolOptions } from './parse-pool.js';

const log = pino({ level: process.env.DEBUG_POOL ? 'debug' : 'silent' });
const SNS_PATTERN = '^sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$';
const RECEIVED = new Date('2026-11-23T10:00:00Z');
const ctx = (config: unknown = {}, fetchText: SourceContext<unknown>['fetchText'] = () => Promise.reject(new Error('no fetching here'))): SourceContext<unknown> =>
  ({ config, integrationId: 'int-1', fetchText });

/** A Prometheus request of `n` alerts (well over MIN_WORKER_BODY_BYTES for n ≥ 10). */
function prometheus(n: number, extra: Record<string, unknown> = {}): RawRequest {
  const alerts = Array.from({ length: n }, (_, i) => ({
    labels: { alertname: 'DiskFull', instance: `db-${i}:9100`, severity: i % 2 ? 'critical' : 'warning' },
    annotations: { summary: `Disk ${i} is full`, description: 'x'.repeat(40) },
    startsAt: '2026-11-23T09:59:00Z', generatorURL: 'http://prometheus:9090/graph', ...extra,
  }));
  return { headers: { 'content-type': 'application/json' }, rawBody: JSON.stringify(alerts), receivedAt: RECEIVED };
}

let pool: ParsePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

/** A pool with its workers running (the first request starts them and is parsed on the event loop). */
async function readyPool(threads = 1, options: Partial<ParsePoolOptions> = {}): Promise<ParsePool> {
  const p = new ParsePool({ threads, snsCertHostPattern: SNS_PATTERN, log, ...options });
  await p.parse(SOURCES.prometheus, prometheus(20), ctx());
  const deadline = Date.now() + 20_000;
  while (p.ready < threads) {
    if (Date.now() > deadline) throw new Error('parse workers did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  return p;
}

describe('ParsePool', () => {
  it('a worker gives exactly what the event loop gives: alerts, the answer, and each kind of 400', async () => {
    pool = await readyPool();
    const cases: [string, RawRequest][] = [
      ['alerts', prometheus(30)],
      ['a bad label', prometheus(30, { labels: { 'bad-name': 'x' } })],
      ['not JSON', { ...prometheus(30), rawBody: prometheus(30).rawBody.slice(0, -5) }],
      ['NUL in a value', { ...prometheus(30), rawBody: prometheus(30).rawBody.replace('Disk 3 is full', 'Disk\\u00003') }],
      ['more than Prometheus sends', prometheus(1001)],
    ];
    for (const [name, req] of cases) {
      expect(req.rawBody.length, name).toBeGreaterThanOrEqual(MIN_WORKER_BODY_BYTES);
      const before = pool.stats.onWorkers;
      const viaWorker = await pool.parse(SOURCES.prometheus, req, ctx());
      expect(pool.stats.onWorkers, `${name} went to the worker`).toBe(before + 1);
      expect(viaWorker, name).toEqual(await parseRequest(SOURCES.prometheus, req, ctx()));
    }
    // Over the 5,000 alerts any request may carry (Alertmanager's webhook has no limit of its own).
    const many = { version: '4', status: 'firing', receiver: 'r', groupKey: '{}', alerts: Array.from({ length: 5001 }, (_, i) => ({ status: 'firing', labels: { alertname: `a${i}` } })) };
    const manyReq: RawRequest = { headers: {}, rawBody: JSON.stringify(many), receivedAt: RECEIVED };
    const viaWorker = await pool.parse(SOURCES.alertmanager, manyReq, ctx());
    expect(viaWorker).toMatchObject({ kind: 'invalid', field: 'body', problem: 'at most 5000 alerts per request' });
    expect(viaWorker).toEqual(await parseRequest(SOURCES.alertmanager, manyReq, ctx()));
    const ok = await pool.parse(SOURCES.prometheus, prometheus(30), ctx());
    expect(ok).toMatchObject({ kind: 'alerts', count: 30, answer: { status: 202, body: { status: 'success', accepted: 30 } } });
    expect(JSON.parse((ok as { alertsJson: string }).alertsJson)).toHaveLength(30);
  });

  it('keeps small bodies, bodies already parsed and requests that need the server on the event loop', async () => {
    pool = await readyPool();
    const before = { ...pool.stats };
    const small = prometheus(1);
    expect(small.rawBody.length).toBeLessThan(MIN_WORKER_BODY_BYTES);
    expect(await pool.parse(SOURCES.prometheus, small, ctx())).toMatchObject({ kind: 'alerts', count: 1 });
    const big = prometheus(30);
    expect(await pool.parse(SOURCES.prometheus, { ...big, body: JSON.parse(big.rawBody) }, ctx())).toMatchObject({ kind: 'alerts', count: 30 });
    expect(pool.stats).toEqual({ onWorkers: before.onWorkers, onEventLoop: before.onEventLoop + 2 });

    // SNS verifies its signature with a certificate only the server may fetch: the worker sends the
    // request back, and the event loop's fetchText is the one used.
    const fixture = JSON.parse(readFileSync(new URL('../../plugins/sources/cloudwatch-sns/fixtures/alarm-firing.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const padded = { ...fixture, Timestamp: RECEIVED.toISOString(), Message: `${String(fixture.Message)}${' '.repeat(MIN_WORKER_BODY_BYTES)}` };
    const fetched: string[] = [];
    const sns = await pool.parse(SOURCES['cloudwatch-sns'], { headers: { 'content-type': 'text/plain' }, rawBody: JSON.stringify(padded), receivedAt: RECEIVED },
      ctx({}, async (url) => {
        fetched.push(url);
        return 'not a certificate';
      }));
    expect(fetched).toHaveLength(1);
    expect(sns).toMatchObject({ kind: 'invalid' });
    expect(pool.stats.onWorkers).toBe(before.onWorkers);
    expect(pool.stats.onEventLoop).toBe(before.onEventLoop + 3);
    // A plugin that fetches without saying so (needsServer) is sent back by the worker, and the answer is the same.
    const unflagged = { ...SOURCES['cloudwatch-sns'], needsServer: false };
    const again = await pool.parse(unflagged, { headers: { 'content-type': 'text/plain' }, rawBody: JSON.stringify(padded), receivedAt: RECEIVED },
      ctx({}, async (url) => {
        fetched.push(url);
        return 'not a certificate';
      }));
    expect(again).toEqual(sns);
    expect(fetched).toHaveLength(2);
    expect(pool.stats).toEqual({ onWorkers: before.onWorkers, onEventLoop: before.onEventLoop + 4 });
  });

  it('parses the next request of a busy worker on the event loop when the loop has time, else queues it', async () => {
    const burst = async (p: ParsePool) => {
      const before = { ...p.stats };
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => p.parse(SOURCES.prometheus, prometheus(100 + i), ctx())));
      expect(results.map((r) => r.kind === 'alerts' && r.count)).toEqual([100, 101, 102, 103, 104, 105]);
      return { onWorkers: p.stats.onWorkers - before.onWorkers, onEventLoop: p.stats.onEventLoop - before.onEventLoop };
    };
    // Two waiting make a worker busy: the other four are parsed here, at once.
    pool = await readyPool(1, { loopSpare: 2 });
    expect(await burst(pool)).toEqual({ onWorkers: 2, onEventLoop: 4 });
    await pool.close();
    // A loop without time to spare leaves them all to the worker.
    pool = await readyPool(1, { loopSpare: 0 });
    expect(await burst(pool)).toEqual({ onWorkers: 6, onEventLoop: 0 });
  });

  it('parses on the event loop when a worker dies mid-request, and starts another', async () => {
    // The loop never has time for them: the worker holds all 20 when it dies.
    pool = await readyPool(1, { loopSpare: 0 });
    const [worker] = (pool as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers;
    const onEventLoop = pool.stats.onEventLoop;
    const inFlight = Array.from({ length: 20 }, () => pool!.parse(SOURCES.prometheus, prometheus(200), ctx()));
    await worker!.worker.terminate();
    const results = await Promise.all(inFlight);
    expect(results.every((r) => r.kind === 'alerts' && r.count === 200)).toBe(true);
    // Those the worker had not answered were parsed here: all 20 answered, some of them here.
    expect(pool.stats.onEventLoop - onEventLoop).toBeGreaterThan(0);
    expect(pool.stats.onEventLoop - onEventLoop + pool.stats.onWorkers).toBeGreaterThanOrEqual(20);
    expect(pool.ready).toBe(0);
    // The next large request starts a new worker; later ones use it.
    await pool.parse(SOURCES.prometheus, prometheus(20), ctx());
    const deadline = Date.now() + 20_000;
    while (pool.ready < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const before = pool.stats.onWorkers;
    expect(await pool.parse(SOURCES.prometheus, prometheus(20), ctx())).toMatchObject({ kind: 'alerts', count: 20 });
    expect(pool.stats.onWorkers).toBe(before + 1);
  });

  it('replaces a worker that holds a request too long, and fails only that request', async () => {
    pool = new ParsePool({ threads: 1, snsCertHostPattern: SNS_PATTERN, log, jobTimeoutMs: 1 });
    await pool.parse(SOURCES.prometheus, prometheus(20), ctx());
    const deadline = Date.now() + 20_000;
    while (pool.ready < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // 1,000 alerts take a worker far longer than 1 ms.
    await expect(pool.parse(SOURCES.prometheus, prometheus(1000), ctx())).rejects.toThrow(/took longer than 1 ms/);
    while (pool.ready > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(pool.ready).toBe(0);
    expect(await pool.parse(SOURCES.prometheus, prometheus(30), ctx())).toMatchObject({ kind: 'alerts', count: 30 });
  });

  it('with no threads, and once closed, everything is parsed on the event loop', async () => {
    pool = new ParsePool({ threads: 0, snsCertHostPattern: SNS_PATTERN, log });
    for (let i = 0; i < 3; i++) expect(await pool.parse(SOURCES.prometheus, prometheus(30), ctx())).toMatchObject({ kind: 'alerts', count: 30 });
    expect(pool.stats).toEqual({ onWorkers: 0, onEventLoop: 3 });
    await pool.close();
    pool = await readyPool();
    await pool.close();
    expect(await pool.parse(SOURCES.prometheus, prometheus(30), ctx())).toMatchObject({ kind: 'alerts', count: 30 });
  });
});

describe.each(DATABASE_KINDS)('ingest with parse workers, over HTTP (%s)', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind, { ingestParseThreads: 1 });
  });
  afterAll(async () => ts?.close());

  /** An Alertmanager webhook of `n` alerts named `${name}-i`, padded past MIN_WORKER_BODY_BYTES. */
  const webhook = (name: string, n: number, status: 'firing' | 'resolved' = 'firing') => ({
    version: '4', groupKey: '{}:{}', truncatedAlerts: 0, status, receiver: 'hikeshi', groupLabels: {}, commonLabels: {}, commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: Array.from({ length: n }, (_, i) => ({
      status, labels: { alertname: `${name}-${i}`, severity: 'critical' }, annotations: { summary: `${name} ${i} is down`, description: 'd'.repeat(300) },
      startsAt: '2026-11-23T02:15:00Z', endsAt: status === 'resolved' ? '2026-11-23T02:30:00Z' : '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `fp-${name}-${i}`,
    })),
  });
  const post = (key: string, body: unknown) => fetch(`${ts.url}/ingest/alertmanager`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('stores and groups large requests parsed on a worker, in order, and answers their mistakes as the event loop does', async () => {
    const created = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'alertmanager', name: 'workers', groupBy: ['alertname'] } });
    const { id, key } = created.body as { id: string; key: string };
    const parsers = ts.server.ctx.ingestParsers;
    // The first large request starts the worker (and is parsed on the event loop meanwhile).
    expect((await post(key, webhook('warm', 5))).status).toBe(202);
    const deadline = Date.now() + 20_000;
    while (parsers.ready < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(parsers.ready).toBe(1);

    const before = { ...parsers.stats };
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(key, webhook(`batch${i}`, 5))));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(await answers[0]!.json()).toEqual({ status: 'success', accepted: 5, truncatedAlerts: 0 });
    // One sender, one after the other: firing then resolved, applied in that order.
    expect((await post(key, webhook('flip', 5))).status).toBe(202);
    expect((await post(key, webhook('flip', 5, 'resolved'))).status).toBe(202);
    // Each parsed once: on the worker, or here while two already waited for it (the loop has time).
    const onWorkers = parsers.stats.onWorkers - before.onWorkers;
    expect(onWorkers + parsers.stats.onEventLoop - before.onEventLoop).toBe(22);
    expect(onWorkers).toBeGreaterThanOrEqual(4);
    await ts.server.ctx.ingestor.grouper.settled();
    const groups = (await ts.call('GET', `/api/v1/alert-groups?status=all&integrationId=${id}&limit=200`, { token: ts.admin.token })).body.groups as { title: string; status: string }[];
    expect(groups).toHaveLength(5 + 100 + 5);
    expect(groups.filter((g) => g.title.startsWith('flip')).map((g) => g.status)).toEqual(Array(5).fill('resolved'));

    // Mistakes: the problem document names the field, and nothing is stored.
    const bad = webhook('bad', 5);
    (bad.alerts[3]!.labels as Record<string, unknown>).severity = 7;
    const refused = await post(key, bad);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('alerts[3].labels.severity');
    const notJson = await post(key, JSON.stringify(webhook('cut', 5)).slice(0, -3));
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ title: 'Malformed JSON', errors: [{ field: 'body', message: 'not valid JSON' }] });
    expect(parsers.stats.onWorkers - before.onWorkers).toBe(onWorkers + 2);
    expect((await ts.call('GET', '/api/v1/alert-groups/overview', { token: ts.admin.token })).body.inbox).toMatchObject({ waitingAlerts: 0, setAside: 0 });
    const metrics = (await ts.call('GET', '/metrics')).body as string;
    expect(Number(/^hikeshi_ingest_parsed_total\{on="worker"\} (\d+)$/m.exec(metrics)?.[1])).toBe(parsers.stats.onWorkers);
  });
});
