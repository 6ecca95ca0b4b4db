import { z } from 'zod';

const id = z.string().min(1).max(128);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const person = z.object({ id: z.string(), name: z.string() });

export const CONTACT_KINDS = ['email', 'slack', 'teams', 'webhook'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

// ---- contact methods and notification rules ----

export const ContactMethodCreateSchema = z.strictObject({
  kind: z.enum(CONTACT_KINDS),
  label: text(120).optional().describe('Defaults to the kind and the address'),
  address: z.string().trim().min(1, 'must not be empty').max(2000)
    .describe('An e-mail address, or the webhook URL (Slack incoming webhook, Teams Workflows webhook, your own endpoint)'),
});

export const ContactMethodSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.enum(CONTACT_KINDS),
  label: z.string(),
  hint: z.string().describe('The e-mail address, or the webhook’s host and last characters (the URL itself is a secret)'),
  createdAt: z.string(),
});

export const ContactMethodWithSecretSchema = ContactMethodSchema.extend({
  signingSecret: z.string().nullable().describe('For a webhook: the secret its requests are signed with (X-Hikeshi-Signature); shown once'),
});

export const NotificationRuleInputSchema = z.strictObject({
  contactMethodId: id,
  delayMinutes: z.number().int().min(0).max(1440).describe('Minutes after the page reaches you, if it is still unacknowledged'),
});

export const NotificationRulesReplaceSchema = z.strictObject({
  rules: z.array(NotificationRuleInputSchema).max(20).describe('With none, pages reach you by e-mail at your sign-in address at once'),
});

export const NotificationRuleSchema = z.object({
  id: z.string(),
  contactMethodId: z.string(),
  delayMinutes: z.number(),
});

// ---- escalation policies ----

export const TARGET_TYPES = ['user', 'schedule', 'team'] as const;

export const TargetSchema = z.strictObject({
  type: z.enum(TARGET_TYPES).describe('A person; whoever is on call in a schedule; a team (who is on call in its schedules, else its members)'),
  id,
});

export const LevelInputSchema = z.strictObject({
  targets: z.array(TargetSchema).min(1, 'a level needs at least one target').max(20),
  timeoutMinutes: z.number().int().min(1).max(1440).describe('Escalate to the next level when nobody has acknowledged by then'),
});

export const PolicyCreateSchema = z.strictObject({
  name: text(120),
  description: z.string().trim().max(2000).default(''),
  teamId: id.nullable().default(null),
  levels: z.array(LevelInputSchema).min(1, 'a policy needs at least one level').max(10),
  repeat: z.number().int().min(0).max(9).default(0).describe('How many more times to run the whole policy when the last level times out'),
});

/** Every field optional and none defaulted: a PATCH changes only what it names. */
export const PolicyUpdateSchema = z.strictObject({
  name: text(120).optional(),
  description: z.string().trim().max(2000).optional(),
  teamId: id.nullable().optional(),
  levels: z.array(LevelInputSchema).min(1, 'a policy needs at least one level').max(10).optional(),
  repeat: z.number().int().min(0).max(9).optional(),
});

export const TargetOutSchema = z.object({ type: z.enum(TARGET_TYPES), id: z.string(), name: z.string() });

export const PolicySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  team: person.nullable(),
  levels: z.array(z.object({ targets: z.array(TargetOutSchema), timeoutMinutes: z.number() })),
  repeat: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// ---- pages ----

export const PAGE_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;

export const PageNotificationSchema = z.object({
  id: z.string().describe('The delivery id receivers see (X-Hikeshi-Delivery, Message-ID); the same on every retry'),
  user: person,
  kind: z.string(),
  contactMethodId: z.string().nullable(),
  level: z.number(),
  cycle: z.number(),
  status: z.enum(['scheduled', 'sent', 'retrying', 'failed', 'skipped']),
  attempts: z.number(),
  error: z.string().nullable(),
  dueAt: z.string(),
  sentAt: z.string().nullable(),
});

export const PageEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string().describe('triggered, notified, escalated, repeated, exhausted, acknowledged, resolved, delivery_failed'),
  actor: person.nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const PageSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.string(),
  status: z.enum(PAGE_STATUSES),
  policy: z.object({ id: z.string().nullable(), name: z.string() }),
  alertGroupId: z.string().nullable(),
  incidentId: z.string().nullable(),
  drill: z.boolean(),
  level: z.number().describe('The level reached, from 0'),
  levelCount: z.number().describe('How many levels the page’s policy has'),
  cycle: z.number().describe('How many times the policy has been repeated'),
  repeat: z.number().describe('How many repeats the page’s policy allows'),
  escalatesAt: z.string().nullable(),
  exhaustedAt: z.string().nullable().describe('When the last level timed out with nobody acknowledging'),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: person.nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: person.nullable(),
  failedDeliveries: z.number(),
});

export const PageDetailSchema = PageSummarySchema.extend({
  levels: z.array(z.object({ targets: z.array(TargetOutSchema), timeoutMinutes: z.number() })).describe('The policy as it was when the page started'),
  notifications: z.array(PageNotificationSchema),
  events: z.array(PageEventSchema),
});

export const PageListQuery = z.strictObject({
  status: z.enum(['open', ...PAGE_STATUSES, 'all']).default('open').describe('open = triggered or acknowledged'),
  mine: z.enum(['true', 'false']).default('false').describe('Only pages that notified you'),
  incidentId: id.optional().describe('Only the pages of this incident'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const IncidentPageSchema = z.strictObject({
  target: TargetSchema.or(z.strictObject({ type: z.literal('policy'), id })).describe('Who to page in: a person, a schedule’s on-call ("page the DB on-call"), a team or a policy'),
  message: z.string().trim().max(200).optional().describe('Added to the page’s title: why you need them'),
});

export const PageCreateSchema = z.strictObject({
  title: text(200),
  severity: z.enum(['critical', 'error', 'warning', 'info']).default('critical'),
  target: TargetSchema.or(z.strictObject({ type: z.literal('policy'), id })).describe('Who to page: a person, a schedule’s on-call, a team, or an escalation policy'),
});

// ---- on-call health ----

export const HealthQuery = z.strictObject({
  from: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-01T00:00:00Z' }).optional().describe('Default: 30 days before `to`; at most 366 days before it'),
  to: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-12-01T00:00:00Z' }).optional().describe('Default: now'),
  teamId: id.optional(),
  userId: id.optional().describe('Default (without teamId): you'),
});

export const PersonHealthSchema = z.object({
  user: person,
  timeZone: z.string(),
  pages: z.number().describe('Pages that reached them'),
  pagesOutOfHours: z.number().describe('Of those, how many first reached them outside 08:00–20:00 in their time zone'),
  acknowledged: z.number().describe('Pages they acknowledged'),
  medianSecondsToAcknowledge: z.number().nullable().describe('From the page first reaching them to their acknowledgement'),
  hoursOnCall: z.number().describe('Hours on call in any schedule (overlaps counted once)'),
});

export const HealthSchema = z.object({
  from: z.string(),
  to: z.string(),
  team: person.nullable(),
  people: z.array(PersonHealthSchema),
  totals: z.object({ pages: z.number(), pagesOutOfHours: z.number(), acknowledged: z.number(), hoursOnCall: z.number() }),
});
