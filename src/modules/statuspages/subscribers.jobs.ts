// The background jobs that tell status page subscribers what changed. They go through the durable
// jobs table (src/jobs/queue.ts) like paging will: enqueued in the transaction of the change, fanned
// out to one delivery job per subscriber, so one failing subscriber never holds up the others.
import type { NewJob } from '../../jobs/queue.js';
import { MAINTENANCE_JOB, type MaintenanceEvent } from './events.js';

export type { MaintenanceEvent, MaintenanceJobPayload } from './events.js';

/** A public status update was posted (payload IncidentUpdateJob); enqueued by IncidentsService.postUpdate, never for drills. */
export const STATUSPAGE_INCIDENT_UPDATE = 'statuspage.incident_update';
/** Something happened to a maintenance (payload MaintenanceJobPayload, events.ts); enqueued by the status page service. */
export const STATUSPAGE_MAINTENANCE = MAINTENANCE_JOB;
/** One message to one subscriber (payload DeliverJob); the job id is the delivery id receivers see. */
export const STATUSPAGE_DELIVER = 'statuspage.deliver';

export interface IncidentUpdateJob {
  updateId: string;
}

/** What one delivery carries. */
export type DeliverEvent =
  | { type: 'confirm' }
  | { type: 'test' }
  | { type: 'incident_update'; updateId: string }
  | { type: 'maintenance'; maintenanceId: string; event: MaintenanceEvent; updateId?: string };

export interface DeliverJob {
  subscriberId: string;
  event: DeliverEvent;
}

/** The fan-out job for a public status update (call inside the transaction that inserts the update). */
export function incidentUpdateJob(updateId: string): NewJob {
  return { kind: STATUSPAGE_INCIDENT_UPDATE, payload: { updateId } satisfies IncidentUpdateJob, dedupKey: `${STATUSPAGE_INCIDENT_UPDATE}:${updateId}` };
}
