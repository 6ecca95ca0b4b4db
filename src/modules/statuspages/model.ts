// The status page room's shared vocabulary: statuses and the plain-data picture of one page that
// the renderer turns into HTML, Statuspage-shaped JSON and feeds. Pure types and constants only:
// the service builds a PageState from the database, the renderer never touches the database.
import type { Locale, Phase } from '../../shared/phases.js';

/** A component's status, with Atlassian Statuspage's names and values. */
export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** Statuses an incident can give a component (maintenance comes from maintenance windows). */
export const IMPACT_STATUSES = ['degraded_performance', 'partial_outage', 'major_outage'] as const;
export type ImpactStatus = (typeof IMPACT_STATUSES)[number];

/** Statuspage's incident impact, derived from the worst component status the incident caused. */
export type IncidentImpact = 'none' | 'minor' | 'major' | 'critical';
/** Statuspage's page indicator. */
export type PageIndicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

/** A maintenance's state: scheduled → in_progress → (verifying) → completed, by the clock unless someone ends or cancels it. */
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed', 'cancelled'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/** A status interval for one component: [from, to) with to=null meaning "still". */
export interface StatusSegment {
  status: ComponentStatus;
  from: string;
  to: string | null;
}

export interface PublicComponent {
  id: string;
  name: string;
  description: string;
  groupId: string | null;
  position: number;
  /** The status now: the worst open incident impact, else under_maintenance during a window, else the manual status. */
  status: ComponentStatus;
  createdAt: string;
  updatedAt: string;
  /**
   * Every interval of non-operational status in the last 90 days (manual, incident and maintenance,
   * already merged by priority), oldest first; the renderer turns them into daily availability bars.
   */
  history: StatusSegment[];
}

export interface PublicGroup {
  id: string;
  name: string;
  description: string;
  position: number;
  createdAt: string;
  updatedAt: string;
  /** Its components' ids in display order. */
  componentIds: string[];
}

/** One public status update of an incident: only text written for the public audience. */
export interface PublicIncidentUpdate {
  id: string;
  phase: Phase;
  /** The update's own words, without a prefix: the renderer adds the phase prefix in the reader's language. */
  body: string;
  createdAt: string;
}

export interface PublicIncident {
  id: string;
  /** INC number, for links and shortlinks. */
  number: number;
  /** The title written for customers; a neutral one ("Service disruption") until it is set: the incident's own title is internal. */
  title: string;
  /** The phase of the newest public update (what customers were last told); resolved once the incident is, whatever was said. */
  phase: Phase;
  impact: IncidentImpact;
  createdAt: string;
  updatedAt: string;
  /** When the newest public updates said monitoring / resolved; resolvedAt is the incident's resolution once it has one. */
  monitoringAt: string | null;
  resolvedAt: string | null;
  /** Newest first. */
  updates: PublicIncidentUpdate[];
  /** The page's components this incident affects, with the status it gives each now (operational once resolved). */
  components: { id: string; status: ComponentStatus }[];
}

export interface PublicMaintenanceUpdate {
  id: string;
  status: MaintenanceStatus;
  body: string;
  createdAt: string;
}

export interface PublicMaintenance {
  id: string;
  title: string;
  status: MaintenanceStatus;
  scheduledFor: string;
  scheduledUntil: string;
  /** When it actually started (starts_at once in progress) and ended (completed_at or ends_at). */
  startedAt: string | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Newest first. */
  updates: PublicMaintenanceUpdate[];
  componentIds: string[];
}

export interface PublicPage {
  id: string;
  slug: string;
  name: string;
  description: string;
  host: string | null;
  /** https URL or data: URI of an image. */
  logoUrl: string | null;
  /** #rrggbb */
  brandColor: string;
  locale: Locale;
  timeZone: string;
  supportUrl: string | null;
  updatedAt: string;
}

/** Everything a status page shows, as of `builtAt`. */
export interface PageState {
  page: PublicPage;
  /**
   * Absolute URL of the page's root with a trailing slash (https://status.example.com/ or
   * http://localhost:8080/status/acme/), for feeds, JSON `page.url` and incident shortlinks; "" when
   * the server has no public URL configured (then only relative links are used).
   */
  baseUrl: string;
  /** Where the subscribe form posts (absolute when baseUrl is known), or null when subscriptions are off. */
  subscribeAction: string | null;
  builtAt: string;
  /** Display order: groups and ungrouped components interleaved by position. */
  components: PublicComponent[];
  groups: PublicGroup[];
  /** Incidents with at least one public update, linked to this page's components, not drills; newest first, last 12 months. */
  incidents: PublicIncident[];
  /** Upcoming, active and past (last 12 months) maintenance; cancelled ones included with status cancelled. */
  maintenances: PublicMaintenance[];
}

/** One file of a rendered page: what the live server serves from memory and what `statuspage export` writes. */
export interface SnapshotFile {
  /** Relative path without a leading slash: "index.html", "api/v2/summary.json", "history.atom", "incidents/<id>.html". */
  path: string;
  contentType: string;
  body: string;
}

const SEVERITY_ORDER: Record<ComponentStatus, number> = {
  operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4,
};

/** The worse of two statuses (an outage outranks maintenance, maintenance outranks operational). */
export function worseStatus(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return SEVERITY_ORDER[b] > SEVERITY_ORDER[a] ? b : a;
}

/** Statuspage's impact for the worst status an incident caused. */
export function impactOf(status: ComponentStatus): IncidentImpact {
  if (status === 'major_outage') return 'critical';
  if (status === 'partial_outage') return 'major';
  if (status === 'degraded_performance') return 'minor';
  return 'none';
}
