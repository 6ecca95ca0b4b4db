// On-call schedules over real HTTP, against SQLite and PostgreSQL: layers, versions, overrides,
// who is on call, calendar feeds, roles, validation and the audit log. The rotation arithmetic
// itself (DST, restrictions, precedence) is tested in rotation.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A UTC wall-clock time for a layer in a UTC schedule: "2026-11-23T09:00". */
const wall = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DATABASE_KINDS)('on-call schedules (%s)', (kind) => {
  let ts: TestServer;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let viewer: { id: string; token: string };
  // The rotation started yesterday at this hour: Alice holds the first week.
  const started = Math.floor((Date.now() - DAY) / HOUR) * HOUR;

  beforeAll(async () => {
    ts = await startTestServer(kind);
    alice = await ts.user('responder', 'Alice Responder');
    bob = await ts.user('responder', 'Bob Responder');
    viewer = await ts.user('viewer', 'Vic Viewer');
  });
  afterAll(async () => ts?.close());

  const weekly = (participants: string[], over: Record<string, unknown> = {}) => ({
    name: 'Primary', start: wall(started), turn: { length: 1, unit: 'weeks' }, participants, ...over,
  });
  const create = async (body: Record<string, unknown>, token = alice.token) => ts.call('POST', '/api/v1/schedules', { token, body: { name: 'Database', timeZone: 'UTC', ...body } });

  it('creates a schedule and says who is on call now and until when', async () => {
    const res = await create({ layers: [weekly([alice.id, bob.id])] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.layers).toHaveLength(1);
    expect(res.body.layers[0].participants.map((p: { name: string }) => p.name)).toEqual(['Alice Responder', 'Bob Responder']);
    expect(res.body.onCallNow).toHaveLength(1);
    expect(res.body.onCallNow[0].user.name).toBe('Alice Responder');
    expect(res.body.onCallNow[0].end).toBe(iso(started + 7 * DAY));
    expect(res.body.onCallNow[0].openEnded).toBe(false);
    // Alone in a rotation: no hand-off ahead, and the API says so rather than naming where it stopped looking.
    const alone = await create({ name: 'Alone', layers: [weekly([bob.id])] });
    expect(alone.body.onCallNow[0]).toMatchObject({ user: { id: bob.id }, openEnded: true });
    await ts.call('DELETE', `/api/v1/schedules/${alone.body.id}`, { token: ts.admin.token });

    const list = await ts.call('GET', '/api/v1/schedules', { token: viewer.token });
    expect(list.status).toBe(200);
    expect(list.body.schedules.map((s: { id: string }) => s.id)).toContain(res.body.id);

    const now = await ts.call('GET', `/api/v1/oncall?scheduleId=${res.body.id}`, { token: viewer.token });
    expect(now.body.entries.map((e: { user: { id: string } }) => e.user.id)).toEqual([alice.id]);
    const later = await ts.call('GET', `/api/v1/oncall?scheduleId=${res.body.id}&at=${encodeURIComponent(iso(started + 8 * DAY))}`, { token: viewer.token });
    expect(later.body.entries.map((e: { user: { id: string } }) => e.user.id)).toEqual([bob.id]);
  });

  it('refuses bad input with the field named, and stores nothing', async () => {
    const before = (await ts.call('GET', '/api/v1/schedules', { token: viewer.token })).body.schedules.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ timeZone: 'Mars/Olympus' }, 'body.timeZone'],
      [{ layers: [weekly(['no-such-user'])] }, 'body.layers.0.participants.0'],
      [{ layers: [weekly([alice.id], { start: '2026-13-01T09:00' })] }, 'body.layers.0.start'],
      [{ layers: [weekly([alice.id], { start: '2026-11-01T09:00:00Z' })] }, 'body.layers.0.start'],
      [{ layers: [weekly([alice.id], { start: '2026-02-30T09:00' })] }, 'body.layers.0.start'],
      [{ layers: [weekly([])] }, 'body.layers.0.participants'],
      [{ layers: [weekly([alice.id], { turn: { length: 0, unit: 'days' } })] }, 'body.layers.0.turn.length'],
      [{ layers: [weekly([alice.id], { turn: { length: 1, unit: 'months' } })] }, 'body.layers.0.turn.unit'],
      [{ layers: [weekly([alice.id], { restrictions: [{ days: [8], from: '09:00', to: '18:00' }] })] }, 'body.layers.0.restrictions.0.days.0'],
      [{ layers: [weekly([alice.id], { restrictions: [{ days: [1], from: '9am', to: '18:00' }] })] }, 'body.layers.0.restrictions.0.from'],
      [{ layers: [weekly([alice.id], { end: wall(started - DAY) })] }, 'body.layers.0.end'],
      [{ teamId: 'no-such-team' }, 'body.teamId'],
      [{ colour: 'red' }, 'body.colour'],
    ];
    for (const [body, field] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(res.body)).toContain(field);
    }
    const malformed = await ts.call('POST', '/api/v1/schedules', { token: alice.token, raw: '{"name": "x",' });
    expect(malformed.status).toBe(400);
    expect((await ts.call('GET', '/api/v1/schedules', { token: viewer.token })).body.schedules.length).toBe(before);
  });

  it('lets viewers read but not change; only admins delete', async () => {
    expect((await create({}, viewer.token)).status).toBe(403);
    const made = await create({ name: 'Roles', layers: [weekly([alice.id])] });
    expect((await ts.call('PATCH', `/api/v1/schedules/${made.body.id}`, { token: viewer.token, body: { name: 'x' } })).status).toBe(403);
    expect((await ts.call('POST', `/api/v1/schedules/${made.body.id}/overrides`, { token: viewer.token, body: { userId: bob.id, start: iso(Date.now()), end: iso(Date.now() + HOUR) } })).status).toBe(403);
    expect((await ts.call('DELETE', `/api/v1/schedules/${made.body.id}`, { token: alice.token })).status).toBe(403);
    expect((await ts.call('GET', `/api/v1/schedules/${made.body.id}`, { token: null })).status).toBe(401);
    expect((await ts.call('DELETE', `/api/v1/schedules/${made.body.id}`, { token: ts.admin.token })).status).toBe(204);
    expect((await ts.call('GET', `/api/v1/schedules/${made.body.id}`, { token: viewer.token })).status).toBe(404);
  });

  it('an edit changes the future only: new layers take over from effectiveFrom, the past keeps its own', async () => {
    const made = await create({ name: 'Versions', layers: [weekly([alice.id, bob.id])] });
    const id = made.body.id as string;
    const switchAt = Math.floor((Date.now() + 2 * DAY) / HOUR) * HOUR;
    const layerId = made.body.layers[0].id;
    const patched = await ts.call('PATCH', `/api/v1/schedules/${id}`, {
      token: alice.token, body: { layers: [weekly([bob.id, alice.id], { id: layerId })], effectiveFrom: iso(switchAt) },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.onCallNow[0].user.id).toBe(alice.id);
    expect(patched.body.scheduledChange.effectiveFrom).toBe(iso(switchAt));
    expect(patched.body.scheduledChange.layers[0].participants[0].id).toBe(bob.id);

    const shifts = await ts.call('GET', `/api/v1/schedules/${id}/shifts?from=${encodeURIComponent(iso(Date.now()))}&to=${encodeURIComponent(iso(switchAt + DAY))}`, { token: viewer.token });
    expect(shifts.status).toBe(200);
    expect(shifts.body.final.map((s: { user: { id: string }; end: string }) => [s.user.id, s.end])).toEqual([
      [alice.id, iso(switchAt)],
      [bob.id, iso(switchAt + DAY)],
    ]);
    // One layer, as the id was kept across the edit.
    expect(shifts.body.layers).toHaveLength(1);

    // Saving the same layers again (the form saved unchanged, or a rename) keeps the scheduled change.
    const renamed = await ts.call('PATCH', `/api/v1/schedules/${id}`, { token: alice.token, body: { name: 'Versions', layers: [weekly([alice.id, bob.id], { id: layerId })], timeZone: 'UTC' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.scheduledChange?.effectiveFrom).toBe(iso(switchAt));

    const past = await ts.call('PATCH', `/api/v1/schedules/${id}`, { token: alice.token, body: { layers: [], effectiveFrom: iso(Date.now() - DAY) } });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe('body.effectiveFrom');
    const bad = await ts.call('PATCH', `/api/v1/schedules/${id}`, { token: alice.token, body: { name: 'Renamed', layers: [weekly(['ghost'])] } });
    expect(bad.status).toBe(400);
    expect((await ts.call('GET', `/api/v1/schedules/${id}`, { token: viewer.token })).body.name).toBe('Versions');

    const range = await ts.call('GET', `/api/v1/schedules/${id}/shifts?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z`, { token: viewer.token });
    expect(range.status).toBe(400);
    expect(range.body.errors[0].field).toBe('querystring.to');
  });

  it('an override puts someone else on call for its time, and removing it gives the turn back', async () => {
    const made = await create({ name: 'Overrides', layers: [weekly([alice.id, bob.id])] });
    const id = made.body.id as string;
    const start = Date.now() - HOUR;
    const end = Date.now() + 3 * HOUR;
    const o = await ts.call('POST', `/api/v1/schedules/${id}/overrides`, { token: bob.token, body: { userId: bob.id, start: iso(start), end: iso(end), note: 'I take tonight' } });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    expect(o.body.createdBy.id).toBe(bob.id);
    const now = await ts.call('GET', `/api/v1/schedules/${id}`, { token: viewer.token });
    expect(now.body.onCallNow[0]).toMatchObject({ user: { id: bob.id }, overrideId: o.body.id, end: iso(end) });
    const shifts = await ts.call('GET', `/api/v1/schedules/${id}/shifts`, { token: viewer.token });
    expect(shifts.body.overrides.map((x: { id: string }) => x.id)).toEqual([o.body.id]);
    const listed = await ts.call('GET', `/api/v1/schedules/${id}/overrides?from=${encodeURIComponent(iso(end))}`, { token: viewer.token });
    expect(listed.body.overrides).toEqual([]);
    const current = await ts.call('GET', `/api/v1/schedules/${id}/overrides`, { token: viewer.token });
    expect(current.body.overrides.map((x: { note: string }) => x.note)).toEqual(['I take tonight']);

    const mine = await ts.call('GET', `/api/v1/users/${bob.id}/shifts`, { token: viewer.token });
    expect(mine.body.shifts.filter((s: { schedule: { id: string } }) => s.schedule.id === id)).toHaveLength(2);
    const onCallBob = await ts.call('GET', `/api/v1/oncall?userId=${bob.id}`, { token: viewer.token });
    expect(onCallBob.body.entries.map((e: { schedule: { id: string } }) => e.schedule.id)).toContain(id);

    const wrong = await ts.call('POST', `/api/v1/schedules/${id}/overrides`, { token: bob.token, body: { userId: bob.id, start: iso(end), end: iso(start) } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('body.end');
    const ghost = await ts.call('POST', `/api/v1/schedules/${id}/overrides`, { token: bob.token, body: { userId: 'ghost', start: iso(start), end: iso(end) } });
    expect(ghost.body.errors[0].field).toBe('body.userId');
    const noZone = await ts.call('POST', `/api/v1/schedules/${id}/overrides`, { token: bob.token, body: { userId: bob.id, start: '2026-11-24T09:00', end: iso(end) } });
    expect(noZone.body.errors[0].field).toBe('body.start');

    expect((await ts.call('DELETE', `/api/v1/schedules/${id}/overrides/${o.body.id}`, { token: alice.token })).status).toBe(204);
    const after = await ts.call('GET', `/api/v1/schedules/${id}`, { token: viewer.token });
    expect(after.body.onCallNow[0].user.id).toBe(alice.id);
    expect((await ts.call('DELETE', `/api/v1/schedules/${id}/overrides/${o.body.id}`, { token: alice.token })).status).toBe(404);
  });

  it('says who is on call for a team', async () => {
    const team = await ts.call('POST', '/api/v1/teams', { token: ts.admin.token, body: { name: 'Database team' } });
    expect(team.status).toBe(201);
    const made = await create({ name: 'DB primary', teamId: team.body.id, layers: [weekly([bob.id])] });
    expect(made.body.team).toEqual({ id: team.body.id, name: 'Database team' });
    const res = await ts.call('GET', `/api/v1/oncall?teamId=${team.body.id}`, { token: viewer.token });
    expect(res.body.entries).toEqual([expect.objectContaining({ schedule: expect.objectContaining({ id: made.body.id }), user: { id: bob.id, name: 'Bob Responder' } })]);
  });

  it('records every change in the audit log', async () => {
    const res = await ts.call('GET', '/api/v1/audit?limit=200', { token: ts.admin.token });
    const actions = new Set(res.body.events.map((e: { action: string }) => e.action));
    for (const a of ['schedule.create', 'schedule.update', 'schedule.delete', 'schedule.override_create', 'schedule.override_delete']) expect(actions).toContain(a);
  });

  describe('calendar feeds', () => {
    it('gives a secret iCalendar URL once, serves the shifts at it, and stops when revoked', async () => {
      const made = await create({ name: 'Calendar, with; odd\\chars', layers: [weekly([alice.id, bob.id])] });
      const feed = await ts.call('POST', '/api/v1/calendar-feeds', { token: viewer.token, body: { scheduleId: made.body.id } });
      expect(feed.status, JSON.stringify(feed.body)).toBe(201);
      expect(feed.body.url).toMatch(/\/calendar\/hkc_[A-Za-z0-9_-]{43}\.ics$/);
      const path = new URL(feed.body.url).pathname;

      const ics = await fetch(ts.url + path);
      expect(ics.status).toBe(200);
      expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      const text = await ics.text();
      expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      expect(text).toContain('X-WR-CALNAME:Calendar\\, with\\; odd\\\\chars (on call)');
      expect(text).toContain('SUMMARY:On call: Alice Responder');
      expect(text).toContain('SUMMARY:On call: Bob Responder');
      // Alice's turn ends a week after the rotation started; Bob's begins then.
      const stamp = (ms: number) => iso(ms).replace(/[-:]/g, '').replace('.000Z', 'Z');
      expect(text).toContain(`DTEND:${stamp(started + 7 * DAY)}`);
      expect(text).toContain(`DTSTART:${stamp(started + 7 * DAY)}`);
      expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);

      const listed = await ts.call('GET', '/api/v1/calendar-feeds', { token: viewer.token });
      expect(listed.body.feeds.map((f: { id: string }) => f.id)).toContain(feed.body.id);
      expect(JSON.stringify(listed.body)).not.toContain(path.slice(10, 40));
      // Someone else's feed is not theirs to see or revoke.
      expect((await ts.call('GET', '/api/v1/calendar-feeds', { token: bob.token })).body.feeds.map((f: { id: string }) => f.id)).not.toContain(feed.body.id);
      expect((await ts.call('DELETE', `/api/v1/calendar-feeds/${feed.body.id}`, { token: bob.token })).status).toBe(404);

      expect((await ts.call('DELETE', `/api/v1/calendar-feeds/${feed.body.id}`, { token: viewer.token })).status).toBe(204);
      expect((await fetch(ts.url + path)).status).toBe(404);
      expect((await fetch(`${ts.url}/calendar/hkc_${'x'.repeat(43)}.ics`)).status).toBe(404);
      expect((await fetch(`${ts.url}/calendar/nonsense`)).status).toBe(404);
    });

    it('a person’s feed shows their shifts in every schedule, in their language; only admins make one for someone else', async () => {
      await ts.call('PATCH', '/api/v1/me', { token: bob.token, body: { locale: 'ja' } });
      expect((await ts.call('POST', '/api/v1/calendar-feeds', { token: alice.token, body: { userId: bob.id } })).status).toBe(403);
      const feed = await ts.call('POST', '/api/v1/calendar-feeds', { token: bob.token, body: { userId: bob.id } });
      expect(feed.status).toBe(201);
      const text = await (await fetch(feed.body.url.replace(/^https?:\/\/[^/]+/, ts.url))).text();
      expect(text).toContain('X-WR-CALNAME:Bob Responder のオンコール');
      expect(text).toContain('SUMMARY:オンコール: DB primary');
      expect(text).not.toContain('Alice');
      expect((await ts.call('POST', '/api/v1/calendar-feeds', { token: ts.admin.token, body: { userId: bob.id } })).status).toBe(201);
      expect((await ts.call('POST', '/api/v1/calendar-feeds', { token: bob.token, body: { scheduleId: 'nope' } })).status).toBe(404);
      expect((await ts.call('POST', '/api/v1/calendar-feeds', { token: bob.token, body: { scheduleId: 'a', userId: 'b' } })).status).toBe(400);
      // A disabled account's feed stops answering, like its sessions.
      await ts.call('PATCH', `/api/v1/users/${bob.id}`, { token: ts.admin.token, body: { disabled: true } });
      expect((await fetch(feed.body.url.replace(/^https?:\/\/[^/]+/, ts.url))).status).toBe(404);
      await ts.call('PATCH', `/api/v1/users/${bob.id}`, { token: ts.admin.token, body: { disabled: false } });
    });

    it('refuses an e-mail contact method on a server that cannot send e-mail', async () => {
      const res = await ts.call('POST', `/api/v1/users/${alice.id}/contact-methods`, { token: alice.token, body: { kind: 'email', address: 'alice@example.com' } });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toEqual({ field: 'body.kind', message: 'not available on this server' });
    });
  });
});
