// Scheduled maintenance over real HTTP, against SQLite and PostgreSQL: the lifecycle, the durable
// jobs that announce it, what the public page shows, and refusals that store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

const MIN = 60_000;
const inMin = (m: number) => new Date(Date.now() + m * MIN).toISOString();

describe.each(DATABASE_KINDS)('status page maintenance (%s)', (kind) => {
  let ts: TestServer;
  let responder: { id: string; token: string };
  let viewer: { id: string; token: string };
  let api: { id: string };
  let web: { id: string };
  let foreign: { id: string };

  const call = (method: string, path: string, body?: unknown, token = responder.token) => ts.call(method, `/api/v1/status-pages/maint${path}`, { token, body });
  const jobs = (maintenanceId: string) => ts.server.ctx.storage.db.selectFrom('jobs').select(['kind', 'dedup_key', 'payload_json', 'run_at'])
    .where('dedup_key', 'like', `statuspage.maintenance:${maintenanceId}:%`).orderBy('id').execute();
  const count = async (table: 'status_maintenances' | 'jobs' | 'status_maintenance_updates') =>
    Number((await ts.server.ctx.storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
  const state = () => ts.server.ctx.statusPages.pageState('maint', Date.now(), { baseUrl: '', subscribeAction: null });

  beforeAll(async () => {
    ts = await startTestServer(kind);
    responder = await ts.user('responder', 'Rin Responder');
    viewer = await ts.user('viewer', 'Vic Viewer');
    const admin = (path: string, body: unknown) => ts.call('POST', `/api/v1${path}`, { token: ts.admin.token, body }).then((r) => r.body);
    await admin('/status-pages', { slug: 'maint', name: 'Maintained' });
    await admin('/status-pages', { slug: 'elsewhere', name: 'Elsewhere' });
    api = await admin('/status-pages/maint/components', { name: 'API' });
    web = await admin('/status-pages/maint/components', { name: 'Web' });
    foreign = await admin('/status-pages/elsewhere/components', { name: 'Theirs' });
  });
  afterAll(async () => ts?.close());

  it('schedules maintenance with its first update and enqueues the scheduled, started and completed jobs', async () => {
    const startsAt = inMin(60);
    const endsAt = inMin(120);
    const res = await call('POST', '/maintenances', { title: 'Database upgrade', startsAt, endsAt, componentIds: [api.id], body: 'We upgrade the database; writes pause for a minute.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const m = res.body;
    expect(m).toMatchObject({ title: 'Database upgrade', status: 'scheduled', startsAt, endsAt, componentIds: [api.id], createdBy: { id: responder.id, name: 'Rin Responder' } });
    expect(m.updates).toMatchObject([{ status: 'scheduled', body: 'We upgrade the database; writes pause for a minute.', author: { name: 'Rin Responder' } }]);

    const queued = await jobs(m.id);
    expect(queued.map((j) => j.dedup_key)).toEqual([
      `statuspage.maintenance:${m.id}:scheduled:`, `statuspage.maintenance:${m.id}:started:${startsAt}`, `statuspage.maintenance:${m.id}:completed:${endsAt}`,
    ]);
    expect(queued.every((j) => j.kind === 'statuspage.maintenance')).toBe(true);
    expect(queued.map((j) => JSON.parse(j.payload_json))).toEqual([
      { maintenanceId: m.id, event: 'scheduled' }, { maintenanceId: m.id, event: 'started', at: startsAt }, { maintenanceId: m.id, event: 'completed', at: endsAt },
    ]);
    expect(queued[1]!.run_at).toBe(startsAt);
    expect(queued[2]!.run_at).toBe(endsAt);

    // Rescheduling enqueues the new times; the old jobs find the maintenance moved and do nothing.
    const later = inMin(90);
    const moved = await call('PATCH', `/maintenances/${m.id}`, { startsAt: later, title: 'Database upgrade (moved)', componentIds: [api.id, web.id] });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ startsAt: later, title: 'Database upgrade (moved)', componentIds: [api.id, web.id] });
    expect((await jobs(m.id)).map((j) => j.dedup_key)).toContain(`statuspage.maintenance:${m.id}:started:${later}`);
    expect(await jobs(m.id)).toHaveLength(4);

    const shown = (await state()).maintenances.find((x) => x.id === m.id)!;
    expect(shown).toMatchObject({ status: 'scheduled', scheduledFor: later, scheduledUntil: endsAt, startedAt: null, completedAt: null, componentIds: [api.id, web.id] });
    expect((await state()).components.map((c) => c.status)).toEqual(['operational', 'operational']);
    const listed = await call('GET', '/maintenances', undefined, viewer.token);
    expect(listed.body.maintenances.map((x: { id: string }) => x.id)).toContain(m.id);
    expect((await call('GET', `/maintenances/${m.id}`, undefined, viewer.token)).body.title).toBe('Database upgrade (moved)');
  });

  it('runs a maintenance through in progress, verifying and completed, each update a job', async () => {
    const m = (await call('POST', '/maintenances', { title: 'Network work', startsAt: inMin(30), endsAt: inMin(90), componentIds: [web.id], body: 'Planned.' })).body;
    const early = await call('POST', `/maintenances/${m.id}/updates`, { status: 'scheduled', body: 'Reminder: tonight.' });
    expect(early.status).toBe(201);
    expect((await call('POST', `/maintenances/${m.id}/updates`, { status: 'completed', body: 'Done?' })).status).toBe(409);

    // Starting before the window moves its start to now.
    const started = await call('POST', `/maintenances/${m.id}/updates`, { status: 'in_progress', body: 'Starting early.' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.status).toBe('in_progress');
    expect(Date.parse(started.body.startsAt)).toBeLessThanOrEqual(Date.now());
    const during = await state();
    expect(during.components.find((c) => c.id === web.id)!.status).toBe('under_maintenance');
    expect(during.maintenances.find((x) => x.id === m.id)).toMatchObject({ status: 'in_progress', startedAt: started.body.startsAt });
    expect((await ts.call('GET', '/api/v1/status-pages/maint', { token: viewer.token })).body.components.find((c: { id: string }) => c.id === web.id))
      .toMatchObject({ manualStatus: 'operational', status: 'under_maintenance' });
    expect((await call('POST', `/maintenances/${m.id}/updates`, { status: 'scheduled', body: 'Back to planned' })).status).toBe(409);
    expect((await call('PATCH', `/maintenances/${m.id}`, { startsAt: inMin(10) })).body.errors[0].field).toBe('body.startsAt');

    const verifying = await call('POST', `/maintenances/${m.id}/updates`, { status: 'verifying', body: 'Checking routes.' });
    expect(verifying.body.status).toBe('verifying');
    const done = await call('POST', `/maintenances/${m.id}/updates`, { status: 'completed', body: 'All done.' });
    expect(done.body).toMatchObject({ status: 'completed' });
    expect(done.body.completedAt).not.toBeNull();
    expect(done.body.updates.map((u: { status: string }) => u.status)).toEqual(['completed', 'verifying', 'in_progress', 'scheduled', 'scheduled']);

    const after = await state();
    expect(after.components.find((c) => c.id === web.id)!.status).toBe('operational');
    expect(after.components.find((c) => c.id === web.id)!.history).toMatchObject([{ status: 'under_maintenance', from: started.body.startsAt, to: done.body.completedAt }]);
    expect(after.maintenances.find((x) => x.id === m.id)).toMatchObject({ status: 'completed', completedAt: done.body.completedAt });

    const updateJobs = (await jobs(m.id)).map((j) => JSON.parse(j.payload_json)).filter((p) => p.event === 'update');
    expect(updateJobs.map((p) => p.updateId)).toEqual(done.body.updates.slice(0, 4).map((u: { id: string }) => u.id).reverse());
    expect((await jobs(m.id)).map((j) => j.dedup_key)).toContain(`statuspage.maintenance:${m.id}:started:${started.body.startsAt}`);

    // Over: nothing changes it any more.
    expect((await call('PATCH', `/maintenances/${m.id}`, { title: 'Again' })).status).toBe(409);
    expect((await call('POST', `/maintenances/${m.id}/updates`, { status: 'in_progress', body: 'x' })).status).toBe(409);
    expect((await call('POST', `/maintenances/${m.id}/cancel`)).status).toBe(409);
  });

  it('cancels a maintenance: the page shows it cancelled, a job announces it, and it can no longer change', async () => {
    const m = (await call('POST', '/maintenances', { title: 'Called off', startsAt: inMin(30), endsAt: inMin(60), componentIds: [api.id], body: 'Planned.' })).body;
    expect((await call('POST', `/maintenances/${m.id}/cancel`, undefined, viewer.token)).status).toBe(403);
    const cancelled = await call('POST', `/maintenances/${m.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.cancelledAt).not.toBeNull();
    expect((await call('POST', `/maintenances/${m.id}/cancel`)).status).toBe(200); // again: nothing changes
    expect((await jobs(m.id)).filter((j) => JSON.parse(j.payload_json).event === 'cancelled')).toHaveLength(1);
    expect((await state()).maintenances.find((x) => x.id === m.id)).toMatchObject({ status: 'cancelled', startedAt: null });
    expect((await call('PATCH', `/maintenances/${m.id}`, { endsAt: inMin(120) })).status).toBe(409);
    expect((await call('POST', `/maintenances/${m.id}/updates`, { status: 'in_progress', body: 'x' })).status).toBe(409);
  });

  it('keeps upcoming windows on the page however long its past', async () => {
    const page = (await ts.call('POST', '/api/v1/status-pages', { token: ts.admin.token, body: { slug: 'busy', name: 'Busy' } })).body;
    const c = (await ts.call('POST', '/api/v1/status-pages/busy/components', { token: ts.admin.token, body: { name: 'API' } })).body;
    // 600 windows of the last months (more than any list limit), written as history is: straight to the table.
    const past = Array.from({ length: 600 }, (_, i) => ({
      id: `past-${String(i).padStart(3, '0')}`, page_id: page.id, title: `Past ${i}`, starts_at: inMin(-(i + 2) * 300), ends_at: inMin(-(i + 2) * 300 + 60),
      completed_at: null, cancelled_at: null, created_by: null, created_at: inMin(-200_000), updated_at: inMin(-200_000),
    }));
    await ts.server.ctx.storage.db.insertInto('status_maintenances').values(past).execute();
    const next = (await ts.call('POST', '/api/v1/status-pages/busy/maintenances', {
      token: responder.token, body: { title: 'Next week', startsAt: inMin(7 * 1440), endsAt: inMin(7 * 1440 + 60), componentIds: [c.id], body: 'Planned.' },
    })).body;
    const s = await ts.server.ctx.statusPages.pageState('busy', Date.now(), { baseUrl: '', subscribeAction: null });
    expect(s.maintenances.map((m) => m.id)).toContain(next.id);
    const shownPast = s.maintenances.filter((m) => m.id !== next.id);
    expect(shownPast).toHaveLength(200); // the newest of the past
    expect(shownPast.map((m) => m.id)).toContain('past-000');
    expect(shownPast.map((m) => m.id)).not.toContain('past-599');
    const listed = (await ts.call('GET', '/api/v1/status-pages/busy/maintenances', { token: viewer.token })).body.maintenances as { id: string }[];
    expect(listed[0]!.id).toBe(next.id); // latest start first
  });

  it('refuses bad maintenance input with 400 naming the field, storing nothing and enqueueing nothing', async () => {
    const m = (await call('POST', '/maintenances', { title: 'Target', startsAt: inMin(30), endsAt: inMin(60), componentIds: [api.id], body: 'x' })).body;
    const before = { m: await count('status_maintenances'), jobs: await count('jobs'), updates: await count('status_maintenance_updates') };
    const good = { title: 'x', startsAt: inMin(30), endsAt: inMin(60), componentIds: [api.id], body: 'x' };
    const cases: [string, string, unknown, string][] = [
      ['POST', '/maintenances', { ...good, endsAt: inMin(10) }, 'body.endsAt'],
      ['POST', '/maintenances', { ...good, startsAt: inMin(-3), endsAt: inMin(-1) }, 'body.endsAt'],
      // Past availability is not invented: a window may start at most 5 minutes ago (a form filled in slowly).
      ['POST', '/maintenances', { ...good, startsAt: inMin(-120), endsAt: inMin(-60) }, 'body.startsAt'],
      ['POST', '/maintenances', { ...good, startsAt: inMin(-10), endsAt: inMin(60) }, 'body.startsAt'],
      ['PATCH', `/maintenances/${m.id}`, { startsAt: inMin(-10) }, 'body.startsAt'],
      ['POST', '/maintenances', { ...good, componentIds: [foreign.id] }, 'body.componentIds.0'],
      ['POST', '/maintenances', { ...good, componentIds: [api.id, 'nope'] }, 'body.componentIds.1'],
      ['POST', '/maintenances', { ...good, componentIds: [api.id, api.id] }, 'body.componentIds.1'],
      ['POST', '/maintenances', { ...good, componentIds: [] }, 'body.componentIds'],
      ['POST', '/maintenances', { ...good, startsAt: 'tomorrow' }, 'body.startsAt'],
      ['POST', '/maintenances', { ...good, title: '' }, 'body.title'],
      ['POST', '/maintenances', { ...good, body: undefined }, 'body.body'],
      ['POST', '/maintenances', { ...good, status: 'in_progress' }, 'body.status'],
      ['PATCH', `/maintenances/${m.id}`, { endsAt: inMin(20) }, 'body.endsAt'],
      ['PATCH', `/maintenances/${m.id}`, { startsAt: inMin(90) }, 'body.startsAt'],
      ['PATCH', `/maintenances/${m.id}`, { componentIds: [foreign.id] }, 'body.componentIds.0'],
      ['PATCH', `/maintenances/${m.id}`, { pageId: 'x' }, 'body.pageId'],
      ['POST', `/maintenances/${m.id}/updates`, { status: 'cancelled', body: 'x' }, 'body.status'],
      ['POST', `/maintenances/${m.id}/updates`, { status: 'in_progress', body: 42 }, 'body.body'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    expect({ m: await count('status_maintenances'), jobs: await count('jobs'), updates: await count('status_maintenance_updates') }).toEqual(before);
    expect((await call('GET', `/maintenances/${m.id}`)).body).toMatchObject({ startsAt: m.startsAt, endsAt: m.endsAt, componentIds: [api.id] });
    expect((await call('POST', '/maintenances', good, viewer.token)).status).toBe(403);
    expect((await call('GET', '/maintenances/nope')).status).toBe(404);
    expect((await ts.call('POST', '/api/v1/status-pages/elsewhere/maintenances/' + m.id + '/cancel', { token: responder.token })).status).toBe(404);
  });
});
