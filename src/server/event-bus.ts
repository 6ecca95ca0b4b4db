import { EventEmitter } from 'node:events';

/** Something that happened, fanned out to live views after its transaction committed. */
export interface DomainEvent {
  type: string;
  incidentId?: string;
  at: string;
  data?: Record<string, unknown>;
  /** For this node's own listeners only: the PostgreSQL relay does not send it to other nodes. */
  local?: boolean;
}

/**
 * In-process publish/subscribe for live updates (server-sent events). Events are published only
 * after the transaction that caused them committed, so a subscriber that re-reads sees the change.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: DomainEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: DomainEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  get listenerCount(): number {
    return this.emitter.listenerCount('event');
  }
}
