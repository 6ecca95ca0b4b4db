// The API's shapes as the UI reads them (mirrors src/modules/*/*.schema.ts).
import type { Audience, Locale, Phase, Severity } from '../../src/shared/phases.js';
import type { Templates } from '../../src/shared/render.js';

export type { Audience, Locale, Phase, Severity, Templates };

/** Account roles, weakest first. */
export type AccountRole = 'viewer' | 'responder' | 'admin';
export const ACCOUNT_ROLES: readonly AccountRole[] = ['viewer', 'responder', 'admin'];

/** A person as other records mention them. */
export interface UserRef { id: string; name: string }

/** A user account. */
export interface User {
  id: string; email: string; name: string; role: AccountRole; locale: Locale; timeZone: string;
  createdAt: string; disabled: boolean; teams: { id: string; name: string }[];
}

/** A team and who is in it. */
export interface Team { id: string; name: string; createdAt: string; memberIds: string[] }

/** What signing in returns. */
export interface Session { user: User; csrfToken: string; expiresAt: string }

/** One audience's update clock. */
export interface Clock { cadenceMinutes: number; lastAt: string | null; nextDueAt: string | null; overdue: boolean }

/** The incident's clocks. */
export interface Clocks {
  firstPublicUpdate: { targetMinutes: number; dueAt: string; metAt: string | null; overdue: boolean };
  audiences: Record<Audience, Clock>;
}

/** Response metrics. */
export interface Metrics {
  declaredAt: string; acknowledgedAt: string | null; firstPublicUpdateAt: string | null; mitigatedAt: string | null;
  resolvedAt: string | null; secondsToAcknowledge: number | null; secondsToFirstPublicUpdate: number | null;
  secondsToMitigate: number | null; secondsToResolve: number | null;
}

/** An incident as the list shows it. */
export interface IncidentSummary {
  id: string; number: number; ref: string; title: string; summary: string; severity: Severity; phase: Phase;
  drill: boolean; commander: UserRef | null; services: string[]; declaredAt: string; updatedAt: string;
  clocks: Clocks; metrics: Metrics;
}

export type TaskStatus = 'open' | 'in_progress' | 'done' | 'cancelled';

/** Who, for what purpose, what. */
export interface Task {
  id: string; owner: UserRef; purpose: string; action: string; status: TaskStatus; dueAt: string | null;
  overdue: boolean; createdAt: string; updatedAt: string; doneAt: string | null;
}

/** A decision with its recorded risk. */
export interface Decision { id: string; decision: string; rationale: string; risk: string; decidedBy: UserRef; decidedAt: string }

/** A posted status update. */
export interface StatusUpdate {
  id: string; audience: Audience; phase: Phase; body: string; impact: string | null; eta: string | null;
  decisionsNeeded: string | null; author: UserRef | null; createdAt: string; rendered: Record<Locale, string>;
}

/** Someone working the incident. */
export interface Responder { user: UserRef; joinedAt: string; roles: string[]; openTaskIds: string[]; idle: boolean }

/** The whole war room. */
export interface IncidentDetail extends IncidentSummary {
  declaredBy: UserRef | null;
  roles: { role: string; user: UserRef | null; assignedAt: string | null }[];
  responders: Responder[];
  tasks: Task[];
  decisions: Decision[];
  updates: StatusUpdate[];
}

/** One timeline entry; body is already in words. */
export interface TimelineEvent {
  id: string; at: string; kind: string; actor: UserRef | null; body: string;
  data: Record<string, unknown> | null; starred: boolean;
}

/** How this organisation runs incidents. */
export interface IncidentSettings {
  severities: Record<Severity, { description: Record<Locale, string> }>;
  roles: string[];
  firstPublicUpdateMinutes: number;
  cadenceMinutes: Record<Severity, Record<Audience, number>>;
  templates: Templates;
}

/** An API token (never the secret, except right after creation). */
export interface Token {
  id: string; name: string; prefix: string; userId: string; createdAt: string; expiresAt: string | null;
  lastUsedAt: string | null; revokedAt: string | null; token?: string;
}

/** One audit log entry. */
export interface AuditEvent {
  id: string; at: string; actor: { type: string; id: string | null; name: string }; action: string;
  target: { type: string; id: string | null }; before: unknown; after: unknown; requestId: string | null; ip: string | null;
}

/** An RFC 9457 problem document. */
export interface Problem {
  type: string; title: string; status: number; detail?: string; instance?: string;
  errors?: { field: string; message: string }[];
}

// ---- alerts (mirrors src/modules/alerts/alerts.schema.ts) ----

/** Alert sources (src/plugins/source.ts SOURCE_IDS). */
export type SourceId = 'alertmanager' | 'cloudwatch-sns' | 'grafana' | 'pagerduty-events-v2' | 'prometheus' | 'webhook';
/** How bad an alert says it is. */
export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'error', 'warning', 'info'];
/** Where an alert group stands. */
export type GroupStatus = 'triggered' | 'acknowledged' | 'resolved';

/** A label matcher: `=`, `!=`, `=~`, `!~`. */
export interface Matcher { name: string; value: string; isRegex: boolean; isEqual: boolean }

/** An alert source and the JSON Schema of its per-integration config. */
export interface SourceInfo {
  id: SourceId; name: Record<Locale, string>; defaultGroupBy: string[]; paths: string[]; configSchema: unknown;
}

/** Paste-ready configuration for a sender. */
export interface Snippet { target: string; language: 'yaml' | 'shell' | 'json' | 'text'; code: string; hint: Record<Locale, string> }

/** An inbound integration (never its key, except right after creation or rotation). */
export interface Integration {
  id: string; source: SourceId; name: string; keyPrefix: string; config: Record<string, unknown>; groupBy: string[];
  groupWaitSeconds: number; rateLimitPerMinute: number; urls: string[]; snippets: Snippet[]; note: string | null;
  openGroups: number; createdAt: string; updatedAt: string; lastReceivedAt: string | null; disabledAt: string | null;
}

/** What creating an integration or rotating its key returns. */
export interface IntegrationWithKey extends Integration { key: string }

/** Who did something to an alert group. */
export interface ActorRef { id: string | null; name: string }

/** One signal. */
export interface Alert {
  id: string; groupId: string; dedupKey: string; status: 'firing' | 'resolved'; severity: AlertSeverity; title: string;
  description: string; labels: Record<string, string>; annotations: Record<string, string>; links: { href: string; text: string }[];
  startsAt: string | null; endsAt: string | null; firstReceivedAt: string; lastReceivedAt: string; resolvedAt: string | null;
  receiveCount: number; silencedBy: string | null;
}

/** An alert with the part of the request it came from. */
export interface AlertWithRaw extends Alert { raw: unknown }

/** Deduplicated alerts that page once. */
export interface AlertGroupSummary {
  id: string; integrationId: string; integrationName: string; source: SourceId; title: string; status: GroupStatus;
  severity: AlertSeverity; groupLabels: Record<string, string>; service: string | null; escalationPolicy: string | null;
  routeId: string | null; incident: { id: string; number: number; title: string } | null;
  suppressedBy: { kind: 'silence' | 'maintenance'; id: string } | null; flapping: boolean; alertCount: number;
  firingCount: number; createdAt: string; lastAlertAt: string; acknowledgedAt: string | null;
  acknowledgedBy: ActorRef | null; resolvedAt: string | null;
}

/** Something that happened to an alert group. */
export interface AlertGroupEvent { id: string; at: string; kind: string; actor: ActorRef | null; data: Record<string, unknown> | null }

/** One group with its alerts and history. */
export interface AlertGroupDetail extends AlertGroupSummary { alerts: Alert[]; alertsTotal: number; events: AlertGroupEvent[] }

/** A page of alert groups. */
export interface AlertGroupPage { groups: AlertGroupSummary[]; total: number; next: string | null }

/** Counts, and whether an alert storm is on. */
export interface AlertsOverview {
  open: number; triggered: number; acknowledged: number; firingAlerts: number; suppressed: number; flapping: number;
  storm: { active: boolean; since: string | null; alertsLast5m: number; newGroupsLast5m: number; top: { label: string; value: string; groups: number }[] };
  /** Accepted alerts not grouped yet (grouping runs behind acceptance in a storm), and requests grouping gave up on. */
  inbox: { waitingAlerts: number; waitingRequests: number; oldestReceivedAt: string | null; setAside: number };
}

/** An accepted request grouping failed on again and again: kept until an admin retries or discards it. */
export interface SetAsideRequest {
  id: string; integrationId: string; integrationName: string | null; receivedAt: string; alertCount: number; error: string;
}

export interface SetAsideList { requests: SetAsideRequest[]; total: number }

/** A silence: matching alerts do not page while it is active. */
export interface Silence {
  id: string; matchers: Matcher[]; startsAt: string; endsAt: string; comment: string; createdBy: ActorRef | null;
  createdAt: string; expiredAt: string | null; state: 'pending' | 'active' | 'expired'; matchingGroups: number;
}

/** A maintenance window: the integrations' and services' alerts do not page during it. */
export interface MaintenanceWindow {
  id: string; title: string; startsAt: string; endsAt: string; integrationIds: string[]; services: string[];
  createdBy: ActorRef | null; createdAt: string; cancelledAt: string | null; state: 'scheduled' | 'in_progress' | 'completed' | 'cancelled';
}

/** One alert route; the first whose matchers all match wins. */
export interface AlertRoute {
  id: string; name: string; integrationId: string | null; matchers: Matcher[]; service: string | null;
  escalationPolicy: string | null; declareSeverity: Severity | null;
}

/** The payload of an `alerts.changed` server-sent event. */
export interface AlertsChanged { type: 'alerts.changed'; at: string; data: { groupIds: string[]; storm: boolean } }

// ---- status pages (mirrors src/modules/statuspages/statuspages.schema.ts) ----

/** A component's status, with Atlassian Statuspage's names. */
export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export const COMPONENT_STATUSES: readonly ComponentStatus[] = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];
/** What an incident can do to a component. */
export type ImpactStatus = 'degraded_performance' | 'partial_outage' | 'major_outage';
export const IMPACT_STATUSES: readonly ImpactStatus[] = ['degraded_performance', 'partial_outage', 'major_outage'];
/** A maintenance's state. */
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed' | 'cancelled';
/** What a maintenance update can announce (cancelling has its own action). */
export const MAINTENANCE_UPDATE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;

/** A status page's settings. */
export interface StatusPage {
  id: string; slug: string; name: string; description: string; host: string | null; logoUrl: string | null;
  brandColor: string; locale: Locale; timeZone: string; supportUrl: string | null; createdAt: string; updatedAt: string;
}

/** A page as the list shows it. */
export interface StatusPageListItem extends StatusPage { componentCount: number }

/** A group of components. */
export interface StatusGroup {
  id: string; name: string; description: string; position: number; componentIds: string[]; createdAt: string; updatedAt: string;
}

/** A component: its manual status and what the public page shows now. */
export interface StatusComponent {
  id: string; pageId: string; groupId: string | null; name: string; description: string; position: number;
  manualStatus: ComponentStatus; status: ComponentStatus; createdAt: string; updatedAt: string;
}

/** One update of a maintenance. */
export interface StatusMaintenanceUpdate { id: string; status: MaintenanceStatus; body: string; author: UserRef | null; createdAt: string }

/** Planned work announced on a page. */
export interface StatusMaintenance {
  id: string; pageId: string; title: string; status: MaintenanceStatus; startsAt: string; endsAt: string;
  completedAt: string | null; cancelledAt: string | null; componentIds: string[]; createdBy: UserRef | null;
  createdAt: string; updatedAt: string; updates: StatusMaintenanceUpdate[];
}

/** An open incident affecting a page, with whether the public has heard a word yet. */
export interface StatusPageIncident {
  id: string; number: number; ref: string; title: string; publicTitle: string | null; severity: Severity; phase: Phase;
  declaredAt: string; firstPublicUpdateAt: string | null; minutesSinceDeclared: number;
  components: { componentId: string; status: ImpactStatus }[];
}

/** One page with everything on it. */
export interface StatusPageDetail extends StatusPage {
  groups: StatusGroup[]; components: StatusComponent[]; maintenances: StatusMaintenance[]; incidents: StatusPageIncident[];
}

/** An incident's public face: its public title and the components it affects. */
export interface IncidentFace {
  incidentId: string; ref: string; drill: boolean; title: string; publicTitle: string | null; publicUpdates: number;
  firstPublicUpdateAt: string | null;
  components: { componentId: string; name: string; pageId: string; pageName: string; pageSlug: string; status: ImpactStatus; since: string }[];
}

/** Someone told about a page's incidents and maintenance (never a webhook's secret, except right after adding it). */
export interface StatusSubscriber {
  id: string; kind: 'webhook' | 'email'; target: string; componentIds: string[] | null;
  state: 'pending' | 'active' | 'unsubscribed'; locale: Locale; confirmedAt: string | null; unsubscribedAt: string | null;
  createdAt: string; updatedAt: string;
}

/** One page of a page's subscribers, newest first, with how many there are in each state. */
export interface StatusSubscriberPage {
  subscribers: StatusSubscriber[]; nextBefore: string | null; counts: Record<StatusSubscriber['state'], number>;
}

/** What adding a subscriber returns: a webhook's signing secret, once. */
export interface StatusSubscriberWithSecret extends StatusSubscriber { secret?: string }

// ---- on-call (mirrors src/modules/oncall/oncall.schema.ts) ----

/** The unit a layer's turns are counted in (wall-clock time in the schedule's zone). */
export type TurnUnit = 'hours' | 'days' | 'weeks';
export const TURN_UNITS: readonly TurnUnit[] = ['hours', 'days', 'weeks'];

/** A window of the week a layer is on call in: ISO weekdays (1 = Monday) it opens on, local times. */
export interface Restriction { days: number[]; from: string; to: string }

/** One rotation layer; `start` and `end` are local wall-clock times ("2026-11-23T09:00") in the schedule's zone. */
export interface ScheduleLayer {
  id: string; name: string; start: string; turn: { length: number; unit: TurnUnit }; participants: UserRef[];
  restrictions: Restriction[]; end: string | null;
}

/** A layer as created or saved: participants are user ids, in rotation order. */
export interface LayerInput {
  id?: string; name: string; start: string; turn: { length: number; unit: TurnUnit }; participants: string[];
  restrictions: Restriction[]; end: string | null;
}

/** A stretch of time one person is on call (from a layer, or an override when `overrideId` is set). */
export interface Shift { user: UserRef; start: string; end: string; layerId: string | null; overrideId: string | null }

/** An on-call schedule: its layers in effect now (later layers on top), a saved later change, who is on call now. */
export interface Schedule {
  id: string; name: string; description: string; timeZone: string; team: UserRef | null; layers: ScheduleLayer[];
  scheduledChange: { effectiveFrom: string; layers: ScheduleLayer[] } | null; onCallNow: (Shift & { openEnded: boolean })[]; createdAt: string; updatedAt: string;
}

/** What creating a schedule takes. */
export interface ScheduleCreate { name: string; description?: string; timeZone: string; teamId: string | null; layers: LayerInput[] }

/** What changing a schedule takes; `layers` replace the layers from `effectiveFrom` (default now) on. */
export interface ScheduleUpdate {
  name?: string; description?: string; timeZone?: string; teamId?: string | null; layers?: LayerInput[]; effectiveFrom?: string;
}

/** Someone on call instead, for a while. */
export interface Override { id: string; user: UserRef; start: string; end: string; note: string; createdBy: UserRef | null; createdAt: string }

/** A schedule over a time range: each layer's shifts, the overrides, and who is on call in the end. */
export interface ScheduleShifts {
  timeZone: string; from: string; to: string; layers: { id: string; name: string; shifts: Shift[] }[]; overrides: Override[]; final: Shift[];
}

/** A schedule as other records mention it. */
export interface ScheduleRef { id: string; name: string; timeZone: string }

/** Who is on call at a moment, per schedule. */
export interface OnCall { at: string; entries: { schedule: ScheduleRef; user: UserRef; start: string; end: string; overrideId: string | null }[] }

/** One person's shifts across every schedule. */
export interface UserShifts { from: string; to: string; shifts: (Shift & { schedule: ScheduleRef })[] }

/** A secret iCalendar feed of a schedule or of one person's shifts (never its URL, except right after creation). */
export interface CalendarFeed {
  id: string; schedule: { id: string; name: string } | null; user: UserRef | null; prefix: string; createdBy: UserRef | null;
  createdAt: string; lastUsedAt: string | null;
}

/** What creating a calendar feed returns: its URL, once. */
export interface CalendarFeedWithUrl extends CalendarFeed { url: string }

// ---- paging (mirrors src/modules/paging/paging.schema.ts) ----

/** How a contact method reaches a person. */
export type ContactKind = 'email' | 'slack' | 'teams' | 'webhook';
export const CONTACT_KINDS: readonly ContactKind[] = ['email', 'slack', 'teams', 'webhook'];

/** What a policy level can name: a person, whoever is on call in a schedule, a team. */
export type TargetType = 'user' | 'schedule' | 'team';
export const TARGET_TYPES: readonly TargetType[] = ['user', 'schedule', 'team'];

/** A level's target as the API names it (a target that no longer exists keeps its id as its name). */
export interface PagingTarget { type: TargetType; id: string; name: string }

/** One level of a policy: who it notifies and how long it waits for an acknowledgement. */
export interface PolicyLevel { targets: PagingTarget[]; timeoutMinutes: number }

/** An escalation policy. */
export interface EscalationPolicy {
  id: string; name: string; description: string; team: UserRef | null; levels: PolicyLevel[]; repeat: number;
  createdAt: string; updatedAt: string;
}

/** What creating or changing a policy takes. */
export interface PolicyInput {
  name: string; description: string; teamId: string | null; repeat: number;
  levels: { targets: { type: TargetType; id: string }[]; timeoutMinutes: number }[];
}

/** Where a page stands. */
export type PageStatus = 'triggered' | 'acknowledged' | 'resolved';

/**
 * A page as the list shows it; `level` and `cycle` count from 0, `levelCount` is how many levels its
 * policy has and `repeat` how many more rounds it allows.
 */
export interface PageSummary {
  id: string; title: string; severity: AlertSeverity; status: PageStatus; policy: { id: string | null; name: string };
  alertGroupId: string | null; incidentId: string | null; drill: boolean; level: number; levelCount: number; cycle: number; repeat: number;
  escalatesAt: string | null; exhaustedAt: string | null; createdAt: string; acknowledgedAt: string | null;
  acknowledgedBy: UserRef | null; resolvedAt: string | null; resolvedBy: UserRef | null; failedDeliveries: number;
}

/** Where one notification of a page stands. */
export type NotificationStatus = 'scheduled' | 'sent' | 'retrying' | 'failed' | 'skipped';

/** One message to one person (`id` is the delivery id receivers see, the same on every retry). */
export interface PageNotification {
  id: string; user: UserRef; kind: string; contactMethodId: string | null; level: number; cycle: number;
  status: NotificationStatus; attempts: number; error: string | null; dueAt: string; sentAt: string | null;
}

/** Something that happened to a page. */
export interface PageEvent { id: string; at: string; kind: string; actor: UserRef | null; data: Record<string, unknown> }

/** One page: the policy as it started, every notification, what happened. */
export interface PageDetail extends PageSummary { levels: PolicyLevel[]; notifications: PageNotification[]; events: PageEvent[] }

/** What paging someone by hand takes. */
export interface PageCreate {
  title: string; severity: AlertSeverity; target: { type: TargetType | 'policy'; id: string };
}

/** What paging responders into an incident takes; `message` is added to the page's title. */
export interface IncidentPageCreate { target: { type: TargetType | 'policy'; id: string }; message?: string }

/** One person's on-call load over a period (`pagesOutOfHours`: first reached them outside 08:00–20:00 in `timeZone`). */
export interface PersonHealth {
  user: UserRef; timeZone: string; pages: number; pagesOutOfHours: number; acknowledged: number;
  medianSecondsToAcknowledge: number | null; hoursOnCall: number;
}

/** The on-call health report: a person's row, or a team's people and their totals. */
export interface OnCallHealth {
  from: string; to: string; team: UserRef | null; people: PersonHealth[];
  totals: { pages: number; pagesOutOfHours: number; acknowledged: number; hoursOnCall: number };
}

/** A way to reach a person; `hint` is the address, or a webhook's host and last characters (the URL is a secret). */
export interface ContactMethod { id: string; userId: string; kind: ContactKind; label: string; hint: string; createdAt: string }

/** What adding a contact method returns: a webhook's signing secret, once. */
export interface ContactMethodWithSecret extends ContactMethod { signingSecret: string | null }

/** "Use this contact method N minutes after a page reaches me, if still unacknowledged." */
export interface NotificationRule { id: string; contactMethodId: string; delayMinutes: number }
