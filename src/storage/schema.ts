// Row types of the tables, and Database, which Kysely sees. The alerts and status pages rooms keep
// theirs in schema-alerts.ts and schema-statuspages.ts. Times are ISO-8601 UTC strings (sortable,
// identical in SQLite and PostgreSQL); booleans are 0/1 integers; JSON is stored as text. See
// ARCHITECTURE.md "Storage".

import type { AlertTables } from './schema-alerts.js';
import type { OnCallTables } from './schema-oncall.js';
import type { PagingTables } from './schema-paging.js';
import type { StatusPageTables } from './schema-statuspages.js';

export type * from './schema-alerts.js';
export type * from './schema-oncall.js';
export type * from './schema-paging.js';
export type * from './schema-statuspages.js';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  locale: string;
  time_zone: string;
  created_at: string;
  disabled_at: string | null;
}

export interface TeamsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuditEventsTable {
  id: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  ip: string | null;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number;
  response_body: string;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value_json: string;
  updated_at: string;
}

export interface IncidentsTable {
  id: string;
  number: number;
  title: string;
  summary: string;
  severity: string;
  phase: string;
  drill: number;
  commander_id: string | null;
  declared_by: string | null;
  declared_at: string;
  acknowledged_at: string | null;
  first_public_update_at: string | null;
  mitigated_at: string | null;
  resolved_at: string | null;
  last_internal_update_at: string | null;
  last_stakeholder_update_at: string | null;
  last_public_update_at: string | null;
  updated_at: string;
}

export interface IncidentServicesTable {
  incident_id: string;
  name: string;
}

export interface IncidentRolesTable {
  incident_id: string;
  role: string;
  user_id: string;
  assigned_at: string;
}

export interface IncidentRespondersTable {
  incident_id: string;
  user_id: string;
  joined_at: string;
  left_at: string | null;
}

export interface IncidentTasksTable {
  id: string;
  incident_id: string;
  owner_id: string;
  purpose: string;
  action: string;
  status: string;
  due_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
}

export interface IncidentDecisionsTable {
  id: string;
  incident_id: string;
  decision: string;
  rationale: string;
  risk: string;
  decided_by: string;
  recorded_by: string | null;
  decided_at: string;
}

export interface StatusUpdatesTable {
  id: string;
  incident_id: string;
  audience: string;
  phase: string;
  body: string;
  impact: string | null;
  eta: string | null;
  decisions_needed: string | null;
  author_id: string | null;
  created_at: string;
}

export interface TimelineEventsTable {
  id: string;
  incident_id: string;
  at: string;
  kind: string;
  actor_id: string | null;
  body: string;
  data_json: string | null;
  starred: number;
}

export interface JobsTable {
  id: string;
  kind: string;
  dedup_key: string | null;
  payload_json: string;
  status: string;
  run_at: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** The whole database, as Kysely sees it. */
export interface Database extends AlertTables, OnCallTables, PagingTables, StatusPageTables {
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  setup_tokens: SetupTokensTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  settings: SettingsTable;
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  incident_roles: IncidentRolesTable;
  incident_responders: IncidentRespondersTable;
  incident_tasks: IncidentTasksTable;
  incident_decisions: IncidentDecisionsTable;
  status_updates: StatusUpdatesTable;
  timeline_events: TimelineEventsTable;
  jobs: JobsTable;
}
