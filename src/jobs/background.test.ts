// Overdue communication clocks become one timeline event per due time, on every database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../test/support/server.js';
import { PAGE_ESCALATE } from '../modules/paging/pages.service.js';
import { CLOCK_OVERDUE, drainJobs, housekeeping, JobPool, sweepClocks } from './background.js';
import { JobQueue } from './queue.js';

const MIN = 60_000;

describe.each(DATABASE_KINDS)('clock sweep (%s)', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind);
  });
  afterAll(async () => ts?.close());

  it('records an overdue first public update once, and stops when the update is out', async () => {
    const inc = (await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, body: { title: 'Login fails', severity: 'SEV2' } })).body;
    const ctx = ts.server.ctx;
    const queue = new JobQueue(ctx.storage);
    const declared = Date.parse(inc.declaredAt);

    // Nine minutes in: nothing is due yet.
    expect(await sweepClocks(ctx, queue, declared + 9 * MIN)).toBe(0);
    // Eleven minutes in: the first public update is overdue. Sweeping again (another node) adds nothing.
    expect(await sweepClocks(ctx, queue, declared + 11 * MIN)).toBe(1);
    expect(await sweepClocks(ctx, queue, declared + 12 * MIN)).toBe(0);
    // The clock's job, and the reminder page's notification (no SMTP here: it fails, and shows on the page).
    expect(await drainJobs(ctx, queue, 'test-node')).toBeGreaterThanOrEqual(1);
    // The commander (there is no communications role) is reminded once, by a page of the incident.
    const reminders = (await ts.call('GET', `/api/v1/pages?status=all&incidentId=${inc.id}`, { token: ts.admin.token })).body.pages;
    expect(reminders.map((p: any) => p.title)).toEqual(['Reminder: the first public update is overdue — INC-1 Login fails']);
    // Run again (a retried job): the timeline keeps one entry.
    const dueAt = (await ts.call('GET', `/api/v1/incidents/${inc.ref}`, { token: ts.admin.token })).body.clocks.firstPublicUpdate.dueAt;
    expect(await ctx.incidents.recordClockOverdue(inc.id, 'firstPublicUpdate', dueAt, { type: 'system', userId: null, name: 'Hikeshi', role: 'admin' })).toBe(true);
    expect((await ts.call('GET', `/api/v1/incidents/${inc.ref}/timeline?lang=en`, { token: ts.admin.token })).body.events.filter((e: any) => e.kind === 'clock.overdue')).toHaveLength(1);
    expect(await ctx.pages.remind(inc.id, 'firstPublicUpdate', reminders[0] && (await ts.call('GET', `/api/v1/incidents/${inc.ref}`, { token: ts.admin.token })).body.clocks.firstPublicUpdate.dueAt)).toBeNull();

    const detail = (await ts.call('GET', `/api/v1/incidents/${inc.ref}`, { token: ts.admin.token })).body;
    const events = (await ts.call('GET', `/api/v1/incidents/${inc.ref}/timeline?lang=en`, { token: ts.admin.token })).body.events;
    const overdue = events.filter((e: any) => e.kind === 'clock.overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0].body).toMatch(/^First public update is overdue \(was due \d\d:\d\d UTC\)$/);
    expect(overdue[0].data.dueAt).toBe(detail.clocks.firstPublicUpdate.dueAt);

    await ts.call('POST', `/api/v1/incidents/${inc.ref}/updates`, { token: ts.admin.token, body: { audience: 'public', body: 'Investigating login failures.' } });
    const jobs = await ctx.storage.db.selectFrom('jobs').selectAll().where('kind', '=', CLOCK_OVERDUE).execute();
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    // Internal cadence for SEV2 is 30 minutes; at 31 minutes that clock is overdue, the public one is not.
    expect(await sweepClocks(ctx, queue, declared + 31 * MIN)).toBeGreaterThanOrEqual(1);
    await drainJobs(ctx, queue, 'test-node');
    const after = (await ts.call('GET', `/api/v1/incidents/${inc.ref}/timeline`, { token: ts.admin.token })).body.events
      .filter((e: any) => e.kind === 'clock.overdue').map((e: any) => e.data.clock);
    expect(after).toContain('internal');
    expect(after.filter((c: string) => c === 'firstPublicUpdate')).toHaveLength(1);
  });

  it('a job that runs after the update went out records nothing', async () => {
    const inc = (await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, body: { title: 'Slow search', severity: 'SEV3' } })).body;
    const ctx = ts.server.ctx;
    const queue = new JobQueue(ctx.storage);
    const declared = Date.parse(inc.declaredAt);
    // The sweep sees the first public update overdue; before any worker runs the job, the commander posts it.
    expect(await sweepClocks(ctx, queue, declared + 11 * MIN)).toBeGreaterThanOrEqual(1);
    await ts.call('POST', `/api/v1/incidents/${inc.ref}/updates`, { token: ts.admin.token, body: { audience: 'public', body: 'Search is slow; we are on it.' } });
    await drainJobs(ctx, queue, 'test-node');
    const events = (await ts.call('GET', `/api/v1/incidents/${inc.ref}/timeline`, { token: ts.admin.token })).body.events;
    expect(events.filter((e: any) => e.kind === 'clock.overdue')).toEqual([]);
    const jobs = await ctx.storage.db.selectFrom('jobs').selectAll().where('dedup_key', 'like', `%${inc.id}%`).execute();
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
  });

  it('does not nag about resolved incidents', async () => {
    const inc = (await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, body: { title: 'Short blip', severity: 'SEV4' } })).body;
    await ts.call('POST', `/api/v1/incidents/${inc.ref}/phase`, { token: ts.admin.token, body: { phase: 'resolved' } });
    const ctx = ts.server.ctx;
    const before = await ctx.storage.db.selectFrom('jobs').select('dedup_key').execute();
    await sweepClocks(ctx, new JobQueue(ctx.storage), Date.parse(inc.declaredAt) + 24 * 60 * MIN);
    const added = (await ctx.storage.db.selectFrom('jobs').select('dedup_key').execute()).filter((j) => !before.some((b) => b.dedup_key === j.dedup_key));
    expect(added.some((j) => j.dedup_key?.includes(inc.id))).toBe(false);
  });
});

describe.each(DATABASE_KINDS)('housekeeping (%s)', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind);
  });
  afterAll(async () => ts?.close());

  it('drops expired sessions and day-old idempotency keys, keeps fresh ones', async () => {
    const db = ts.server.ctx.storage.db;
    await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, headers: { 'idempotency-key': 'hk-1' }, body: { title: 'Kept key', severity: 'SEV4' } });
    const sessions = await db.selectFrom('sessions').select('id').execute();
    expect(sessions.length).toBeGreaterThan(0);
    await housekeeping(ts.server.ctx, Date.now() + 2 * 3600_000); // two hours on: keys stay, sessions (7 days) stay
    expect(await db.selectFrom('idempotency_keys').select('key').execute()).toHaveLength(1);
    await housekeeping(ts.server.ctx, Date.now() + 8 * 24 * 3600_000);
    expect(await db.selectFrom('idempotency_keys').select('key').execute()).toHaveLength(0);
    expect(await db.selectFrom('sessions').select('id').execute()).toHaveLength(0);
  });
});

describe.each(DATABASE_KINDS)('paging job pool (%s)', (kind) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(kind);
  });
  afterAll(async () => ts?.close());

  // Escalations of pages that do not exist: jobs that end well at once.
  const enqueue = (queue: JobQueue, n: number, tag: string) =>
    queue.enqueueMany(Array.from({ length: n }, (_, i) => ({ kind: PAGE_ESCALATE, payload: { pageId: `missing-${tag}-${i}`, cycle: 0, level: 0 } })));
  const statuses = async () => (await ts.server.ctx.storage.db.selectFrom('jobs').select('status').where('kind', '=', PAGE_ESCALATE).execute()).map((r) => r.status).sort();
  const until = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 5_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`jobs still ${JSON.stringify(await statuses())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('marks every finished job done: with its next claim, after a short wait, and when it stops', async () => {
    const ctx = ts.server.ctx;
    const queue = new JobQueue(ctx.storage);
    const pool = new JobPool(ctx, queue, 'pool-test', [PAGE_ESCALATE], 4);
    try {
      // One job, room for four: nothing is claimed after it ends, so its completion waits a moment, then is written alone.
      await enqueue(queue, 1, 'a');
      pool.pump();
      await until(async () => (await statuses()).every((s) => s === 'done'));
      // Six jobs, room for four: the claims for the last two mark the first ones done.
      await enqueue(queue, 6, 'b');
      pool.pump();
      await until(async () => (await statuses()).every((s) => s === 'done'));
      // Stopping writes what has finished at once.
      await enqueue(queue, 2, 'c');
      pool.pump();
      await until(async () => (await statuses()).filter((s) => s === 'pending').length === 0);
    } finally {
      await pool.stop();
    }
    expect(await statuses()).toEqual(Array(9).fill('done'));
  });
});
