// Row types of the paging room's tables (see schema.ts for the conventions: ISO-8601 UTC times, 0/1 booleans, JSON as text).

export interface ContactMethodsTable {
  id: string;
  user_id: string;
  kind: string;
  label: string;
  target_sealed: string;
  hint: string;
  created_at: string;
}

export interface NotificationRulesTable {
  id: string;
  user_id: string;
  contact_method_id: string;
  delay_minutes: number;
  created_at: string;
}

export interface EscalationPoliciesTable {
  id: string;
  name: string;
  description: string;
  team_id: string | null;
  repeat: number;
  levels_json: string;
  created_at: string;
  updated_at: string;
}

export interface PagesTable {
  id: string;
  title: string;
  severity: string;
  status: string;
  policy_id: string | null;
  snapshot_json: string;
  alert_group_id: string | null;
  incident_id: string | null;
  drill: number;
  dedup_key: string | null;
  level: number;
  cycle: number;
  escalates_at: string | null;
  exhausted_at: string | null;
  created_by: string | null;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  updated_at: string;
}

export interface PageNotificationsTable {
  id: string;
  page_id: string;
  user_id: string;
  contact_method_id: string | null;
  kind: string;
  level: number;
  cycle: number;
  status: string;
  attempts: number;
  error: string | null;
  due_at: string;
  sent_at: string | null;
  created_at: string;
}

export interface PageEventsTable {
  id: string;
  page_id: string;
  at: string;
  kind: string;
  actor_id: string | null;
  data_json: string;
}

export interface PagingTables {
  contact_methods: ContactMethodsTable;
  notification_rules: NotificationRulesTable;
  escalation_policies: EscalationPoliciesTable;
  pages: PagesTable;
  page_notifications: PageNotificationsTable;
  page_events: PageEventsTable;
}
