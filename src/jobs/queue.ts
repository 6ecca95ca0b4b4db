import { sql } from 'kysely';
import { newId, nowIso } from '../shared/ids.js';
import { keyChunks, keyIn } from '../storage/bulk.js';
import type { Db, Storage } from '../storage/db.js';
import type { JobsTable } from '../storage/schema.js';

/** A job to run: what kind, with what, and when. */
export interface NewJob {
  kind: string;
  payload: unknown;
  /** At most one job ever exists with this key: enqueueing it again does nothing. */
  dedupKey?: string;
  runAt?: number;
}

/** Jobs per INSERT: 12 values each, well within SQLite's and PostgreSQL's limits of bound parameters. */
const ENQUEUE_CHUNK = 500;

/** A claimed job. */
export type Job = JobsTable;

/** How a kind of job is retried (see JobQueue.fail). */
export interface RetryPolicy {
  /** Give up after this many attempts (default 8). */
  maxAttempts?: number;
  /** Give up when the next try would start more than this long after the job was enqueued. */
  maxAgeMs?: number;
  /** The longest wait between tries (default 15 minutes). */
  capMs?: number;
  /** Spread the wait randomly over its upper half. */
  jitter?: boolean;
}

/** What a failure may say about retrying it: an error carrying `permanent: true` or `retryAfterMs` (a channel's DeliveryError does). */
export interface RetryHint {
  permanent?: boolean;
  retryAfterMs?: number;
}

function retryHint(error: unknown): RetryHint {
  if (!error || typeof error !== 'object') return {};
  const e = error as Record<string, unknown>;
  return {
    permanent: e.permanent === true,
    retryAfterMs: typeof e.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs) && e.retryAfterMs >= 0 ? e.retryAfterMs : undefined,
  };
}

/**
 * The durable jobs/outbox table. Work is enqueued in the same database (often the same transaction)
 * as the change that causes it, and claimed with a lease: a node that dies mid-job loses the lease
 * and another node takes the job over. On PostgreSQL claims use FOR UPDATE SKIP LOCKED so several
 * nodes never take the same job; SQLite has one writer, so its claim is already exclusive.
 */
export class JobQueue {
  /** `clock`: the time jobs are due against (tests drive escalation timing with their own). */
  constructor(private readonly storage: Storage, private readonly clock: () => number = Date.now) {}

  /** Adds a job; false when a job with the same dedup key already exists. */
  async enqueue(job: NewJob, db = this.storage.db): Promise<boolean> {
    return (await this.enqueueMany([job], db)) > 0;
  }

  /**
   * Adds jobs in as few statements as the parameter limits allow (a storm routes thousands of new
   * groups in one grouping transaction; a page's level enqueues its notifications and its
   * escalation together). Jobs whose dedup key exists already are skipped; returns how many were added.
   */
  async enqueueMany(jobs: NewJob[], db = this.storage.db): Promise<number> {
    const now = this.clock();
    let added = 0;
    for (let i = 0; i < jobs.length; i += ENQUEUE_CHUNK) {
      const rows = jobs.slice(i, i + ENQUEUE_CHUNK).map((job) => ({
        id: newId(now), kind: job.kind, dedup_key: job.dedupKey ?? null, payload_json: JSON.stringify(job.payload ?? null),
        status: 'pending', attempts: 0, run_at: nowIso(job.runAt ?? now), lease_owner: null, lease_until: null, last_error: null,
        created_at: nowIso(now), finished_at: null,
      }));
      const res = await db.insertInto('jobs').values(rows).onConflict((oc) => oc.column('dedup_key').doNothing()).executeTakeFirst();
      added += Number(res.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  }

  /**
   * Claims up to `limit` due jobs (or jobs whose lease ran out) for `owner` for `leaseMs`. Jobs this
   * owner finished since its last claim (`done`) are marked done in the same statement on PostgreSQL,
   * where every statement is a round trip (SQLite cannot update in a WITH clause: a statement of its
   * own, in one transaction with the claim).
   */
  async claim(owner: string, limit: number, leaseMs: number, kinds?: string[], done: Job[] = []): Promise<Job[]> {
    const postgres = this.storage.dialect === 'postgres';
    if (done.length && !postgres) {
      // One transaction, so one commit (a sync to disk that holds the event loop) rather than two.
      return this.storage.db.transaction().execute(async (trx) => {
        await this.completeMany(done, trx);
        return this.claimIn(trx, owner, limit, leaseMs, kinds, []);
      });
    }
    return this.claimIn(this.storage.db, owner, limit, leaseMs, kinds, done);
  }

  private async claimIn(db: Db, owner: string, limit: number, leaseMs: number, kinds: string[] | undefined, done: Job[]): Promise<Job[]> {
    const now = nowIso(this.clock());
    const until = nowIso(this.clock() + leaseMs);
    const postgres = this.storage.dialect === 'postgres';
    const lock = postgres ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    const kindFilter = kinds?.length ? sql`AND kind IN (${sql.join(kinds)})` : sql``;
    const doneIds = done.map((j) => j.id);
    // A job finished here is never claimed in the same statement (one whose lease ran out while it ran would be a candidate).
    const [finish, notDone] = done.length && postgres
      ? [sql`WITH finished AS (UPDATE jobs SET status = 'done', finished_at = ${now}, lease_owner = NULL, lease_until = NULL WHERE id IN (${sql.join(doneIds)}) AND lease_owner = ${owner}) `,
        sql`AND id NOT IN (${sql.join(doneIds)})`]
      : [sql``, sql``];
    const result = await sql<Job>`
      ${finish}UPDATE jobs SET status = 'running', lease_owner = ${owner}, lease_until = ${until}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM jobs
        WHERE ((status = 'pending' AND run_at <= ${now}) OR (status = 'running' AND lease_until < ${now})) ${kindFilter} ${notDone}
        ORDER BY run_at LIMIT ${limit} ${lock}
      )
      RETURNING *`.execute(db);
    return result.rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
  }

  /** Marks a job done, if this owner still holds its lease. */
  async complete(job: Job): Promise<void> {
    await this.completeMany([job]);
  }

  /** Marks jobs done, each if its owner still holds its lease (all of them one owner's). */
  async completeMany(jobs: Job[], db: Db = this.storage.db): Promise<void> {
    if (jobs.length === 0) return;
    const owner = jobs[0]!.lease_owner;
    for (const ids of keyChunks(this.storage.dialect, jobs.map((j) => j.id))) {
      await db.updateTable('jobs').set({ status: 'done', finished_at: nowIso(this.clock()), lease_owner: null, lease_until: null })
        .where(keyIn(this.storage.dialect, 'id', ids)).where('lease_owner', '=', owner).execute();
    }
  }

  /**
   * Records a failure; retried with backoff until `maxAttempts`, then kept as failed for inspection.
   * A number is the old form (maxAttempts). A policy may add jitter and a maximum age, and the error
   * may say more (see RetryHint): `permanent` fails at once, `retryAfterMs` is honoured as the wait.
   * Returns true when it gave up (the job is failed for good).
   */
  async fail(job: Job, error: unknown, policy: number | RetryPolicy = 8): Promise<boolean> {
    const message = error instanceof Error ? error.message : String(error);
    const p: RetryPolicy = typeof policy === 'number' ? { maxAttempts: policy } : policy;
    const hint = retryHint(error);
    const now = this.clock();
    let backoffMs = Math.min(2 ** job.attempts * 1000, p.capMs ?? 15 * 60_000);
    // Full jitter on the upper half: retries of many jobs that failed together spread out instead of
    // hitting a receiver that is just coming back all at once.
    if (p.jitter) backoffMs = Math.round(backoffMs / 2 + Math.random() * (backoffMs / 2));
    if (hint.retryAfterMs !== undefined) backoffMs = Math.max(hint.retryAfterMs, 1000);
    const runAt = now + backoffMs;
    const tooOld = p.maxAgeMs !== undefined && runAt > Date.parse(job.created_at) + p.maxAgeMs;
    const giveUp = hint.permanent || job.attempts >= (p.maxAttempts ?? 8) || tooOld;
    await this.storage.db.updateTable('jobs').set({
      status: giveUp ? 'failed' : 'pending', last_error: message.slice(0, 2000), lease_owner: null, lease_until: null,
      run_at: nowIso(runAt), finished_at: giveUp ? nowIso(now) : null,
    }).where('id', '=', job.id).where('lease_owner', '=', job.lease_owner).execute();
    return giveUp;
  }

  /** Counts by status (for metrics and tests). */
  async counts(): Promise<Record<string, number>> {
    const rows = await this.storage.db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
