// Row types of the alerts room's tables (see schema.ts for the conventions: ISO-8601 UTC times, 0/1 booleans, JSON as text).

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

/**
 * Accepted ingest requests not yet grouped (PostgreSQL; on SQLite only those set aside): what a 2xx
 * promised, kept until the grouping transaction that applies them deletes them, in `seq` order.
 */
export interface AlertInboxTable {
  id: string;
  integration_id: string;
  received_at: string;
  message_id: string | null;
  alert_count: number;
  /** The request's normalised alerts (NormalizedAlert[]). */
  alerts_json: string;
  /** PostgreSQL: the grouping order (bigserial; set by the database). */
  seq?: string | number | null;
  /** Set when grouping failed on this request alone, again and again: kept and shown, no longer retried. */
  error: string | null;
}

/** SQLite: the last inbox file sequence number grouping has applied (one row). */
export interface AlertInboxCursorTable {
  name: string;
  seq: number;
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

/** The alerts room's tables, as Kysely sees them (part of Database). */
export interface AlertTables {
  integrations: IntegrationsTable;
  alert_groups: AlertGroupsTable;
  alerts: AlertsTable;
  alert_group_events: AlertGroupEventsTable;
  ingest_messages: IngestMessagesTable;
  alert_inbox: AlertInboxTable;
  alert_inbox_cursor: AlertInboxCursorTable;
  silences: SilencesTable;
  maintenance_windows: MaintenanceWindowsTable;
  alert_routes: AlertRoutesTable;
}
