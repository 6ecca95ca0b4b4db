// kill -9 under load: a server process takes Prometheus alerts from several concurrent senders and
// is killed (SIGKILL) in the middle of it, twice: once at an arbitrary moment (mostly mid-batch),
// once right after an acknowledgement arrives (when an answer that outran its commit would be
// lost). After each restart on the same database every alert whose request got a 2xx is there,
// none is stored twice, the groups' counters agree with their alerts, and the server keeps
// accepting and deduplicating. A 2xx means "stored durably" (in the inbox; grouping follows, and
// after a restart picks up where the killed server stopped); a request the kill cut off got no
// answer and may or may not have been stored, so the senders retry it, as Prometheus would.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Launch } from '../../bench/lib/compile-server.js';
import { ServerProcess } from '../../bench/lib/server-process.js';
import { openInbox } from '../../src/modules/alerts/inbox.js';
import { openStorage } from '../../src/storage/db.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const SENDERS = 8;
/** The kill comes after this long under load, or once this many requests were answered, whichever is first. */
const KILL_AFTER_MS = 2000;
const KILL_AFTER_REQUESTS = 1000;
/** No sender starts a request past this many in a round (bounds the run should the kill never come). */
const MAX_REQUESTS = 3000;
const REQUEST_TIMEOUT_MS = 20_000;
/** The request the after-ack kill follows: as large as the Prometheus source takes (1,000 alerts), so grouping it takes a while. */
const FINALE_ALERTS = 1000;
/** Acknowledged alerts per round that are sent again after the restart, to see them deduplicated. */
const RESEND_PER_ROUND = 100;
/** Round 1 runs again, on a restarted server, when its kill cut no request off; at most this many times. */
const TIMER_ROUNDS = 3;

/**
 * The bench's server child (bench/server-child.ts) through tsx: a server process of its own that
 * reports its URL and setup link over IPC. (bench/lib tsxLaunch() needs import.meta.resolve, which
 * Vitest's module runner lacks, so the loader is resolved here.)
 */
const LAUNCH: Launch = {
  runtime: 'tsx',
  args: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, fileURLToPath(new URL('../../bench/server-child.ts', import.meta.url))],
};

/** One request: Alertmanager API v2 postable alerts, each with a unique `seq` label. */
interface Sent {
  sender: number;
  seqs: number[];
  body: unknown[];
}

function request(sender: number, seqs: number[]): Sent {
  const startsAt = new Date().toISOString();
  const endsAt = new Date(Date.now() + 3_600_000).toISOString();
  return {
    sender, seqs,
    body: seqs.map((seq) => ({
      labels: { alertname: `CrashLoad${sender}`, sender: String(sender), seq: String(seq), severity: 'warning' },
      annotations: { summary: `Load alert ${seq} from sender ${sender}` },
      startsAt, endsAt, generatorURL: 'http://prometheus.invalid:9090/graph',
    })),
  };
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The first admin (from the setup link), an API token, and a Prometheus integration; returns its key. */
async function prepare(url: string, setupUrl: string | null): Promise<string> {
  if (!setupUrl) throw new Error('the fresh server offered no setup link');
  const setup = await fetch(`${url}/api/v1/setup`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: new URL(setupUrl).searchParams.get('token'), email: 'crash@example.com', name: 'Crash Admin', password: 'a long crash test password' }),
  });
  const setupBody = await json(setup);
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${JSON.stringify(setupBody)}`);
  const cookie = setup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const minted = await fetch(`${url}/api/v1/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': setupBody.csrfToken }, body: JSON.stringify({ name: 'crash' }),
  });
  const token = (await json(minted)).token as string;
  if (minted.status !== 201) throw new Error(`minting a token: ${minted.status}`);
  const created = await fetch(`${url}/api/v1/integrations`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ source: 'prometheus', name: 'Crash load', rateLimitPerMinute: 1_000_000 }),
  });
  const integration = await json(created);
  if (created.status !== 201) throw new Error(`creating the integration: ${created.status} ${JSON.stringify(integration)}`);
  return integration.key as string;
}

function post(url: string, key: string, sent: Sent): Promise<Response> {
  return fetch(`${url}/ingest/prometheus/api/v2/alerts`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(sent.body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/** Waits until the harness has seen the server process exit. */
async function exited(server: ServerProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      server.assertAlive();
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`server pid ${server.pid} still runs 10 s after SIGKILL`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** When the kill comes: at a moment the senders do not choose, or the instant a 2xx arrives. */
type KillMode = 'timer' | 'after-ack';

/** What one round of load saw. */
interface Round {
  /** seq → sender, for every alert whose request got a 2xx. */
  acknowledged: Map<number, number>;
  /** Requests that got no 2xx: cut off by the kill, or sent after it (refused). */
  cutOff: Sent[];
  /** Of those, requests issued before the kill. */
  inFlight: number;
  /** Anything but a 2xx before the kill. */
  unexpected: string[];
}

/** Several senders post to `server` until it is killed (per `mode`); each stops at its first failure. */
async function loadAndKill(server: ServerProcess, key: string, mode: KillMode, seq: { next: number }): Promise<Round> {
  const round: Round = { acknowledged: new Map(), cutOff: [], inFlight: 0, unexpected: [] };
  let started = 0;
  let answered = 0;
  let killedAt: number | null = null;
  let finale = false;
  const loadStart = Date.now();
  const kill = () => {
    if (killedAt !== null) return;
    killedAt = Date.now();
    process.kill(server.pid, 'SIGKILL');
  };
  const due = () => Date.now() - loadStart >= KILL_AFTER_MS || answered >= KILL_AFTER_REQUESTS;
  // In 'after-ack' mode the timer is only the backstop.
  let timer = setTimeout(kill, mode === 'timer' ? KILL_AFTER_MS : KILL_AFTER_MS + 5000);

  const sender = async (n: number): Promise<void> => {
    while (started < MAX_REQUESTS) {
      const size = 1 + ((started * 7919 + n * 31) % 50); // 1–50 alerts, varied
      const sent = request(n, Array.from({ length: size }, () => seq.next++));
      started++;
      const issuedBeforeKill = killedAt === null;
      try {
        const res = await post(server.url, key, sent);
        const body = await res.text();
        if (res.status < 200 || res.status >= 300) throw new Error(`answered ${res.status}: ${body.slice(0, 300)}`);
        for (const s of sent.seqs) round.acknowledged.set(s, n);
        if (mode === 'after-ack' && due() && !finale) {
          // The last request is a large one (grouping takes a few hundred ms over it), killed the
          // instant its 2xx arrives: accepted requests are certainly still waiting to be grouped.
          finale = true;
          const big = request(n, Array.from({ length: FINALE_ALERTS }, () => seq.next++));
          const res = await post(server.url, key, big);
          const text = await res.text();
          if (res.status === 202) for (const s of big.seqs) round.acknowledged.set(s, n);
          else round.unexpected.push(`sender ${n}: the final request answered ${res.status}: ${text.slice(0, 300)}`);
          kill();
        }
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        if (killedAt === null) round.unexpected.push(`sender ${n}: ${(err as Error).message} ${cause?.code ?? cause?.message ?? ''}`);
        else if (issuedBeforeKill) round.inFlight++;
        round.cutOff.push(sent);
        return;
      }
      if (++answered === KILL_AFTER_REQUESTS && mode === 'timer') {
        clearTimeout(timer);
        timer = setTimeout(kill, 5); // soon, with the senders' next requests on the wire
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, (_, n) => sender(n)));
  clearTimeout(timer);
  kill(); // should the senders have run out of requests first
  await exited(server);
  if (process.env.HIKESHI_CRASH_DEBUG) {
    process.stderr.write(`crash round ${mode}: ${started} requests, ${round.acknowledged.size} alerts acknowledged, ${round.cutOff.length} requests cut off (${round.inFlight} in flight), killed after ${killedAt! - loadStart} ms\n`);
  }
  return round;
}

describe.each(DATABASE_KINDS)('ingest survives kill -9 under load (%s)', (kind) => {
  const servers: ServerProcess[] = [];
  let db: TestDatabase | undefined;
  let workDir: string | undefined;

  afterAll(async () => {
    for (const s of servers) s.kill();
    for (const s of servers) await exited(s).catch(() => {});
    await db?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  it('keeps every acknowledged alert, stores none twice, and works after each restart', async () => {
    db = await createTestDatabase(kind);
    workDir = mkdtempSync(join(tmpdir(), 'hikeshi-crash-'));
    const settings = { dataDir: db.dataDir ?? workDir, databaseUrl: db.databaseUrl };
    const start = async () => {
      const s = await ServerProcess.start(LAUNCH, settings, workDir!);
      servers.push(s);
      return s;
    };
    const seq = { next: 1 };
    const acknowledged = new Map<number, number>(); // seq → sender, over the whole run
    const attempted = new Set<number>();

    /** Re-sends requests that got no answer, as a sender would; each must be accepted now. */
    const retry = async (server: ServerProcess, key: string, requests: Sent[]) => {
      for (const sent of requests) {
        const res = await post(server.url, key, sent);
        expect(res.status, `${JSON.stringify(await json(res))}\n${server.logTail()}`).toBe(202);
        for (const s of sent.seqs) acknowledged.set(s, sent.sender);
      }
    };
    /** Requests the killed server had accepted and not grouped yet: the next start must group them. */
    const leftInInbox = async () => {
      const storage = await openStorage({ ...settings, migrate: false });
      const inbox = await openInbox(storage);
      try {
        return (await inbox.count()).requests;
      } finally {
        await inbox.close();
        await storage.close();
      }
    };
    const left: number[] = [];
    const checkRound = (round: Round, mode: KillMode, server: ServerProcess) => {
      expect(round.unexpected, `${mode}: failures before the kill\n${server.logTail()}`).toEqual([]);
      // The premise: real load was acknowledged before the kill.
      expect(round.acknowledged.size, mode).toBeGreaterThan(100);
      for (const [s, n] of round.acknowledged) acknowledged.set(s, n);
      for (const sent of round.cutOff) sent.seqs.forEach((s) => attempted.add(s));
      for (const s of round.acknowledged.keys()) attempted.add(s);
    };

    // ---- round 1: killed at an arbitrary moment, with requests on the wire ----
    // On a busy machine every sender can have its answer in hand when the kill comes, so that the
    // kill cuts nothing off. The round is then run again on a restarted server (with the refused
    // requests retried first), up to TIMER_ROUNDS times, until a kill cuts a request off.
    let server = await start();
    const key = await prepare(server.url, server.setupUrl);
    const timerRounds: Round[] = [];
    for (;;) {
      const round = await loadAndKill(server, key, 'timer', seq);
      checkRound(round, 'timer', server);
      timerRounds.push(round);
      if (round.inFlight > 0 || timerRounds.length === TIMER_ROUNDS) break;
      server = await start();
      expect(server.setupUrl, 'the restarted server forgot its admin').toBeNull();
      await retry(server, key, round.cutOff);
    }
    const one = timerRounds.at(-1)!;
    left.push(await leftInInbox());
    expect(one.inFlight, `no request was in flight when the server was killed, in ${TIMER_ROUNDS} tries`).toBeGreaterThan(0);

    // ---- round 2: restarted; the cut-off requests are retried, then killed right after a 2xx ----
    const second = await start();
    expect(second.setupUrl, 'the restarted server forgot its admin').toBeNull();
    await retry(second, key, one.cutOff);
    const two = await loadAndKill(second, key, 'after-ack', seq);
    checkRound(two, 'after-ack', second);
    left.push(await leftInInbox());
    // The premise of the restarts: grouping was behind acceptance when a kill came (certainly after
    // the large final request of round 2).
    expect(left[1], 'no accepted request was waiting to be grouped at the kill').toBeGreaterThan(0);

    // ---- restarted again: retries, repeats of acknowledged alerts, and a new alert ----
    const third = await start();
    await retry(third, key, two.cutOff);
    // Prometheus re-sends firing alerts every minute: repeats must find what survived the kills.
    const resent = [...timerRounds, two].flatMap((round) => [...round.acknowledged.keys()].slice(0, RESEND_PER_ROUND));
    await retry(third, key, Array.from({ length: SENDERS }, (_, n) => request(n, resent.filter((s) => acknowledged.get(s) === n))).filter((r) => r.seqs.length));
    await retry(third, key, [request(0, [0])]);
    attempted.add(0);
    // A 2xx means stored in the inbox; grouping follows. Wait for it (the killed servers' leftovers too).
    const watcher = await openStorage({ ...settings, migrate: false });
    const inbox = await openInbox(watcher);
    try {
      const deadline = Date.now() + 60_000;
      while ((await inbox.count()).requests) {
        if (Date.now() > deadline) throw new Error(`accepted alerts still waiting to be grouped after 60 s\n${third.logTail()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await inbox.count()).setAside, 'requests set aside').toBe(0);
    } finally {
      await inbox.close();
      await watcher.close();
    }
    await third.stop();

    // ---- what is stored ----
    const storage = await openStorage({ ...settings, migrate: false });
    try {
      const rows = await storage.db.selectFrom('alerts').select(['id', 'group_id', 'dedup_key', 'status', 'labels_json', 'receive_count']).execute();
      const groups = await storage.db.selectFrom('alert_groups').select(['id', 'group_key', 'status', 'alert_count', 'firing_count']).execute();
      const bySeq = new Map<number, typeof rows>();
      for (const r of rows) {
        const s = Number((JSON.parse(r.labels_json) as Record<string, string>).seq);
        bySeq.set(s, [...(bySeq.get(s) ?? []), r]);
      }

      // Every acknowledged alert survived the kills (and the retried and the new ones are there).
      expect([...acknowledged.keys()].filter((s) => !bySeq.has(s)).slice(0, 20), 'acknowledged alerts missing after kill -9').toEqual([]);
      // Nothing invented, nothing twice: one row per alert sent, one firing row per dedup key.
      expect([...bySeq.keys()].filter((s) => !attempted.has(s)).slice(0, 20), 'alerts nobody sent').toEqual([]);
      expect([...bySeq].filter(([, rs]) => rs.length > 1).map(([s]) => s).slice(0, 20), 'alerts stored twice').toEqual([]);
      const firingKeys = rows.filter((r) => r.status === 'firing').map((r) => r.dedup_key);
      expect(firingKeys.length, 'alerts that are not firing').toBe(rows.length);
      expect(new Set(firingKeys).size, 'a dedup key is firing twice').toBe(firingKeys.length);
      // The repeats were recognised as repeats.
      expect(resent.filter((s) => Number(bySeq.get(s)?.[0]?.receive_count) !== 2).slice(0, 20), 'repeats not counted once').toEqual([]);
      // Groups and their alerts changed together: one open group per key, counters that match the rows.
      expect(new Set(groups.map((g) => g.group_key)).size, 'a group key has two groups').toBe(groups.length);
      expect(groups.length).toBe(SENDERS);
      for (const g of groups) {
        const mine = rows.filter((r) => r.group_id === g.id);
        expect({ group: g.group_key, status: g.status, alertCount: Number(g.alert_count), firingCount: Number(g.firing_count) })
          .toEqual({ group: g.group_key, status: 'triggered', alertCount: mine.length, firingCount: mine.length });
      }
      expect(rows.filter((r) => !groups.some((g) => g.id === r.group_id)).length, 'alerts without their group').toBe(0);
    } finally {
      await storage.close();
    }
  }, 180_000);
});
