import { z } from 'zod';
import { AUDIENCES, PHASES, SEVERITIES } from '../../shared/phases.js';

export const PhaseSchema = z.enum(PHASES);
export const SeveritySchema = z.enum(SEVERITIES);
export const AudienceSchema = z.enum(AUDIENCES);
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-23T14:00:00Z' });
const serviceName = z.string().trim().min(1).max(120);

const UserRef = z.object({ id: z.string(), name: z.string() });

// ---- Create / Update schemas (request bodies) ----

export const IncidentDeclareSchema = z.strictObject({
  title: text(200),
  severity: SeveritySchema,
  summary: z.string().trim().max(5000).default(''),
  services: z.array(serviceName).max(50).default([]).describe('Affected services (free-form names for now)'),
  commanderId: z.string().max(128).optional().describe('Defaults to the person declaring'),
  drill: z.boolean().default(false).describe('A drill never notifies anyone outside the responders'),
});

export const IncidentUpdateSchema = z.strictObject({
  title: text(200).optional(),
  summary: z.string().trim().max(5000).optional(),
  severity: SeveritySchema.optional(),
  services: z.array(serviceName).max(50).optional(),
});

export const PhaseChangeSchema = z.strictObject({
  phase: PhaseSchema,
  note: z.string().trim().max(5000).optional(),
});

export const RoleAssignSchema = z.strictObject({ userId: z.string().min(1).max(128) });
export const ResponderJoinSchema = z.strictObject({ userId: z.string().min(1).max(128).optional().describe('Defaults to you') });

export const TaskCreateSchema = z.strictObject({
  ownerId: z.string({ error: 'a task needs an owner: who does it' }).min(1, 'a task needs an owner: who does it').max(128),
  purpose: z.string({ error: 'a task needs a purpose: why it is done' }).trim().min(1, 'a task needs a purpose: why it is done').max(1000),
  action: z.string({ error: 'a task needs an action: what is done' }).trim().min(1, 'a task needs an action: what is done').max(1000),
  dueAt: isoTime.optional(),
});

export const TaskUpdateSchema = z.strictObject({
  ownerId: z.string().min(1).max(128).optional(),
  purpose: text(1000).optional(),
  action: text(1000).optional(),
  status: TaskStatusSchema.optional(),
  dueAt: isoTime.nullable().optional(),
});

export const DecisionCreateSchema = z.strictObject({
  decision: z.string({ error: 'say what was decided' }).trim().min(1, 'say what was decided').max(2000),
  rationale: z.string({ error: 'say why' }).trim().min(1, 'say why').max(5000),
  risk: z.string({ error: 'name the risk accepted (write "none" if there is none)' }).trim().min(1, 'name the risk accepted (write "none" if there is none)').max(5000),
  decidedById: z.string().max(128).optional().describe('Who decided; defaults to you'),
});

export const StatusUpdateCreateSchema = z.strictObject({
  audience: AudienceSchema,
  phase: PhaseSchema.optional().describe('Defaults to the incident’s phase; a different phase moves the incident'),
  body: text(5000),
  impact: z.string().trim().max(2000).optional(),
  eta: z.string().trim().max(200).optional(),
  decisionsNeeded: z.string().trim().max(2000).optional(),
});

export const NoteCreateSchema = z.strictObject({ body: text(10000) });
export const StarSchema = z.strictObject({ starred: z.boolean() });

export const IncidentListQuery = z.strictObject({
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  severity: SeveritySchema.optional(),
  drill: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const IncidentParams = z.strictObject({ id: z.string().min(1).max(128).describe('Incident id, number (12) or reference (INC-12)') });
export const RoleParams = IncidentParams.extend({ role: z.string().min(1).max(40) });
export const UserParams = IncidentParams.extend({ userId: z.string().min(1).max(128) });
export const TaskParams = IncidentParams.extend({ taskId: z.string().min(1).max(128) });
export const EventParams = IncidentParams.extend({ eventId: z.string().min(1).max(128) });

// ---- Read schemas ----

export const ClockSchema = z.object({
  cadenceMinutes: z.number(),
  lastAt: z.string().nullable(),
  nextDueAt: z.string().nullable(),
  overdue: z.boolean(),
});

export const ClocksSchema = z.object({
  firstPublicUpdate: z.object({
    targetMinutes: z.number(),
    dueAt: z.string(),
    metAt: z.string().nullable(),
    overdue: z.boolean(),
  }),
  audiences: z.object({ internal: ClockSchema, stakeholder: ClockSchema, public: ClockSchema }),
});
export type Clocks = z.infer<typeof ClocksSchema>;

export const MetricsSchema = z.object({
  declaredAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  firstPublicUpdateAt: z.string().nullable(),
  mitigatedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  secondsToAcknowledge: z.number().nullable(),
  secondsToFirstPublicUpdate: z.number().nullable(),
  secondsToMitigate: z.number().nullable(),
  secondsToResolve: z.number().nullable(),
});

export const IncidentSummarySchema = z.object({
  id: z.string(),
  number: z.number(),
  ref: z.string().describe('INC-<number>'),
  title: z.string(),
  summary: z.string(),
  severity: SeveritySchema,
  phase: PhaseSchema,
  drill: z.boolean(),
  commander: UserRef.nullable(),
  services: z.array(z.string()),
  declaredAt: z.string(),
  updatedAt: z.string(),
  clocks: ClocksSchema,
  metrics: MetricsSchema,
});
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>;

export const TaskSchema = z.object({
  id: z.string(),
  owner: UserRef,
  purpose: z.string(),
  action: z.string(),
  status: TaskStatusSchema,
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  doneAt: z.string().nullable(),
});
export type Task = z.infer<typeof TaskSchema>;

export const DecisionSchema = z.object({
  id: z.string(),
  decision: z.string(),
  rationale: z.string(),
  risk: z.string(),
  decidedBy: UserRef,
  decidedAt: z.string(),
});

export const StatusUpdateSchema = z.object({
  id: z.string(),
  audience: AudienceSchema,
  phase: PhaseSchema,
  body: z.string(),
  impact: z.string().nullable(),
  eta: z.string().nullable(),
  decisionsNeeded: z.string().nullable(),
  author: UserRef.nullable(),
  createdAt: z.string(),
  rendered: z.object({ en: z.string(), ja: z.string() }).describe('The message as each language’s readers see it'),
});

export const ResponderSchema = z.object({
  user: UserRef,
  joinedAt: z.string(),
  roles: z.array(z.string()),
  openTaskIds: z.array(z.string()),
  idle: z.boolean().describe('No role and no open task: the commander may release them'),
});

export const IncidentDetailSchema = IncidentSummarySchema.extend({
  declaredBy: UserRef.nullable(),
  roles: z.array(z.object({ role: z.string(), user: UserRef.nullable(), assignedAt: z.string().nullable() })),
  responders: z.array(ResponderSchema),
  tasks: z.array(TaskSchema),
  decisions: z.array(DecisionSchema),
  updates: z.array(StatusUpdateSchema),
});
export type IncidentDetail = z.infer<typeof IncidentDetailSchema>;

export const TimelineEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  actor: UserRef.nullable(),
  body: z.string().describe('The note, or what happened in words'),
  data: z.record(z.string(), z.unknown()).nullable(),
  starred: z.boolean(),
});
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;
