// Row types of every table. Times are ISO-8601 UTC strings (sortable, identical in SQLite and
// PostgreSQL); booleans are 0/1 integers; JSON is stored as text. See ARCHITECTURE.md "Storage".

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

export interface IntegrationsTable {
  id: string;
  source: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  config_json: string;
  group_by_json: string;
  group_wait_seconds: number;
  rate_limit_per_minute: number;
  note: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  last_received_at: string | null;
  disabled_at: string | null;
}

export interface AlertGroupsTable {
  id: string;
  integration_id: string;
  group_key: string;
  group_labels_json: string;
  /** The first alert's labels (what routes, silences and maintenance windows match). */
  labels_json: string;
  title: string;
  /** triggered | acknowledged | resolved */
  status: string;
  severity: string;
  route_id: string | null;
  service: string | null;
  escalation_policy: string | null;
  incident_id: string | null;
  /** The silence or maintenance window that keeps it from paging ("silence:<id>", "maintenance:<id>"). */
  suppressed_by: string | null;
  flapping: number;
  /** ISO times of its recent trigger/resolve transitions (flapping detection). */
  transitions_json: string;
  alert_count: number;
  firing_count: number;
  created_at: string;
  last_alert_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  updated_at: string;
}

export interface AlertsTable {
  id: string;
  integration_id: string;
  group_id: string;
  dedup_key: string;
  /** firing | resolved */
  status: string;
  severity: string;
  title: string;
  description: string;
  labels_json: string;
  annotations_json: string;
  links_json: string;
  starts_at: string | null;
  ends_at: string | null;
  first_received_at: string;
  last_received_at: string;
  resolved_at: string | null;
  receive_count: number;
  silenced_by: string | null;
  raw_json: string;
}

export interface AlertGroupEventsTable {
  id: string;
  group_id: string;
  at: string;
  kind: string;
  actor_id: string | null;
  data_json: string | null;
}

export interface IngestMessagesTable {
  integration_id: string;
  message_id: string;
  received_at: string;
}

export interface SilencesTable {
  id: string;
  matchers_json: string;
  starts_at: string;
  ends_at: string;
  comment: string;
  created_by: string | null;
  created_at: string;
  expired_at: string | null;
}

export interface MaintenanceWindowsTable {
  id: string;
  title: string;
  starts_at: string;
  ends_at: string;
  integration_ids_json: string;
  services_json: string;
  created_by: string | null;
  created_at: string;
  cancelled_at: string | null;
}

export interface AlertRoutesTable {
  id: string;
  position: number;
  name: string;
  integration_id: string | null;
  matchers_json: string;
  service: string | null;
  escalation_policy: string | null;
  declare_severity: string | null;
  created_at: string;
  updated_at: string;
}

export interface StatusPagesTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  host: string | null;
  logo_url: string | null;
  brand_color: string;
  locale: string;
  time_zone: string;
  support_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface StatusComponentGroupsTable {
  id: string;
  page_id: string;
  name: string;
  description: string;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface StatusComponentsTable {
  id: string;
  page_id: string;
  group_id: string | null;
  name: string;
  description: string;
  position: number;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface StatusComponentChangesTable {
  id: string;
  component_id: string;
  status: string;
  at: string;
  actor_id: string | null;
}

export interface StatusIncidentsTable {
  incident_id: string;
  public_title: string;
  created_at: string;
  updated_at: string;
}

export interface StatusIncidentComponentsTable {
  id: string;
  incident_id: string;
  component_id: string;
  status: string;
  from_at: string;
  to_at: string | null;
}

export interface StatusMaintenancesTable {
  id: string;
  page_id: string;
  title: string;
  starts_at: string;
  ends_at: string;
  completed_at: string | null;
  cancelled_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface StatusMaintenanceComponentsTable {
  maintenance_id: string;
  component_id: string;
}

export interface StatusMaintenanceUpdatesTable {
  id: string;
  maintenance_id: string;
  status: string;
  body: string;
  author_id: string | null;
  created_at: string;
}

export interface StatusSubscribersTable {
  id: string;
  page_id: string;
  kind: string;
  target: string;
  secret_sealed: string | null;
  locale: string;
  component_ids_json: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The whole database, as Kysely sees it. */
export interface Database {
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
  integrations: IntegrationsTable;
  alert_groups: AlertGroupsTable;
  alerts: AlertsTable;
  alert_group_events: AlertGroupEventsTable;
  ingest_messages: IngestMessagesTable;
  silences: SilencesTable;
  maintenance_windows: MaintenanceWindowsTable;
  alert_routes: AlertRoutesTable;
  status_pages: StatusPagesTable;
  status_component_groups: StatusComponentGroupsTable;
  status_components: StatusComponentsTable;
  status_component_changes: StatusComponentChangesTable;
  status_incidents: StatusIncidentsTable;
  status_incident_components: StatusIncidentComponentsTable;
  status_maintenances: StatusMaintenancesTable;
  status_maintenance_components: StatusMaintenanceComponentsTable;
  status_maintenance_updates: StatusMaintenanceUpdatesTable;
  status_subscribers: StatusSubscribersTable;
}
