// The two halves of ingest, apart: a 2xx means the request is stored in the inbox; grouping applies
// it afterwards, in order, exactly once; too much waiting turns senders away with 429; a request
// grouping keeps failing on is set aside without holding up the ones behind it. Real HTTP, on
// SQLite and PostgreSQL; ingest requests go through fetch, since the test client's call() waits
// for grouping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { AlertGrouper, stormNow } from './grouper.js';
import { SOURCES } from '../../plugins/registry.js';
import { parseRequest } from './parse.js';
import { SetAsideRequests } from './set-aside.js';

/** An Alertmanager webhook carrying one alert per name. */
function webhook(names: string[], status: 'firing' | 'resolved' = 'firing') {
  return {
    version: '4', groupKey: '{}:{}', truncatedAlerts: 0, status, receiver: 'hikeshi', groupLabels: {}, commonLabels: {}, commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: names.map((name) => ({
      status, labels: { alertname: name, severity: 'critical' }, annotations: { summary: `${name} is down` },
      startsAt: '2026-11-23T02:15:00Z', endsAt: status === 'resolved' ? '2026-11-23T02:30:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: '', fingerprint: `fp-${name}`,
    })),
  };
}

describe.each(DATABASE_KINDS)('alert inbox and grouping (%s)', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind, { ingestMaxWaitingAlerts: 6 });
  });
  afterAll(async () => ts?.close());

  const integration = async (name: string) => {
    const res = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'alertmanager', name, groupBy: ['alertname'] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; key: string };
  };
  const post = (key: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${ts.url}/ingest/alertmanager`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, body: JSON.stringify(body),
  });
  const groupsOf = async (id: string) => (await ts.call('GET', `/api/v1/alert-groups?status=all&integrationId=${id}`, { token: ts.admin.token })).body.groups as { title: string; status: string; alertCount: number; firingCount: number }[];
  const inbox = async () => (await ts.call('GET', '/api/v1/alert-groups/overview', { token: ts.admin.token })).body.inbox;
  const grouper = () => ts.server.ctx.ingestor.grouper;

  it('answers 2xx once a request is stored, then groups the requests in the order they came', async () => {
    const { id, key } = await integration('order');
    await grouper().stop();
    try {
      expect((await post(key, webhook(['DiskFull']))).status).toBe(202);
      expect((await post(key, webhook(['DiskFull'], 'resolved'))).status).toBe(202);
      // Stored, and not grouped yet.
      expect(await groupsOf(id)).toEqual([]);
      const waiting = await inbox();
      expect(waiting).toMatchObject({ waitingAlerts: 2, waitingRequests: 2, setAside: 0 });
      expect(Date.parse(waiting.oldestReceivedAt)).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await grouper().start();
    }
    await grouper().settled();
    // The resolve came second, so it is applied second: one alert, fired then resolved.
    expect(await groupsOf(id)).toMatchObject([{ title: 'DiskFull is down', status: 'resolved', alertCount: 1, firingCount: 0 }]);
    expect(await inbox()).toMatchObject({ waitingAlerts: 0, waitingRequests: 0, oldestReceivedAt: null });
  });

  it('keeps the times requests were accepted, however far behind grouping runs', async () => {
    const { id, key } = await integration('late');
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const accepted = async (body: unknown): Promise<[number, number]> => {
      const from = Date.now();
      expect((await post(key, body)).status).toBe(202);
      return [from, Date.now()];
    };
    await grouper().stop();
    let fired: [number, number];
    let resolved: [number, number];
    let groupedFrom: number;
    try {
      fired = await accepted(webhook(['Late']));
      await sleep(1100);
      resolved = await accepted(webhook(['Late'], 'resolved'));
      await sleep(1100);
    } finally {
      groupedFrom = Date.now();
      await grouper().start();
    }
    await grouper().settled();
    const [summary] = (await ts.call('GET', `/api/v1/alert-groups?status=all&integrationId=${id}`, { token: ts.admin.token })).body.groups as { id: string }[];
    const group = (await ts.call('GET', `/api/v1/alert-groups/${summary!.id}`, { token: ts.admin.token })).body as {
      status: string; createdAt: string; lastAlertAt: string; resolvedAt: string;
      alerts: { firstReceivedAt: string; resolvedAt: string }[]; events: { kind: string; at: string }[];
    };
    const within = (iso: string, [from, to]: [number, number]) => {
      expect(Date.parse(iso), iso).toBeGreaterThanOrEqual(from);
      expect(Date.parse(iso), iso).toBeLessThanOrEqual(to);
    };
    expect(group.status).toBe('resolved');
    within(group.createdAt, fired!);
    within(group.alerts[0]!.firstReceivedAt, fired!);
    within(group.resolvedAt, resolved!);
    within(group.lastAlertAt, resolved!);
    within(group.alerts[0]!.resolvedAt, resolved!);
    // The history too, in the order things happened, all before grouping caught up.
    expect(group.events.map((e) => e.kind)).toEqual(['created', 'alerts_fired', 'alerts_resolved', 'resolved']);
    for (const e of group.events.slice(0, 2)) within(e.at, fired!);
    for (const e of group.events.slice(2)) within(e.at, resolved!);
    expect(Date.parse(group.resolvedAt)).toBeLessThan(groupedFrom!);
  });

  it('never moves times backwards for a request applied late, and reopens only within the hour before it', async () => {
    const { id } = await integration('late-and-old');
    const requestOf = async (rowId: string, receivedAt: string, names: string[], status: 'firing' | 'resolved' = 'firing') => {
      const parsed = await parseRequest(SOURCES.alertmanager, { headers: {}, rawBody: JSON.stringify(webhook(names, status)), receivedAt: new Date(receivedAt) },
        { config: {}, integrationId: id, fetchText: () => Promise.reject(new Error('no fetching')) });
      if (parsed.kind !== 'alerts') throw new Error(parsed.kind);
      return { id: rowId, integration_id: id, received_at: receivedAt, message_id: null, alert_count: parsed.count, alerts_json: parsed.alertsJson };
    };
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await grouper().stop();
    try {
      // Applied in this order (a retried request, or another node's clock, can be older than the one before it).
      await grouper().inbox.append([
        await requestOf('r1', ago(1), ['Steady']),
        await requestOf('r2', ago(30), ['Steady']),
        await requestOf('r3', ago(180), ['Flappy']),
        await requestOf('r4', ago(179), ['Flappy'], 'resolved'),
        await requestOf('r5', ago(2), ['Flappy']),
      ]);
    } finally {
      await grouper().start();
    }
    await grouper().settled();
    const groups = (await ts.call('GET', `/api/v1/alert-groups?status=all&integrationId=${id}`, { token: ts.admin.token })).body.groups as
      { title: string; status: string; createdAt: string; lastAlertAt: string }[];
    const steady = groups.find((g) => g.title === 'Steady is down')!;
    // Created by the newer request; the older one applied after it does not take its last alert back.
    expect(steady.lastAlertAt).toBe(steady.createdAt);
    expect(Date.parse(steady.lastAlertAt)).toBeGreaterThan(Date.now() - 5 * 60_000);
    // Resolved almost three hours before the next firing: that starts a new group, it does not reopen the old one.
    const flappy = groups.filter((g) => g.title === 'Flappy is down').map((g) => g.status).sort();
    expect(flappy).toEqual(['resolved', 'triggered']);
    const integrationRow = (await ts.call('GET', `/api/v1/integrations/${id}`, { token: ts.admin.token })).body as { lastReceivedAt: string };
    expect(Date.parse(integrationRow.lastReceivedAt)).toBeGreaterThan(Date.now() - 5 * 60_000);
  });

  it('turns senders away with 429 and Retry-After while too many accepted alerts wait, storing nothing of theirs', async () => {
    const { id, key } = await integration('full');
    await grouper().stop();
    try {
      expect((await post(key, webhook(['A1', 'A2', 'A3', 'A4']))).status).toBe(202);
      expect((await post(key, webhook(['A5', 'A6']))).status).toBe(202); // 4 waiting: under the limit of 6
      const refused = await post(key, webhook(['A7']), { 'accept-language': 'ja' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(((await refused.json()) as { detail: string }).detail).toContain('6 件のアラートがグループ化待ちです');
      expect((await inbox()).waitingAlerts).toBe(6);
    } finally {
      await grouper().start();
    }
    await grouper().settled();
    expect((await groupsOf(id)).map((g) => g.title).sort()).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6'].map((n) => `${n} is down`));
    expect((await post(key, webhook(['A7']))).status).toBe(202);
  });

  it('sets aside a request grouping keeps failing on, and groups the ones behind it', async () => {
    const good = await integration('good');
    const bad = await integration('poisoned');
    const ctx = ts.server.ctx;
    await grouper().stop();
    /** A grouper that fails on the poisoned integration's requests, as on anything in one request's content. */
    const failingOnPoison = (tuning: { retryBaseMs: number; maxAttempts: number; setAsideAfterMs: number }) => new AlertGrouper({
      storage: ctx.storage, inbox: grouper().inbox, maxWaiting: 1000, bus: ctx.bus, log: ctx.log, env: () => ctx.alerts.pipelineEnv(), afterCommit: (o) => ctx.alerts.afterIngest(o),
      integrations: async (db, ids) => {
        if (ids.includes(bad.id)) throw new Error('cannot read this integration');
        return ctx.integrations.groupingById(db, ids);
      },
      tuning,
    });
    const picky = failingOnPoison({ retryBaseMs: 1, maxAttempts: 3, setAsideAfterMs: 0 });
    try {
      expect((await post(good.key, webhook(['Before']))).status).toBe(202);
      expect((await post(bad.key, webhook(['Poison']))).status).toBe(202);
      expect((await post(good.key, webhook(['After']))).status).toBe(202);
      await picky.start();
      await picky.settled(10_000);
    } finally {
      await picky.stop();
      await grouper().start();
    }
    expect((await groupsOf(good.id)).map((g) => g.title).sort()).toEqual(['After is down', 'Before is down']);
    expect(await groupsOf(bad.id)).toEqual([]);
    expect(await inbox()).toMatchObject({ waitingAlerts: 0, setAside: 1 });
    const kept = await ctx.storage.db.selectFrom('alert_inbox').selectAll().execute();
    expect(kept).toMatchObject([{ integration_id: bad.id, error: 'cannot read this integration' }]);
    expect(JSON.parse(kept[0]!.alerts_json)[0]).toMatchObject({ title: 'Poison is down', labels: { alertname: 'Poison' } });
    // The set-aside request no longer counts against the waiting limit, and the server goes on.
    expect((await post(good.key, webhook(['Later']))).status).toBe(202);
    await grouper().settled();
    expect(await groupsOf(good.id)).toHaveLength(3);

    // Retried while the cause is still there, it is set aside again at its first failure alone,
    // rather than holding up the queue for the minute a request gets otherwise.
    const patient = failingOnPoison({ retryBaseMs: 1, maxAttempts: 5, setAsideAfterMs: 60_000 });
    await grouper().stop();
    try {
      await patient.start();
      const admin = { type: 'user' as const, userId: ts.admin.id, name: 'Admin', role: 'admin' as const };
      await new SetAsideRequests(ctx.storage, patient).retry(admin, kept[0]!.id);
      expect((await post(good.key, webhook(['Behind']))).status).toBe(202);
      await patient.settled(5_000);
    } finally {
      await patient.stop();
      await grouper().start();
    }
    expect(await inbox()).toMatchObject({ waitingAlerts: 0, setAside: 1 });
    expect((await groupsOf(good.id)).map((g) => g.title)).toContain('Behind is down');

    // People see it with its error; once the cause is gone, an admin puts it back and it is grouped.
    const listed = await ts.call('GET', '/api/v1/alert-inbox/set-aside', { token: (await ts.user('viewer')).token });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ total: 1, requests: [{ id: kept[0]!.id, integrationId: bad.id, integrationName: 'poisoned', receivedAt: kept[0]!.received_at, alertCount: 1, error: 'cannot read this integration' }] });
    const responder = await ts.user('responder');
    expect((await ts.call('POST', `/api/v1/alert-inbox/set-aside/${kept[0]!.id}/retry`, { token: responder.token })).status).toBe(403);
    const unknown = await ts.call('POST', '/api/v1/alert-inbox/set-aside/no-such-request/retry', { token: ts.admin.token, headers: { 'accept-language': 'ja' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ detail: '保留中のリクエスト no-such-request は存在しません' });
    const retried = await ts.call('POST', `/api/v1/alert-inbox/set-aside/${kept[0]!.id}/retry`, { token: ts.admin.token });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ id: kept[0]!.id, alertCount: 1 });
    await grouper().settled();
    expect((await groupsOf(bad.id)).map((g) => g.title)).toEqual(['Poison is down']);
    expect(await inbox()).toMatchObject({ waitingAlerts: 0, setAside: 0 });
    expect((await ts.call('POST', `/api/v1/alert-inbox/set-aside/${kept[0]!.id}/retry`, { token: ts.admin.token })).status).toBe(404);

    // Or discards it for good. Either way the audit log says who, and what the request was.
    const { id: _id, seq: _seq, ...row } = kept[0]!;
    await ctx.storage.db.insertInto('alert_inbox').values({ ...row, id: 'hopeless', error: 'still broken' }).execute();
    expect((await ts.call('DELETE', '/api/v1/alert-inbox/set-aside/hopeless', { token: responder.token })).status).toBe(403);
    expect((await ts.call('DELETE', '/api/v1/alert-inbox/set-aside/hopeless', { token: ts.admin.token })).status).toBe(204);
    expect((await ts.call('DELETE', '/api/v1/alert-inbox/set-aside/hopeless', { token: ts.admin.token })).status).toBe(404);
    expect((await ts.call('GET', '/api/v1/alert-inbox/set-aside', { token: ts.admin.token })).body).toEqual({ total: 0, requests: [] });
    const audit = await ctx.storage.db.selectFrom('audit_events').select(['action', 'target_id', 'actor_id']).where('target_type', '=', 'alert_inbox').orderBy('at').execute();
    expect(audit).toEqual([
      { action: 'alert_inbox.retry', target_id: kept[0]!.id, actor_id: ts.admin.id },
      { action: 'alert_inbox.retry', target_id: kept[0]!.id, actor_id: ts.admin.id },
      { action: 'alert_inbox.discard', target_id: 'hopeless', actor_id: ts.admin.id },
    ]);
  });

  it('waits out a failure before it has taken anything, and sets nothing aside for it', async () => {
    const good = await integration('env-fails');
    const ctx = ts.server.ctx;
    await grouper().stop();
    let failures = 0;
    const flaky = new AlertGrouper({
      storage: ctx.storage, inbox: grouper().inbox, maxWaiting: 1000, bus: ctx.bus, log: ctx.log, afterCommit: (o) => ctx.alerts.afterIngest(o),
      env: () => (failures-- > 0 ? Promise.reject(new Error('routes could not be read')) : ctx.alerts.pipelineEnv()),
      integrations: (db, ids) => ctx.integrations.groupingById(db, ids),
      tuning: { retryBaseMs: 1, maxAttempts: 1, setAsideAfterMs: 0 },
    });
    try {
      // A request grouped; then reading the routes fails for the next: the one before is not blamed.
      await flaky.start();
      expect((await post(good.key, webhook(['One']))).status).toBe(202);
      await flaky.settled(10_000);
      failures = 3;
      expect((await post(good.key, webhook(['Two']))).status).toBe(202);
      await flaky.settled(10_000);
    } finally {
      await flaky.stop();
      await grouper().start();
    }
    expect(failures).toBeLessThan(0);
    expect((await groupsOf(good.id)).map((g) => g.title).sort()).toEqual(['One is down', 'Two is down']);
    expect((await inbox()).setAside).toBe(0); // the test before retried or discarded its own; nothing new
  });
});

describe.each(DATABASE_KINDS)('grouping after a storm (%s)', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind);
  });
  afterAll(async () => ts?.close());

  // SQLite's transactions block the event loop, so they stay at 200 alerts; PostgreSQL's take 1,000
  // once nothing arrives (a transaction costs its round trips whatever its size).
  it('catches up in larger transactions on PostgreSQL once alerts stop arriving', async () => {
    const res = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'alertmanager', name: 'catch-up', groupBy: ['alertname'] } });
    const { key } = res.body as { key: string };
    const grouper = ts.server.ctx.ingestor.grouper;
    await grouper.stop();
    const before = grouper.stats.chunks;
    try {
      for (let r = 0; r < 5; r++) {
        const names = Array.from({ length: 300 }, (_, i) => `CatchUp${r}-${i}`);
        const sent = await fetch(`${ts.url}/ingest/alertmanager`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(webhook(names)),
        });
        expect(sent.status).toBe(202);
      }
      await new Promise((r) => setTimeout(r, 100)); // nothing has arrived for a while
    } finally {
      await grouper.start();
    }
    await grouper.settled(30_000);
    // 5 requests of 300 alerts: 900 + 600 alerts on PostgreSQL, a request at a time on SQLite.
    expect(grouper.stats.chunks - before).toBe(kind === 'postgres' ? 2 : 5);
    expect(grouper.stats.alerts).toBeGreaterThanOrEqual(1500);
  });
});

describe('what counts as a storm', () => {
  // need: arrival rate × measured cost per alert; used: the share of the time grouping took.
  it('counts the time grouping took on SQLite only, where it is the event loop’s', () => {
    // A steady trickle in small transactions: on PostgreSQL they mostly wait for the database.
    expect(stormNow(false, 'sqlite', 0.01, 0.9)).toBe(true);
    expect(stormNow(false, 'postgres', 0.01, 0.9)).toBe(false);
    // What grouping everything would take counts on both.
    expect(stormNow(false, 'postgres', 0.9, 0)).toBe(true);
    expect(stormNow(false, 'sqlite', 0.9, 0)).toBe(true);
  });

  it('ends a storm only once the load is well under the line', () => {
    expect(stormNow(true, 'postgres', 0.4, 0)).toBe(true);
    expect(stormNow(true, 'postgres', 0.2, 0.9)).toBe(false);
    expect(stormNow(true, 'sqlite', 0.2, 0.4)).toBe(true);
    expect(stormNow(true, 'sqlite', 0.2, 0.2)).toBe(false);
    expect(stormNow(false, 'sqlite', 0.4, 0.4)).toBe(false);
  });
});
