import { hostname } from 'node:os';
import { computeClocks, overdueClocks } from '../modules/incidents/clocks.js';
import { openIncidents } from '../modules/incidents/incidents.repo.js';
import { DECLARE_FROM_GROUP } from '../modules/alerts/grouper.js';
import { DELIVERY_RETRY } from '../modules/statuspages/subscribers.notify.js';
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
  // The timeline records that a communication clock ran out; paging will also remind the commander.
  [CLOCK_OVERDUE]: async (job, ctx) => {
    const p = JSON.parse(job.payload_json) as { incidentId: string; clock: string; dueAt: string };
    await ctx.incidents.recordClockOverdue(p.incidentId, p.clock, p.dueAt, SYSTEM_ACTOR);
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
};

/** Kinds retried otherwise than the default (8 attempts, doubling up to 15 minutes). */
const RETRY: Record<string, RetryPolicy> = {
  // Deliveries honour Retry-After, spread retries with jitter, fail at once when retrying cannot help, and stop after about an hour.
  [STATUSPAGE_DELIVER]: DELIVERY_RETRY,
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
 * running here, or a subscriber would get the same message twice.
 */
const CLAIM_BATCH = 2;
const LEASE_MS = 120_000;

/**
 * Runs due jobs until none is left or `budgetMs` has passed (then the rest waits for the next tick,
 * so thousands of subscriber deliveries never hold up the incident clocks); returns how many ran.
 */
export async function drainJobs(ctx: AppContext, queue: JobQueue, owner: string, budgetMs = Infinity): Promise<number> {
  let ran = 0;
  const until = Date.now() + budgetMs;
  for (;;) {
    if (Date.now() >= until) return ran;
    const jobs = await queue.claim(owner, CLAIM_BATCH, LEASE_MS, Object.keys(HANDLERS));
    if (jobs.length === 0) return ran;
    for (const job of jobs) {
      try {
        await HANDLERS[job.kind]!(job, ctx);
        await queue.complete(job);
      } catch (err) {
        ctx.log.warn({ err, job: job.id, kind: job.kind }, 'job failed; will retry');
        await queue.fail(job, err, RETRY[job.kind]);
      }
      ran++;
    }
  }
}

/** Starts the clock sweep and the job worker on this node; returns a function that stops them. */
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
        await drainJobs(ctx, queue, owner, Math.max(5_000, ctx.config.clockSweepSeconds * 1000));
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
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
