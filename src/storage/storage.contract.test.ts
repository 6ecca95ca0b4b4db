// The storage contract: every repo behaves the same on SQLite and PostgreSQL.
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../test/support/databases.js';
import { JobQueue } from '../jobs/queue.js';
import * as accounts from '../modules/accounts/accounts.repo.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { listAuditEvents } from '../modules/audit/audit.repo.js';
import * as incidents from '../modules/incidents/incidents.repo.js';
import * as oncall from '../modules/oncall/oncall.repo.js';
import { SYSTEM_ACTOR } from '../shared/actor.js';
import { newId, nowIso } from '../shared/ids.js';
import { StatisticsKeeper } from './analyze.js';
import { bulkInsert, bulkUpdate, keyChunks, keyIn } from './bulk.js';
import { openStorage, type Storage } from './db.js';
import { migrateToLatest } from './migrate.js';
import type { AlertGroupsTable, IncidentsTable } from './schema.js';

function incidentRow(number: number, over: Partial<IncidentsTable> = {}): IncidentsTable {
  const now = nowIso();
  return {
    id: newId(), number, title: `Incident ${number}`, summary: '', severity: 'SEV2', phase: 'investigating', drill: 0,
    commander_id: null, declared_by: null, declared_at: now, acknowledged_at: null, first_public_update_at: null,
    mitigated_at: null, resolved_at: null, last_internal_update_at: null, last_stakeholder_update_at: null,
    last_public_update_at: null, updated_at: now, ...over,
  };
}

describe.each(DATABASE_KINDS)('storage contract (%s)', (kind) => {
  let tdb: TestDatabase;
  let storage: Storage;
  let userId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    storage = await openStorage({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
    userId = newId();
    await accounts.insertUser(storage.db, {
      id: userId, email: 'u@example.com', name: 'Umi', role: 'responder', password_hash: null, locale: 'ja',
      time_zone: 'Asia/Tokyo', created_at: nowIso(), disabled_at: null,
    });
  });
  afterAll(async () => {
    await storage?.close();
    await tdb?.drop();
  });

  it('migrates idempotently: running the migrations again changes nothing', async () => {
    await migrateToLatest(storage.db, storage.dialect);
    expect(await accounts.countUsers(storage.db)).toBe(1);
  });

  it.runIf(kind === 'postgres')('refreshes table statistics as the tables grow: after 10k rows, then each time they have doubled (PostgreSQL)', async () => {
    // Autovacuum off, so that only the keeper analyzes it.
    await sql`CREATE TABLE stats_probe (n integer) WITH (autovacuum_enabled = false)`.execute(storage.db);
    try {
      const rows = async () => Number((await sql<{ r: number }>`SELECT reltuples::float8 AS r FROM pg_class WHERE oid = 'stats_probe'::regclass`.execute(storage.db)).rows[0]!.r);
      const add = (n: number) => sql`INSERT INTO stats_probe SELECT generate_series(1, ${n})`.execute(storage.db);
      const keeper = new StatisticsKeeper(storage.db, ['stats_probe'], pino({ level: 'silent' }));
      await add(20_000);
      keeper.wrote(9_999);
      await keeper.settled();
      expect(await rows()).toBeLessThanOrEqual(0); // never analyzed: -1 (PostgreSQL 14+) or 0
      keeper.wrote(1);
      await keeper.settled();
      // ANALYZE estimates from a sample: close to, not always exactly, the count.
      expect(await rows()).toBeCloseTo(20_000, -3);
      await add(15_000);
      keeper.wrote(15_000); // not yet doubled
      await keeper.settled();
      expect(await rows()).toBeCloseTo(20_000, -3);
      await add(5_000);
      keeper.wrote(5_000);
      await keeper.settled();
      expect(await rows()).toBeCloseTo(40_000, -3);
    } finally {
      await sql`DROP TABLE IF EXISTS stats_probe`.execute(storage.db);
    }
  });

  it.runIf(kind === 'postgres')('compresses the inbox\'s requests with lz4 where the server has it (PostgreSQL)', async () => {
    // Before PostgreSQL 14 there is no per-column compression (nor pg_attribute.attcompression): the migration did nothing.
    const version = await sql<{ v: number }>`SELECT current_setting('server_version_num')::int AS v`.execute(storage.db);
    if (version.rows[0]!.v < 140000) return;
    const lz4 = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`.execute(storage.db);
    const column = await sql<{ c: string }>`SELECT attcompression AS c FROM pg_attribute WHERE attrelid = 'alert_inbox'::regclass AND attname = 'alerts_json'`.execute(storage.db);
    // A server built without lz4 keeps the default ('' = pglz), and the migration still succeeds.
    expect(column.rows[0]?.c).toBe(lz4.rows[0]!.n > 0 ? 'l' : '');
    // What is stored reads back as it was written.
    const big = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ labels: { alertname: 'DiskFull', instance: `db-${i}` } })));
    await storage.db.insertInto('alert_inbox').values({ id: 'lz4-probe', integration_id: 'i', received_at: nowIso(), message_id: null, alert_count: 200, alerts_json: big, error: 'probe' }).execute();
    const stored = await sql<{ json: string; how: string | null }>`SELECT alerts_json AS json, pg_column_compression(alerts_json) AS how FROM alert_inbox WHERE id = 'lz4-probe'`.execute(storage.db);
    expect(stored.rows[0]!.json).toBe(big);
    if (lz4.rows[0]!.n > 0) expect(stored.rows[0]!.how).toBe('lz4');
    await storage.db.deleteFrom('alert_inbox').where('id', '=', 'lz4-probe').execute();
  });

  it('finds users by id and e-mail, and reports duplicate e-mails as unique violations', async () => {
    expect((await accounts.findUserByEmail(storage.db, 'u@example.com'))?.id).toBe(userId);
    expect((await accounts.findUserById(storage.db, userId))?.locale).toBe('ja');
    const dup = accounts.insertUser(storage.db, {
      id: newId(), email: 'u@example.com', name: 'Other', role: 'viewer', password_hash: null, locale: 'en',
      time_zone: 'UTC', created_at: nowIso(), disabled_at: null,
    });
    const err = await dup.then(() => null, (e: unknown) => e);
    expect(storage.isUniqueViolation(err)).toBe(true);
  });

  it('keeps API tokens by hash and consumes a setup token once', async () => {
    const id = newId();
    await accounts.insertToken(storage.db, { id, user_id: userId, name: 't', token_hash: 'h1', prefix: 'hks_abcd', created_at: nowIso(), expires_at: null, last_used_at: null, revoked_at: null });
    expect((await accounts.findTokenByHash(storage.db, 'h1'))?.id).toBe(id);
    await accounts.updateToken(storage.db, id, { revoked_at: nowIso() });
    expect((await accounts.findTokenById(storage.db, id))?.revoked_at).not.toBeNull();

    const now = Date.now();
    await accounts.insertSetupToken(storage.db, 'setup-h', nowIso(now), nowIso(now + 60_000));
    expect(await accounts.consumeSetupToken(storage.db, 'setup-h', nowIso(now))).toBe(true);
    expect(await accounts.consumeSetupToken(storage.db, 'setup-h', nowIso(now))).toBe(false);
    await accounts.insertSetupToken(storage.db, 'expired-h', nowIso(now - 120_000), nowIso(now - 60_000));
    expect(await accounts.consumeSetupToken(storage.db, 'expired-h', nowIso(now))).toBe(false);
  });

  it('appends audit events and refuses to change or delete them', async () => {
    await recordAudit(storage.db, SYSTEM_ACTOR, { action: 'test.thing', targetType: 'thing', targetId: 'x1', before: { a: 1 }, after: { a: 2, password: 'hunter2' } });
    const [event] = await listAuditEvents(storage.db, { targetType: 'thing', limit: 10 });
    expect(event?.action).toBe('test.thing');
    expect(event?.after_json).not.toContain('hunter2');
    await expect(sql`UPDATE audit_events SET action = 'forged'`.execute(storage.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(storage.db)).rejects.toThrow(/append-only/);
    expect((await listAuditEvents(storage.db, { limit: 100 })).some((e) => e.action === 'test.thing')).toBe(true);
  });

  it('numbers incidents, finds them by id, number and reference, and filters by state', async () => {
    const n = await incidents.nextIncidentNumber(storage.db);
    const a = incidentRow(n);
    const b = incidentRow(n + 1, { phase: 'resolved', resolved_at: nowIso() });
    await incidents.insertIncident(storage.db, a);
    await incidents.insertIncident(storage.db, b);
    expect(await incidents.nextIncidentNumber(storage.db)).toBe(n + 2);
    expect((await incidents.findIncident(storage.db, a.id))?.number).toBe(n);
    expect((await incidents.findIncident(storage.db, String(n)))?.id).toBe(a.id);
    expect((await incidents.findIncident(storage.db, `inc-${n + 1}`))?.id).toBe(b.id);
    expect(await incidents.findIncident(storage.db, 'INC-999999')).toBeUndefined();
    const open = await incidents.listIncidents(storage.db, { state: 'open', limit: 50 });
    expect(open.map((r) => r.id)).toContain(a.id);
    expect(open.map((r) => r.id)).not.toContain(b.id);
    const dupNumber = await incidents.insertIncident(storage.db, incidentRow(n)).then(() => null, (e: unknown) => e);
    expect(storage.isUniqueViolation(dupNumber)).toBe(true);
  });

  it('replaces services, upserts roles and tracks responders joining, leaving and coming back', async () => {
    const row = incidentRow(await incidents.nextIncidentNumber(storage.db));
    await incidents.insertIncident(storage.db, row);
    await incidents.replaceServices(storage.db, row.id, ['api', 'db', 'api']);
    await incidents.replaceServices(storage.db, row.id, ['web', 'api']);
    expect((await incidents.servicesOf(storage.db, [row.id])).get(row.id)).toEqual(['api', 'web']);

    await incidents.setRole(storage.db, row.id, 'commander', userId, nowIso());
    await incidents.setRole(storage.db, row.id, 'commander', userId, nowIso());
    expect(await incidents.rolesOf(storage.db, row.id)).toHaveLength(1);
    await incidents.deleteRole(storage.db, row.id, 'commander');
    expect(await incidents.rolesOf(storage.db, row.id)).toHaveLength(0);

    expect(await incidents.joinResponder(storage.db, row.id, userId, nowIso())).toBe(true);
    expect(await incidents.joinResponder(storage.db, row.id, userId, nowIso())).toBe(false);
    expect(await incidents.leaveResponder(storage.db, row.id, userId, nowIso())).toBe(true);
    expect(await incidents.respondersOf(storage.db, row.id)).toHaveLength(0);
    expect(await incidents.leaveResponder(storage.db, row.id, userId, nowIso())).toBe(false);
    expect(await incidents.joinResponder(storage.db, row.id, userId, nowIso())).toBe(true);
    expect(await incidents.respondersOf(storage.db, row.id)).toHaveLength(1);
  });

  it('keeps the timeline in write order and stars events', async () => {
    const row = incidentRow(await incidents.nextIncidentNumber(storage.db));
    await incidents.insertIncident(storage.db, row);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const id = newId();
      ids.push(id);
      await incidents.insertTimelineEvent(storage.db, { id, incident_id: row.id, at: nowIso(), kind: 'note', actor_id: userId, body: `n${i}`, data_json: null, starred: 0 });
    }
    const events = await incidents.timelineOf(storage.db, row.id, false);
    expect(events.map((e) => e.body)).toEqual(ids.map((_, i) => `n${i}`));
    await incidents.setStarred(storage.db, ids[3]!, true);
    expect((await incidents.timelineOf(storage.db, row.id, true)).map((e) => e.body)).toEqual(['n3']);
  });

  it('stores tasks, decisions and status updates', async () => {
    const row = incidentRow(await incidents.nextIncidentNumber(storage.db));
    await incidents.insertIncident(storage.db, row);
    const now = nowIso();
    const taskId = newId();
    await incidents.insertTask(storage.db, { id: taskId, incident_id: row.id, owner_id: userId, purpose: 'why', action: 'what', status: 'open', due_at: null, created_by: userId, created_at: now, updated_at: now, done_at: null });
    await incidents.updateTask(storage.db, taskId, { status: 'done', done_at: now });
    expect((await incidents.findTask(storage.db, row.id, taskId))?.status).toBe('done');
    expect(await incidents.findTask(storage.db, 'other', taskId)).toBeUndefined();
    await incidents.insertDecision(storage.db, { id: newId(), incident_id: row.id, decision: 'roll back', rationale: 'r', risk: 'data since 13:00 kept', decided_by: userId, recorded_by: userId, decided_at: now });
    expect((await incidents.decisionsOf(storage.db, row.id))[0]?.risk).toBe('data since 13:00 kept');
    await incidents.insertStatusUpdate(storage.db, { id: newId(), incident_id: row.id, audience: 'public', phase: 'investigating', body: 'b', impact: null, eta: null, decisions_needed: null, author_id: userId, created_at: now });
    expect(await incidents.updatesOf(storage.db, row.id)).toHaveLength(1);
  });

  /** An integration written with bulkInsert, for the bulk tests' groups to belong to. */
  async function bulkIntegration(now: string): Promise<string> {
    const id = newId();
    await bulkInsert(storage.db, storage.dialect, 'integrations', [{
      id, source: 'grafana', name: 'g', key_hash: `h-${id}`, key_prefix: 'abcdef', config_json: '{}', group_by_json: '[]',
      group_wait_seconds: 0, rate_limit_per_minute: 60, note: null, created_by: null, created_at: now, updated_at: now, last_received_at: null, disabled_at: null,
    }]);
    return id;
  }

  function groupRow(integrationId: string, now: string, fields: Pick<AlertGroupsTable, 'group_key' | 'group_labels_json' | 'title'> & Partial<AlertGroupsTable>): AlertGroupsTable {
    return {
      id: newId(), integration_id: integrationId, labels_json: '{}', status: 'triggered', severity: 'warning', route_id: null, service: null,
      escalation_policy: null, incident_id: null, suppressed_by: null, flapping: 0, transitions_json: '[]', alert_count: 1, firing_count: 1,
      created_at: now, last_alert_at: now, acknowledged_at: null, acknowledged_by: null, resolved_at: null, resolved_by: null, updated_at: now, ...fields,
    };
  }

  it('keeps schedule versions, overrides by time range and calendar feeds by hash, and deletes a schedule whole', async () => {
    const id = newId();
    const now = nowIso();
    await oncall.insertSchedule(storage.db, { id, name: 'Primary', description: '', time_zone: 'Asia/Tokyo', team_id: null, created_at: now, updated_at: now });
    const version = (from: string, tag: string) => ({ id: newId(), schedule_id: id, effective_from: from, layers_json: JSON.stringify({ tag }), created_by: null, created_at: now });
    await oncall.putVersion(storage.db, version('2026-01-01T00:00:00.000Z', 'a'));
    await oncall.putVersion(storage.db, version('2026-03-01T00:00:00.000Z', 'b'));
    await oncall.putVersion(storage.db, version('2026-02-01T00:00:00.000Z', 'c'));
    // A version replaces every version that would have started at or after it.
    expect((await oncall.versionsOf(storage.db, [id])).map((v) => JSON.parse(v.layers_json).tag)).toEqual(['a', 'c']);

    const override = (start: string, end: string) => ({ id: newId(), schedule_id: id, user_id: userId, starts_at: start, ends_at: end, note: 'n', created_by: null, created_at: now });
    const early = override('2026-01-10T00:00:00.000Z', '2026-01-11T00:00:00.000Z');
    const late = override('2026-01-11T00:00:00.000Z', '2026-01-12T00:00:00.000Z');
    await oncall.insertOverride(storage.db, early);
    await oncall.insertOverride(storage.db, late);
    // Half-open: an override ending exactly at `from` is not in the range.
    expect((await oncall.overridesOf(storage.db, [id], '2026-01-11T00:00:00.000Z', '2026-01-11T12:00:00.000Z')).map((o) => o.id)).toEqual([late.id]);

    const feed = { id: newId(), token_hash: 'h1', prefix: 'hkc_ab', schedule_id: id, user_id: null, created_by: userId, created_at: now, last_used_at: null, revoked_at: null };
    await oncall.insertFeed(storage.db, feed);
    expect((await oncall.feedByHash(storage.db, 'h1'))?.id).toBe(feed.id);
    expect((await oncall.listFeeds(storage.db, userId)).map((f) => f.id)).toEqual([feed.id]);
    expect(await oncall.listFeeds(storage.db, 'someone-else')).toEqual([]);
    await oncall.updateFeed(storage.db, feed.id, { revoked_at: now });
    expect(await oncall.feedByHash(storage.db, 'h1')).toBeUndefined();

    await oncall.deleteSchedule(storage.db, id);
    expect(await oncall.getSchedule(storage.db, id)).toBeUndefined();
    expect(await oncall.versionsOf(storage.db, [id])).toEqual([]);
    expect(await oncall.getFeed(storage.db, feed.id)).toBeUndefined();
  });

  it('bulk-inserts and bulk-updates rows with text, integers, nulls and quotes alike', async () => {
    const now = nowIso();
    const integrationId = await bulkIntegration(now);
    const groups = Array.from({ length: 450 }, (_, i) =>
      groupRow(integrationId, now, { group_key: `k${i}`, group_labels_json: `{"i":"${i}"}`, title: `it's group ${i}`, alert_count: i, firing_count: i }));
    await bulkInsert(storage.db, storage.dialect, 'alert_groups', groups);
    const changed = groups.map((g, i) => ({ ...g, status: i % 2 ? 'resolved' : 'acknowledged', firing_count: 0, resolved_at: i % 2 ? now : null, title: `“${g.title}”` }));
    await bulkUpdate(storage.db, storage.dialect, 'alert_groups', 'id', ['status', 'firing_count', 'resolved_at', 'title'], changed);
    const rows = await storage.db.selectFrom('alert_groups').selectAll().where('integration_id', '=', integrationId).orderBy('id').execute();
    expect(rows).toHaveLength(450);
    expect(rows.filter((r) => r.status === 'resolved')).toHaveLength(225);
    expect(rows.every((r) => Number(r.firing_count) === 0 && Number(r.alert_count) >= 0)).toBe(true);
    expect(rows[1]).toMatchObject({ title: '“it\'s group 1”', resolved_at: now, status: 'resolved' });
    expect(rows[0]!.resolved_at).toBeNull();
    if (storage.dialect === 'sqlite') {
      // Stored with the column's own type, not as the text or real a bound value may arrive as.
      const types = await sql<{ t: string; n: number }>`SELECT typeof(firing_count) AS t, count(*) AS n FROM alert_groups WHERE integration_id = ${integrationId} GROUP BY 1`.execute(storage.db);
      expect(types.rows).toEqual([{ t: 'integer', n: 450 }]);
    }
  });

  // PostgreSQL inserts a few rows or rows of large text as a VALUES list, many short rows as arrays
  // (bulk.ts): every way, odd text intact.
  it.each([['a few rows', 1, 0], ['many short rows', 3, 0], ['many rows of large text', 3, 20_000], ['hundreds of rows of large text', 25, 12_000]] as const)('bulk-writes and finds by key values that PostgreSQL array literals must escape (%s)', async (_how, copies, padding) => {
    const now = nowIso();
    const integrationId = await bulkIntegration(now);
    const odd = ['NULL', 'null', '', ' ', 'a,b', '{x}', '"q"', 'back\\slash', 'trailing\\', "it's", '日本語', 'tab\tnl\n'];
    const keys = Array.from({ length: copies }, (_, c) => odd.map((k) => (c ? `${c}${k}` : k))).flat();
    const pad = '"\\{},'.repeat(padding / 5);
    const groups = keys.map((key) => groupRow(integrationId, now, { group_key: key, group_labels_json: JSON.stringify({ key, pad }), title: key }));
    await bulkInsert(storage.db, storage.dialect, 'alert_groups', groups);
    await bulkUpdate(storage.db, storage.dialect, 'alert_groups', 'id', ['title', 'firing_count'],
      groups.map((g) => ({ ...g, title: `${g.title}!`, firing_count: 0 })));
    const found = await storage.db.selectFrom('alert_groups').selectAll()
      .where('integration_id', '=', integrationId).where(keyIn(storage.dialect, 'group_key', [...keys, 'absent'])).execute();
    expect(found.map((g) => g.group_key).sort()).toEqual([...keys].sort());
    expect(found.every((g) => g.title === `${g.group_key}!` && Number(g.firing_count) === 0 && g.group_labels_json === JSON.stringify({ key: g.group_key, pad }))).toBe(true);
    const none = await storage.db.selectFrom('alert_groups').select('id').where(keyIn(storage.dialect, 'group_key', ['{NULL}'])).execute();
    expect(none).toEqual([]);
    const many = Array.from({ length: 401 }, (_, i) => `k${i}`);
    const parts = keyChunks(storage.dialect, many);
    expect(parts.map((p) => p.length)).toEqual(storage.dialect === 'postgres' ? [401] : [400, 1]);
    expect(parts.flat()).toEqual(many);
    expect(keyChunks(storage.dialect, [])).toEqual([]);
  });

  describe('jobs queue', () => {
    it('enqueues once per dedup key', async () => {
      const q = new JobQueue(storage);
      expect(await q.enqueue({ kind: 'k.dedup', payload: { a: 1 }, dedupKey: 'same' })).toBe(true);
      expect(await q.enqueue({ kind: 'k.dedup', payload: { a: 2 }, dedupKey: 'same' })).toBe(false);
      const claimed = await q.claim('w1', 10, 60_000, ['k.dedup']);
      expect(claimed).toHaveLength(1);
      expect(JSON.parse(claimed[0]!.payload_json)).toEqual({ a: 1 });
    });

    it('enqueues many jobs in one call, skipping dedup keys already taken (also within the call)', async () => {
      const q = new JobQueue(storage);
      await q.enqueue({ kind: 'k.many', payload: 'first', dedupKey: 'many:0' });
      const jobs = Array.from({ length: 1203 }, (_, i) => ({ kind: 'k.many', payload: i, dedupKey: `many:${i % 1200}` }));
      // 1,203 jobs in three statements: 1,200 keys, one of them enqueued before, three repeated across chunks.
      expect(await q.enqueueMany(jobs)).toBe(1199);
      expect(await q.enqueueMany([])).toBe(0);
      const rows = await storage.db.selectFrom('jobs').select(['dedup_key', 'payload_json']).where('kind', '=', 'k.many').execute();
      expect(rows).toHaveLength(1200);
      expect(rows.find((r) => r.dedup_key === 'many:0')!.payload_json).toBe('"first"');
    });

    it('marks the jobs a worker finished done with its next claim, and claims none of them again', async () => {
      const q = new JobQueue(storage);
      for (let i = 0; i < 3; i++) await q.enqueue({ kind: 'k.carry', payload: i });
      const finished = await q.claim('w', 2, 60_000, ['k.carry']);
      expect(finished).toHaveLength(2);
      // A job finished by a worker whose lease another took over stays the other's.
      await q.enqueue({ kind: 'k.carry-stolen', payload: null });
      const [lost] = await q.claim('w', 1, -1000, ['k.carry-stolen']);
      const [taken] = await q.claim('other', 1, 60_000, ['k.carry-stolen']);
      const next = await q.claim('w', 5, 60_000, ['k.carry'], [...finished, lost!]);
      expect(next.map((j) => JSON.parse(j.payload_json))).toEqual([2]);
      const status = async (id: string) => (await storage.db.selectFrom('jobs').select(['status', 'lease_owner']).where('id', '=', id).executeTakeFirstOrThrow());
      for (const j of finished) expect(await status(j.id)).toEqual({ status: 'done', lease_owner: null });
      expect(await status(taken!.id)).toEqual({ status: 'running', lease_owner: 'other' });
      await q.completeMany(next);
      expect(await status(next[0]!.id)).toEqual({ status: 'done', lease_owner: null });

      // A job whose lease ran out while it ran here is marked done, and not claimed again by the same statement.
      await q.enqueue({ kind: 'k.carry-late', payload: null });
      const [late] = await q.claim('w', 1, -1000, ['k.carry-late']);
      expect(await q.claim('w', 5, 60_000, ['k.carry-late'], [late!])).toEqual([]);
      expect(await status(late!.id)).toEqual({ status: 'done', lease_owner: null });
    });

    it('never hands one job to two concurrent claimers', async () => {
      const q = new JobQueue(storage);
      for (let i = 0; i < 40; i++) await q.enqueue({ kind: 'k.race', payload: i });
      const [a, b, c] = await Promise.all([q.claim('a', 25, 60_000, ['k.race']), q.claim('b', 25, 60_000, ['k.race']), q.claim('c', 25, 60_000, ['k.race'])]);
      const ids = [...a!, ...b!, ...c!].map((j) => j.id);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    });

    it('gives a job whose lease ran out to another worker, and ignores the old owner’s completion', async () => {
      const q = new JobQueue(storage);
      await q.enqueue({ kind: 'k.lease', payload: null });
      const [first] = await q.claim('dead-node', 1, -1000, ['k.lease']); // lease already expired
      const [second] = await q.claim('live-node', 1, 60_000, ['k.lease']);
      expect(second?.id).toBe(first?.id);
      expect(second?.attempts).toBe(2);
      await q.complete(first!); // the dead node's late completion must not count
      expect(await q.claim('third', 1, 60_000, ['k.lease'])).toHaveLength(0);
      await q.complete(second!);
      const done = await storage.db.selectFrom('jobs').select('status').where('id', '=', second!.id).executeTakeFirstOrThrow();
      expect(done.status).toBe('done');
    });

    it('retries a failed job later and finally keeps it as failed', async () => {
      const q = new JobQueue(storage);
      await q.enqueue({ kind: 'k.fail', payload: null });
      const [job] = await q.claim('w', 1, 60_000, ['k.fail']);
      await q.fail(job!, new Error('smtp down'), 2);
      expect(await q.claim('w', 1, 60_000, ['k.fail'])).toHaveLength(0); // backed off into the future
      await storage.db.updateTable('jobs').set({ run_at: nowIso(Date.now() - 1) }).where('id', '=', job!.id).execute();
      const [again] = await q.claim('w', 1, 60_000, ['k.fail']);
      await q.fail(again!, new Error('still down'), 2);
      const row = await storage.db.selectFrom('jobs').selectAll().where('id', '=', job!.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect(row.last_error).toBe('still down');
    });

    it('fails at once on a permanent error, waits as long as Retry-After asks, spreads back-off, and stops past a maximum age', async () => {
      const q = new JobQueue(storage);
      const claimed = async (kind: string) => {
        await q.enqueue({ kind, payload: null });
        return (await q.claim('w', 1, 60_000, [kind]))[0]!;
      };
      const row = (id: string) => storage.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const policy = { maxAttempts: 30, maxAgeMs: 3600_000, jitter: true };

      const gone = await claimed('k.permanent');
      await q.fail(gone, Object.assign(new Error('HTTP 404'), { permanent: true }), policy);
      expect(await row(gone.id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'HTTP 404' });

      const busy = await claimed('k.retry-after');
      const at = Date.now();
      await q.fail(busy, Object.assign(new Error('HTTP 503'), { retryAfterMs: 120_000 }), policy);
      const waiting = await row(busy.id);
      expect(waiting.status).toBe('pending');
      expect(Date.parse(waiting.run_at) - at).toBeGreaterThanOrEqual(119_000);
      expect(Date.parse(waiting.run_at) - at).toBeLessThan(125_000);

      const flaky = await claimed('k.jitter');
      const t = Date.now();
      await q.fail(flaky, new Error('reset'), policy);
      const wait = Date.parse((await row(flaky.id)).run_at) - t;
      expect(wait).toBeGreaterThanOrEqual(900); // attempt 1: 2 s, spread over its upper half
      expect(wait).toBeLessThanOrEqual(2100);

      const old = await claimed('k.old');
      await q.fail({ ...old, created_at: nowIso(Date.now() - 3599_000) }, new Error('still down'), policy);
      expect((await row(old.id)).status).toBe('failed');
    });
  });
});
