// Escalation and notification against SQLite and PostgreSQL, driven by an injectable clock (no
// sleeps): real jobs in the jobs table, a real SMTP server and a real webhook receiver on loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../../test/support/databases.js';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp.js';
import { drainJobs } from '../../jobs/background.js';
import { JobQueue } from '../../jobs/queue.js';
import { buildChannels } from '../../plugins/registry.js';
import { verifyWebhookSignature } from '../../plugins/channels/webhook/index.js';
import type { AppContext } from '../../server/context.js';
import { EventBus } from '../../server/event-bus.js';
import { SecretBox } from '../../server/secret-box.js';
import { type Actor, SYSTEM_ACTOR } from '../../shared/actor.js';
import { openStorage, type Storage } from '../../storage/db.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { OnCallService } from '../oncall/oncall.service.js';
import { ContactsService } from './contacts.service.js';
import { coveredHours, OnCallHealth } from './health.js';
import { PageLinks } from './page-links.js';
import { PagesService } from './pages.service.js';
import { PoliciesService } from './policies.service.js';

const MINUTE = 60_000;

interface Hit { headers: IncomingMessage['headers']; body: string }

describe.each(DATABASE_KINDS)('escalation and notification (%s)', (kind) => {
  let tdb: TestDatabase;
  let storage: Storage;
  let smtp: TestSmtp;
  let receiver: Server;
  let hookUrl: string;
  const hits: Hit[] = [];
  let answer: (res: ServerResponse) => void = (res) => res.writeHead(200).end('ok');
  let now = Date.parse('2026-11-24T02:15:00Z');
  const clock = () => now;
  let accounts: AccountsService;
  let oncall: OnCallService;
  let policies: PoliciesService;
  let contacts: ContactsService;
  let pages: PagesService;
  let queue: JobQueue;
  let alice: string;
  let bob: string;
  let carol: string;
  let scheduleId: string;
  let aliceHook: { id: string; signingSecret: string | null };
  const admin: Actor = SYSTEM_ACTOR;

  /** Runs every job due at the fake clock's time, as the background worker would. */
  const run = () => drainJobs({ pages, log: pino({ level: 'silent' }) } as unknown as AppContext, queue, 'test');
  const at = async (minutes: number) => {
    now = Date.parse('2026-11-24T02:15:00Z') + minutes * MINUTE;
    await run();
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    storage = await openStorage({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
    smtp = await startTestSmtp();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(res);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    accounts = new AccountsService(storage, 24);
    oncall = new OnCallService(storage, accounts, clock);
    const box = new SecretBox('test-secret');
    policies = new PoliciesService(storage, {
      userNames: (ids, db) => accounts.userNames(ids, db), teamNames: (ids, db) => accounts.teamNames(ids, db), scheduleNames: (ids, db) => oncall.scheduleNames(ids, db),
    });
    contacts = new ContactsService(storage, buildChannels({ smtpUrl: smtp.url, webhookAllowPrivate: true, webhookTimeoutMs: 2000 }), box, accounts);
    queue = new JobQueue(storage, clock);
    pages = new PagesService({
      storage, queue, bus: new EventBus(), policies, contacts, people: accounts, oncall, teams: accounts,
      links: new PageLinks(box.subkey('page-links'), () => 'https://hikeshi.example'), clock,
    });
    const user = async (name: string, email: string, locale: 'en' | 'ja' = 'en') =>
      (await accounts.createUser(admin, { email, name, role: 'responder', password: 'a long password 1', locale, timeZone: 'Asia/Tokyo' })).id;
    alice = await user('Alice', 'alice@example.com');
    bob = await user('Bob', 'bob@example.com', 'ja');
    carol = await user('Carol', 'carol@example.com');
    // Alice is on call this week in the "Primary" schedule.
    scheduleId = (await oncall.create(admin, {
      name: 'Primary', description: '', timeZone: 'Asia/Tokyo', teamId: null,
      layers: [{ name: 'Weekly', start: '2026-11-23T09:00', turn: { length: 1, unit: 'weeks' }, participants: [alice, carol], restrictions: [], end: null }],
    })).id;
    // Alice: her webhook at once, e-mail 2 minutes later if still unacknowledged. Bob: nothing set up (his sign-in e-mail).
    aliceHook = await contacts.create(admin, alice, { kind: 'webhook', address: hookUrl });
    const aliceMail = await contacts.create(admin, alice, { kind: 'email', address: 'alice.pager@example.com' });
    await contacts.replaceRules(admin, alice, { rules: [{ contactMethodId: aliceHook.id, delayMinutes: 0 }, { contactMethodId: aliceMail.id, delayMinutes: 2 }] });
  });
  afterAll(async () => {
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
    await smtp?.close();
    await storage?.close();
    await tdb?.drop();
  });
  beforeEach(() => {
    hits.length = 0;
    smtp.mails.length = 0;
    answer = (res) => res.writeHead(200).end('ok');
  });

  const policy = async (repeat = 0) => (await policies.create(admin, {
    name: 'Database', description: '', teamId: null, repeat,
    levels: [{ targets: [{ type: 'schedule', id: scheduleId }], timeoutMinutes: 5 }, { targets: [{ type: 'user', id: bob }], timeoutMinutes: 10 }],
  })).id;
  const startPage = async (policyId: string, title = 'Database down') => (await pages.create(admin, { title, severity: 'critical', target: { type: 'policy', id: policyId } })).id;
  const events = async (id: string) => (await pages.get(id)).events.map((e) => e.kind);

  it('wakes the on-call person at once, follows their rules, escalates on timeout, and stops when acknowledged', async () => {
    await at(0);
    const id = await startPage(await policy());
    await run();
    // Alice's webhook, signed, with the notification's id as delivery id.
    expect(hits).toHaveLength(1);
    expect(verifyWebhookSignature(aliceHook.signingSecret!, hits[0]!.headers, hits[0]!.body)).toEqual({ ok: true });
    const body = JSON.parse(hits[0]!.body);
    expect(body).toMatchObject({ type: 'page.triggered', page: { id, title: 'Database down', severity: 'critical', policy: 'Database', level: 0 } });
    expect(body.links.acknowledge).toMatch(/^https:\/\/hikeshi\.example\/page-links\/ack\?token=ack\./);
    const first = (await pages.get(id)).notifications;
    expect(hits[0]!.headers['x-hikeshi-delivery']).toBe(first.find((n) => n.kind === 'webhook')!.id);
    expect(smtp.mails).toHaveLength(0);

    // Two minutes on, still unacknowledged: her e-mail rule fires.
    await at(2);
    await smtp.waitFor(1);
    expect(smtp.mails[0]!.to).toEqual(['alice.pager@example.com']);
    expect(smtp.mails[0]!.headers.subject).toContain('Page: Database down');

    // Five minutes: nobody acknowledged; level 2 (Bob, by his sign-in e-mail, in Japanese).
    await at(4);
    expect(smtp.mails).toHaveLength(1);
    await at(5);
    await smtp.waitFor(2);
    expect(smtp.mails[1]!.to).toEqual(['bob@example.com']);
    expect(smtp.mails[1]!.raw).toMatch(/Subject: =\?UTF-8\?/);
    expect((await pages.get(id)).level).toBe(1);

    // Bob acknowledges: nothing more is sent and the page does not escalate further.
    await pages.acknowledge({ type: 'user', userId: bob, name: 'Bob', role: 'responder' }, id);
    await at(30);
    expect(smtp.mails).toHaveLength(2);
    expect(hits).toHaveLength(1);
    const page = await pages.get(id);
    expect(page).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: bob, name: 'Bob' }, exhaustedAt: null, escalatesAt: null });
    expect(await events(id)).toEqual(['triggered', 'notified', 'escalated', 'acknowledged']);
  });

  it('an acknowledgement before a delayed rule is due skips it', async () => {
    await at(100);
    const id = await startPage(await policy());
    await run();
    expect(hits).toHaveLength(1);
    await pages.acknowledge({ type: 'user', userId: alice, name: 'Alice', role: 'responder' }, id);
    await at(103);
    expect(smtp.mails).toHaveLength(0);
    expect((await pages.get(id)).notifications.map((n) => [n.kind, n.status])).toEqual([['webhook', 'sent'], ['email', 'skipped']]);
  });

  it('repeats the policy, then says it is exhausted; an edit of the policy does not change a page in flight', async () => {
    await at(200);
    const policyId = await policy(1);
    const id = await startPage(policyId);
    // The policy loses its second level after the page started: the page keeps it.
    await policies.update(admin, policyId, { levels: [{ targets: [{ type: 'user', id: carol }], timeoutMinutes: 1 }] });
    await run();
    await at(205); // level 2: Bob
    await at(215); // repeat: level 1 again
    await at(220); // level 2 again
    await at(230); // nothing left
    const page = await pages.get(id);
    expect(await events(id)).toEqual(['triggered', 'notified', 'escalated', 'repeated', 'escalated', 'exhausted']);
    expect(page.exhaustedAt).toBe(new Date(Date.parse('2026-11-24T02:15:00Z') + 230 * MINUTE).toISOString());
    expect(page.levels.map((l) => l.targets.map((t) => t.name))).toEqual([['Primary'], ['Bob']]);
    expect(page.notifications.filter((n) => n.user.id === bob)).toHaveLength(2);
    expect(page.notifications.some((n) => n.user.id === carol)).toBe(false);
    // Stale escalation jobs change nothing.
    await pages.escalate({ pageId: id, cycle: 0, level: 0 });
    expect(await events(id)).toHaveLength(6);
  });

  it('retries a failed delivery with the same delivery id, honours Retry-After, and never holds up another channel', async () => {
    await at(300);
    let calls = 0;
    answer = (res) => (++calls === 1 ? res.writeHead(429, { 'retry-after': '150' }).end() : res.writeHead(200).end('ok'));
    const id = await startPage(await policy());
    await run();
    expect(hits).toHaveLength(1);
    const n = (await pages.get(id)).notifications.find((x) => x.kind === 'webhook')!;
    expect(n).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(n.error).toContain('429');
    // The e-mail rule goes at its time although the webhook is still failing.
    await at(302);
    await smtp.waitFor(1);
    expect(hits).toHaveLength(1);
    // Retry-After: 150 s, counted from the failure.
    await at(302.6);
    expect(hits).toHaveLength(2);
    expect(hits[1]!.headers['x-hikeshi-delivery']).toBe(hits[0]!.headers['x-hikeshi-delivery']);
    expect((await pages.get(id)).notifications.find((x) => x.kind === 'webhook')).toMatchObject({ status: 'sent', attempts: 2, error: null });
    await pages.resolve(SYSTEM_ACTOR, id);
  });

  it('a delivery that cannot succeed shows on the page as failed', async () => {
    await at(400);
    answer = (res) => res.writeHead(410).end('gone');
    const id = await startPage(await policy());
    await run();
    const page = await pages.get(id);
    expect(page.failedDeliveries).toBe(1);
    expect(page.notifications.find((x) => x.kind === 'webhook')).toMatchObject({ status: 'failed' });
    expect(page.events.find((e) => e.kind === 'delivery_failed')?.data).toMatchObject({ userId: alice, kind: 'webhook' });
    await pages.resolve(SYSTEM_ACTOR, id);
  });

  it('a level whose schedule has nobody on call moves on at once', async () => {
    await at(500);
    const empty = await oncall.create(admin, { name: 'Empty', description: '', timeZone: 'UTC', teamId: null, layers: [] });
    const policyId = (await policies.create(admin, {
      name: 'Gap', description: '', teamId: null, repeat: 0,
      levels: [{ targets: [{ type: 'schedule', id: empty.id }], timeoutMinutes: 30 }, { targets: [{ type: 'user', id: bob }], timeoutMinutes: 30 }],
    })).id;
    const id = await startPage(policyId);
    await run();
    await smtp.waitFor(1);
    expect(smtp.mails[0]!.to).toEqual(['bob@example.com']);
    expect((await pages.get(id)).level).toBe(1);
    await pages.resolve(SYSTEM_ACTOR, id);
  });

  it('reports on-call health: pages, pages outside the working day in the person’s zone, time to acknowledge, hours on call', async () => {
    // 23:15 in Tokyo: Carol is paged, and acknowledges three minutes later.
    await at(720);
    const page = await pages.create(admin, { title: 'Night page', severity: 'critical', target: { type: 'user', id: carol } });
    await run();
    now += 3 * MINUTE;
    await pages.acknowledge({ type: 'user', userId: carol, name: 'Carol', role: 'responder' }, page.id);
    const health = new OnCallHealth(storage, accounts, oncall);
    const row = await health.person(carol, { from: Date.parse('2026-11-24T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z') });
    // Carol holds the schedule's second week, from Monday 09:00 in Tokyo (00:00 UTC): 24 hours of this range.
    expect(row).toMatchObject({ pages: 1, pagesOutOfHours: 1, acknowledged: 1, medianSecondsToAcknowledge: 180, hoursOnCall: 24, timeZone: 'Asia/Tokyo' });
    const alice0 = await health.person(alice, { from: Date.parse('2026-11-24T00:00:00Z'), to: Date.parse('2026-11-25T00:00:00Z') });
    expect(alice0.pagesOutOfHours).toBe(0);
    expect(alice0.pages).toBeGreaterThan(0);
    expect(coveredHours([{ start: 0, end: 3_600_000 }, { start: 1_800_000, end: 7_200_000 }, { start: 10_800_000, end: 14_400_000 }])).toBe(3);
  });
});
