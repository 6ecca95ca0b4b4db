// Incidents on status pages over real HTTP, against SQLite and PostgreSQL: linking components as
// segments in time, the timeline entry, and what the public PageState shows (public words only,
// never drills, never the incident's own title), with the revision that tells other nodes to rebuild.
// Resolving reaches the page whatever was said in public, and reopening keeps the resolved time a gap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/event-bus.js';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { publicTitleOf } from './page-state.js';
import { renderPage } from './render/index.js';

describe.each(DATABASE_KINDS)('incidents on status pages (%s)', (kind) => {
  let ts: TestServer;
  let responder: { id: string; token: string };
  let viewer: { id: string; token: string };
  let page: { id: string };
  let other: { id: string };
  let apiC: { id: string };
  let webC: { id: string };
  let billing: { id: string };
  let group: { id: string };
  const events: DomainEvent[] = [];

  const call = (method: string, path: string, body?: unknown, token = responder.token) => ts.call(method, `/api/v1${path}`, { token, body });
  const state = (ref = 'shop', at = Date.now()) => ts.server.ctx.statusPages.pageState(ref, at, { baseUrl: 'https://status.example.com/', subscribeAction: null });
  const segments = (incidentId: string) => ts.server.ctx.storage.db.selectFrom('status_incident_components').selectAll()
    .where('incident_id', '=', incidentId).orderBy('from_at').orderBy('id').execute();
  const declare = async (title: string, drill = false) => {
    const res = await call('POST', '/incidents', { title, severity: 'SEV2', drill });
    expect(res.status).toBe(201);
    return res.body as { id: string; ref: string; number: number };
  };
  const post = (ref: string, audience: string, body: string, phase?: string) => call('POST', `/incidents/${ref}/updates`, { audience, body, ...(phase ? { phase } : {}) });
  const movePhase = async (ref: string, phase: string) => {
    const res = await call('POST', `/incidents/${ref}/phase`, { phase });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { metrics: { resolvedAt: string | null } };
  };
  /** Every file of the rendered page, and its Statuspage summary. */
  const rendered = async (ref = 'shop') => {
    const files = renderPage(await state(ref));
    return { files, summary: JSON.parse(files.find((f) => f.path === 'api/v2/summary.json')!.body) };
  };
  const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct timestamps between steps

  beforeAll(async () => {
    ts = await startTestServer(kind);
    responder = await ts.user('responder', 'Rin Responder');
    viewer = await ts.user('viewer', 'Vic Viewer');
    const admin = async (path: string, body: unknown) => (await ts.call('POST', `/api/v1${path}`, { token: ts.admin.token, body })).body;
    page = await admin('/status-pages', { slug: 'shop', name: 'Shop' });
    other = await admin('/status-pages', { slug: 'billing', name: 'Billing site' });
    group = await admin('/status-pages/shop/groups', { name: 'Storefront', position: 5 });
    apiC = await admin('/status-pages/shop/components', { name: 'API', position: 1 });
    webC = await admin('/status-pages/shop/components', { name: 'Web', groupId: group.id, position: 0 });
    billing = await admin('/status-pages/billing/components', { name: 'Payments' });
    ts.server.ctx.bus.subscribe((e) => events.push(e));
  });
  afterAll(async () => ts?.close());

  it('links components as segments, closes and reopens them on change, and records it on the timeline', async () => {
    const inc = await declare('Primary DB OOM-killed on db-3');
    const empty = await call('GET', `/incidents/${inc.ref}/status-page`, undefined, viewer.token);
    expect(empty.body).toMatchObject({ incidentId: inc.id, publicTitle: null, publicUpdates: 0, firstPublicUpdateAt: null, components: [], drill: false });

    events.length = 0;
    const first = await call('PUT', `/incidents/${inc.ref}/status-page`, {
      publicTitle: 'Checkout errors', components: [{ componentId: apiC.id, status: 'partial_outage' }, { componentId: billing.id, status: 'degraded_performance' }],
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ publicTitle: 'Checkout errors' });
    expect(first.body.components.map((c: { name: string; pageName: string; status: string }) => [c.name, c.pageName, c.status]).sort())
      .toEqual([['API', 'Shop', 'partial_outage'], ['Payments', 'Billing site', 'degraded_performance']]);
    expect(events.find((e) => e.type === 'statuspage.changed')!.data!.pageIds).toEqual(expect.arrayContaining([page.id, other.id]));

    const second = await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: apiC.id, status: 'major_outage' }, { componentId: webC.id, status: 'degraded_performance' }] });
    expect(second.body.publicTitle).toBe('Checkout errors'); // absent: kept
    const rows = await segments(inc.id);
    const api = rows.filter((r) => r.component_id === apiC.id);
    expect(api.map((r) => r.status)).toEqual(['partial_outage', 'major_outage']);
    expect(api[0]!.to_at).toBe(api[1]!.from_at);
    expect(api[1]!.to_at).toBeNull();
    expect(rows.find((r) => r.component_id === billing.id)!.to_at).not.toBeNull();
    expect(rows.find((r) => r.component_id === webC.id)!.to_at).toBeNull();

    // The same again changes nothing: no new segment, no timeline entry.
    await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: webC.id, status: 'degraded_performance' }, { componentId: apiC.id, status: 'major_outage' }] });
    expect(await segments(inc.id)).toHaveLength(rows.length);

    const timeline = (await call('GET', `/incidents/${inc.ref}/timeline?lang=en`, undefined, viewer.token)).body.events as { kind: string; body: string }[];
    const entries = timeline.filter((e) => e.kind === 'statuspage.components');
    expect(entries).toHaveLength(2);
    expect(entries[0]!.body).toBe('Status page — API (Shop): partial outage; Payments (Billing site): degraded performance; public title “Checkout errors”');
    expect(entries[1]!.body).toBe('Status page — Web (Shop): degraded performance; API (Shop): partial outage → major outage; Payments (Billing site) no longer affected');
    const ja = (await call('GET', `/incidents/${inc.ref}/timeline?lang=ja`, undefined, viewer.token)).body.events as { kind: string; body: string }[];
    expect(ja.filter((e) => e.kind === 'statuspage.components')[1]!.body).toContain('一部障害 → 重大な障害');
    expect(JSON.stringify((await call('GET', '/audit?limit=5', undefined, ts.admin.token)).body)).toContain('incident.status_page');

    // An empty list: nothing is affected any more; null: back to the incident's own title.
    const cleared = await call('PUT', `/incidents/${inc.ref}/status-page`, { publicTitle: null, components: [] });
    expect(cleared.body).toMatchObject({ publicTitle: null, components: [] });
    expect((await segments(inc.id)).every((r) => r.to_at !== null)).toBe(true);
  });

  it('refuses bad links with 400 naming the field, storing nothing; viewers cannot link', async () => {
    const inc = await declare('Refusals');
    const cases: [unknown, string][] = [
      [{ components: [{ componentId: 'nope', status: 'major_outage' }] }, 'body.components.0.componentId'],
      [{ components: [{ componentId: apiC.id, status: 'major_outage' }, { componentId: apiC.id, status: 'partial_outage' }] }, 'body.components.1.componentId'],
      [{ components: [{ componentId: apiC.id, status: 'under_maintenance' }] }, 'body.components.0.status'],
      [{ components: [{ componentId: apiC.id }] }, 'body.components.0.status'],
      [{ components: [{ componentId: apiC.id, status: 'major_outage', extra: 1 }] }, 'body.components.0.extra'],
      [{ publicTitle: '', components: [] }, 'body.publicTitle'],
      [{ publicTitle: 'x' }, 'body.components'],
      [{ components: 'all' }, 'body.components'],
    ];
    for (const [body, field] of cases) {
      const res = await call('PUT', `/incidents/${inc.ref}/status-page`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: apiC.id, status: 'major_outage' }] }, viewer.token)).status).toBe(403);
    expect((await call('PUT', '/incidents/INC-9999/status-page', { components: [] })).status).toBe(404);
    expect(await segments(inc.id)).toEqual([]);
    expect((await call('GET', `/incidents/${inc.ref}/status-page`)).body.publicTitle).toBeNull();
  });

  it('shows an incident publicly only from its first public update, with public words only', async () => {
    const inc = await declare('INTERNAL: replica lag from bad index on orders');
    await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: webC.id, status: 'partial_outage' }] });
    await post(inc.ref, 'internal', 'SECRET-INTERNAL dropping idx_orders_user', 'identified');
    await post(inc.ref, 'stakeholder', 'SECRET-STAKEHOLDER revenue impact 2%');

    const before = await state();
    expect(before.incidents.map((i) => i.id)).not.toContain(inc.id);
    expect(before.components.find((c) => c.id === webC.id)!.status).toBe('partial_outage'); // the component turns at once
    const admin = (await call('GET', '/status-pages/shop', undefined, viewer.token)).body;
    expect(admin.incidents.find((i: { id: string }) => i.id === inc.id)).toMatchObject({ ref: inc.ref, firstPublicUpdateAt: null, minutesSinceDeclared: 0, publicTitle: null, components: [{ componentId: webC.id, status: 'partial_outage' }] });

    const revision = await ts.server.ctx.statusPages.revision();
    expect(await ts.server.ctx.statusPages.revision()).toBe(revision);
    expect((await post(inc.ref, 'public', 'Some pages load slowly. We are on it.')).status).toBe(201);
    expect(await ts.server.ctx.statusPages.revision()).not.toBe(revision);

    const s = await state();
    const shown = s.incidents.find((i) => i.id === inc.id)!;
    // No public title yet: a neutral one, never the incident's own (internal) title.
    expect(shown).toMatchObject({
      number: inc.number, title: 'Service disruption', phase: 'identified', impact: 'major', monitoringAt: null, resolvedAt: null,
      components: [{ id: webC.id, status: 'partial_outage' }],
    });
    expect(shown.updates).toMatchObject([{ phase: 'identified', body: 'Some pages load slowly. We are on it.' }]);
    const json = JSON.stringify(s);
    for (const secret of ['SECRET-INTERNAL', 'SECRET-STAKEHOLDER', 'replica lag']) expect(json).not.toContain(secret);
    const { files, summary } = await rendered();
    for (const f of files) expect(f.body, f.path).not.toContain('replica lag');
    expect(files.find((f) => f.path === `incidents/${inc.id}.html`)!.body).toContain('Service disruption');
    expect(files.find((f) => f.path === `ja/incidents/${inc.id}.html`)!.body).toContain('Service disruption'); // the page's language, on every version of it
    expect(summary.incidents.find((i: { id: string }) => i.id === inc.id).name).toBe('Service disruption');
    expect(publicTitleOf({ public_title: null }, 'ja')).toBe('サービス障害');
    expect((await call('GET', `/incidents/${inc.ref}/status-page`)).body).toMatchObject({ publicUpdates: 1 });
    expect((await call('GET', '/status-pages/shop')).body.incidents.find((i: { id: string }) => i.id === inc.id).firstPublicUpdateAt).not.toBeNull();

    // A public title replaces the internal one; null goes back to it.
    await call('PUT', `/incidents/${inc.ref}/status-page`, { publicTitle: 'Slow pages', components: [{ componentId: webC.id, status: 'partial_outage' }] });
    expect((await state()).incidents.find((i) => i.id === inc.id)!.title).toBe('Slow pages');

    // Monitoring, then resolved: components go back to operational, history keeps the interval.
    await post(inc.ref, 'public', 'A fix is in place; we are watching.', 'monitoring');
    await post(inc.ref, 'public', 'All pages load normally again.', 'resolved');
    const after = await state(undefined, Date.now() + 1000);
    const done = after.incidents.find((i) => i.id === inc.id)!;
    expect(done.phase).toBe('resolved');
    expect(done.monitoringAt).not.toBeNull();
    expect(done.resolvedAt).not.toBeNull();
    expect(done.updates.map((u) => u.phase)).toEqual(['resolved', 'monitoring', 'identified']);
    expect(done.components).toEqual([{ id: webC.id, status: 'operational' }]);
    const web = after.components.find((c) => c.id === webC.id)!;
    expect(web.status).toBe('operational');
    expect(web.history.at(-1)).toMatchObject({ status: 'partial_outage' });
    expect(web.history.at(-1)!.to).not.toBeNull();
  });

  it('never shows drills, not even their public updates or their impact', async () => {
    const drill = await declare('Drill: region DNS fails', true);
    await call('PUT', `/incidents/${drill.ref}/status-page`, { publicTitle: 'DRILL-TITLE', components: [{ componentId: billing.id, status: 'major_outage' }] });
    await post(drill.ref, 'public', 'DRILL-PUBLIC-BODY');
    const s = await state('billing');
    expect(s.incidents).toEqual([]);
    expect(s.components[0]!.status).toBe('operational');
    expect(s.components[0]!.history.every((h) => h.status !== 'major_outage')).toBe(true);
    expect(JSON.stringify(s)).not.toMatch(/DRILL-/);
    expect((await call('GET', '/status-pages/billing')).body.incidents).toEqual([]);
    expect((await call('GET', `/incidents/${drill.ref}/status-page`)).body.drill).toBe(true);
  });

  it('builds the whole page: display order, groups, impact from the worst status, the serving index', async () => {
    const inc = await declare('Everything is on fire');
    await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: apiC.id, status: 'degraded_performance' }] });
    await post(inc.ref, 'public', 'Investigating.');
    await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: apiC.id, status: 'major_outage' }] });
    await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: apiC.id, status: 'degraded_performance' }] });
    const s = await state();
    expect(s.page).toMatchObject({ id: page.id, slug: 'shop', name: 'Shop', brandColor: '#b91c1c', locale: 'en', timeZone: 'UTC' });
    expect(s.baseUrl).toBe('https://status.example.com/');
    expect(s.components.map((c) => c.name)).toEqual(['API', 'Web']); // API (position 1) before the group (position 5)
    expect(s.groups).toMatchObject([{ id: group.id, name: 'Storefront', componentIds: [webC.id] }]);
    const shown = s.incidents.find((i) => i.id === inc.id)!;
    expect(shown.impact).toBe('critical'); // the worst it ever was, not what it is now
    expect(shown.components).toEqual([{ id: apiC.id, status: 'degraded_performance' }]);
    expect(s.incidents[0]!.id).toBe(inc.id); // newest first
    expect(await ts.server.ctx.statusPages.servingIndex()).toEqual(expect.arrayContaining([{ id: page.id, slug: 'shop', host: null }, { id: other.id, slug: 'billing', host: null }]));
    await expect(ts.server.ctx.statusPages.pageState('nope', Date.now(), { baseUrl: '', subscribeAction: null })).rejects.toMatchObject({ status: 404 });
  });

  it('shows an incident resolved once it is, without a public "resolved" word; reopened, as it was last told', async () => {
    const admin = async (path: string, body: unknown) => (await ts.call('POST', `/api/v1${path}`, { token: ts.admin.token, body })).body;
    await admin('/status-pages', { slug: 'quiet', name: 'Quiet' });
    const dbC = await admin('/status-pages/quiet/components', { name: 'Database' });
    const inc = await declare('Disk full on db-7');
    await call('PUT', `/incidents/${inc.ref}/status-page`, { publicTitle: 'Failing writes', components: [{ componentId: dbC.id, status: 'major_outage' }] });
    await post(inc.ref, 'public', 'We are looking into failing writes.');
    const open = (await rendered('quiet')).summary;
    expect(open.status.indicator).toBe('critical');
    expect(open.incidents.map((i: { id: string }) => i.id)).toEqual([inc.id]);

    const { metrics } = await movePhase(inc.ref, 'resolved'); // through the incidents API, nothing said in public
    const s = await state('quiet');
    expect(s.incidents[0]).toMatchObject({ id: inc.id, phase: 'resolved', resolvedAt: metrics.resolvedAt, components: [{ id: dbC.id, status: 'operational' }] });
    expect(s.incidents[0]!.updates.map((u) => [u.phase, u.body])).toEqual([['investigating', 'We are looking into failing writes.']]);
    const resolved = (await rendered('quiet')).summary;
    expect(resolved.incidents).toEqual([]);
    expect(resolved.status.indicator).toBe('none');
    expect(resolved.components.map((c: { status: string }) => c.status)).toEqual(['operational']);

    await movePhase(inc.ref, 'identified'); // reopened: what the public was last told, and down again
    expect((await state('quiet')).incidents[0]).toMatchObject({ id: inc.id, phase: 'investigating', resolvedAt: null, components: [{ id: dbC.id, status: 'major_outage' }] });
    expect((await rendered('quiet')).summary.status.indicator).toBe('critical');
    await movePhase(inc.ref, 'resolved');
  });

  it('keeps the resolved time a gap in availability history when an incident is reopened', async () => {
    const inc = await declare('Cache stampede');
    await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: billing.id, status: 'partial_outage' }] });
    await post(inc.ref, 'public', 'Payments are failing for some customers.');
    await tick();
    const first = (await movePhase(inc.ref, 'resolved')).metrics.resolvedAt!;
    expect((await segments(inc.id)).map((r) => r.to_at)).toEqual([first]); // resolving closed it
    await tick();
    await movePhase(inc.ref, 'investigating');
    const rows = await segments(inc.id);
    expect(rows.map((r) => [r.component_id, r.status, r.to_at])).toEqual([[billing.id, 'partial_outage', first], [billing.id, 'partial_outage', null]]);
    expect(rows[1]!.from_at > first).toBe(true);
    expect((await call('GET', `/incidents/${inc.ref}/status-page`)).body.components).toMatchObject([{ componentId: billing.id, status: 'partial_outage' }]);

    // (Payments has earlier history from the first test.)
    const history = () => state('billing', Date.now() + 1000).then((s) => s.components.find((c) => c.id === billing.id)!.history.filter((h) => h.from >= rows[0]!.from_at));
    expect(await history()).toEqual([
      { status: 'partial_outage', from: rows[0]!.from_at, to: first },
      { status: 'partial_outage', from: rows[1]!.from_at, to: null },
    ]);
    await tick();
    const second = (await movePhase(inc.ref, 'resolved')).metrics.resolvedAt!;
    expect(await history()).toEqual([
      { status: 'partial_outage', from: rows[0]!.from_at, to: first },
      { status: 'partial_outage', from: rows[1]!.from_at, to: second },
    ]);
    // Resolved, what it affected stays on view in the war room but cannot change until it is reopened.
    expect((await call('GET', `/incidents/${inc.ref}/status-page`)).body.components).toMatchObject([{ componentId: billing.id, status: 'partial_outage' }]);
    const change = await call('PUT', `/incidents/${inc.ref}/status-page`, { components: [{ componentId: billing.id, status: 'major_outage' }] });
    expect(change.status).toBe(409);
    expect((await call('PUT', `/incidents/${inc.ref}/status-page`, { publicTitle: 'Payment errors', components: [{ componentId: billing.id, status: 'partial_outage' }] })).status).toBe(200);
    expect(await segments(inc.id)).toHaveLength(2);
  });

  it('lets the revision notice deletions', async () => {
    const c = (await ts.call('POST', '/api/v1/status-pages/billing/components', { token: ts.admin.token, body: { name: 'Temporary' } })).body;
    const before = await ts.server.ctx.statusPages.revision();
    expect((await ts.call('DELETE', `/api/v1/status-pages/billing/components/${c.id}`, { token: ts.admin.token })).status).toBe(204);
    expect(await ts.server.ctx.statusPages.revision()).not.toBe(before);
  });
});
