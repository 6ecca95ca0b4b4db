// Webhook subscribers and the admin API, over real HTTP with a loopback receiver (webhookAllowPrivate),
// on SQLite and PostgreSQL: signed deliveries, retries that keep their delivery id, maintenance
// announcements (and stale jobs that announce nothing); then a server with the defaults: no SMTP,
// webhooks refused for internal addresses, and rate limits per client address.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp.js';
import { createPage, drain, linkedIncident, postUpdate, publicRequest, rowCounts, type TestPage } from '../../../test/support/status-subscribers.js';
import { PRIVATE_ADDRESS_PROBLEM } from '../../plugins/channels/webhook/index.js';
import { verifyWebhookSignature } from '../../plugins/channels/webhook/index.js';

interface Hit {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
}

describe.each(DATABASE_KINDS)('status page webhooks and admin API (%s)', (kind) => {
  let ts: TestServer;
  let smtp: TestSmtp;
  let page: TestPage;
  let receiver: Server;
  let base: string;
  const hits: Hit[] = [];
  /** Answers for /hook, used up in order; then 204. /gone is always 404, anything else 204. */
  const answers: ((res: ServerResponse) => void)[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        hits.push({ path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) });
        if (req.url === '/gone') return res.writeHead(404).end();
        const answer = req.url === '/hook' ? answers.shift() : undefined;
        (answer ?? ((r: ServerResponse) => r.writeHead(204).end()))(res);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    smtp = await startTestSmtp();
    ts = await startTestServer(kind, { smtpUrl: smtp.url, publicUrl: 'https://ops.example.com', webhookAllowPrivate: true });
    page = await createPage(ts, 'acme', ['API', 'Billing']);
  });
  afterAll(async () => {
    await ts?.close();
    await smtp?.close();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
  });

  const api = (method: string, path: string, body?: unknown, token = ts.admin.token) => ts.call(method, `/api/v1${path}`, { token, body });
  const hook = async (path: string, componentIds?: string[]) => {
    const res = await api('POST', '/status-pages/acme/subscribers', { kind: 'webhook', url: base + path, ...(componentIds ? { componentIds } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; secret: string; state: string };
  };
  const deliveries = (subscriberId: string) => ts.server.ctx.storage.db.selectFrom('jobs').selectAll()
    .where('kind', '=', 'statuspage.deliver').where('payload_json', 'like', `%"subscriberId":"${subscriberId}"%`).orderBy('id').execute();

  it('adds a webhook with a secret shown once and stored sealed; lists subscribers without secrets; audits it', async () => {
    const created = await hook('/hook', [page.components.API!]);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(created.state).toBe('active');
    const list = await api('GET', '/status-pages/acme/subscribers');
    expect(list.status).toBe(200);
    expect(list.body.subscribers[0]).toMatchObject({ id: created.id, kind: 'webhook', target: `${base}/hook`, componentIds: [page.components.API], state: 'active' });
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
    const row = await ts.server.ctx.storage.db.selectFrom('status_subscribers').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.secret_sealed).toMatch(/^enc:v1:/);
    expect(JSON.stringify(row)).not.toContain(created.secret);
    const audit = JSON.stringify((await api('GET', '/audit?limit=20')).body);
    expect(audit).toContain('status_subscriber.create');
    expect(audit).not.toContain(created.secret);
  });

  it('delivers a signed, Statuspage-shaped payload; a 503 with Retry-After is retried later under the same delivery id', async () => {
    const sub = (await api('GET', '/status-pages/acme/subscribers?kind=webhook')).body.subscribers[0];
    const secret = (await hook('/second', [page.components.API!])).secret;
    const gone = await hook('/gone');
    answers.push((res) => res.writeHead(503, { 'retry-after': '2' }).end());
    const inc = await linkedIncident(ts, page, { title: 'edge-3 down', publicTitle: 'API unavailable', components: { API: 'major_outage' } });
    await postUpdate(ts, inc.ref, 'The API is unavailable; we are investigating.');
    const start = hits.length;
    await drain(ts);
    const first = hits.slice(start).find((h) => h.path === '/hook')!;
    const [job] = await deliveries(sub.id);
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(Date.parse(job!.run_at) - Date.now()).toBeGreaterThan(1000);
    expect(job!.last_error).toContain('503');

    // The other subscribers were not held up: /second got it, /gone (404) failed at once for good.
    const second = hits.slice(start).find((h) => h.path === '/second')!;
    expect(verifyWebhookSignature(secret, second.headers, second.body)).toEqual({ ok: true });
    const [goneJob] = await deliveries(gone.id);
    expect(goneJob).toMatchObject({ status: 'failed', attempts: 1 });
    expect(goneJob!.last_error).toContain('404');

    await ts.server.ctx.storage.db.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('id', '=', job!.id).execute();
    await drain(ts);
    const retry = hits.slice(start).filter((h) => h.path === '/hook');
    expect(retry).toHaveLength(2);
    expect(retry.map((h) => h.headers['x-hikeshi-delivery'])).toEqual([job!.id, job!.id]);
    expect((await deliveries(sub.id))[0]!.status).toBe('done');

    const p = first.json;
    expect(p.meta.unsubscribe).toMatch(/^https:\/\/ops\.example\.com\/status\/acme\/unsubscribe\?token=u\./);
    expect(p.meta.documentation).toMatch(/^https:\/\//);
    expect(p.page).toMatchObject({ id: page.id, status_indicator: 'critical', status_description: 'Major Service Outage' });
    expect(p.incident).toMatchObject({
      id: inc.id, name: 'API unavailable', status: 'investigating', impact: 'critical', page_id: page.id,
      shortlink: `https://ops.example.com/status/acme/incidents/${inc.id}.html`,
      components: [{ id: page.components.API, name: 'API', status: 'major_outage' }],
    });
    expect(p.incident.incident_updates[0]).toMatchObject({ status: 'investigating', body: 'The API is unavailable; we are investigating.', incident_id: inc.id });
    expect(JSON.stringify(p)).not.toContain('edge-3');
  });

  it('announces maintenance to the subscribers of its components, and stale jobs announce nothing', async () => {
    const db = ts.server.ctx.storage.db;
    const sub = (await api('GET', '/status-pages/acme/subscribers?kind=webhook')).body.subscribers.find((s: { target: string }) => s.target.endsWith('/hook'));
    const hour = 3600_000;
    const create = async (componentIds: string[]) => {
      const res = await api('POST', '/status-pages/acme/maintenances', {
        title: 'Database upgrade', startsAt: new Date(Date.now() + hour).toISOString(), endsAt: new Date(Date.now() + 2 * hour).toISOString(), componentIds, body: 'The API may be read-only for 10 minutes.',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; startsAt: string };
    };
    const toHook = () => hits.filter((h) => h.path === '/hook');
    const makeDue = (maintenanceId: string, event: string) =>
      db.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('kind', '=', 'statuspage.maintenance').where('payload_json', 'like', `%"maintenanceId":"${maintenanceId}","event":"${event}"%`).execute();

    let seen = toHook().length;
    await create([page.components.Billing!]);
    await drain(ts);
    expect(toHook().length, 'a Billing maintenance is not sent to an API-only subscriber').toBe(seen);

    const m = await create([page.components.API!]);
    await drain(ts);
    const scheduled = toHook().slice(seen);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.json.meta.event).toBe('maintenance.scheduled');
    expect(scheduled[0]!.json.incident).toMatchObject({ id: m.id, name: 'Database upgrade', status: 'scheduled', impact: 'maintenance', scheduled_for: m.startsAt });
    expect(scheduled[0]!.json.incident.incident_updates[0].body).toBe('The API may be read-only for 10 minutes.');
    seen = toHook().length;

    // Rescheduled: the job for the old start is stale; the one for the new start announces it.
    const later = new Date(Date.now() + 90 * 60_000).toISOString();
    expect((await api('PATCH', `/status-pages/acme/maintenances/${m.id}`, { startsAt: later })).status).toBe(200);
    await db.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('kind', '=', 'statuspage.maintenance').where('payload_json', 'like', `%${m.id}%"started"%`).execute();
    await drain(ts);
    const started = toHook().slice(seen);
    expect(started.map((h) => h.json.meta.event)).toEqual(['maintenance.started']);
    expect(started[0]!.json.incident.status).toBe('in_progress');
    seen = toHook().length;

    // Called off: "cancelled" goes out; the end-of-window job, run early here, announces nothing.
    expect((await api('POST', `/status-pages/acme/maintenances/${m.id}/cancel`)).status).toBe(200);
    await makeDue(m.id, 'completed');
    await drain(ts);
    expect(toHook().slice(seen).map((h) => h.json.meta.event)).toEqual(['maintenance.cancelled']);
    expect((await deliveries(sub.id)).every((j) => j.status === 'done')).toBe(true);
  });

  it('admin API: e-mail subscribers confirm first, tests go through the outbox, removal, roles and refusals', async () => {
    const email = await api('POST', '/status-pages/acme/subscribers', { kind: 'email', email: 'Ops@Example.ORG', locale: 'ja' });
    expect(email.status, JSON.stringify(email.body)).toBe(201);
    expect(email.body).toMatchObject({ kind: 'email', target: 'Ops@example.org', state: 'pending', locale: 'ja', componentIds: null });
    expect(email.body.secret).toBeUndefined();
    await drain(ts);
    expect(smtp.mails.filter((m) => m.to.includes('Ops@example.org'))).toHaveLength(1);
    expect((await api('POST', `/status-pages/acme/subscribers/${email.body.id}/test`)).status).toBe(409);

    const sub = (await api('GET', '/status-pages/acme/subscribers?kind=webhook')).body.subscribers.find((s: { target: string }) => s.target.endsWith('/hook'));
    const test = await api('POST', `/status-pages/${page.id}/subscribers/${sub.id}/test`);
    expect(test.status).toBe(202);
    await drain(ts);
    const got = hits.filter((h) => h.headers['x-hikeshi-delivery'] === test.body.deliveryId);
    expect(got).toHaveLength(1);
    expect(got[0]!.json.meta.event).toBe('test');

    const responder = await ts.user('responder');
    const before = await rowCounts(ts);
    expect((await api('POST', '/status-pages/acme/subscribers', { kind: 'webhook', url: `${base}/hook` })).status).toBe(409);
    const badUrl = await api('POST', '/status-pages/acme/subscribers', { kind: 'webhook', url: 'ftp://example.com/x' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.errors[0].field).toBe('body.url');
    const badComponent = await api('POST', '/status-pages/acme/subscribers', { kind: 'webhook', url: `${base}/x`, componentIds: ['nope'] });
    expect(badComponent.body.errors[0].field).toBe('body.componentIds.0');
    const injected = await api('POST', '/status-pages/acme/subscribers', { kind: 'email', email: 'a@example.org\r\nBcc: b@example.org' });
    expect(injected.status).toBe(400);
    expect(injected.body.errors[0].field).toBe('body.email');
    expect((await api('GET', '/status-pages/acme/subscribers', undefined, responder.token)).status).toBe(403);
    expect((await api('POST', '/status-pages/acme/subscribers', { kind: 'webhook', url: `${base}/y` }, responder.token)).status).toBe(403);
    expect((await api('GET', '/status-pages/nowhere/subscribers')).status).toBe(404);
    expect(await rowCounts(ts)).toEqual(before);

    const paged = await api('GET', '/status-pages/acme/subscribers?limit=2');
    expect(paged.body.subscribers).toHaveLength(2);
    const rest = await api('GET', `/status-pages/acme/subscribers?limit=200&before=${paged.body.nextBefore}`);
    expect(paged.body.counts.active + paged.body.counts.pending).toBe(2 + rest.body.subscribers.length);

    expect((await api('DELETE', `/status-pages/acme/subscribers/${email.body.id}`)).status).toBe(204);
    expect((await api('DELETE', `/status-pages/acme/subscribers/${email.body.id}`)).status).toBe(404);
    expect(JSON.stringify((await api('GET', '/audit?limit=20')).body)).toContain('status_subscriber.delete');
    const doc = (await api('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/status-pages/{page}/subscribers'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths).toHaveProperty(['/api/v1/status-pages/{page}/subscribers/{id}/test']);
  });
});

describe('status page subscriptions with the default settings (sqlite)', () => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer('sqlite', { subscribeRateLimitPerMinute: 3, rateLimitPerMinute: 40 });
    await createPage(ts, 'acme', ['API'], { locale: 'ja' });
  });
  afterAll(async () => ts?.close());

  it('says e-mail subscriptions are unavailable, stores nothing, and limits sign-ups per address, whatever Authorization says', async () => {
    const before = await rowCounts(ts);
    const form = await publicRequest(ts, 'POST', '/status/acme/subscribe', { form: [['email', 'ann@example.org']] });
    expect(form.status).toBe(503);
    expect(form.text).toContain('メールでの通知は利用できません');
    const json = await publicRequest(ts, 'POST', '/status/acme/subscribe', { json: { email: 'ann@example.org' } });
    expect(json.status).toBe(503);
    expect(json.json.detail).toMatch(/SMTP is not configured/);
    const admin = await ts.call('POST', '/api/v1/status-pages/acme/subscribers', { token: ts.admin.token, body: { kind: 'email', email: 'ann@example.org' } });
    expect(admin.status).toBe(409);
    expect(await rowCounts(ts)).toEqual(before);

    // A made-up Authorization header (these routes never read it) does not buy a fresh budget.
    const third = await publicRequest(ts, 'POST', '/status/acme/subscribe', { form: [['email', 'ann@example.org']], headers: { authorization: 'Bearer made-up-1' } });
    expect(third.status).toBe(503);
    const limited = await publicRequest(ts, 'POST', '/status/acme/subscribe', { form: [['email', 'ann@example.org']], headers: { 'accept-language': 'en', authorization: 'Bearer made-up-2' } });
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many attempts');
  });

  it('limits link requests per address too, whatever Authorization says', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) {
      statuses.push((await publicRequest(ts, 'GET', '/status/acme/unsubscribe?token=garbage', { headers: { authorization: `Bearer made-up-${i}` } })).status);
    }
    expect(statuses.slice(0, 40).every((s) => s === 400)).toBe(true);
    expect(statuses[40]).toBe(429);
  });

  it('refuses webhooks to loopback, private and link-local addresses, when added and when delivered', async () => {
    const api = (body: unknown, lang = 'en') => ts.call('POST', '/api/v1/status-pages/acme/subscribers', { token: ts.admin.token, body, headers: { 'accept-language': lang } });
    const before = await rowCounts(ts);
    for (const url of ['http://127.0.0.1:9/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/x', 'http://10.0.0.7/x', 'http://localhost:9/x', 'http://2130706433/x', 'http://[::ffff:192.168.0.1]/x']) {
      const res = await api({ kind: 'webhook', url });
      expect(res.status, url).toBe(400);
      expect(res.body.errors, url).toEqual([{ field: 'body.url', message: PRIVATE_ADDRESS_PROBLEM }]);
    }
    const ja = await api({ kind: 'webhook', url: 'http://127.0.0.1:9/hook' }, 'ja');
    expect(ja.body.errors[0].message).toMatch(/^ループバック・プライベート・リンクローカル/);
    expect(await rowCounts(ts)).toEqual(before);

    // Added for a public address whose name later moves inside (simulated by changing the stored URL): the delivery fails for good.
    const created = await api({ kind: 'webhook', url: 'http://192.0.2.10/hook' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const db = ts.server.ctx.storage.db;
    await db.updateTable('status_subscribers').set({ target: 'http://169.254.169.254/hook' }).where('id', '=', created.body.id).execute();
    const test = await ts.call('POST', `/api/v1/status-pages/acme/subscribers/${created.body.id}/test`, { token: ts.admin.token });
    expect(test.status).toBe(202);
    await drain(ts);
    const job = await db.selectFrom('jobs').selectAll().where('id', '=', test.body.deliveryId).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job.last_error).toContain('loopback, private or link-local');
  });
});
