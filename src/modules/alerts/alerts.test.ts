// Alert ingestion over real HTTP, against SQLite and PostgreSQL: integrations, the ingest limits,
// deduplication into groups, auto-resolve, flapping, silences, maintenance, routing and incidents.
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainJobs } from '../../jobs/background.js';
import { JobQueue } from '../../jobs/queue.js';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

/** An Alertmanager webhook (version 4) carrying `alerts`. */
function amPayload(alerts: { name: string; instance?: string; status?: 'firing' | 'resolved'; extra?: Record<string, string>; fp?: string }[], groupLabels: Record<string, string> = {}) {
  return {
    version: '4', groupKey: '{}:{alertname="x"}', truncatedAlerts: 0, status: alerts.some((a) => a.status !== 'resolved') ? 'firing' : 'resolved',
    receiver: 'hikeshi', groupLabels, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? 'firing',
      labels: { alertname: a.name, instance: a.instance ?? 'db-1:9100', severity: 'critical', ...a.extra },
      annotations: { summary: `${a.name} on ${a.instance ?? 'db-1:9100'}`, description: 'Something is wrong' },
      startsAt: '2026-11-23T01:58:00Z', endsAt: a.status === 'resolved' ? '2026-11-23T02:10:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
      fingerprint: a.fp ?? createHash('sha256').update(`${a.name}/${a.instance ?? 'db-1'}/${JSON.stringify(a.extra ?? {})}`).digest('hex').slice(0, 16),
    })),
  };
}

describe.each(DATABASE_KINDS)('alerts (%s)', (kind) => {
  let ts: TestServer;
  let responder: { id: string; token: string };
  let viewer: { id: string; token: string };

  beforeAll(async () => {
    ts = await startTestServer(kind);
    responder = await ts.user('responder', 'Rin Responder');
    viewer = await ts.user('viewer', 'Vic Viewer');
  });
  afterAll(async () => ts?.close());

  const integration = async (body: Record<string, unknown> = {}) => {
    const res = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'alertmanager', name: 'Prod Alertmanager', groupBy: ['alertname'], ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; key: string; snippets: { code: string }[]; urls: string[] };
  };
  const send = (key: string, payload: unknown, path = '/ingest/alertmanager', headers: Record<string, string> = {}) =>
    ts.call('POST', path, { body: payload, headers: { authorization: `Bearer ${key}`, ...headers } });
  const groups = async (query = 'status=all') => (await ts.call('GET', `/api/v1/alert-groups?${query}`, { token: viewer.token })).body;
  const group = async (id: string) => (await ts.call('GET', `/api/v1/alert-groups/${id}`, { token: viewer.token })).body;
  const countRows = async () => {
    const db = ts.server.ctx.storage.db;
    const a = await db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const g = await db.selectFrom('alert_groups').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return { alerts: Number(a?.n), groups: Number(g?.n) };
  };

  it('creates an integration: the key is shown once, stored hashed, and the snippets carry it', async () => {
    const created = await integration();
    expect(created.key).toMatch(/^[0-9a-f]{32}$/);
    expect(created.urls[0]).toBe(`${ts.url}/ingest/alertmanager`);
    expect(created.snippets.some((s) => s.code.includes(created.key))).toBe(true);
    const again = await ts.call('GET', `/api/v1/integrations/${created.id}`, { token: ts.admin.token });
    expect(JSON.stringify(again.body)).not.toContain(created.key);
    expect(again.body.snippets.some((s: { code: string }) => s.code.includes('<INTEGRATION_KEY>'))).toBe(true);
    const row = await ts.server.ctx.storage.db.selectFrom('integrations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.key);
    const audit = await ts.call('GET', '/api/v1/audit?limit=5', { token: ts.admin.token });
    expect(JSON.stringify(audit.body)).toContain('integration.create');
    expect(JSON.stringify(audit.body)).not.toContain(created.key);
  });

  it('lets only admins manage integrations, and names bad fields', async () => {
    expect((await ts.call('POST', '/api/v1/integrations', { token: responder.token, body: { source: 'grafana', name: 'x' } })).status).toBe(403);
    expect((await ts.call('GET', '/api/v1/integrations', { token: viewer.token })).status).toBe(403);
    const bad = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'nagios', name: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body.source');
    const badLabel = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'grafana', name: 'x', groupBy: ['9lives'] } });
    expect(badLabel.status).toBe(400);
    expect(badLabel.body.errors[0].field).toBe('body.groupBy.0');
  });

  it('deduplicates alerts into groups, counts repeats, and resolves the group when every alert has', async () => {
    const { key, id } = await integration({ name: 'dedup' });
    const two = amPayload([{ name: 'DiskFull', instance: 'db-1' }, { name: 'DiskFull', instance: 'db-2' }]);
    const first = await send(key, two);
    expect(first.status).toBe(202);
    await send(key, two); // Alertmanager repeats itself every repeat_interval
    const list = await groups(`status=open&integrationId=${id}`);
    expect(list.total).toBe(1);
    const g = list.groups[0];
    expect(g).toMatchObject({ title: 'DiskFull on db-1', status: 'triggered', severity: 'critical', alertCount: 2, firingCount: 2, groupLabels: { alertname: 'DiskFull' } });
    const detail = await group(g.id);
    expect(detail.alerts.map((a: { receiveCount: number }) => a.receiveCount)).toEqual([2, 2]);
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'alerts_fired']);

    await send(key, amPayload([{ name: 'DiskFull', instance: 'db-1', status: 'resolved' }]));
    expect(await group(g.id)).toMatchObject({ status: 'triggered', firingCount: 1 });
    await send(key, amPayload([{ name: 'DiskFull', instance: 'db-2', status: 'resolved' }]));
    const resolved = await group(g.id);
    expect(resolved.status).toBe('resolved');
    expect(resolved.events.at(-1).kind).toBe('resolved');
    const raw = await ts.call('GET', `/api/v1/alerts/${resolved.alerts[0].id}`, { token: viewer.token });
    expect(raw.body.raw.labels.alertname).toBe('DiskFull');

    // Firing again within the hour reopens the same group instead of starting a new one.
    await send(key, two);
    const reopened = await group(g.id);
    expect(reopened).toMatchObject({ status: 'triggered', firingCount: 2, alertCount: 4, flapping: false });
    expect((await groups(`integrationId=${id}`)).total).toBe(1);
  });

  it('marks a group that keeps firing and resolving as flapping', async () => {
    const { key, id } = await integration({ name: 'flappy' });
    for (let i = 0; i < 3; i++) {
      await send(key, amPayload([{ name: 'Flappy' }]));
      await send(key, amPayload([{ name: 'Flappy', status: 'resolved' }]));
    }
    await send(key, amPayload([{ name: 'Flappy' }]));
    const list = await groups(`integrationId=${id}`);
    expect(list.total).toBe(1);
    const g = await group(list.groups[0].id);
    expect(g.flapping).toBe(true);
    expect(g.events.some((e: { kind: string }) => e.kind === 'flapping')).toBe(true);
  });

  it('groups by the integration’s labels', async () => {
    const { key, id } = await integration({ name: 'by-region', groupBy: ['region'] });
    await send(key, amPayload([
      { name: 'A', extra: { region: 'tokyo' } }, { name: 'B', extra: { region: 'tokyo' } }, { name: 'C', extra: { region: 'osaka' } },
    ]));
    const list = await groups(`integrationId=${id}`);
    expect(list.groups.map((g: { groupLabels: { region: string }; alertCount: number }) => [g.groupLabels.region, g.alertCount]).sort()).toEqual([['osaka', 1], ['tokyo', 2]]);
    const filtered = await groups(`integrationId=${id}&label=region=osaka`);
    expect(filtered.total).toBe(1);
  });

  it('refuses what it must, and a refused request stores nothing', async () => {
    const { key, id } = await integration({ name: 'limits' });
    const before = await countRows();
    // no key, unknown key: 401 without saying which keys exist
    expect((await ts.call('POST', '/ingest/alertmanager', { body: amPayload([{ name: 'X' }]) })).status).toBe(401);
    const unknown = await send('0123456789abcdef0123456789abcdef', amPayload([{ name: 'X' }]));
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    // the key of another source's path
    expect((await send(key, [{ labels: { alertname: 'X' } }], '/ingest/prometheus/api/v2/alerts')).status).toBe(401);
    // 415 on the wrong content type
    const wrongType = await ts.call('POST', '/ingest/alertmanager', { raw: JSON.stringify(amPayload([{ name: 'X' }])), headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    const form = await ts.call('POST', '/ingest/alertmanager', { raw: 'a=b', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    // 413 above 512 KB
    const huge = amPayload([{ name: 'X', extra: { blob: 'x'.repeat(600 * 1024) } }]);
    expect((await send(key, huge)).status).toBe(413);
    // 400 naming the field
    const malformed = await send(key, { ...amPayload([{ name: 'X' }]), alerts: 'nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toMatch(/alerts/);
    const notJson = await ts.call('POST', '/ingest/alertmanager', { raw: '{"version":', headers: { authorization: `Bearer ${key}` } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors[0].field).toBe('body');
    // U+0000 (PostgreSQL cannot store it), as JSON carries it: the \u0000 escape; and a label
    // value that merely mentions the escape (an escaped backslash) is fine.
    const nul = await send(key, amPayload([{ name: 'X', extra: { note: 'half\u0000way' } }]));
    expect(nul.status).toBe(400);
    expect(nul.body.errors[0].field).toBe('alerts[0].labels.note'); // the source's own paths, like its other 400s
    expect(await countRows()).toEqual(before);
    expect((await send(key, amPayload([{ name: 'Escaped', extra: { note: 'C:\\u0000' } }]))).status).toBe(202);

    // rotated and disabled keys stop working at once
    const rotated = await ts.call('POST', `/api/v1/integrations/${id}/rotate-key`, { token: ts.admin.token });
    expect(rotated.status).toBe(200);
    expect((await send(key, amPayload([{ name: 'X' }]))).status).toBe(401);
    expect((await send(rotated.body.key, amPayload([{ name: 'X' }]))).status).toBe(202);
    expect((await ts.call('DELETE', `/api/v1/integrations/${id}`, { token: ts.admin.token })).status).toBe(204);
    expect((await send(rotated.body.key, amPayload([{ name: 'Y' }]))).status).toBe(401);
  });

  it('answers 429 with Retry-After over the integration’s rate limit', async () => {
    const { key } = await integration({ name: 'slow', rateLimitPerMinute: 2 });
    expect((await send(key, amPayload([{ name: 'R1' }]))).status).toBe(202);
    expect((await send(key, amPayload([{ name: 'R2' }]))).status).toBe(202);
    const over = await send(key, amPayload([{ name: 'R3' }]));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await groups('q=R3')).total).toBe(0);
  });

  it('accepts concurrent senders in shared commits, each alert once', async () => {
    const { key, id } = await integration({ name: 'burst', groupBy: ['instance'] });
    const batchesBefore = ts.server.ctx.ingestor.stats.batches;
    const sends = Array.from({ length: 60 }, (_, i) => send(key, amPayload([{ name: 'Burst', instance: `host-${i % 30}` }])));
    const answers = await Promise.all(sends);
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const list = await groups(`integrationId=${id}&limit=100`);
    expect(list.total).toBe(30);
    expect(list.groups.every((g: { alertCount: number }) => g.alertCount === 1)).toBe(true);
    expect(ts.server.ctx.ingestor.stats.batches - batchesBefore).toBeLessThanOrEqual(60);

    // Requests that arrive while a commit is under way share the next one.
    const ingestor = ts.server.ctx.ingestor;
    const runtime = (await ts.server.ctx.integrations.authenticate(key))!;
    const before = ingestor.stats.batches;
    const alert = (i: number) => ({ dedupKey: `direct-${i}`, status: 'firing' as const, severity: 'warning' as const, title: `Direct ${i}`, description: '', labels: { instance: `direct-${i}` }, annotations: {}, links: [], startsAt: null, endsAt: null, raw: {} });
    await Promise.all(Array.from({ length: 50 }, (_, i) => ingestor.submit({ integration: runtime, alertsJson: JSON.stringify([alert(i)]), alertCount: 1, receivedAt: new Date().toISOString() })));
    expect(ingestor.stats.batches - before).toBeLessThanOrEqual(2);
    await ingestor.grouper.settled();
    expect((await groups(`integrationId=${id}&limit=200`)).total).toBe(80);
  });

  it('acknowledges and resolves by hand; a resolved group that fires again reopens', async () => {
    const { key, id } = await integration({ name: 'hands' });
    await send(key, amPayload([{ name: 'Manual' }]));
    const g = (await groups(`integrationId=${id}`)).groups[0];
    expect((await ts.call('POST', `/api/v1/alert-groups/${g.id}/acknowledge`, { token: viewer.token })).status).toBe(403);
    const acked = await ts.call('POST', `/api/v1/alert-groups/${g.id}/acknowledge`, { token: responder.token });
    expect(acked.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: responder.id, name: 'Rin Responder' } });
    const resolved = await ts.call('POST', `/api/v1/alert-groups/${g.id}/resolve`, { token: responder.token });
    expect(resolved.body).toMatchObject({ status: 'resolved', firingCount: 0 });
    expect((await ts.call('POST', `/api/v1/alert-groups/${g.id}/acknowledge`, { token: responder.token })).status).toBe(409);
    await send(key, amPayload([{ name: 'Manual' }]));
    expect(await group(g.id)).toMatchObject({ status: 'triggered', acknowledgedAt: null });
    expect((await ts.call('GET', '/api/v1/alert-groups/nope', { token: viewer.token })).status).toBe(404);
  });

  it('silences and maintenance windows keep groups from paging but still record the alerts', async () => {
    const { key, id } = await integration({ name: 'quiet' });
    const badRegex = await ts.call('POST', '/api/v1/silences', { token: responder.token, body: { matchers: [{ name: 'alertname', value: '(', isRegex: true }], endsAt: new Date(Date.now() + 3600_000).toISOString(), comment: 'x' } });
    expect(badRegex.status).toBe(400);
    expect(badRegex.body.errors[0].field).toBe('body.matchers.0.value');
    const everything = await ts.call('POST', '/api/v1/silences', { token: responder.token, body: { matchers: [{ name: 'team', value: '' }], endsAt: new Date(Date.now() + 3600_000).toISOString(), comment: 'x' } });
    expect(everything.status).toBe(422);
    const noComment = await ts.call('POST', '/api/v1/silences', { token: responder.token, body: { matchers: [{ name: 'alertname', value: 'Noisy' }], endsAt: new Date(Date.now() + 3600_000).toISOString() } });
    expect(noComment.status).toBe(400);
    expect(noComment.body.errors[0].field).toBe('body.comment');

    await send(key, amPayload([{ name: 'Noisy' }]));
    const preview = await ts.call('POST', '/api/v1/silences/preview', { token: viewer.token, body: { matchers: [{ name: 'alertname', value: 'Nois.*', isRegex: true }] } });
    expect(preview.body.matchingGroups).toBeGreaterThanOrEqual(1);
    const silence = await ts.call('POST', '/api/v1/silences', { token: responder.token, body: { matchers: [{ name: 'alertname', value: 'Nois.*', isRegex: true }], endsAt: new Date(Date.now() + 3600_000).toISOString(), comment: 'known, fixing tomorrow' } });
    expect(silence.status).toBe(201);
    expect(silence.body).toMatchObject({ state: 'active', matchingGroups: 1 });
    const g = (await groups(`integrationId=${id}`)).groups[0];
    expect(g.suppressedBy).toEqual({ kind: 'silence', id: silence.body.id });
    await send(key, amPayload([{ name: 'Noisy', instance: 'db-9' }]));
    expect((await group(g.id)).alertCount).toBe(2); // still recorded
    const expired = await ts.call('DELETE', `/api/v1/silences/${silence.body.id}`, { token: responder.token });
    expect(expired.body.state).toBe('expired');
    expect((await group(g.id)).suppressedBy).toBeNull();

    const window = await ts.call('POST', '/api/v1/maintenance-windows', { token: responder.token, body: { title: 'DB upgrade', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), integrationIds: [id] } });
    expect(window.status).toBe(201);
    expect(window.body.state).toBe('in_progress');
    await send(key, amPayload([{ name: 'DuringMaintenance' }]));
    const during = (await groups(`integrationId=${id}&q=DuringMaintenance`)).groups[0];
    expect(during.suppressedBy).toEqual({ kind: 'maintenance', id: window.body.id });
    const unknown = await ts.call('POST', '/api/v1/maintenance-windows', { token: responder.token, body: { title: 'x', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString(), integrationIds: ['nope'] } });
    expect(unknown.status).toBe(422);
    await ts.call('DELETE', `/api/v1/maintenance-windows/${window.body.id}`, { token: responder.token });
  });

  it('routes by labels, and a route can declare the incident itself', async () => {
    const { key, id } = await integration({ name: 'routed' });
    const policy = await ts.call('POST', '/api/v1/escalation-policies', { token: ts.admin.token, body: { name: 'DB on-call', levels: [{ targets: [{ type: 'user', id: responder.id }], timeoutMinutes: 5 }] } });
    const put = await ts.call('PUT', '/api/v1/alert-routes', {
      token: ts.admin.token,
      body: { routes: [
        { name: 'Database pages', integrationId: id, matchers: [{ name: 'team', value: 'db' }], service: 'postgres', escalationPolicy: policy.body.id, declareSeverity: 'SEV2' },
        { name: 'Everything else', service: 'general' },
      ] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await ts.call('PUT', '/api/v1/alert-routes', { token: responder.token, body: { routes: [] } })).status).toBe(403);
    const bad = await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [{ name: 'x', integrationId: 'nope' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('body.routes.0.integrationId');

    await send(key, amPayload([{ name: 'ReplicationLag', extra: { team: 'db' } }, { name: 'Other' }]));
    const lag = (await groups(`integrationId=${id}&q=ReplicationLag`)).groups[0];
    expect(lag).toMatchObject({ service: 'postgres', escalationPolicy: policy.body.id });
    expect((await groups(`integrationId=${id}&q=Other`)).groups[0].service).toBe('general');

    await drainJobs(ts.server.ctx, new JobQueue(ts.server.ctx.storage), 'test');
    const declared = await group(lag.id);
    expect(declared.incident).toMatchObject({ title: 'ReplicationLag on db-1:9100' });
    const incident = (await ts.call('GET', `/api/v1/incidents/${declared.incident.id}`, { token: viewer.token })).body;
    expect(incident).toMatchObject({ severity: 'SEV2', services: ['postgres'], commander: null });
    await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [] } });
  });

  it('declares an incident from a group; alert changes reach the incident timeline', async () => {
    const { key, id } = await integration({ name: 'to-incident' });
    await send(key, amPayload([{ name: 'CheckoutErrors', instance: 'web-1' }, { name: 'CheckoutErrors', instance: 'web-2' }]));
    const g = (await groups(`integrationId=${id}`)).groups[0];
    const declared = await ts.call('POST', `/api/v1/alert-groups/${g.id}/incident`, { token: responder.token, body: { declare: { severity: 'SEV1' } } });
    expect(declared.status, JSON.stringify(declared.body)).toBe(200);
    expect(declared.body.incident.title).toBe('CheckoutErrors on web-1');
    const ref = `INC-${declared.body.incident.number}`;
    const twice = await ts.call('POST', `/api/v1/alert-groups/${g.id}/incident`, { token: responder.token, body: { declare: { severity: 'SEV1' } } });
    expect(twice.status).toBe(409);

    await send(key, amPayload([{ name: 'CheckoutErrors', instance: 'web-1', status: 'resolved' }, { name: 'CheckoutErrors', instance: 'web-2', status: 'resolved' }]));
    const timeline = (await ts.call('GET', `/api/v1/incidents/${ref}/timeline?lang=en`, { token: viewer.token })).body.events as { kind: string; body: string }[];
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['incident.declared', 'alerts.linked', 'alerts.activity']));
    expect(timeline.find((e) => e.kind === 'alerts.activity')!.body).toBe('Alert group “CheckoutErrors on web-1”: 2 resolved — every alert resolved');
    const ja = (await ts.call('GET', `/api/v1/incidents/${ref}/timeline?lang=ja`, { token: viewer.token })).body.events as { kind: string; body: string }[];
    expect(ja.find((e) => e.kind === 'alerts.activity')!.body).toContain('すべて復旧');
    const byIncident = await groups(`status=all&incidentId=${ref}`);
    expect(byIncident.groups.map((x: { id: string }) => x.id)).toEqual([g.id]);

    // Link another group to the same incident, then unlink it.
    await send(key, amPayload([{ name: 'CartSlow' }]));
    const other = (await groups(`integrationId=${id}&q=CartSlow`)).groups[0];
    const linked = await ts.call('POST', `/api/v1/alert-groups/${other.id}/incident`, { token: responder.token, body: { incidentId: ref } });
    expect(linked.body.incident.number).toBe(declared.body.incident.number);
    const unlinked = await ts.call('DELETE', `/api/v1/alert-groups/${other.id}/incident`, { token: responder.token });
    expect(unlinked.body.incident).toBeNull();
  });

  it('speaks PagerDuty Events v2 at /v2/enqueue: trigger, acknowledge, resolve', async () => {
    const { key, id } = await integration({ source: 'pagerduty-events-v2', name: 'PD-style sender', groupBy: undefined });
    const trigger = await ts.call('POST', '/v2/enqueue', { body: { routing_key: key, event_action: 'trigger', payload: { summary: 'Checkout latency over 2 s', source: 'web-1', severity: 'critical' } } });
    expect(trigger.status).toBe(202);
    expect(trigger.body).toMatchObject({ status: 'success', message: 'Event processed' });
    const dedupKey = trigger.body.dedup_key as string;
    expect(dedupKey).toMatch(/^[0-9a-f]{32}$/);
    const g = (await groups(`integrationId=${id}`)).groups[0];
    expect(g).toMatchObject({ title: 'Checkout latency over 2 s', severity: 'critical', status: 'triggered' });

    const ack = await ts.call('POST', '/ingest/pagerduty-events-v2/v2/enqueue', { body: { routing_key: key, event_action: 'acknowledge', dedup_key: dedupKey } });
    expect(ack.status).toBe(202);
    expect(await group(g.id)).toMatchObject({ status: 'acknowledged', title: 'Checkout latency over 2 s', severity: 'critical', acknowledgedBy: { id: null, name: 'source' } });
    expect((await group(g.id)).alerts[0].title).toBe('Checkout latency over 2 s');

    expect((await ts.call('POST', '/v2/enqueue', { body: { routing_key: key, event_action: 'resolve', dedup_key: dedupKey } })).status).toBe(202);
    expect((await group(g.id)).status).toBe('resolved');

    const invalid = await ts.call('POST', '/v2/enqueue', { body: { routing_key: key, event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'sev1' } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toBe('Event object is invalid');
    expect(invalid.body.errors[0].field).toMatch(/severity/);
    expect((await ts.call('POST', '/v2/enqueue', { body: { routing_key: 'f'.repeat(32), event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'info' } } })).status).toBe(401);
    // The key is in the body, so its JSON is read before anything else: a broken or empty body is a 400 naming it.
    const cut = await ts.call('POST', '/v2/enqueue', { raw: `{"routing_key":"${key}","event_action":` });
    expect(cut).toMatchObject({ status: 400, body: { title: 'Malformed JSON', errors: [{ field: 'body', message: 'not valid JSON' }] } });
    const empty = await ts.call('POST', '/v2/enqueue', { raw: ' ' });
    expect(empty).toMatchObject({ status: 400, body: { detail: 'body: empty; send the JSON payload', errors: [{ field: 'body', message: 'empty' }] } });
  });

  it('never reads back a source’s secret, and keeps it when the form sends it back unchanged', async () => {
    const created = await integration({ source: 'grafana', name: 'Signed Grafana', config: { hmacSecret: 'correct horse battery staple' } });
    const read = await ts.call('GET', `/api/v1/integrations/${created.id}`, { token: ts.admin.token });
    expect(read.body.config.hmacSecret).toBe('[set]');
    expect(JSON.stringify(read.body)).not.toContain('correct horse');
    const renamed = await ts.call('PATCH', `/api/v1/integrations/${created.id}`, { token: ts.admin.token, body: { name: 'Grafana (prod)', config: read.body.config } });
    expect(renamed.status).toBe(200);
    const row = await ts.server.ctx.storage.db.selectFrom('integrations').select('config_json').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.config_json).not.toContain('correct horse'); // sealed at rest
    expect(JSON.parse(row.config_json).hmacSecret).toMatch(/^enc:v1:/);

    // …and still verifies signatures: signed with the secret is accepted, with another is not.
    const body = JSON.stringify({
      receiver: 'hikeshi', status: 'firing', orgId: 1, groupKey: '{}', version: '1', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://grafana:3000/', truncatedAlerts: 0,
      alerts: [{ status: 'firing', labels: { alertname: 'Signed' }, annotations: {}, startsAt: '2026-11-23T01:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'aaaabbbbccccdddd', silenceURL: '', dashboardURL: '', panelURL: '', values: null, valueString: '' }],
    });
    const sign = (secret: string) => createHmac('sha256', secret).update(body).digest('hex');
    const post = (signature: string) => ts.call('POST', '/ingest/grafana', { raw: body, headers: { authorization: `Bearer ${created.key}`, 'x-grafana-alerting-signature': signature } });
    expect((await post(sign('correct horse battery staple'))).status).toBe(202);
    const forged = await post(sign('another secret'));
    expect(forged.status).toBe(401);
    expect(JSON.stringify(forged.body)).not.toMatch(/signature.*mismatch|hmac/i);
  });

  it('shows a storm as one banner with counts and what the alerts share', async () => {
    const { key } = await integration({ name: 'storm', groupBy: ['instance'] });
    const alerts = Array.from({ length: 120 }, (_, i) => ({ name: 'RegionDown', instance: `node-${i}`, extra: { region: 'ap-northeast-1' } }));
    expect((await send(key, amPayload(alerts))).status).toBe(202);
    const overview = (await ts.call('GET', '/api/v1/alert-groups/overview', { token: viewer.token })).body;
    expect(overview.storm.active).toBe(true);
    expect(overview.storm.newGroupsLast5m).toBeGreaterThanOrEqual(120);
    expect(overview.storm.top).toEqual(expect.arrayContaining([{ label: 'region', value: 'ap-northeast-1', groups: 120 }, { label: 'alertname', value: 'RegionDown', groups: 120 }]));
    // During a storm its counts and shared labels are worked out at most every 5 s (every open alerts
    // page asks every 2 s); the group counts stay live. The service's clock is set from here.
    const service = ts.server.ctx.alerts;
    const t0 = Date.now() + 10_000; // past anything cached by the calls above
    const first = await service.overview(t0);
    const zone = Array.from({ length: 200 }, (_, i) => ({ name: 'ZoneDown', instance: `zone-node-${i}`, extra: { zone: 'ap-northeast-1a' } }));
    expect((await send(key, amPayload(zone))).status).toBe(202);
    const soon = await service.overview(t0 + 4_000);
    expect(soon.triggered).toBe(first.triggered + 200);
    expect(soon.storm).toEqual(first.storm);
    const fresh = (await service.overview(t0 + 6_000)).storm;
    expect(fresh.newGroupsLast5m).toBe(first.storm.newGroupsLast5m + 200);
    expect(fresh.top).toEqual(expect.arrayContaining([{ label: 'zone', value: 'ap-northeast-1a', groups: 200 }, { label: 'alertname', value: 'ZoneDown', groups: 200 }]));
    const page = await groups('status=open&limit=50');
    expect(page.groups).toHaveLength(50);
    expect(page.next).toBeTruthy();
    const page2 = await groups(`status=open&limit=50&before=${encodeURIComponent(page.next)}`);
    expect(page2.groups[0].id).not.toBe(page.groups[0].id);
    expect(new Set([...page.groups, ...page2.groups].map((g: { id: string }) => g.id)).size).toBe(100);
  });
});
