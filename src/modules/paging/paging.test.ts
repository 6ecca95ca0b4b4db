// Paging over real HTTP against SQLite and PostgreSQL: escalation policies, contact methods and
// rules, an alert routed to a policy reaching a webhook receiver through the background worker,
// the signed acknowledge link, and the group and page following each other. Timing of escalation
// is tested with an injectable clock in pages.test.ts.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp.js';
import { drainJobs } from '../../jobs/background.js';
import { JobQueue } from '../../jobs/queue.js';
import { verifyWebhookSignature } from '../../plugins/channels/webhook/index.js';
import { DECLARE_FROM_GROUP } from '../alerts/grouper.js';

interface Hit { headers: IncomingMessage['headers']; body: string }

async function until<T>(what: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DATABASE_KINDS)('paging (%s)', (kind) => {
  let ts: TestServer;
  let smtp: TestSmtp;
  let receiver: Server;
  let hookUrl: string;
  const hits: Hit[] = [];
  let rin: { id: string; token: string };
  let vic: { id: string; token: string };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    ts = await startTestServer(kind, { smtpUrl: smtp.url, webhookAllowPrivate: true });
    rin = await ts.user('responder', 'Rin Responder');
    vic = await ts.user('viewer', 'Vic Viewer');
  });
  afterAll(async () => {
    await ts?.close();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
    await smtp?.close();
  });

  describe('contact methods and notification rules', () => {
    it('keeps a webhook URL secret, shows its signing secret once, and sends a test notification', async () => {
      const made = await ts.call('POST', `/api/v1/users/${rin.id}/contact-methods`, { token: rin.token, body: { kind: 'webhook', address: hookUrl } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body.signingSecret).toMatch(/^whsec_/);
      expect(made.body.hint).toMatch(/^127\.0\.0\.1:\d+\/…hook$/);
      const listed = await ts.call('GET', `/api/v1/users/${rin.id}/contact-methods`, { token: rin.token });
      expect(JSON.stringify(listed.body)).not.toContain(hookUrl);
      expect(JSON.stringify(listed.body)).not.toContain('whsec_');

      const test = await ts.call('POST', `/api/v1/contact-methods/${made.body.id}/test`, { token: rin.token });
      expect(test.body).toEqual({ delivered: true, detail: 'HTTP 200' });
      const hit = hits.at(-1)!;
      expect(JSON.parse(hit.body)).toMatchObject({ type: 'test' });
      expect(verifyWebhookSignature(made.body.signingSecret, hit.headers, hit.body)).toEqual({ ok: true });
      // An admin may test anyone's; someone else may not even see them.
      expect((await ts.call('POST', `/api/v1/contact-methods/${made.body.id}/test`, { token: ts.admin.token })).body.delivered).toBe(true);
      expect((await ts.call('GET', `/api/v1/users/${rin.id}/contact-methods`, { token: vic.token })).status).toBe(404);
      expect((await ts.call('POST', `/api/v1/contact-methods/${made.body.id}/test`, { token: vic.token })).status).toBe(404);

      const rules = await ts.call('PUT', `/api/v1/users/${rin.id}/notification-rules`, { token: rin.token, body: { rules: [{ contactMethodId: made.body.id, delayMinutes: 0 }] } });
      expect(rules.status).toBe(200);
      expect(rules.body.rules).toEqual([expect.objectContaining({ contactMethodId: made.body.id, delayMinutes: 0 })]);
    });

    it('refuses malformed contact methods and rules naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'email', address: 'not an address' }, 'body.address'],
        [{ kind: 'slack', address: 'not a URL' }, 'body.address'],
        [{ kind: 'teams', address: 'https://user:pw@example.com/x' }, 'body.address'],
        [{ kind: 'webhook', address: 'ftp://example.com/x' }, 'body.address'],
        [{ kind: 'pager', address: 'x' }, 'body.kind'],
        [{ kind: 'email' }, 'body.address'],
      ];
      for (const [body, field] of cases) {
        const res = await ts.call('POST', `/api/v1/users/${rin.id}/contact-methods`, { token: rin.token, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const foreign = await ts.call('POST', `/api/v1/users/${vic.id}/contact-methods`, { token: vic.token, body: { kind: 'email', address: 'vic@example.com' } });
      const bad = await ts.call('PUT', `/api/v1/users/${rin.id}/notification-rules`, { token: rin.token, body: { rules: [{ contactMethodId: foreign.body.id, delayMinutes: 0 }] } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('body.rules.0.contactMethodId');
      const late = await ts.call('PUT', `/api/v1/users/${rin.id}/notification-rules`, { token: rin.token, body: { rules: [{ contactMethodId: foreign.body.id, delayMinutes: 5000 }] } });
      expect(late.body.errors[0].field).toBe('body.rules.0.delayMinutes');
    });
  });

  describe('escalation policies', () => {
    it('are admin-only to change, refuse unknown targets, and cannot be deleted while a route uses them', async () => {
      const body = { name: 'Payments', levels: [{ targets: [{ type: 'user', id: rin.id }], timeoutMinutes: 5 }] };
      expect((await ts.call('POST', '/api/v1/escalation-policies', { token: rin.token, body })).status).toBe(403);
      const unknown = await ts.call('POST', '/api/v1/escalation-policies', { token: ts.admin.token, body: { ...body, levels: [{ targets: [{ type: 'schedule', id: 'nope' }], timeoutMinutes: 5 }] } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('body.levels.0.targets.0.id');
      const empty = await ts.call('POST', '/api/v1/escalation-policies', { token: ts.admin.token, body: { name: 'x', levels: [] } });
      expect(empty.body.errors[0].field).toBe('body.levels');
      const made = await ts.call('POST', '/api/v1/escalation-policies', { token: ts.admin.token, body });
      expect(made.status).toBe(201);
      expect(made.body.levels[0].targets[0]).toEqual({ type: 'user', id: rin.id, name: 'Rin Responder' });

      const noSuch = await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [{ name: 'r', escalationPolicy: 'nope' }] } });
      expect(noSuch.status).toBe(422);
      expect(noSuch.body.errors[0].field).toBe('body.routes.0.escalationPolicy');
      expect((await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [{ name: 'Payments route', escalationPolicy: made.body.id }] } })).status).toBe(200);
      const busy = await ts.call('DELETE', `/api/v1/escalation-policies/${made.body.id}`, { token: ts.admin.token });
      expect(busy.status).toBe(409);
      expect(busy.body.detail).toContain('Payments route');
      await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [] } });
      expect((await ts.call('DELETE', `/api/v1/escalation-policies/${made.body.id}`, { token: ts.admin.token })).status).toBe(204);
    });
  });

  it('an alert routed to a policy pages the on-call person once; the link acknowledges as them, and the group follows', async () => {
    const schedule = await ts.call('POST', '/api/v1/schedules', {
      token: ts.admin.token,
      body: { name: 'Payments on-call', timeZone: 'UTC', layers: [{ name: 'L', start: new Date(Date.now() - 3_600_000).toISOString().slice(0, 16), turn: { length: 1, unit: 'days' }, participants: [rin.id] }] },
    });
    const policy = await ts.call('POST', '/api/v1/escalation-policies', {
      token: ts.admin.token, body: { name: 'Payments', levels: [{ targets: [{ type: 'schedule', id: schedule.body.id }], timeoutMinutes: 5 }] },
    });
    expect((await ts.call('DELETE', `/api/v1/schedules/${schedule.body.id}`, { token: ts.admin.token })).status).toBe(409);
    await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [{ name: 'Payments', matchers: [{ name: 'team', value: 'payments' }], escalationPolicy: policy.body.id }] } });
    const integration = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'alertmanager', name: 'Prod', groupBy: ['alertname'] } });
    expect(integration.status, JSON.stringify(integration.body)).toBe(201);

    const before = hits.length;
    const send = (n: number) => ts.call('POST', '/ingest/alertmanager', {
      headers: { authorization: `Bearer ${integration.body.key}` },
      body: {
        version: '4', groupKey: 'x', truncatedAlerts: 0, status: 'firing', receiver: 'hikeshi', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
        alerts: [{
          status: 'firing', labels: { alertname: 'CardPayments', team: 'payments', instance: `pay-${n}` }, annotations: { summary: 'Card payments failing' },
          startsAt: '2026-11-24T02:15:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `00000000000000${n}${n}`,
        }],
      },
    });
    expect((await send(1)).status).toBeLessThan(300);
    expect((await send(2)).status).toBeLessThan(300);
    const hit = await until(() => hits.slice(before).find((h) => h.body.includes('page.triggered')));
    const page = JSON.parse(hit.body).page;
    expect(page.title).toBe('Card payments failing');
    // Two alerts of one group: one page.
    await new Promise((r) => setTimeout(r, 300));
    expect(hits.slice(before).filter((h) => h.body.includes('page.triggered'))).toHaveLength(1);

    const link = new URL(JSON.parse(hit.body).links.acknowledge);
    const shown = await fetch(ts.url + link.pathname + link.search);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('<form method="post"');
    expect((await ts.call('GET', `/api/v1/pages/${page.id}`, { token: vic.token })).body.status).toBe('triggered');
    const acted = await fetch(ts.url + link.pathname + link.search, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(acted.status).toBe(200);
    expect(await acted.text()).toContain('Acknowledged');
    const after = await ts.call('GET', `/api/v1/pages/${page.id}`, { token: vic.token });
    expect(after.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: rin.id, name: 'Rin Responder' } });
    const group = await ts.call('GET', `/api/v1/alert-groups/${page.alertGroupId}`, { token: vic.token });
    expect(group.body.status).toBe('acknowledged');

    // A tampered or wrong-action token does nothing.
    // (Flip a character well inside the signature: the last one of base64url carries unused bits.)
    const at = link.search.length - 10;
    const forged = link.search.slice(0, at) + (link.search[at] === 'A' ? 'B' : 'A') + link.search.slice(at + 1);
    expect((await fetch(`${ts.url}/page-links/ack${forged}`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${ts.url}/page-links/resolve${link.search}`, { method: 'POST' })).status).toBe(404);

    // Resolving the group resolves the page.
    await ts.call('POST', `/api/v1/alert-groups/${page.alertGroupId}/resolve`, { token: rin.token });
    expect((await ts.call('GET', `/api/v1/pages/${page.id}`, { token: vic.token })).body.status).toBe('resolved');
    const mine = await ts.call('GET', '/api/v1/pages?status=all&mine=true', { token: rin.token });
    expect(mine.body.pages.map((p: { id: string }) => p.id)).toContain(page.id);
    expect((await ts.call('GET', '/api/v1/pages?status=all&mine=true', { token: vic.token })).body.pages).toEqual([]);
  });

  it('pages a person by hand, by e-mail when they set nothing up; viewers cannot page', async () => {
    const viewerPage = await ts.call('POST', '/api/v1/pages', { token: vic.token, body: { title: 'x', target: { type: 'user', id: rin.id } } });
    expect(viewerPage.status).toBe(403);
    const bad = await ts.call('POST', '/api/v1/pages', { token: rin.token, body: { title: 'x', target: { type: 'schedule', id: 'nope' } } });
    expect(bad.status).toBe(400);
    const direct = await ts.call('POST', '/api/v1/pages', { token: rin.token, body: { title: 'Need a DBA now', target: { type: 'user', id: ts.admin.id } } });
    expect(direct.status, JSON.stringify(direct.body)).toBe(201);
    const mail = (await smtp.waitFor(1))[0]!;
    expect(mail.to).toEqual(['admin@example.com']);
    expect(mail.headers.subject).toContain('Need a DBA now');
    expect(mail.raw).toContain('/page-links/ack?token=');
    await ts.call('POST', `/api/v1/pages/${direct.body.id}/resolve`, { token: rin.token });
    const audit = await ts.call('GET', '/api/v1/audit?limit=200', { token: ts.admin.token });
    const actions = new Set(audit.body.events.map((e: { action: string }) => e.action));
    for (const a of ['page.create', 'page.resolve', 'page.acknowledge', 'escalation_policy.create', 'contact_method.create', 'notification_rules.replace']) expect(actions).toContain(a);
  });

  it('streams page changes to live views; signed-out requests get nothing', async () => {
    expect((await fetch(`${ts.url}/api/v1/pages/events`)).status).toBe(401);
    const ctrl = new AbortController();
    const res = await fetch(`${ts.url}/api/v1/pages/events`, { headers: { authorization: `Bearer ${vic.token}` }, signal: ctrl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const seen: { type: string; data: { pageId: string; kind: string } }[] = [];
    const reading = (async () => {
      const dec = new TextDecoder();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += dec.decode(value, { stream: true });
        const blocks = text.split('\n\n');
        text = blocks.pop()!;
        for (const b of blocks) for (const l of b.split('\n')) if (l.startsWith('data: ')) seen.push(JSON.parse(l.slice(6)));
      }
    })().catch(() => undefined);
    try {
      const page = await ts.call('POST', '/api/v1/pages', { token: rin.token, body: { title: 'Watch this', target: { type: 'user', id: rin.id } } });
      expect(page.status).toBe(201);
      await ts.call('POST', `/api/v1/pages/${page.body.id}/acknowledge`, { token: rin.token });
      const kinds = await until(() => {
        const mine = seen.filter((e) => e.type === 'pages.changed' && e.data.pageId === page.body.id).map((e) => e.data.kind);
        return mine.includes('acknowledged') ? mine : undefined;
      });
      expect(kinds).toEqual(expect.arrayContaining(['triggered', 'acknowledged']));
    } finally {
      ctrl.abort();
      await reading;
    }
  });

  it('pages responders into an incident, on its timeline; a drill pages only the people named in it', async () => {
    const team = await ts.call('POST', '/api/v1/teams', { token: ts.admin.token, body: { name: 'DBAs' } });
    await ts.call('PUT', `/api/v1/teams/${team.body.id}/members/${rin.id}`, { token: ts.admin.token });
    await ts.call('PUT', `/api/v1/teams/${team.body.id}/members/${ts.admin.id}`, { token: ts.admin.token });
    const incident = (await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, body: { title: 'Checkout slow', severity: 'SEV2' } })).body;
    const paged = await ts.call('POST', `/api/v1/incidents/${incident.ref}/pages`, { token: rin.token, body: { target: { type: 'user', id: rin.id }, message: 'need the payments expert' } });
    expect(paged.status, JSON.stringify(paged.body)).toBe(201);
    expect(paged.body).toMatchObject({ incidentId: incident.id, severity: 'error', title: 'INC-' + incident.number + ' Checkout slow — need the payments expert' });
    await ts.call('POST', `/api/v1/pages/${paged.body.id}/acknowledge`, { token: rin.token });
    const timeline = (await ts.call('GET', `/api/v1/incidents/${incident.ref}/timeline?lang=en`, { token: rin.token })).body.events;
    expect(timeline.map((e: { body: string }) => e.body)).toEqual(expect.arrayContaining([
      `Paged Rin Responder: INC-${incident.number} Checkout slow — need the payments expert`,
      `Rin Responder acknowledged the page “INC-${incident.number} Checkout slow — need the payments expert”`,
    ]));
    const listed = await ts.call('GET', `/api/v1/pages?status=all&incidentId=${incident.id}`, { token: vic.token });
    expect(listed.body.pages.map((p: { id: string }) => p.id)).toEqual([paged.body.id]);

    // A drill commanded by Rin: paging the whole team wakes Rin only.
    const drill = (await ts.call('POST', '/api/v1/incidents', { token: rin.token, body: { title: 'Region failover drill', severity: 'SEV3', drill: true } })).body;
    const drillPage = await ts.call('POST', `/api/v1/incidents/${drill.ref}/pages`, { token: rin.token, body: { target: { type: 'team', id: team.body.id } } });
    expect(drillPage.status).toBe(201);
    expect(drillPage.body.drill).toBe(true);
    expect([...new Set(drillPage.body.notifications.map((n: { user: { id: string } }) => n.user.id))]).toEqual([rin.id]);

    const unknown = await ts.call('POST', '/api/v1/incidents/INC-999/pages', { token: rin.token, body: { target: { type: 'user', id: rin.id } } });
    expect(unknown.status).toBe(404);
    const badTarget = await ts.call('POST', `/api/v1/incidents/${incident.ref}/pages`, { token: rin.token, body: { target: { type: 'robot', id: 'x' } } });
    expect(badTarget.status).toBe(400);
  });

  it('reports on-call health for you or a team, and refuses a bad period', async () => {
    const mine = await ts.call('GET', '/api/v1/oncall-health', { token: rin.token });
    expect(mine.status).toBe(200);
    expect(mine.body.people).toHaveLength(1);
    expect(mine.body.people[0].user).toEqual({ id: rin.id, name: 'Rin Responder' });
    expect(mine.body.people[0].pages).toBeGreaterThan(0);
    const teams = (await ts.call('GET', '/api/v1/teams', { token: ts.admin.token })).body.teams;
    const team = await ts.call('GET', `/api/v1/oncall-health?teamId=${teams[0].id}`, { token: vic.token });
    expect(team.body.team.name).toBe(teams[0].name);
    expect(team.body.totals.pages).toBe(team.body.people.reduce((n: number, p: { pages: number }) => n + p.pages, 0));
    expect((await ts.call('GET', '/api/v1/oncall-health?teamId=nope', { token: vic.token })).status).toBe(404);
    const backwards = await ts.call('GET', '/api/v1/oncall-health?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', { token: vic.token });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('querystring.to');
    expect((await ts.call('GET', '/api/v1/oncall-health?from=yesterday', { token: vic.token })).body.errors[0].field).toBe('querystring.from');
  });

  it('a slow receiver does not hold up anyone else’s notification', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((r) => { release = r; });
    const slow = createServer((req, res) => {
      req.resume();
      req.on('end', () => void held.then(() => res.writeHead(200).end('late')));
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/slow`;
      const hook = await ts.call('POST', `/api/v1/users/${ts.admin.id}/contact-methods`, { token: ts.admin.token, body: { kind: 'webhook', address: slowUrl } });
      await ts.call('PUT', `/api/v1/users/${ts.admin.id}/notification-rules`, { token: ts.admin.token, body: { rules: [{ contactMethodId: hook.body.id, delayMinutes: 0 }] } });
      const before = hits.length;
      // The slow receiver's notification is claimed first (the admin's page), then Rin's.
      await ts.call('POST', '/api/v1/pages', { token: rin.token, body: { title: 'Slow one', target: { type: 'user', id: ts.admin.id } } });
      await ts.call('POST', '/api/v1/pages', { token: rin.token, body: { title: 'Fast one', target: { type: 'user', id: rin.id } } });
      const fast = await until(() => hits.slice(before).find((h) => h.body.includes('Fast one')), 5_000);
      expect(JSON.parse(fast.body).page.title).toBe('Fast one');
    } finally {
      release();
      await ts.call('PUT', `/api/v1/users/${ts.admin.id}/notification-rules`, { token: ts.admin.token, body: { rules: [] } });
      slow.closeAllConnections();
      await new Promise((r) => slow.close(r));
    }
  });

  it('a PATCH of a policy changes only what it names', async () => {
    const team = (await ts.call('GET', '/api/v1/teams', { token: ts.admin.token })).body.teams[0];
    const made = await ts.call('POST', '/api/v1/escalation-policies', {
      token: ts.admin.token, body: { name: 'Keep me', description: 'why', teamId: team.id, repeat: 3, levels: [{ targets: [{ type: 'user', id: rin.id }], timeoutMinutes: 5 }] },
    });
    const renamed = await ts.call('PATCH', `/api/v1/escalation-policies/${made.body.id}`, { token: ts.admin.token, body: { name: 'Kept' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Kept', description: 'why', team: { id: team.id }, repeat: 3 });
    expect(renamed.body.levels).toHaveLength(1);
    await ts.call('DELETE', `/api/v1/escalation-policies/${made.body.id}`, { token: ts.admin.token });
  });

  it('a source’s acknowledgement stops its page; a page whose policy is gone says so in the group’s history', async () => {
    const policy = await ts.call('POST', '/api/v1/escalation-policies', { token: ts.admin.token, body: { name: 'PD', levels: [{ targets: [{ type: 'user', id: rin.id }], timeoutMinutes: 5 }] } });
    await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [{ name: 'PD route', matchers: [{ name: 'source', value: 'db-1' }], escalationPolicy: policy.body.id }] } });
    const pd = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'pagerduty-events-v2', name: 'PD sender' } });
    const event = (action: string) => ts.call('POST', '/v2/enqueue', {
      body: { routing_key: pd.body.key, event_action: action, dedup_key: 'disk-db-1', payload: { summary: 'Disk full on db-1', source: 'db-1', severity: 'critical', custom_details: {} } },
    });
    expect((await event('trigger')).status).toBe(202);
    const page = await until(async () => (await ts.call('GET', '/api/v1/pages?status=all', { token: vic.token })).body.pages.find((p: { title: string }) => p.title === 'Disk full on db-1'));
    expect((await event('acknowledge')).status).toBe(202);
    await until(async () => ((await ts.call('GET', `/api/v1/pages/${page.id}`, { token: vic.token })).body.status === 'acknowledged' ? true : undefined));

    // Resolved, the route and the policy go; the group fires again within the hour, routed to a policy that is not there.
    expect((await event('resolve')).status).toBe(202);
    await until(async () => ((await ts.call('GET', `/api/v1/pages/${page.id}`, { token: vic.token })).body.status === 'resolved' ? true : undefined));
    await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [] } });
    expect((await ts.call('DELETE', `/api/v1/escalation-policies/${policy.body.id}`, { token: ts.admin.token })).status).toBe(204);
    expect((await event('trigger')).status).toBe(202);
    const failed = await until(async () => {
      const group = (await ts.call('GET', `/api/v1/alert-groups/${page.alertGroupId}`, { token: vic.token })).body;
      return group.events.find((e: { kind: string }) => e.kind === 'paging_failed');
    });
    expect(failed.data.error).toContain('does not exist');
  });

  it('a group that fired while silenced pages once the silence ends, if it still fires', async () => {
    const policy = await ts.call('POST', '/api/v1/escalation-policies', { token: ts.admin.token, body: { name: 'Night', levels: [{ targets: [{ type: 'user', id: rin.id }], timeoutMinutes: 5 }] } });
    await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, body: { routes: [{ name: 'Batch', matchers: [{ name: 'team', value: 'batch' }], escalationPolicy: policy.body.id, declareSeverity: 'SEV3' }] } });
    const integration = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'alertmanager', name: 'Batch', groupBy: ['alertname'] } });
    const silence = await ts.call('POST', '/api/v1/silences', {
      token: ts.admin.token, body: { matchers: [{ name: 'team', value: 'batch' }], endsAt: new Date(Date.now() + 3_600_000).toISOString(), comment: 'Nightly batch rerun' },
    });
    expect(silence.status, JSON.stringify(silence.body)).toBe(201);
    const fire = (name: string) => ts.call('POST', '/ingest/alertmanager', {
      headers: { authorization: `Bearer ${integration.body.key}` },
      body: {
        version: '4', groupKey: 'x', truncatedAlerts: 0, status: 'firing', receiver: 'hikeshi', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
        alerts: [{ status: 'firing', labels: { alertname: name, team: 'batch' }, annotations: { summary: `${name} is failing` }, startsAt: '2026-11-24T02:15:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `fp-${name}` }],
      },
    });
    expect((await fire('BatchLate')).status).toBeLessThan(300);
    expect((await fire('BatchDone')).status).toBeLessThan(300);
    const groups = await until(async () => {
      const list = (await ts.call('GET', `/api/v1/alert-groups?status=all&integrationId=${integration.body.id}`, { token: ts.admin.token })).body.groups as { id: string; title: string; suppressedBy: string | null }[];
      return list.length === 2 ? list : undefined;
    });
    const late = groups.find((g) => g.title === 'BatchLate is failing')!;
    const done = groups.find((g) => g.title === 'BatchDone is failing')!;
    // One stops firing during the silence; nobody is paged for either.
    expect((await ts.call('POST', `/api/v1/alert-groups/${done.id}/resolve`, { token: rin.token })).status).toBe(200);
    const pagesFor = async (groupId: string) => ((await ts.call('GET', '/api/v1/pages?status=all', { token: ts.admin.token })).body.pages as { id: string; alertGroupId: string | null }[]).filter((p) => p.alertGroupId === groupId);
    // Re-markings that overlap (the minute's, and one after a change of silences) leave it silenced.
    await Promise.all([1, 2, 3, 4].map(() => ts.server.ctx.alerts.refreshSuppression()));
    await new Promise((r) => setTimeout(r, 300));
    expect(await pagesFor(late.id)).toEqual([]);
    expect((await ts.call('GET', `/api/v1/alert-groups/${late.id}`, { token: ts.admin.token })).body.incident).toBeNull();
    expect((await ts.call('GET', `/api/v1/alert-groups/${late.id}`, { token: ts.admin.token })).body.suppressedBy).toMatchObject({ kind: 'silence', id: silence.body.id });

    // The silence ends: the group still firing pages, once; the resolved one stays quiet.
    expect((await ts.call('DELETE', `/api/v1/silences/${silence.body.id}`, { token: ts.admin.token })).status).toBeLessThan(300);
    const [page] = await until(async () => ((await pagesFor(late.id)).length ? pagesFor(late.id) : undefined));
    expect(page).toBeDefined();
    await ts.server.ctx.alerts.refreshSuppression(); // the minute's re-marking finds nothing new to page
    await new Promise((r) => setTimeout(r, 300));
    expect(await pagesFor(late.id)).toHaveLength(1);
    expect(await pagesFor(done.id)).toEqual([]);
    // Its route declares incidents: held back by the silence, declared now; not for the resolved one.
    const group = (id: string) => ts.call('GET', `/api/v1/alert-groups/${id}`, { token: ts.admin.token });
    await drainJobs(ts.server.ctx, new JobQueue(ts.server.ctx.storage), 'test', Infinity, [DECLARE_FROM_GROUP]); // the clock sweep's work
    expect((await group(late.id)).body.incident).toMatchObject({ title: 'BatchLate is failing' });
    expect((await group(done.id)).body.incident).toBeNull();
  });

  it('a viewer’s link does not act: the API would not let them either', async () => {
    const before = smtp.mails.length;
    await ts.call('POST', '/api/v1/pages', { token: rin.token, body: { title: 'For the viewer', target: { type: 'user', id: vic.id } } });
    const mail = (await smtp.waitFor(before + 1)).at(-1)!;
    const link = /(\/page-links\/ack\?token=[^\s"<]+)/.exec(mail.raw.replace(/=\r\n/g, '').replace(/=3D/g, '='))![1]!;
    const res = await fetch(ts.url + link, { method: 'POST' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('viewer');
  });
});
