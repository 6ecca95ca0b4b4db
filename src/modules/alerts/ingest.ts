import type { Logger } from 'pino';
import { newId } from '../../shared/ids.js';
import type { AlertGrouper } from './grouper.js';
import type { AlertInbox } from './inbox.js';
import type { GroupingIntegration } from './pipeline.js';

/** Largest append, in alerts: one transaction stays short even when many large requests wait. */
const MAX_BATCH_ALERTS = 5000;
/** Batches committing at once: the next is read and sent while one waits for its fsync. */
const MAX_IN_FLIGHT = 6;
/** The same for an inbox that gathers appends itself: it commits them together whatever their number. */
const MAX_IN_FLIGHT_COALESCED = 256;

/** One accepted request, its alerts already serialised as the inbox stores them. */
export interface AcceptedRequest {
  integration: GroupingIntegration;
  /** JSON array of the request's normalised alerts. */
  alertsJson: string;
  alertCount: number;
  messageId?: string;
  receivedAt: string;
}

interface Pending {
  item: AcceptedRequest;
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
  /** Batches handed to the inbox and not yet confirmed, and the drain loop waiting for one to finish. */
  private inFlight = 0;
  private inFlightRequests = 0;
  private slotFree: (() => void) | null = null;
  /** Batches committed, and requests and alerts in them (for /metrics and the bench). */
  readonly stats = { batches: 0, requests: 0, alerts: 0 };

  constructor(
    private readonly inbox: AlertInbox,
    readonly grouper: AlertGrouper,
    private readonly log: Logger,
  ) {}

  /** Stores the alerts of one request in the inbox; resolves once they are durable. */
  submit(item: AcceptedRequest): Promise<void> {
    this.grouper.arrived();
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Requests accepted and not yet stored: waiting for a batch, or in one being stored. */
  get backlog(): number {
    return this.queue.length + this.inFlightRequests;
  }

  private take(): Pending[] {
    let alerts = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || alerts + this.queue[n]!.item.alertCount <= MAX_BATCH_ALERTS)) {
      alerts += this.queue[n]!.item.alertCount;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        if (this.inbox.coalesces) {
          // The inbox gathers what arrives while it commits: only the requests of this turn go together.
          await Promise.resolve();
        } else {
          // Let the event loop read every request that arrived meanwhile before taking the batch, so
          // that many requests share one transaction. Two turns: the first immediate may run in this
          // loop iteration's check phase, before any new I/O is read; the second runs after the next
          // poll phase has read the sockets.
          await new Promise((r) => setImmediate(() => setImmediate(r)));
        }
        if (this.inFlight >= (this.inbox.coalesces ? MAX_IN_FLIGHT_COALESCED : MAX_IN_FLIGHT)) {
          await new Promise<void>((r) => { this.slotFree = r; });
          continue;
        }
        // Not awaited: while one batch waits for its fsync the next is read and sent. Waiting here
        // instead lines every sender up behind one fsync and leaves the event loop idle meanwhile.
        // Batches in flight together may be stored in either order (PostgreSQL: concurrent
        // transactions); a sender's next request comes after its 2xx, so it is always stored later.
        const batch = this.take();
        this.inFlight++;
        this.inFlightRequests += batch.length;
        void this.store(batch).finally(() => {
          this.inFlight--;
          this.inFlightRequests -= batch.length;
          const free = this.slotFree;
          this.slotFree = null;
          free?.();
        });
      }
    } finally {
      this.running = false;
    }
  }

  /** Commits one batch and settles its requests. */
  private async store(batch: Pending[]): Promise<void> {
    try {
      await this.commit(batch.map((p) => p.item));
      for (const p of batch) p.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
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

  private async commit(items: AcceptedRequest[]): Promise<void> {
    const rows = items.map((i) => ({
      id: newId(), integration_id: i.integration.id, received_at: i.receivedAt, message_id: i.messageId ?? null,
      alert_count: i.alertCount, alerts_json: i.alertsJson,
    }));
    await this.inbox.append(rows);
    const alerts = items.reduce((n, i) => n + i.alertCount, 0);
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
