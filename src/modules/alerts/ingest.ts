import type { Logger } from 'pino';
import { newId } from '../../shared/ids.js';
import type { AlertGrouper } from './grouper.js';
import type { AlertInbox } from './inbox.js';
import type { IngestItem } from './pipeline.js';

/** Largest append, in alerts: one transaction stays short even when many large requests wait. */
const MAX_BATCH_ALERTS = 5000;

interface Pending {
  item: IngestItem;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The accepting half of the ingest path: group commit into the inbox. Requests arriving while a
 * batch commits wait and go together in the next one: one transaction and one fsync for many
 * requests, so throughput rises with load while a lone request still commits at once. A request's
 * promise settles only after its batch committed, so a 2xx always means "stored durably". Grouping
 * (deduplication, routing, paging events) happens after, in the grouper, in the same order.
 */
export class AlertIngestor {
  private queue: Pending[] = [];
  private running = false;
  /** Batches committed, and requests and alerts in them (for /metrics and the bench). */
  readonly stats = { batches: 0, requests: 0, alerts: 0 };

  constructor(
    private readonly inbox: AlertInbox,
    readonly grouper: AlertGrouper,
    private readonly log: Logger,
  ) {}

  /** Stores the alerts of one request in the inbox; resolves once they are durable. */
  submit(item: IngestItem): Promise<void> {
    this.grouper.arrived();
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
          await this.commit(batch.map((p) => p.item));
          for (const p of batch) p.resolve();
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          // One bad request must not fail its neighbours: retry each alone, so only it fails.
          this.log.warn({ err, requests: batch.length }, 'ingest batch failed; retrying its requests one by one');
          for (const p of batch) {
            try {
              await this.commit([p.item]);
              p.resolve();
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

  private async commit(items: IngestItem[]): Promise<void> {
    const rows = items.map((i) => ({
      id: newId(), integration_id: i.integration.id, received_at: i.receivedAt, message_id: i.messageId ?? null,
      alert_count: i.alerts.length, alerts_json: JSON.stringify(i.alerts),
    }));
    await this.inbox.append(rows);
    const alerts = items.reduce((n, i) => n + i.alerts.length, 0);
    this.stats.batches++;
    this.stats.requests += items.length;
    this.stats.alerts += alerts;
    this.grouper.accepted(alerts);
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
