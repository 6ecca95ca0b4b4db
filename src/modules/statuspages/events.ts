// What the status pages room tells the rest of the server: a live event after every change that a
// public page may show, and durable jobs that announce a maintenance's milestones (their handler
// lives elsewhere and re-checks the maintenance, so a stale job after a reschedule is harmless).
import type { JobQueue } from '../../jobs/queue.js';
import type { EventBus } from '../../server/event-bus.js';
import { nowIso } from '../../shared/ids.js';
import type { Db } from '../../storage/db.js';

/** Published after commit with `data.pageIds`: the pages whose public face may have changed. */
export const STATUSPAGE_CHANGED = 'statuspage.changed';

/** The job kind that announces a maintenance's milestones. */
export const MAINTENANCE_JOB = 'statuspage.maintenance';

/** A maintenance milestone: created, its window starts or ends, an update is posted, it is called off. */
export type MaintenanceEvent = 'scheduled' | 'started' | 'completed' | 'update' | 'cancelled';

/** The payload of a `statuspage.maintenance` job. */
export interface MaintenanceJobPayload {
  maintenanceId: string;
  event: MaintenanceEvent;
  /** started / completed: the window time the job was enqueued for. */
  at?: string;
  /** update: the posted update. */
  updateId?: string;
}

/** Tells live views and the public page cache which pages changed (call after commit). */
export function publishChanged(bus: EventBus, pageIds: Iterable<string>): void {
  const ids = [...new Set(pageIds)];
  if (ids.length) bus.publish({ type: STATUSPAGE_CHANGED, at: nowIso(), data: { pageIds: ids } });
}

/**
 * Enqueues a maintenance job inside the caller's transaction. The dedup key names the event and its
 * time (or update), so retries enqueue nothing twice and a reschedule enqueues the new times.
 */
export async function enqueueMaintenanceJob(queue: JobQueue, trx: Db, payload: MaintenanceJobPayload, runAt: number = Date.now()): Promise<void> {
  await queue.enqueue({
    kind: MAINTENANCE_JOB,
    payload,
    dedupKey: `${MAINTENANCE_JOB}:${payload.maintenanceId}:${payload.event}:${payload.at ?? payload.updateId ?? ''}`,
    runAt,
  }, trx);
}
