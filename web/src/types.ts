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
