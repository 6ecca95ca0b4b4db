import type { Logger } from 'pino';
import type { EventBus } from '../../server/event-bus.js';
import { nowIso } from '../../shared/ids.js';
import type { Storage } from '../../storage/db.js';
import { JobQueue } from '../../jobs/queue.js';
import { applyBatch, type BatchOutcome, type IngestItem, type IngestResult, type PipelineEnv } from './pipeline.js';

/** The background job that declares an incident for a group a route marked "declare". */
export const DECLARE_FROM_GROUP = 'alert_group.declare';

/** Largest batch, in alerts: a storm is taken in bites that keep the API (which shares the database) responsive. */
const MAX_BATCH_ALERTS = 2000;

interface Pending {
  item: IngestItem;
  resolve: (r: IngestResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the ingest path. Requests arriving while a batch commits wait and go together in
 * the next one: one transaction and one fsync for many requests, so throughput rises with load
 * while a lone request still commits at once. A request's promise settles only after its batch
 * committed, so a 2xx always means "stored durably".
 */
export class AlertIngestor {
  private queue: Pending[] = [];
  private running = false;
  private readonly jobs: JobQueue;
  /** Batches committed, and requests in them (for /metrics and the bench). */
  readonly stats = { batches: 0, requests: 0, alerts: 0 };

  constructor(
    private readonly storage: Storage,
    private readonly env: () => Promise<PipelineEnv>,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly afterCommit: (outcome: BatchOutcome) => void,
  ) {
    this.jobs = new JobQueue(storage);
  }

  /** Stores the alerts of one request; resolves once they are durable. */
  submit(item: IngestItem): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Requests waiting for the next batch. */
  get backlog(): number {
    return this.queue.length;
  }

  private take(): Pending[] {
    let alerts = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || alerts + this.queue[n]!.item.alerts.length <= MAX_BATCH_ALERTS)) {
      alerts += this.queue[n]!.item.alerts.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        // Let the event loop read every request that arrived meanwhile before taking the batch: with
        // SQLite a commit blocks the loop (better-sqlite3 is synchronous), so without this pause no
        // request could join a batch and every one would pay its own fsync.
        // Two turns: the first immediate may run in this loop iteration's check phase, before any
        // new I/O is read; the second runs after the next poll phase has read the sockets.
        await new Promise((r) => setImmediate(() => setImmediate(r)));
        const batch = this.take();
        try {
          const outcome = await this.commit(batch.map((p) => p.item));
          batch.forEach((p, i) => p.resolve(outcome.results[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          // One bad request must not fail its neighbours: retry each alone, so only it fails.
          this.log.warn({ err, requests: batch.length }, 'ingest batch failed; retrying its requests one by one');
          for (const p of batch) {
            try {
              p.resolve((await this.commit([p.item])).results[0]!);
            } catch (e) {
              p.reject(e);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async commit(items: IngestItem[]): Promise<BatchOutcome> {
    const env = await this.env();
    const outcome = await this.storage.db.transaction().execute(async (trx) => {
      // Nodes sharing one PostgreSQL take turns: deduplication needs to see every earlier batch.
      await this.storage.lockForTransaction(trx, 'alerts.ingest');
      const out = await applyBatch(trx, this.storage.dialect, items, env, nowIso());
      for (const [groupId, severity] of out.declare) {
        await this.jobs.enqueue({ kind: DECLARE_FROM_GROUP, dedupKey: `${DECLARE_FROM_GROUP}:${groupId}`, payload: { groupId, severity } }, trx);
      }
      return out;
    });
    this.stats.batches++;
    this.stats.requests += items.length;
    this.stats.alerts += items.reduce((n, i) => n + i.alerts.length, 0);
    if (outcome.changedGroups.length) {
      this.bus.publish({ type: 'alerts.changed', at: nowIso(), data: { groupIds: outcome.changedGroups.slice(0, 100), count: outcome.changedGroups.length } });
    }
    this.afterCommit(outcome);
    return outcome;
  }
}

/**
 * Per-integration request budgets (token buckets) on this node. The answer to a request over budget
 * says when to come back (Retry-After), as PagerDuty's Events API does.
 */
export class IngestRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one request from the budget; returns 0 when allowed, else the seconds to wait. */
  take(integrationId: string, perMinute: number, now = Date.now()): number {
    const rate = perMinute / 60_000;
    const b = this.buckets.get(integrationId) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (this.buckets.size > 10_000) this.buckets.clear();
    this.buckets.set(integrationId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}
