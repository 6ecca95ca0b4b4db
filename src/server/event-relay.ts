import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DomainEvent, EventBus } from './event-bus.js';

/** The NOTIFY channel; serve.ts publishes with pg_notify on the same name. */
export const CHANNEL = 'hikeshi_events';
// NOTIFY payloads must stay under 8000 bytes; events carry ids, not documents, so this is ample.
const MAX_PAYLOAD = 7900;

/**
 * Carries live events between Hikeshi nodes that share one PostgreSQL database (LISTEN/NOTIFY), so
 * a browser connected to any node sees changes made on every node. Each node delivers its own events
 * locally at once and ignores their echo.
 */
export class PgEventRelay {
  private readonly origin = randomUUID();
  private client: pg.Client | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly publisher: (payload: string) => Promise<unknown>,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.bus.subscribe((event) => {
      if ((event as DomainEvent & { relayed?: boolean }).relayed || event.local) return;
      const payload = JSON.stringify({ origin: this.origin, event });
      if (payload.length > MAX_PAYLOAD) return;
      this.publisher(payload).catch((err: unknown) => this.log.warn({ err }, 'could not relay a live event to other nodes'));
    });
    await this.listen();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const { origin, event } = JSON.parse(msg.payload) as { origin: string; event: DomainEvent };
        if (origin !== this.origin) this.bus.publish({ ...event, relayed: true } as DomainEvent);
      } catch (err) {
        this.log.warn({ err }, 'ignored a malformed live event from another node');
      }
    });
    client.on('error', (err) => {
      this.log.warn({ err }, 'live-event listener lost its connection; reconnecting');
      this.reconnectSoon();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private reconnectSoon(): void {
    if (this.closed || this.retry) return;
    const old = this.client;
    this.client = null;
    old?.end().catch(() => {});
    this.retry = setTimeout(() => {
      this.retry = null;
      this.listen().catch(() => this.reconnectSoon());
    }, 1000);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}
