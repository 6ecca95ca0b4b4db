// A component's status, now and over the last 90 days, derived from what is stored: its manual
// changes, the incident segments that name it and the maintenance windows that cover it. Pure, so
// every node (and the static export) computes the same bars from the same rows, with no sweeper.
import type { StatusComponentChangesTable, StatusIncidentComponentsTable, StatusMaintenancesTable } from '../../storage/schema.js';
import { type ComponentStatus, type MaintenanceStatus, type StatusSegment, worseStatus } from './model.js';

/** How far back availability history goes. */
export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/** A manual status change (a status_component_changes row). */
export type ManualChange = Pick<StatusComponentChangesTable, 'status' | 'at'>;

/** An incident segment (a status_incident_components row) with its incident's resolution and drill flag. */
export type IncidentSegment = Pick<StatusIncidentComponentsTable, 'status' | 'from_at' | 'to_at'> & { resolved_at: string | null; drill: number };

/** A maintenance window's times (a status_maintenances row). */
export type MaintenanceWindow = Pick<StatusMaintenancesTable, 'starts_at' | 'ends_at' | 'completed_at' | 'cancelled_at'>;

/** Everything stored about one component's status. */
export interface ComponentHistoryInput {
  changes: ManualChange[];
  incidents: IncidentSegment[];
  maintenances: MaintenanceWindow[];
}

/** A half-open interval [from, to) in epoch milliseconds; to = Infinity while it lasts. */
interface Span {
  from: number;
  to: number;
}

const ms = (iso: string | null): number => (iso === null ? Infinity : Date.parse(iso));

/** When an incident segment stops counting: when it was closed or the incident resolved, whichever came first. Drills never count. */
function incidentSpan(s: IncidentSegment): Span | null {
  if (s.drill) return null;
  const span = { from: ms(s.from_at), to: Math.min(ms(s.to_at), ms(s.resolved_at)) };
  return span.to > span.from ? span : null;
}

/** When a maintenance window really covered its components: ended early (completed) or called off (cancelled) cuts it short. */
function maintenanceSpan(m: MaintenanceWindow): Span | null {
  const span = { from: ms(m.starts_at), to: Math.min(ms(m.ends_at), ms(m.completed_at), ms(m.cancelled_at)) };
  return span.to > span.from ? span : null;
}

/** The spans and manual changes, parsed once. */
interface Prepared {
  manual: { at: number; status: ComponentStatus }[];
  incidents: (Span & { status: ComponentStatus })[];
  maintenances: Span[];
}

function prepare(input: ComponentHistoryInput): Prepared {
  const manual = input.changes.map((c) => ({ at: ms(c.at), status: c.status as ComponentStatus })).sort((a, b) => a.at - b.at);
  const incidents = input.incidents.flatMap((s) => {
    const span = incidentSpan(s);
    return span ? [{ ...span, status: s.status as ComponentStatus }] : [];
  });
  const maintenances = input.maintenances.flatMap((m) => maintenanceSpan(m) ?? []);
  return { manual, incidents, maintenances };
}

/** The status at instant `t`: the worst incident impact, else maintenance, else the last manual change (operational before any). */
function statusAt(p: Prepared, t: number): ComponentStatus {
  let incident: ComponentStatus | null = null;
  for (const s of p.incidents) if (s.from <= t && t < s.to) incident = worseStatus(incident ?? 'operational', s.status);
  if (incident) return incident;
  if (p.maintenances.some((m) => m.from <= t && t < m.to)) return 'under_maintenance';
  let manual: ComponentStatus = 'operational';
  for (const c of p.manual) {
    if (c.at > t) break;
    manual = c.status;
  }
  return manual;
}

/** A component's status now: the worst open incident impact, else under_maintenance during an active window, else the manual status. */
export function componentStatusNow(input: ComponentHistoryInput, now: number): ComponentStatus {
  return statusAt(prepare(input), now);
}

/**
 * Every interval of non-operational status in the `days` before `now`, merged by priority (incident
 * impact > maintenance > manual), oldest first; the one still going at `now` has `to: null`.
 * Intervals that began earlier are clipped to the start of the period.
 */
export function componentHistory(input: ComponentHistoryInput, now: number, days = HISTORY_DAYS): StatusSegment[] {
  const p = prepare(input);
  const start = now - days * DAY_MS;
  // The status only changes at these instants, so evaluating it at each one gives every interval.
  const points = new Set<number>([start]);
  const add = (t: number) => {
    if (t > start && t <= now) points.add(t);
  };
  for (const c of p.manual) add(c.at);
  for (const s of [...p.incidents, ...p.maintenances]) {
    add(s.from);
    add(s.to);
  }
  const sorted = [...points].sort((a, b) => a - b);
  // One run per change of status: each run ends where the next begins; the last one is still going.
  const runs: { status: ComponentStatus; from: number }[] = [];
  for (const t of sorted) {
    const status = statusAt(p, t);
    if (runs.at(-1)?.status !== status) runs.push({ status, from: t });
  }
  return runs.flatMap((r, i): StatusSegment[] => {
    if (r.status === 'operational') return [];
    const next = runs[i + 1];
    return [{ status: r.status, from: new Date(r.from).toISOString(), to: next ? new Date(next.from).toISOString() : null }];
  });
}

/**
 * A maintenance's state at `now`: cancelled if called off; completed once ended early or past its
 * end; in progress from its start (verifying when the latest update says so); else scheduled.
 */
export function maintenanceStatus(row: MaintenanceWindow, latestUpdateStatus: string | null, now: number): MaintenanceStatus {
  if (row.cancelled_at) return 'cancelled';
  if (row.completed_at || now >= ms(row.ends_at)) return 'completed';
  if (now >= ms(row.starts_at)) return latestUpdateStatus === 'verifying' ? 'verifying' : 'in_progress';
  return 'scheduled';
}
