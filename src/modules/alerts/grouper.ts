import type { Logger } from 'pino';
import type { EventBus } from '../../server/event-bus.js';
import { nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import { StatisticsKeeper } from '../../storage/analyze.js';
import { JobQueue } from '../../jobs/queue.js';
import type { NormalizedAlert } from '../../plugins/source.js';
import type { AlertInbox, WaitingCount, WaitingRow } from './inbox.js';
import { applyBatch, type BatchOutcome, type GroupingIntegration, type IngestItem, type PipelineEnv } from './pipeline.js';

/** The background job that declares an incident for a group a route marked "declare". */
export const DECLARE_FROM_GROUP = 'alert_group.declare';
/** The lock that grouping, actions on a group and the suppression refresh take in turn (PostgreSQL: across nodes). */
export const INGEST_LOCK = 'alerts.ingest';
/** The background job that starts a page for a group routed to an escalation policy (paging's PAGE_FOR_GROUP). */
export const PAGE_FOR_GROUP = 'alert_group.page';

/** Largest grouping transaction, in alerts: it blocks the event loop on SQLite, so it stays short. */
const CHUNK_ALERTS = 200;
/**
 * The same on PostgreSQL when no alert has arrived for BUSY_MS (catching up after a storm; still at
 * most HEAD_ROWS requests). There the event loop goes on while the database works, and a
 * transaction is a dozen round trips whatever its size: 1,000 alerts a transaction caught up 1.4×
 * as fast as 200 (7.0k against 4.9k new alerts/s, scratch runs of bench:ingest's 50-alert row).
 * While alerts arrive, the longer stretches of JavaScript between its queries held up requests
 * (API p99 61 ms against 35 ms), so chunks stay at CHUNK_ALERTS.
 */
const CATCH_UP_CHUNK_ALERTS_PG = 1000;
/** Requests read from the inbox per transaction, at most (a chunk of 1-alert requests). */
const HEAD_ROWS = 500;
/**
 * A storm: alerts arrive faster than grouping them all would leave the event loop half its time
 * (arrival rate × measured grouping cost per alert in event-loop time, or, on SQLite, grouping's
 * measured share of the time, > STORM_LOAD), until the estimate falls under half that (stormNow). Then grouping takes only a share
 * of the time: 2% until half the inbox limit waits, rising to half the time when the inbox is
 * full. So a storm is taken at full speed, grouping always moves, and senders turned away at the
 * limit (429) leave it the time to catch up. Short of a storm (1,000 alerts/s is a tenth of what
 * grouping can do) grouping takes all the time it needs and stays milliseconds behind.
 * (Time grouping holds the event loop is time no request is read: run freely during a storm, it
 * capped intake at grouping's own speed, measured at ~10k alerts/s against 40-50k deferred.)
 */
const STORM_LOAD = 0.5;
const MIN_SHARE = 0.02;
const MAX_SHARE = 0.5;
/** Ingest busier than this during grouping's pause means senders wait on answers: grouping's share halves; else it doubles. */
const IDLE_INTAKE = 0.5;
/** The arrival rate is measured over windows of this length. */
const RATE_WINDOW_MS = 500;
/** The longest pause between two grouping transactions while ingest is busy. */
const MAX_PAUSE_MS = 1000;
/** A storm is over once no request arrived for this long. */
const BUSY_MS = 50;
/** How often a node looks for requests another node accepted (PostgreSQL) or left behind. */
const POLL_MS = 1000;
const TUNING: Tuning = { retryBaseMs: 250, maxAttempts: 5, setAsideAfterMs: 60_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The database's trouble rather than a request's: never counted towards setting a request aside.
 * SQLite: full, I/O, busy, locked, read-only, cannot open. PostgreSQL classes 08 (connection), 53
 * (resources), 57 (operator intervention), 40 (rollback), 55P03 (lock not available); and sockets.
 */
export function isDatabaseTrouble(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (/^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|NOMEM|PROTOCOL)/.test(code)) return true;
  if (/^(08|53|57|40)[0-9A-Z]{3}$/.test(code) || code === '55P03') return true;
  return /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND)$/.test(code);
}
const nextTurn = () => new Promise((r) => setImmediate(r));

/**
 * Whether alerts arrive as a storm: what grouping everything would take (`need`: arrival rate ×
 * cost per alert), or what it took (`used`: many small transactions cost more per alert than the
 * estimate, which only larger ones update), is over STORM_LOAD of the time. Out of a storm only
 * once both are well under the line, so it does not flip back and forth.
 * What it took counts on SQLite only, where a transaction's time is the event loop's. On PostgreSQL
 * it is mostly waiting for the database while requests are served: at a steady 100 alerts/s, small
 * transactions back to back took over half the time and were paused as a storm, for up to
 * MAX_PAUSE_MS at a time, so grouping (and paging after it) fell a second behind.
 */
export function stormNow(was: boolean, dialect: Storage['dialect'], need: number, used: number): boolean {
  const took = dialect === 'sqlite' ? used : 0;
  if (!was) return need > STORM_LOAD || took > STORM_LOAD;
  return !(need < STORM_LOAD / 2 && took < STORM_LOAD / 2);
}

/** Where the grouper gets what it needs of the rest of the room. */
export interface GrouperDeps {
  storage: Storage;
  inbox: AlertInbox;
  /** Accepted alerts waiting beyond which ingest answers 429 (ingestMaxWaitingAlerts). */
  maxWaiting: number;
  env(): Promise<PipelineEnv>;
  /** Read inside the grouping transaction (`db`): SQLite has one connection, and the transaction holds it. */
  integrations(db: Db, ids: string[]): Promise<Map<string, GroupingIntegration>>;
  bus: EventBus;
  log: Logger;
  afterCommit(outcome: BatchOutcome): void;
  /** Tests shorten the waits. */
  tuning?: Partial<Tuning>;
}

interface Tuning {
  /** First wait after a failed transaction (doubles each time, up to 30 s). */
  retryBaseMs: number;
  /** A request that fails alone this many times, over at least setAsideAfterMs, is set aside (kept, shown, not retried). */
  maxAttempts: number;
  setAsideAfterMs: number;
}

/**
 * The grouping half of the ingest path. Takes accepted requests from the inbox in order and applies
 * them (deduplication, alert groups, routing, incident timelines, paging events) in transactions of
 * up to CHUNK_ALERTS alerts (or CATCH_UP_CHUNK_ALERTS_PG), each of which also takes the requests it
 * applied out of the inbox: every accepted request is grouped exactly once, across crashes and
 * restarts. During a storm acceptance comes first and grouping runs behind it (see MIN_SHARE); the
 * lag is measured and shown.
 */
export class AlertGrouper {
  private running = false;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> = Promise.resolve();
  private readonly jobs: JobQueue;
  /** The requests the transaction in flight took. */
  private taken: WaitingRow[] = [];
  /** After a failure: one request per transaction up to and including this one, to find the request that fails. */
  private singleThrough: number | null = null;
  private failures: { id: string; count: number; since: number } | null = null;
  /** Set-aside requests an admin retried: set aside again at their first failure alone. */
  private readonly retried = new Set<string>();
  private lastArrival = 0;
  private window = { start: performance.now(), count: 0, groupingMs: 0, rate: 0, used: 0 };
  private storm = false;
  /** What grouping one alert costs, measured (moving average, ms). */
  private costPerAlertMs = 0.1;
  /** Grouping's share of the time during a storm (MIN_SHARE…MAX_SHARE, adapted to how idle ingest leaves the event loop). */
  private share = MIN_SHARE;
  private lastAlerts = 0;
  private wake: (() => void) | null = null;
  /** Alerts accepted and not yet grouped, as far as this node knows (kept as it goes; re-read from the inbox every POLL_MS). */
  private pending = 0;
  readonly stats = { chunks: 0, requests: 0, alerts: 0, setAside: 0, lagMs: 0 };

  private readonly tuning: Tuning;
  private readonly statistics: StatisticsKeeper | null;

  constructor(private readonly deps: GrouperDeps) {
    this.jobs = new JobQueue(deps.storage);
    // The dedup and group lookups are planned from these tables' statistics (storage/analyze.ts).
    this.statistics = deps.storage.dialect === 'postgres' ? new StatisticsKeeper(deps.storage.db, ['alerts', 'alert_groups'], deps.log) : null;
    this.tuning = { ...TUNING, ...deps.tuning };
  }

  /** Starts grouping whatever is waiting, then keeps watching the inbox. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.refreshPending();
    this.kick();
    this.timer = setInterval(() => {
      void this.refreshPending().then(() => this.kick(), (err: unknown) => this.deps.log.warn({ err }, 'alert inbox: could not count waiting requests'));
    }, POLL_MS);
    this.timer.unref();
  }

  /** Stops after the transaction in flight (a pause or back-off ends at once); what is left waits in the inbox for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.wake?.();
    await this.loop;
    await this.statistics?.settled();
  }

  /** Waits `ms`, or less if the grouper is stopped meanwhile. */
  private nap(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /** An admin is putting set-aside request `id` back in the queue (set-aside.ts). */
  retrying(id: string): void {
    if (this.retried.size >= 1000) this.retried.clear();
    this.retried.add(id);
  }

  /** A request arrived at an ingest endpoint: while they keep coming, grouping yields most of the time to them. */
  arrived(): void {
    this.lastArrival = performance.now();
  }

  /** A request arrived at an ingest endpoint within the last BUSY_MS. */
  private get arriving(): boolean {
    return performance.now() - this.lastArrival < BUSY_MS;
  }

  /** Alerts arrive faster than grouping could take them and leave the event loop time to read them. */
  private get busy(): boolean {
    const now = performance.now();
    if (!this.arriving) {
      this.storm = false;
      return false;
    }
    this.rate(now);
    this.storm = stormNow(this.storm, this.deps.storage.dialect, (this.window.rate * this.costPerAlertMs) / 1000, this.window.used);
    return this.storm;
  }

  /** Rolls the measuring window: alerts accepted per second, and the share of time grouping took. */
  private rate(now: number): void {
    const elapsed = now - this.window.start;
    if (elapsed < RATE_WINDOW_MS) return;
    this.window = { start: now, count: 0, groupingMs: 0, rate: (this.window.count * 1000) / elapsed, used: this.window.groupingMs / elapsed };
  }

  /** Grouping's share of the time while ingest is busy. */
  private get floorShare(): number {
    const fill = this.pending / this.deps.maxWaiting;
    return Math.min(MAX_SHARE, Math.max(MIN_SHARE, (fill - 0.5) * 2 * MAX_SHARE));
  }

  /** The ingestor stored `n` more alerts in the inbox. */
  accepted(n: number): void {
    this.pending += n;
    this.rate(performance.now());
    this.window.count += n;
    // After the answers of the requests just stored are on their way, not before.
    setImmediate(() => this.kick());
  }

  /** Where accepted requests wait. */
  get inbox(): AlertInbox {
    return this.deps.inbox;
  }

  /** Alerts accepted and not yet grouped. */
  get waiting(): number {
    return this.pending;
  }

  /** Resolves once nothing accepted is waiting to be grouped (tests wait on it to read what they sent). */
  async settled(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running && (await this.countWaiting()).alerts === 0) return;
      if (this.stopped) throw new Error('alert inbox: requests are waiting and the grouper is stopped');
      if (Date.now() > deadline) throw new Error(`alert inbox: still ${this.pending} alerts waiting after ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  /** What waits in the inbox, and what was set aside. */
  countWaiting(): Promise<WaitingCount> {
    return this.deps.inbox.count();
  }

  /** Re-reads what waits: other nodes' requests (PostgreSQL), and any drift (a count that raced a transaction is corrected by the next). */
  private async refreshPending(): Promise<void> {
    this.pending = (await this.countWaiting()).alerts;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.loop = this.run().catch((err: unknown) => {
      // run() handles what it expects; anything else must not take the process down.
      this.deps.log.error({ err }, 'alert grouping stopped on an unexpected error; the next request or poll starts it again');
    }).finally(() => {
      this.running = false;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.again = false;
      const t0 = performance.now();
      const loop0 = performance.eventLoopUtilization();
      let applied: number;
      try {
        applied = await this.chunk();
        failures = 0;
      } catch (err) {
        failures++;
        if (await this.failed(err)) continue;
        // The database refused (disk full, connection lost) or a request is being pinned down: wait
        // and try again, longer each time. Nothing leaves the inbox until it is grouped.
        await this.nap(Math.min(30_000, this.tuning.retryBaseMs * 2 ** Math.min(failures, 7)));
        continue;
      }
      if (applied === 0 && !this.again) return;
      const spent = performance.now() - t0;
      this.window.groupingMs += spent;
      // The cost is the event loop's time, not the database's: on PostgreSQL most of a transaction is
      // waiting for answers while requests are served (the event loop's use during it bounds what
      // grouping took of it). On SQLite the transaction holds the event loop, and the two are one.
      const loopMs = spent * performance.eventLoopUtilization(loop0).utilization;
      if (this.lastAlerts >= 20) this.costPerAlertMs = 0.8 * this.costPerAlertMs + 0.2 * (loopMs / this.lastAlerts);
      if (!this.busy) {
        await nextTurn();
        continue;
      }
      // Pause so that grouping takes its share; then, if ingest left the event loop mostly idle
      // during the pause (senders at a steady rate rather than as fast as answers come), take more.
      const share = Math.max(this.share, this.floorShare);
      const mark = performance.eventLoopUtilization();
      await this.nap(Math.min(MAX_PAUSE_MS, (spent * (1 - share)) / share));
      const intake = performance.eventLoopUtilization(mark).utilization;
      this.share = intake < IDLE_INTAKE ? Math.min(MAX_SHARE, share * 2) : Math.max(MIN_SHARE, share / 2);
    }
  }

  /**
   * Groups the oldest waiting requests, up to CHUNK_ALERTS alerts (CATCH_UP_CHUNK_ALERTS_PG on
   * PostgreSQL when none are arriving); returns how many requests it took.
   */
  private async chunk(): Promise<number> {
    const { storage } = this.deps;
    // Reset before anything can fail: a failure counts against the requests this chunk took, never the last one's.
    this.taken = [];
    this.lastAlerts = 0;
    const env = await this.deps.env();
    const result = await storage.db.transaction().execute(async (trx) => {
      // Nodes sharing one PostgreSQL take turns: deduplication needs to see every earlier request.
      await storage.lockForTransaction(trx, INGEST_LOCK);
      const maxAlerts = storage.dialect === 'postgres' && !this.arriving ? CATCH_UP_CHUNK_ALERTS_PG : CHUNK_ALERTS;
      const rows = await this.deps.inbox.head(trx, this.singleThrough !== null ? 1 : HEAD_ROWS, maxAlerts);
      if (rows.length === 0) return null;
      this.taken = rows;
      const outcome = await applyBatch(trx, storage.dialect, await this.items(trx, rows), env, nowIso());
      // One page per group and firing: a group that reopens pages again. The wait lets more alerts join first.
      // (In one statement: a storm routes thousands of new groups in one chunk.)
      await this.jobs.enqueueMany([
        ...[...outcome.declare].map(([groupId, severity]) => ({ kind: DECLARE_FROM_GROUP, dedupKey: `${DECLARE_FROM_GROUP}:${groupId}`, payload: { groupId, severity } })),
        ...outcome.page.map((p) => ({ kind: PAGE_FOR_GROUP, dedupKey: `${PAGE_FOR_GROUP}:${p.groupId}:${p.at}`, payload: { groupId: p.groupId, at: p.at }, runAt: p.runAt })),
      ], trx);
      await this.deps.inbox.applied(trx, rows);
      return { outcome, rows };
    });
    if (!result) return 0;
    this.deps.inbox.committed();
    const { outcome, rows } = result;
    if (this.singleThrough !== null && rows[rows.length - 1]!.seq >= this.singleThrough) this.singleThrough = null;
    this.failures = null;
    const alerts = rows.reduce((s, r) => s + r.alert_count, 0);
    this.lastAlerts = alerts;
    this.pending = Math.max(0, this.pending - alerts);
    this.stats.chunks++;
    this.stats.requests += rows.length;
    this.stats.alerts += alerts;
    this.stats.lagMs = Math.max(0, Date.now() - Date.parse(rows[0]!.received_at));
    if (outcome.changedGroups.length) {
      this.deps.bus.publish({ type: 'alerts.changed', at: nowIso(), data: { groupIds: outcome.changedGroups.slice(0, 100), count: outcome.changedGroups.length } });
    }
    this.statistics?.wrote(outcome.inserted);
    this.deps.afterCommit(outcome);
    return rows.length;
  }

  /**
   * After a failed grouping transaction: with several requests in it, the next tries them one at a
   * time to find the one that fails; a request that fails alone maxAttempts times over more than
   * setAsideAfterMs is set aside with its error, so the requests behind it are grouped. Returns
   * true when the next try can start at once.
   */
  private async failed(err: unknown): Promise<boolean> {
    const taken = this.taken;
    if (taken.length === 0 || isDatabaseTrouble(err)) {
      this.deps.log.error({ err, requests: taken.length }, 'alert grouping failed; the inbox is kept and retried');
      return false;
    }
    if (taken.length > 1) {
      // One at a time until past the last of these: one of them is the request that fails.
      this.singleThrough = taken[taken.length - 1]!.seq;
      this.deps.log.warn({ err, requests: taken.length }, 'alert grouping failed; trying the requests one at a time');
      return true;
    }
    const row = taken[0]!;
    const id = row.id;
    const f = this.failures?.id === id ? this.failures : { id, count: 0, since: Date.now() };
    f.count++;
    this.failures = f;
    // A request someone retried was set aside already: it does not get another minute of the queue.
    const retried = this.retried.has(id);
    if (!retried && (f.count < this.tuning.maxAttempts || Date.now() - f.since < this.tuning.setAsideAfterMs)) {
      this.deps.log.error({ err, request: id, attempts: f.count }, 'alert grouping failed on one request; retrying it');
      return false;
    }
    const message = err instanceof Error ? err.message : String(err);
    try {
      await this.deps.inbox.setAside(row, message.slice(0, 2000));
    } catch (e) {
      this.deps.log.error({ err: e, request: id }, 'alert grouping could not set a failing request aside; retrying');
      return false;
    }
    this.failures = null;
    this.retried.delete(id);
    this.pending = Math.max(0, this.pending - row.alert_count);
    this.stats.setAside++;
    this.deps.log.error({ err, request: id }, 'alert grouping failed on this request again and again; it is set aside in the inbox');
    return true;
  }

  /** Requests as the pipeline takes them (integrations are never deleted, only disabled). */
  private async items(trx: Db, rows: WaitingRow[]): Promise<IngestItem[]> {
    const integrations = await this.deps.integrations(trx, [...new Set(rows.map((r) => r.integration_id))]);
    return rows.map((r) => ({
      integration: integrations.get(r.integration_id) ?? { id: r.integration_id, groupBy: [] },
      alerts: JSON.parse(r.alerts_json) as NormalizedAlert[],
      messageId: r.message_id ?? undefined,
      receivedAt: r.received_at,
    }));
  }
}
