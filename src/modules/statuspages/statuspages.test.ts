// The status pages admin API over real HTTP, against SQLite and PostgreSQL: pages, groups,
// components and their manual status, roles, and refusals that name the field and store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/event-bus.js';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const TABLES = ['status_pages', 'status_component_groups', 'status_components', 'status_component_changes', 'status_maintenances', 'status_subscribers', 'status_incident_components'] as const;

describe.each(DATABASE_KINDS)('status pages (%s)', (kind) => {
  let ts: TestServer;
  let responder: { id: string; token: string };
  let viewer: { id: string; token: string };
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    ts = await startTestServer(kind);
    responder = await ts.user('responder', 'Rin Responder');
    viewer = await ts.user('viewer', 'Vic Viewer');
    ts.server.ctx.bus.subscribe((e) => events.push(e));
  });
  afterAll(async () => ts?.close());

  const api = (method: string, path: string, body?: unknown, token = ts.admin.token) => ts.call(method, `/api/v1${path}`, { token, body });
  const created = async (path: string, body: unknown, token?: string) => {
    const res = await api('POST', path, body, token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const counts = async () => {
    const db = ts.server.ctx.storage.db;
    const out = {} as Record<(typeof TABLES)[number], number>;
    for (const t of TABLES) out[t] = Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
    return out;
  };
  const changedPages = () => events.filter((e) => e.type === 'statuspage.changed').flatMap((e) => e.data!.pageIds as string[]);

  it('creates a page with defaults, reads it by id or slug, and changes it', async () => {
    const page = await created('/status-pages', { slug: 'acme', name: 'Acme Cloud' });
    expect(page).toMatchObject({ slug: 'acme', name: 'Acme Cloud', description: '', host: null, logoUrl: null, brandColor: '#b91c1c', locale: 'en', timeZone: 'UTC', supportUrl: null });
    expect(changedPages()).toContain(page.id);
    expect((await api('GET', `/status-pages/${page.id}`, undefined, viewer.token)).body.slug).toBe('acme');
    expect((await api('GET', '/status-pages/acme', undefined, viewer.token)).body).toMatchObject({ id: page.id, groups: [], components: [], maintenances: [], incidents: [] });

    const patched = await api('PATCH', '/status-pages/acme', {
      slug: 'acme-cloud', host: 'status.acme.example', logoUrl: `data:image/png;base64,${PNG_1PX}`, brandColor: '#0F766E', locale: 'ja', timeZone: 'Asia/Tokyo', supportUrl: 'https://acme.example/support',
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ slug: 'acme-cloud', host: 'status.acme.example', brandColor: '#0f766e', locale: 'ja', timeZone: 'Asia/Tokyo' });
    expect((await api('GET', '/status-pages/acme', undefined, viewer.token)).status).toBe(404);
    const cleared = await api('PATCH', `/status-pages/${page.id}`, { host: null, logoUrl: 'https://acme.example/logo.svg' });
    expect(cleared.body).toMatchObject({ host: null, logoUrl: 'https://acme.example/logo.svg' });
    const list = await api('GET', '/status-pages', undefined, viewer.token);
    expect(list.body.pages.find((p: { id: string }) => p.id === page.id)).toMatchObject({ slug: 'acme-cloud', componentCount: 0 });

    const audit = JSON.stringify((await api('GET', '/audit?limit=10')).body);
    expect(audit).toContain('status_page.create');
    expect(audit).toContain('status_page.update');
    expect(audit).not.toContain(PNG_1PX); // an inline logo is summarised in the audit log
  });

  it('refuses a slug or host another page has, with 409 naming the field', async () => {
    await created('/status-pages', { slug: 'taken', name: 'Taken', host: 'status.taken.example' });
    const before = await counts();
    const slug = await api('POST', '/status-pages', { slug: 'taken', name: 'Again' });
    expect(slug.status).toBe(409);
    expect(slug.headers.get('content-type')).toContain('application/problem+json');
    expect(slug.body.errors).toEqual([{ field: 'body.slug', message: 'already in use' }]);
    const host = await api('POST', '/status-pages', { slug: 'other', name: 'Other', host: 'status.taken.example' });
    expect(host.body.errors[0].field).toBe('body.host');
    const other = await created('/status-pages', { slug: 'other-2', name: 'Other' });
    expect((await api('PATCH', `/status-pages/${other.id}`, { slug: 'taken' })).status).toBe(409);
    expect((await api('PATCH', `/status-pages/${other.id}`, { slug: 'other-2' })).status).toBe(200); // its own slug is fine
    expect({ ...(await counts()), status_pages: before.status_pages }).toEqual(before);

    // Racing for one slug (several nodes, double clicks): one wins, the others hear 409 naming the field.
    const race = await Promise.all(Array.from({ length: 5 }, (_, i) => api('POST', '/status-pages', { slug: 'raced', name: `Racer ${i}` })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(race.find((r) => r.status === 409)!.body.errors[0].field).toBe('body.slug');
  });

  it('orders groups and components, and deleting a group leaves its components ungrouped', async () => {
    const page = await created('/status-pages', { slug: 'ordering', name: 'Ordering' });
    const p = `/status-pages/${page.id}`;
    const website = await created(`${p}/components`, { name: 'Website' });
    const core = await created(`${p}/groups`, { name: 'Core', description: 'What everything needs' });
    const apiC = await created(`${p}/components`, { name: 'API', groupId: core.id, position: 1 });
    const db = await created(`${p}/components`, { name: 'Database', groupId: core.id, position: 0, status: 'degraded_performance' });
    expect([website.position, core.position]).toEqual([0, 1]);
    expect(db).toMatchObject({ manualStatus: 'degraded_performance', status: 'degraded_performance', groupId: core.id });

    const detail = (await api('GET', p, undefined, viewer.token)).body;
    expect(detail.components.map((c: { name: string }) => c.name)).toEqual(['Website', 'Database', 'API']);
    expect(detail.groups).toMatchObject([{ name: 'Core', componentIds: [db.id, apiC.id] }]);

    const moved = await api('PATCH', `${p}/components/${website.id}`, { groupId: core.id, position: 2, name: 'Web site' });
    expect(moved.body).toMatchObject({ groupId: core.id, position: 2, name: 'Web site' });
    const renamed = await api('PATCH', `${p}/groups/${core.id}`, { name: 'Core services' });
    expect(renamed.body).toMatchObject({ name: 'Core services', componentIds: [db.id, apiC.id, website.id] });

    expect((await api('DELETE', `${p}/groups/${core.id}`)).status).toBe(204);
    const after = (await api('GET', p, undefined, viewer.token)).body;
    expect(after.groups).toEqual([]);
    expect(after.components.every((c: { groupId: string | null }) => c.groupId === null)).toBe(true);
    expect(after.components).toHaveLength(3);

    expect((await api('DELETE', `${p}/components/${apiC.id}`)).status).toBe(204);
    expect((await api('GET', p)).body.components.map((c: { id: string }) => c.id)).not.toContain(apiC.id);
  });

  it('records every manual status change, lets responders set it, and not viewers', async () => {
    const page = await created('/status-pages', { slug: 'manual', name: 'Manual' });
    const c = await created(`/status-pages/manual/components`, { name: 'Queue' });
    const set = (status: string, token: string) => api('PUT', `/status-pages/manual/components/${c.id}/status`, { status }, token);
    expect((await set('partial_outage', viewer.token)).status).toBe(403);
    const res = await set('partial_outage', responder.token);
    expect(res.body).toMatchObject({ manualStatus: 'partial_outage', status: 'partial_outage' });
    await set('partial_outage', responder.token); // the same again changes nothing
    await set('operational', responder.token);
    const rows = await ts.server.ctx.storage.db.selectFrom('status_component_changes').select(['status', 'actor_id']).where('component_id', '=', c.id).orderBy('at').orderBy('id').execute();
    expect(rows.map((r) => r.status)).toEqual(['operational', 'partial_outage', 'operational']);
    expect(rows[1]!.actor_id).toBe(responder.id);
    const state = await ts.server.ctx.statusPages.pageState('manual', Date.now() + 1000, { baseUrl: '', subscribeAction: null });
    expect(state.components[0]!.history).toHaveLength(1);
    expect(state.components[0]!.history[0]).toMatchObject({ status: 'partial_outage' });
    expect(state.components[0]!.history[0]!.to).not.toBeNull();
    expect(state.page.id).toBe(page.id);
  });

  it('lets only admins shape pages; viewers read; nobody unauthenticated', async () => {
    const page = await created('/status-pages', { slug: 'roles', name: 'Roles' });
    const g = await created('/status-pages/roles/groups', { name: 'G' });
    const c = await created('/status-pages/roles/components', { name: 'C' });
    for (const token of [viewer.token, responder.token]) {
      expect((await api('POST', '/status-pages', { slug: 'nope', name: 'x' }, token)).status).toBe(403);
      expect((await api('PATCH', `/status-pages/${page.id}`, { name: 'x' }, token)).status).toBe(403);
      expect((await api('DELETE', `/status-pages/${page.id}`, undefined, token)).status).toBe(403);
      expect((await api('POST', '/status-pages/roles/groups', { name: 'x' }, token)).status).toBe(403);
      expect((await api('PATCH', `/status-pages/roles/groups/${g.id}`, { name: 'x' }, token)).status).toBe(403);
      expect((await api('DELETE', `/status-pages/roles/components/${c.id}`, undefined, token)).status).toBe(403);
      expect((await api('POST', '/status-pages/roles/components', { name: 'x' }, token)).status).toBe(403);
    }
    expect((await ts.call('GET', '/api/v1/status-pages')).status).toBe(401);
    expect((await api('GET', '/status-pages/roles', undefined, viewer.token)).status).toBe(200);
  });

  it('documents its API in the OpenAPI document', async () => {
    const doc = (await ts.call('GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/status-pages/{page}', '/api/v1/status-pages/{page}/maintenances/{id}/updates', '/api/v1/incidents/{id}/status-page',
    ]));
  });

  it('answers 404 for unknown pages, groups and components', async () => {
    await created('/status-pages', { slug: 'found', name: 'Found' });
    const missing = await api('GET', '/status-pages/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect((await api('PATCH', '/status-pages/found/groups/nope', { name: 'x' })).status).toBe(404);
    expect((await api('DELETE', '/status-pages/found/groups/nope')).status).toBe(404);
    expect((await api('PATCH', '/status-pages/found/components/nope', { name: 'x' })).status).toBe(404);
    expect((await api('PUT', '/status-pages/found/components/nope/status', { status: 'major_outage' })).status).toBe(404);
    expect((await api('DELETE', '/status-pages/nowhere')).status).toBe(404);
  });

  it('refuses malformed bodies with 400 naming the field, and stores nothing', async () => {
    const page = await created('/status-pages', { slug: 'strict', name: 'Strict' });
    const other = await created('/status-pages', { slug: 'strict-other', name: 'Other' });
    const foreignGroup = await created(`/status-pages/${other.id}/groups`, { name: 'Theirs' });
    const c = await created('/status-pages/strict/components', { name: 'Mine' });
    const before = await counts();
    const big = 'A'.repeat(Math.ceil((210 * 1024) / 3) * 4);
    const cases: [string, string, unknown, string][] = [
      ['POST', '/status-pages', { name: 'No slug' }, 'body.slug'],
      ['POST', '/status-pages', { slug: 'Bad Slug', name: 'x' }, 'body.slug'],
      ['POST', '/status-pages', { slug: '-lead', name: 'x' }, 'body.slug'],
      ['POST', '/status-pages', { slug: 'a--b', name: 'x' }, 'body.slug'],
      ['POST', '/status-pages', { slug: 'a'.repeat(65), name: 'x' }, 'body.slug'],
      ['POST', '/status-pages', { slug: 'ok', name: 5 }, 'body.name'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x'.repeat(101) }, 'body.name'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', description: 'x'.repeat(1001) }, 'body.description'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', host: 'Status.Example.com' }, 'body.host'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', host: '10.0.0.1' }, 'body.host'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', host: 'localhost' }, 'body.host'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', host: 'status' }, 'body.host'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', host: '::1' }, 'body.host'],
      ['PATCH', '/status-pages/strict', { host: '127.0.0.1' }, 'body.host'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', host: 'status..example.com' }, 'body.host'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', host: 'status.example.com:8080' }, 'body.host'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', logoUrl: 'http://example.com/logo.png' }, 'body.logoUrl'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', logoUrl: 'javascript:alert(1)' }, 'body.logoUrl'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', logoUrl: `data:image/bmp;base64,${PNG_1PX}` }, 'body.logoUrl'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', logoUrl: 'data:image/png;base64,not base64!' }, 'body.logoUrl'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', logoUrl: `data:image/png;base64,${big}` }, 'body.logoUrl'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', logoUrl: `https://example.com/${'x'.repeat(2000)}` }, 'body.logoUrl'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', brandColor: 'red' }, 'body.brandColor'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', brandColor: '#12345' }, 'body.brandColor'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', locale: 'fr' }, 'body.locale'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', timeZone: 'Mars/Olympus_Mons' }, 'body.timeZone'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', supportUrl: 'ftp://example.com' }, 'body.supportUrl'],
      ['POST', '/status-pages', { slug: 'ok', name: 'x', theme: 'dark' }, 'body.theme'],
      ['PATCH', '/status-pages/strict', { timeZone: 'Nowhere/Special' }, 'body.timeZone'],
      ['PATCH', '/status-pages/strict', { slug: 5 }, 'body.slug'],
      ['PATCH', '/status-pages/strict', { id: 'x' }, 'body.id'],
      ['POST', '/status-pages/strict/groups', { name: '' }, 'body.name'],
      ['POST', '/status-pages/strict/groups', { name: 'x', position: -1 }, 'body.position'],
      ['POST', '/status-pages/strict/groups', { name: 'x', pageId: page.id }, 'body.pageId'],
      ['PATCH', `/status-pages/strict/groups/${foreignGroup.id}`, { position: 1.5 }, 'body.position'],
      ['POST', '/status-pages/strict/components', { name: 'x', groupId: foreignGroup.id }, 'body.groupId'],
      ['POST', '/status-pages/strict/components', { name: 'x', status: 'down' }, 'body.status'],
      ['POST', '/status-pages/strict/components', { name: ['x'] }, 'body.name'],
      ['PATCH', `/status-pages/strict/components/${c.id}`, { groupId: foreignGroup.id }, 'body.groupId'],
      ['PATCH', `/status-pages/strict/components/${c.id}`, { status: 'major_outage' }, 'body.status'],
      ['PUT', `/status-pages/strict/components/${c.id}/status`, { status: 'broken' }, 'body.status'],
      ['PUT', `/status-pages/strict/components/${c.id}/status`, {}, 'body.status'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await api(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body).slice(0, 200)}`).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(body).slice(0, 200)).toContain(field);
    }
    const ja = await ts.call('POST', '/api/v1/status-pages', { token: ts.admin.token, body: { slug: 'Bad', name: 'x' }, headers: { 'accept-language': 'ja' } });
    expect(ja.body.errors).toEqual([{ field: 'body.slug', message: '英小文字と数字で、ハイフンは間に 1 つずつ入れてください（例: acme-cloud）' }]);
    const notJson = await ts.call('POST', '/api/v1/status-pages', { token: ts.admin.token, raw: '{"slug":' });
    expect(notJson.status).toBe(400);
    expect(await counts()).toEqual(before);
    expect((await api('GET', '/status-pages/strict')).body.timeZone).toBe('UTC');
  });

  it('deletes a page with its components, groups, history, maintenance, subscribers and incident links in one go', async () => {
    const keep = await created('/status-pages', { slug: 'keep', name: 'Keep' });
    await created('/status-pages/keep/components', { name: 'Stays' });
    const page = await created('/status-pages', { slug: 'doomed', name: 'Doomed' });
    const g = await created('/status-pages/doomed/groups', { name: 'G' });
    const c = await created('/status-pages/doomed/components', { name: 'C', groupId: g.id });
    await api('PUT', `/status-pages/doomed/components/${c.id}/status`, { status: 'major_outage' });
    await created('/status-pages/doomed/maintenances', {
      title: 'Upgrade', startsAt: new Date(Date.now() + 3600_000).toISOString(), endsAt: new Date(Date.now() + 7200_000).toISOString(), componentIds: [c.id], body: 'Upgrading.',
    }, responder.token);
    const incident = await created('/incidents', { title: 'Broken', severity: 'SEV2' });
    expect((await api('PUT', `/incidents/${incident.ref}/status-page`, { components: [{ componentId: c.id, status: 'partial_outage' }] })).status).toBe(200);
    const now = new Date().toISOString();
    await ts.server.ctx.storage.db.insertInto('status_subscribers').values({
      id: 'sub-doomed', page_id: page.id, kind: 'email', target: 'reader@example.com', secret_sealed: null, locale: 'en', component_ids_json: null,
      confirmed_at: now, unsubscribed_at: null, created_at: now, updated_at: now,
    }).execute();
    const before = await counts();
    events.length = 0;

    expect((await api('DELETE', '/status-pages/doomed')).status).toBe(204);
    expect(changedPages()).toEqual([page.id]);
    const after = await counts();
    expect(after).toEqual({
      ...before, status_pages: before.status_pages - 1, status_component_groups: before.status_component_groups - 1, status_components: before.status_components - 1,
      status_component_changes: before.status_component_changes - 2, status_maintenances: before.status_maintenances - 1, status_subscribers: before.status_subscribers - 1,
      status_incident_components: before.status_incident_components - 1,
    });
    expect((await api('GET', `/status-pages/${keep.id}`)).body.components).toHaveLength(1);
    expect((await api('GET', `/incidents/${incident.ref}/status-page`)).body.components).toEqual([]);
  });
});
