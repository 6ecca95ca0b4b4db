// Row types of the on-call room's tables (see schema.ts for the conventions: ISO-8601 UTC times, JSON as text).

export interface SchedulesTable {
  id: string;
  name: string;
  description: string;
  time_zone: string;
  team_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScheduleVersionsTable {
  id: string;
  schedule_id: string;
  effective_from: string;
  layers_json: string;
  created_by: string | null;
  created_at: string;
}

export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  user_id: string;
  starts_at: string;
  ends_at: string;
  note: string;
  created_by: string | null;
  created_at: string;
}

export interface CalendarFeedsTable {
  id: string;
  token_hash: string;
  prefix: string;
  schedule_id: string | null;
  user_id: string | null;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface OnCallTables {
  schedules: SchedulesTable;
  schedule_versions: ScheduleVersionsTable;
  schedule_overrides: ScheduleOverridesTable;
  calendar_feeds: CalendarFeedsTable;
}
