import type { Kysely } from 'kysely';

/**
 * Alert ingestion: integrations (inbound sources with their own key), alerts deduplicated into
 * alert groups, the groups' own history, silences, maintenance windows and routing rules.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('config_json', 'text', (c) => c.notNull())
    .addColumn('group_by_json', 'text', (c) => c.notNull())
    .addColumn('group_wait_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_received_at', 'text')
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('alert_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('group_labels_json', 'text', (c) => c.notNull())
    // The first alert's labels: what routes, silences and maintenance windows match the group on.
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('route_id', 'text')
    .addColumn('service', 'text')
    .addColumn('escalation_policy', 'text')
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('suppressed_by', 'text')
    .addColumn('flapping', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transitions_json', 'text', (c) => c.notNull())
    .addColumn('alert_count', 'integer', (c) => c.notNull())
    .addColumn('firing_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_alert_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One open group per grouping key; a resolved group may be reopened, never duplicated.
  await db.schema.createIndex('alert_groups_open_key').on('alert_groups').columns(['integration_id', 'group_key']).execute();
  await db.schema.createIndex('alert_groups_status').on('alert_groups').columns(['status', 'last_alert_at']).execute();
  await db.schema.createIndex('alert_groups_last').on('alert_groups').column('last_alert_at').execute();
  await db.schema.createIndex('alert_groups_incident').on('alert_groups').column('incident_id').execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('alert_groups.id'))
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('annotations_json', 'text', (c) => c.notNull())
    .addColumn('links_json', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('first_received_at', 'text', (c) => c.notNull())
    .addColumn('last_received_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('receive_count', 'integer', (c) => c.notNull())
    .addColumn('silenced_by', 'text')
    .addColumn('raw_json', 'text', (c) => c.notNull())
    .execute();
  // The current alert for a dedup key is its newest row (a resolved alert that fires again is a new row).
  await db.schema.createIndex('alerts_dedup').on('alerts').columns(['integration_id', 'dedup_key']).execute();
  await db.schema.createIndex('alerts_group').on('alerts').columns(['group_id', 'status']).execute();


  await db.schema
    .createTable('alert_group_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('alert_groups.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('data_json', 'text')
    .execute();
  await db.schema.createIndex('alert_group_events_group').on('alert_group_events').columns(['group_id', 'at']).execute();

  // Sender message ids already accepted (SNS retries reuse them): a repeat stores nothing.
  await db.schema
    .createTable('ingest_messages')
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ingest_messages_pk', ['integration_id', 'message_id'])
    .execute();

  await db.schema
    .createTable('silences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('matchers_json', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expired_at', 'text')
    .execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('integration_ids_json', 'text', (c) => c.notNull())
    .addColumn('services_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .execute();

  await db.schema
    .createTable('alert_routes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'text')
    .addColumn('matchers_json', 'text', (c) => c.notNull())
    .addColumn('service', 'text')
    .addColumn('escalation_policy', 'text')
    .addColumn('declare_severity', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
