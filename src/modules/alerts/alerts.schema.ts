import { z } from 'zod';
import { ALERT_SEVERITIES, SOURCE_IDS } from '../../plugins/source.js';
import { SEVERITIES } from '../../shared/phases.js';

export const SourceIdSchema = z.enum(SOURCE_IDS);
export const AlertSeveritySchema = z.enum(ALERT_SEVERITIES);
export const GROUP_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export const GroupStatusSchema = z.enum(GROUP_STATUSES);

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-23T14:00:00Z' });
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const labelName = z.string().min(1).max(100).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a label name: letters, digits and _, not starting with a digit');
const id = z.string().min(1).max(128);

/** A label matcher, as in Alertmanager's silences: `name="value"`, `!=`, `=~` (regex), `!~`. */
export const MatcherSchema = z.strictObject({
  name: labelName,
  value: z.string().max(1000),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});
export type Matcher = z.output<typeof MatcherSchema>;

// ---- integrations ----

export const IntegrationCreateSchema = z.strictObject({
  source: SourceIdSchema,
  name: text(120),
  config: z.record(z.string(), z.unknown()).default({}).describe('Settings of the source (see GET /sources for each source’s schema)'),
  groupBy: z.array(labelName).max(20).optional().describe('Labels alerts are grouped by; the source’s default when absent. ["..."] groups by every label'),
  groupWaitSeconds: z.number().int().min(0).max(3600).default(0).describe('How long a new group waits for more alerts before it pages'),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(6000).describe('Requests per minute before 429 with Retry-After'),
});

export const IntegrationUpdateSchema = z.strictObject({
  name: text(120).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  groupBy: z.array(labelName).max(20).optional(),
  groupWaitSeconds: z.number().int().min(0).max(3600).optional(),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  disabled: z.boolean().optional().describe('A disabled integration answers 401, as if its key were revoked'),
});

export const SnippetSchema = z.object({
  target: z.string(),
  language: z.enum(['yaml', 'shell', 'json', 'text']),
  code: z.string(),
  hint: z.object({ en: z.string(), ja: z.string() }),
});

export const IntegrationSchema = z.object({
  id: z.string(),
  source: SourceIdSchema,
  name: z.string(),
  keyPrefix: z.string().describe('The first characters of the key, to tell keys apart'),
  config: z.record(z.string(), z.unknown()),
  groupBy: z.array(z.string()),
  groupWaitSeconds: z.number(),
  rateLimitPerMinute: z.number(),
  urls: z.array(z.string()).describe('Where the source sends (the first is the usual one)'),
  snippets: z.array(SnippetSchema).describe('Paste-ready configuration; the key appears as <INTEGRATION_KEY> except right after creation'),
  note: z.string().nullable().describe('The last thing the source told us (e.g. an SNS subscription confirmed)'),
  openGroups: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastReceivedAt: z.string().nullable(),
  disabledAt: z.string().nullable(),
});
export type Integration = z.output<typeof IntegrationSchema>;

export const IntegrationWithKeySchema = IntegrationSchema.extend({
  key: z.string().describe('Shown once: store it in the sender’s configuration'),
});

export const SourceInfoSchema = z.object({
  id: SourceIdSchema,
  name: z.object({ en: z.string(), ja: z.string() }),
  defaultGroupBy: z.array(z.string()),
  paths: z.array(z.string()),
  configSchema: z.unknown().describe('JSON Schema of the source’s config'),
});

// ---- alerts and alert groups ----

export const AlertSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  dedupKey: z.string(),
  status: z.enum(['firing', 'resolved']),
  severity: AlertSeveritySchema,
  title: z.string(),
  description: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  links: z.array(z.object({ href: z.string(), text: z.string() })),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  firstReceivedAt: z.string(),
  lastReceivedAt: z.string(),
  resolvedAt: z.string().nullable(),
  receiveCount: z.number(),
  silencedBy: z.string().nullable(),
});
export type Alert = z.output<typeof AlertSchema>;

export const AlertWithRawSchema = AlertSchema.extend({ raw: z.unknown().describe('The part of the request this alert came from, as sent') });

export const SuppressionSchema = z.object({ kind: z.enum(['silence', 'maintenance']), id: z.string() }).nullable();

export const AlertGroupSummarySchema = z.object({
  id: z.string(),
  integrationId: z.string(),
  integrationName: z.string(),
  source: SourceIdSchema,
  title: z.string(),
  status: GroupStatusSchema,
  severity: AlertSeveritySchema,
  groupLabels: z.record(z.string(), z.string()),
  service: z.string().nullable(),
  escalationPolicy: z.string().nullable(),
  routeId: z.string().nullable(),
  incident: z.object({ id: z.string(), number: z.number(), title: z.string() }).nullable(),
  suppressedBy: SuppressionSchema,
  flapping: z.boolean(),
  alertCount: z.number(),
  firingCount: z.number(),
  createdAt: z.string(),
  lastAlertAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  resolvedAt: z.string().nullable(),
});
export type AlertGroupSummary = z.output<typeof AlertGroupSummarySchema>;

export const AlertGroupEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string().describe('created, alerts_fired, alerts_resolved, acknowledged, resolved, reopened, flapping, silenced, linked_incident…'),
  actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});

export const AlertGroupDetailSchema = AlertGroupSummarySchema.extend({
  alerts: z.array(AlertSchema).describe('Firing alerts first, then the newest; at most 500'),
  alertsTotal: z.number(),
  events: z.array(AlertGroupEventSchema).describe('Oldest first; at most 500'),
});
export type AlertGroupDetail = z.output<typeof AlertGroupDetailSchema>;

export const AlertGroupListQuery = z.strictObject({
  status: z.enum(['open', 'triggered', 'acknowledged', 'resolved', 'all']).default('open').describe('open = triggered or acknowledged'),
  integrationId: id.optional(),
  service: z.string().max(120).optional(),
  severity: AlertSeveritySchema.optional(),
  incidentId: id.optional(),
  q: z.string().max(200).optional().describe('Words in the title or a label value'),
  label: z.string().max(1100).regex(/^[A-Za-z_][A-Za-z0-9_]*=.*$/, 'must be name=value').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(200).optional().describe('Cursor: the `next` of the previous page'),
});

export const AlertGroupListSchema = z.object({
  groups: z.array(AlertGroupSummarySchema),
  total: z.number().describe('How many groups match the filter'),
  next: z.string().nullable(),
});

export const StormSchema = z.object({
  active: z.boolean().describe('More alerts are arriving than people can read one by one'),
  since: z.string().nullable(),
  alertsLast5m: z.number().describe('New alerts (not repeats) in the last five minutes'),
  newGroupsLast5m: z.number(),
  top: z.array(z.object({ label: z.string(), value: z.string(), groups: z.number() })).describe('The label values most open groups share'),
});

export const AlertsOverviewSchema = z.object({
  open: z.number(),
  triggered: z.number(),
  acknowledged: z.number(),
  firingAlerts: z.number(),
  suppressed: z.number(),
  flapping: z.number(),
  storm: StormSchema,
  inbox: z.object({
    waitingAlerts: z.number().describe('Alerts accepted (answered 2xx, stored) and not yet grouped: during a storm grouping runs behind acceptance'),
    waitingRequests: z.number(),
    oldestReceivedAt: z.string().nullable().describe('When the oldest of them was accepted'),
    setAside: z.number().describe('Accepted requests grouping failed on again and again: kept, not retried until an admin retries them (GET /alert-inbox/set-aside)'),
  }),
});

export const SetAsideRequestSchema = z.object({
  id: z.string(),
  integrationId: z.string(),
  integrationName: z.string().nullable(),
  receivedAt: z.string().describe('When it was accepted (answered 2xx)'),
  alertCount: z.number(),
  error: z.string().describe('Why grouping failed on it, the last time'),
});

export const SetAsideListSchema = z.object({
  requests: z.array(SetAsideRequestSchema).describe('Oldest first; at most 100'),
  total: z.number(),
});

export const GroupParams = z.strictObject({ id });
export const AlertParams = z.strictObject({ id });

export const GroupIncidentSchema = z.union([
  z.strictObject({ incidentId: id.describe('Link to this open incident') }),
  z.strictObject({
    declare: z.strictObject({
      severity: z.enum(SEVERITIES),
      title: text(200).optional().describe('Defaults to the group’s title'),
      summary: z.string().trim().max(5000).optional(),
    }),
  }),
]);

// ---- silences and maintenance windows ----

export const SilenceCreateSchema = z.strictObject({
  matchers: z.array(MatcherSchema).min(1, 'a silence needs at least one matcher').max(20),
  startsAt: isoTime.optional().describe('Defaults to now'),
  endsAt: isoTime,
  comment: z.string({ error: 'say why (the comment is shown to whoever is paged later)' }).trim().min(1, 'say why (the comment is shown to whoever is paged later)').max(2000),
});

export const SilenceSchema = z.object({
  id: z.string(),
  matchers: z.array(MatcherSchema),
  startsAt: z.string(),
  endsAt: z.string(),
  comment: z.string(),
  createdBy: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  createdAt: z.string(),
  expiredAt: z.string().nullable(),
  state: z.enum(['pending', 'active', 'expired']),
  matchingGroups: z.number().describe('Open alert groups it matches now'),
});

export const SilencePreviewSchema = z.strictObject({ matchers: z.array(MatcherSchema).min(1).max(20) });

export const MaintenanceCreateSchema = z.strictObject({
  title: text(200),
  startsAt: isoTime,
  endsAt: isoTime,
  integrationIds: z.array(id).max(100).default([]).describe('Integrations whose alerts do not page during the window'),
  services: z.array(z.string().trim().min(1).max(120)).max(100).default([]).describe('Services (from routing) whose alerts do not page'),
});

export const MaintenanceSchema = z.object({
  id: z.string(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  integrationIds: z.array(z.string()),
  services: z.array(z.string()),
  createdBy: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  state: z.enum(['scheduled', 'in_progress', 'completed', 'cancelled']),
});

// ---- routing ----

export const RouteInputSchema = z.strictObject({
  name: text(120),
  integrationId: id.nullable().default(null).describe('Only alerts of this integration; null for any'),
  matchers: z.array(MatcherSchema).max(20).default([]).describe('Every matcher must match the first alert’s labels; none matches everything'),
  service: z.string().trim().min(1).max(120).nullable().default(null),
  escalationPolicy: z.string().trim().min(1).max(128).nullable().default(null).describe('The id of the escalation policy that pages for new groups of this route'),
  declareSeverity: z.enum(SEVERITIES).nullable().default(null).describe('Declare an incident automatically at this severity'),
});

export const RouteSchema = z.object({
  id: z.string(),
  name: z.string(),
  integrationId: z.string().nullable(),
  matchers: z.array(MatcherSchema),
  service: z.string().nullable(),
  escalationPolicy: z.string().nullable(),
  declareSeverity: z.enum(SEVERITIES).nullable(),
});

export const RoutesReplaceSchema = z.strictObject({
  routes: z.array(RouteInputSchema).max(200).describe('In order: the first route whose matchers all match wins'),
});
