// Row types of the status pages room's tables (see schema.ts for the conventions: ISO-8601 UTC times, 0/1 booleans, JSON as text).

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

/** The status pages room's tables, as Kysely sees them (part of Database). */
export interface StatusPageTables {
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
