import { hostname } from 'node:os';
import { computeClocks, overdueClocks } from '../modules/incidents/clocks.js';
import { openIncidents } from '../modules/incidents/incidents.repo.js';
import { DECLARE_FROM_GROUP } from '../modules/alerts/grouper.js';
import { DELIVERY_RETRY } from '../modules/statuspages/subscribers.notify.js';
import { PAGE_ESCALATE, PAGE_FOR_GROUP, PAGE_NOTIFY } from '../modules/paging/pages.service.js';
import { STATUSPAGE_DELIVER, STATUSPAGE_INCIDENT_UPDATE, STATUSPAGE_MAINTENANCE } from '../modules/statuspages/subscribers.jobs.js';
import type { Severity } from '../shared/phases.js';
import type { AppContext } from '../server/context.js';
import { SYSTEM_ACTOR } from '../shared/actor.js';
import { newId } from '../shared/ids.js';
import { type Job, JobQueue, type RetryPolicy } from './queue.js';

/** Job kinds and what runs them. Later rooms (paging) add theirs here. */
type Handler = (job: Job, ctx: AppContext) => Promise<void>;

export const CLOCK_OVERDUE = 'incident.clock_overdue';

const HANDLERS: Record<string, Handler> = {
  // The timeline records that a communication clock ran out, and whoever owns the update is reminded
  // (the communications role, else the commander; once per clock and due time).
  [CLOCK_OVERDUE]: async (job, ctx) => {
    const p = JSON.parse(job.payload_json) as { incidentId: string; clock: string; dueAt: string };
    if (await ctx.incidents.recordClockOverdue(p.incidentId, p.clock, p.dueAt, SYSTEM_ACTOR)) await ctx.pages.remind(p.incidentId, p.clock, p.dueAt);
  },
  // A route said "declare an incident" for a new alert group.
  [DECLARE_FROM_GROUP]: async (job, ctx) => {
    const p = JSON.parse(job.payload_json) as { groupId: string; severity: Severity };
    await ctx.alerts.declareFromRoute(SYSTEM_ACTOR, p.groupId, p.severity);
  },
  // Status page subscribers: a public update or a maintenance milestone fans out to one delivery per subscriber.
  [STATUSPAGE_INCIDENT_UPDATE]: async (job, ctx) => {
    await ctx.statusSubscribers.onIncidentUpdate(job);
  },
  [STATUSPAGE_MAINTENANCE]: async (job, ctx) => {
    await ctx.statusSubscribers.onMaintenance(job);
  },
  [STATUSPAGE_DELIVER]: (job, ctx) => ctx.statusSubscribers.deliver(job),
  // Paging: a routed alert group starts a page after its group wait; levels time out; each notification is a job of its own.
  [PAGE_FOR_GROUP]: async (job, ctx) => {
    const p = JSON.parse(job.payload_json) as { groupId: string; at?: string };
    await ctx.pages.startForGroup(p.groupId, p.at);
  },
  [PAGE_ESCALATE]: (job, ctx) => ctx.pages.escalate(JSON.parse(job.payload_json) as { pageId: string; cycle: number; level: number }),
  [PAGE_NOTIFY]: (job, ctx) => ctx.pages.notify(JSON.parse(job.payload_json) as { notificationId: string }, job.attempts),
};

/** What to do when the queue gives up on a job (after its last retry, or a permanent failure). */
const ON_GIVE_UP: Record<string, (job: Job, error: unknown, ctx: AppContext) => Promise<void>> = {
  // A notification that never arrived shows on its page.
  [PAGE_NOTIFY]: (job, error, ctx) => ctx.pages.notifyFailed(JSON.parse(job.payload_json) as { notificationId: string }, error),
  // A group that could not page (its policy is gone) says so in its history, where its responders look.
  [PAGE_FOR_GROUP]: (job, error, ctx) => ctx.alerts.recordPagingFailed((JSON.parse(job.payload_json) as { groupId: string }).groupId, error),
};

/** Kinds retried otherwise than the default (8 attempts, doubling up to 15 minutes). */
const RETRY: Record<string, RetryPolicy> = {
  // Deliveries honour Retry-After, spread retries with jitter, fail at once when retrying cannot help, and stop after about an hour.
  [STATUSPAGE_DELIVER]: DELIVERY_RETRY,
  // A page's notification is retried the same way: about an hour, then it shows as failed on the page.
  [PAGE_NOTIFY]: DELIVERY_RETRY,
};

/** Finds overdue clocks on open incidents and enqueues one job per clock and due time (every node may run it). */
export async function sweepClocks(ctx: AppContext, queue: JobQueue, now = Date.now()): Promise<number> {
  const settings = await ctx.settings.incidentSettings();
  let enqueued = 0;
  for (const row of await openIncidents(ctx.storage.db)) {
    for (const o of overdueClocks(computeClocks(row, settings, now))) {
      const added = await queue.enqueue({ kind: CLOCK_OVERDUE, dedupKey: `${CLOCK_OVERDUE}:${row.id}:${o.clock}:${o.dueAt}`, payload: { incidentId: row.id, ...o } });
      if (added) enqueued++;
    }
  }
  return enqueued;
}

const HOUR = 3600_000;

/** Drops what has served its purpose: expired sessions, day-old idempotency keys, week-old finished jobs, unconfirmed sign-ups. */
export async function housekeeping(ctx: AppContext, now = Date.now()): Promise<void> {
  const db = ctx.storage.db;
  await db.deleteFrom('sessions').where('expires_at', '<', new Date(now).toISOString()).execute();
  await db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(now - 24 * HOUR).toISOString()).execute();
  await db.deleteFrom('jobs').where('status', '=', 'done').where('finished_at', '<', new Date(now - 7 * 24 * HOUR).toISOString()).execute();
  // Status page sign-ups never confirmed are forgotten after a week (their link only lived 48 hours).
  await db.deleteFrom('status_subscribers').where('confirmed_at', 'is', null).where('unsubscribed_at', 'is', null).where('updated_at', '<', new Date(now - 7 * 24 * HOUR).toISOString()).execute();
  // SNS retries a message for about an hour at most; a week of message ids is plenty.
  await db.deleteFrom('ingest_messages').where('received_at', '<', new Date(now - 7 * 24 * HOUR).toISOString()).execute();
}

/**
 * Jobs are claimed a few at a time under a lease that outlasts their worst case (an SMTP delivery
 * may take 50 s before it times out): another node must never take over a job that is still
 * running here, or a subscriber would get the same message twice. The paging pool claims up to
 * CLAIM_BATCH at once; the sweep's chain two.
 */
const CLAIM_BATCH = 8;
const LEASE_MS = 120_000;
/** How long a finished paging job waits for a claim to mark it done before it is marked on its own. */
const FLUSH_MS = 250;

/**
 * Runs one claimed job: done, or failed (retried later, or given up and its hook run). `finished`,
 * when given, takes a job that ended well instead of marking it done at once (the paging pool marks
 * its finished jobs done with its next claim).
 */
async function runJob(ctx: AppContext, queue: JobQueue, job: Job, finished?: (job: Job) => void): Promise<void> {
  try {
    await HANDLERS[job.kind]!(job, ctx);
    if (finished) finished(job);
    else await queue.complete(job);
  } catch (err) {
    let gaveUp: boolean;
    try {
      gaveUp = await queue.fail(job, err, RETRY[job.kind]);
    } catch (failErr) {
      // The database is away (a failover): the job keeps its lease, which runs out, and it is run again.
      ctx.log.error({ err: failErr, job: job.id, kind: job.kind }, 'could not record a job failure; it runs again when its lease ends');
      return;
    }
    ctx.log[gaveUp ? 'error' : 'warn']({ err, job: job.id, kind: job.kind }, gaveUp ? 'job failed for good' : 'job failed; will retry');
    if (gaveUp) await ON_GIVE_UP[job.kind]?.(job, err, ctx).catch((e: unknown) => ctx.log.error({ err: e, job: job.id }, 'could not record a failed job'));
  }
}

/**
 * Runs due jobs until none is left or `budgetMs` has passed (then the rest waits for the next tick,
 * so thousands of subscriber deliveries never hold up the incident clocks); returns how many ran.
 */
export async function drainJobs(ctx: AppContext, queue: JobQueue, owner: string, budgetMs = Infinity, kinds: string[] = Object.keys(HANDLERS)): Promise<number> {
  let ran = 0;
  const until = Date.now() + budgetMs;
  for (;;) {
    if (Date.now() >= until) return ran;
    const jobs = await queue.claim(owner, 2, LEASE_MS, kinds);
    if (jobs.length === 0) return ran;
    for (const job of jobs) {
      await runJob(ctx, queue, job);
      ran++;
    }
  }
}

/**
 * A pool that keeps up to `size` jobs of some kinds running: `pump()` claims as many as there is room
 * for, and is called again when one ends if the last claim found more than there was room for. Calls
 * while it is claiming make it claim once more. (Claiming after every job that ended was six claim
 * queries per page on PostgreSQL, most of them finding nothing.)
 *
 * A job that ended well is marked done by the next claim (in the same statement on PostgreSQL, the
 * same transaction on SQLite), or after FLUSH_MS when no claim comes first: two statements fewer
 * per page on PostgreSQL, two commits fewer on SQLite. Until then a crash leaves
 * it running under its lease, and it runs again when the lease ends; paging's jobs are written to
 * be run twice (a page started, a notification sent or a level escalated is found and not repeated).
 */
export class JobPool {
  private readonly running = new Set<Promise<void>>();
  private claiming = false;
  private again = false;
  private stopped = false;
  /** The last claim filled all the room there was: more may be due when a job ends. */
  private more = false;
  /** Jobs that ended well here and are not marked done yet. */
  private finished: Job[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly queue: JobQueue,
    private readonly owner: string,
    private readonly kinds: string[],
    private readonly size: number,
  ) {}

  pump(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    void (async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && this.running.size < this.size) {
            const room = Math.min(this.size - this.running.size, CLAIM_BATCH);
            const done = this.finished.splice(0);
            let jobs: Job[];
            try {
              jobs = await this.queue.claim(this.owner, room, LEASE_MS, this.kinds, done);
            } catch (err) {
              this.finished.unshift(...done); // the statement changed nothing: the next one marks them
              throw err;
            }
            this.more = jobs.length === room;
            if (jobs.length === 0) break;
            for (const job of jobs) {
              const run: Promise<void> = runJob(this.ctx, this.queue, job, (j) => this.finished.push(j)).catch((err: unknown) => {
                this.ctx.log.error({ err, job: job.id, kind: job.kind }, 'a job failed unexpectedly; it runs again when its lease ends');
              }).finally(() => {
                this.running.delete(run);
                // Only when jobs may be left: new ones come with a wake (this node) or the poll (others, later).
                if (this.more) this.pump();
                // Should no claim come (none due, or the pool full), the finished jobs are marked anyway.
                this.flushSoon();
              });
              this.running.add(run);
            }
          }
        } while (this.again && !this.stopped);
      } catch (err) {
        if (!this.stopped) this.ctx.log.error({ err }, 'could not claim jobs; retrying');
      } finally {
        this.claiming = false;
      }
    })();
  }

  /** Marks finished jobs done after FLUSH_MS, unless a claim has carried them by then. */
  private flushSoon(): void {
    if (this.flushTimer || this.finished.length === 0) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flushing = this.flushing.then(() => this.flush());
    }, FLUSH_MS);
    this.flushTimer.unref();
  }

  private async flush(): Promise<void> {
    const done = this.finished.splice(0);
    try {
      await this.queue.completeMany(done);
    } catch (err) {
      this.finished.unshift(...done);
      if (!this.stopped) {
        this.ctx.log.error({ err }, 'could not mark finished jobs done; retrying');
        this.flushSoon();
      }
    }
  }

  /** Stops claiming, waits for the jobs running, and marks the finished ones done. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.claiming) await new Promise((r) => setTimeout(r, 10));
    await Promise.allSettled([...this.running]);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.flushing;
    await this.flush();
  }
}

/** Paging's jobs: a page must not wait for the clock sweep's tick. */
const PAGING_KINDS = [PAGE_FOR_GROUP, PAGE_ESCALATE, PAGE_NOTIFY];
/** The sweep's chain runs everything else: a slow SMTP server there never holds up a page, nor a page the clocks. */
const SWEPT_KINDS = Object.keys(HANDLERS).filter((k) => !PAGING_KINDS.includes(k));
/** How often paging's jobs are looked for when nothing woke the worker (jobs due later, other nodes' jobs). */
const PAGING_POLL_MS = 1000;
/** Paging jobs run at once on this node: mostly waiting on receivers and the database, not the CPU. */
const PAGING_CONCURRENCY = 16;
/** An event that says paging jobs were just enqueued on this node. */
export const JOBS_WAKE = 'jobs.wake';

/** Starts the clock sweep and the job workers on this node; returns a function that stops them. */
export function startBackgroundWork(ctx: AppContext): () => Promise<void> {
  const queue = new JobQueue(ctx.storage);
  const owner = `${hostname()}:${process.pid}:${newId()}`;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let lastHousekeeping = 0;
  let lastSuppressionRefresh = 0;
  const tick = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await sweepClocks(ctx, queue);
        // Silences and maintenance windows start and end by the clock: re-mark open groups each minute.
        if (Date.now() - lastSuppressionRefresh >= 60_000) {
          lastSuppressionRefresh = Date.now();
          await ctx.alerts.refreshSuppression();
        }
        await drainJobs(ctx, queue, owner, Math.max(5_000, ctx.config.clockSweepSeconds * 1000), SWEPT_KINDS);
        if (Date.now() - lastHousekeeping > HOUR) {
          lastHousekeeping = Date.now();
          await housekeeping(ctx);
        }
      } catch (err) {
        if (!stopped) ctx.log.error({ err }, 'background work failed; retrying next tick');
      }
    });
  };
  const timer = setInterval(tick, ctx.config.clockSweepSeconds * 1000);
  timer.unref();
  tick();

  // Paging runs as a pool of its own: jobs are claimed when a page is started or escalated here
  // (jobs.wake), when a running job ends, and every second otherwise; up to PAGING_CONCURRENCY run at
  // once, so a receiver that takes its full timeout holds up only its own notification.
  const pool = new JobPool(ctx, queue, owner, PAGING_KINDS, PAGING_CONCURRENCY);
  const pagingTimer = setInterval(() => pool.pump(), PAGING_POLL_MS);
  pagingTimer.unref();
  // A wake is answered after the current turn of the event loop: when a paging job woke the pool, it
  // has finished by then, and the claim marks it done (in the same statement on PostgreSQL).
  const unsubscribe = ctx.bus.subscribe((e) => {
    if (e.type === JOBS_WAKE) setImmediate(() => pool.pump());
  });
  pool.pump();
  return async () => {
    stopped = true;
    clearInterval(timer);
    clearInterval(pagingTimer);
    unsubscribe();
    await running;
    await pool.stop();
  };
}
