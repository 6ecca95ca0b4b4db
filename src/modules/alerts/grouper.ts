import type { Logger } from 'pino';
import type { EventBus } from '../../server/event-bus.js';
import { nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { AlertInboxTable } from '../../storage/schema.js';
import { JobQueue } from '../../jobs/queue.js';
import type { NormalizedAlert } from '../../plugins/source.js';
import { applyBatch, type BatchOutcome, type GroupingIntegration, type IngestItem, type PipelineEnv } from './pipeline.js';

/** The background job that declares an incident for a group a route marked "declare". */
export const DECLARE_FROM_GROUP = 'alert_group.declare';

/** Largest grouping transaction, in alerts: it blocks the event loop on SQLite, so it stays short. */
const CHUNK_ALERTS = 500;
/** While requests keep arriving, grouping takes about this share of the time; all of it when they stop. */
const SHARE_WHILE_BUSY = 0.1;
/** Ingest counts as busy for this long after a request arrives. */
const BUSY_MS = 50;
/** How often a node looks for requests another node accepted (PostgreSQL) or left behind. */
const POLL_MS = 1000;
const TUNING: Tuning = { retryBaseMs: 250, maxAttempts: 5, setAsideAfterMs: 60_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nextTurn = () => new Promise((r) => setImmediate(r));

/** Where the grouper gets what it needs of the rest of the room. */
export interface GrouperDeps {
  storage: Storage;
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
 * up to CHUNK_ALERTS alerts, each of which also deletes the requests it applied: every accepted
 * request is grouped exactly once, across crashes and restarts. During a storm acceptance comes
 * first and grouping runs behind it, about a quarter of the time; the lag is measured and shown.
 */
export class AlertGrouper {
  private running = false;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> = Promise.resolve();
  private readonly jobs: JobQueue;
  /** The requests the transaction in flight took. */
  private taken: string[] = [];
  /** Try one request per transaction (after a failure, to find the request that fails). */
  private single = false;
  private failures: { id: string; count: number; since: number } | null = null;
  private lastArrival = 0;
  private wake: (() => void) | null = null;
  /** Alerts accepted and not yet grouped, as far as this node knows (exact on SQLite; refreshed from the database each poll). */
  private pending = 0;
  readonly stats = { chunks: 0, requests: 0, alerts: 0, setAside: 0, lagMs: 0 };

  private readonly tuning: Tuning;

  constructor(private readonly deps: GrouperDeps) {
    this.jobs = new JobQueue(deps.storage);
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

  /** Stops after the transaction in flight; what is left waits in the inbox for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.wake?.();
    await this.loop;
  }

  /** Waits `ms`, or less if the grouper is stopped meanwhile. */
  private nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /** A request arrived at an ingest endpoint: while they keep coming, grouping yields most of the time to them. */
  arrived(): void {
    this.lastArrival = performance.now();
  }

  private get busy(): boolean {
    return performance.now() - this.lastArrival < BUSY_MS;
  }

  /** The ingestor stored `n` more alerts in the inbox. */
  accepted(n: number): void {
    this.pending += n;
    this.kick();
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
      if (Date.now() > deadline) throw new Error(`alert inbox: still ${this.pending} alerts waiting after ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  /** What waits in the inbox, and what was set aside. */
  async countWaiting(): Promise<{ requests: number; alerts: number; setAside: number; oldest: string | null }> {
    const rows = await this.deps.storage.db.selectFrom('alert_inbox')
      .select((eb) => [
        eb.fn.countAll<number>().as('requests'),
        eb.fn.sum<number>('alert_count').as('alerts'),
        eb.fn.min<string>('received_at').as('oldest'),
        eb.case().when('error', 'is not', null).then(1).else(0).end().as('failed'),
      ])
      .groupBy((eb) => eb.case().when('error', 'is not', null).then(1).else(0).end())
      .execute();
    const live = rows.find((r) => Number(r.failed) === 0);
    return {
      requests: Number(live?.requests ?? 0), alerts: Number(live?.alerts ?? 0), oldest: live?.oldest ?? null,
      setAside: Number(rows.find((r) => Number(r.failed) === 1)?.requests ?? 0),
    };
  }

  private async refreshPending(): Promise<void> {
    if (this.running) return; // the count would race the transaction in flight; the next poll corrects it
    this.pending = (await this.countWaiting()).alerts;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.loop = this.run().finally(() => {
      this.running = false;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.again = false;
      const t0 = performance.now();
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
      if (this.busy) await this.nap(Math.min(250, (spent * (1 - SHARE_WHILE_BUSY)) / SHARE_WHILE_BUSY));
      else await nextTurn();
    }
  }

  /** Groups the oldest waiting requests, up to CHUNK_ALERTS alerts; returns how many requests it took. */
  private async chunk(): Promise<number> {
    const { storage } = this.deps;
    const env = await this.deps.env();
    this.taken = [];
    const result = await storage.db.transaction().execute(async (trx) => {
      // Nodes sharing one PostgreSQL take turns: deduplication needs to see every earlier request.
      await storage.lockForTransaction(trx, 'alerts.ingest');
      const head = await trx.selectFrom('alert_inbox').select(['id', 'alert_count']).where('error', 'is', null)
        .orderBy('id').limit(this.single ? 1 : 200).execute();
      let alerts = 0;
      let n = 0;
      while (n < head.length && (n === 0 || alerts + head[n]!.alert_count <= CHUNK_ALERTS)) {
        alerts += head[n]!.alert_count;
        n++;
      }
      if (n === 0) return null;
      this.taken = head.slice(0, n).map((r) => r.id);
      const rows = await trx.selectFrom('alert_inbox').selectAll().where('id', 'in', this.taken).orderBy('id').execute();
      const outcome = await applyBatch(trx, storage.dialect, await this.items(trx, rows), env, nowIso());
      for (const [groupId, severity] of outcome.declare) {
        await this.jobs.enqueue({ kind: DECLARE_FROM_GROUP, dedupKey: `${DECLARE_FROM_GROUP}:${groupId}`, payload: { groupId, severity } }, trx);
      }
      await trx.deleteFrom('alert_inbox').where('id', 'in', this.taken).execute();
      return { outcome, rows };
    });
    if (!result) return 0;
    const { outcome, rows } = result;
    this.single = false;
    this.failures = null;
    const alerts = rows.reduce((s, r) => s + r.alert_count, 0);
    this.pending = Math.max(0, this.pending - alerts);
    this.stats.chunks++;
    this.stats.requests += rows.length;
    this.stats.alerts += alerts;
    this.stats.lagMs = Math.max(0, Date.now() - Date.parse(rows[0]!.received_at));
    if (outcome.changedGroups.length) {
      this.deps.bus.publish({ type: 'alerts.changed', at: nowIso(), data: { groupIds: outcome.changedGroups.slice(0, 100), count: outcome.changedGroups.length } });
    }
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
    if (taken.length > 1) {
      this.single = true;
      this.deps.log.warn({ err, requests: taken.length }, 'alert grouping failed; trying the requests one at a time');
      return true;
    }
    if (taken.length === 0) {
      this.deps.log.error({ err }, 'alert grouping failed; the inbox is kept and retried');
      return false;
    }
    const id = taken[0]!;
    const f = this.failures?.id === id ? this.failures : { id, count: 0, since: Date.now() };
    f.count++;
    this.failures = f;
    if (f.count < this.tuning.maxAttempts || Date.now() - f.since < this.tuning.setAsideAfterMs) {
      this.deps.log.error({ err, request: id, attempts: f.count }, 'alert grouping failed on one request; retrying it');
      return false;
    }
    const message = err instanceof Error ? err.message : String(err);
    await this.deps.storage.db.updateTable('alert_inbox').set({ error: message.slice(0, 2000) }).where('id', '=', id).execute();
    this.failures = null;
    this.single = false;
    this.stats.setAside++;
    this.deps.log.error({ err, request: id }, 'alert grouping failed on this request again and again; it is set aside in the inbox');
    return true;
  }

  /** Requests as the pipeline takes them (integrations are never deleted, only disabled). */
  private async items(trx: Db, rows: AlertInboxTable[]): Promise<IngestItem[]> {
    const integrations = await this.deps.integrations(trx, [...new Set(rows.map((r) => r.integration_id))]);
    return rows.map((r) => ({
      integration: integrations.get(r.integration_id) ?? { id: r.integration_id, groupBy: [] },
      alerts: JSON.parse(r.alerts_json) as NormalizedAlert[],
      messageId: r.message_id ?? undefined,
      receivedAt: r.received_at,
    }));
  }
}
