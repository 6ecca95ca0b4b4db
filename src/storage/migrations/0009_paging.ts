import type { Kysely } from 'kysely';

/**
 * Paging: how each person is reached (contact methods, notification rules), who is woken in what
 * order (escalation policies), and the pages themselves with every notification sent for them.
 * A page keeps a snapshot of its policy, so an edit mid-incident cannot break a page in flight.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A webhook URL is a secret (whoever has a Slack webhook URL can post to the channel): sealed at rest.
  await db.schema
    .createTable('contact_methods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('target_sealed', 'text', (c) => c.notNull())
    // What the owner sees of the target: an e-mail address, or a webhook's host and last characters.
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_methods_user').on('contact_methods').column('user_id').execute();

  // "E-mail at once, Slack after 5 minutes if still unacknowledged."
  await db.schema
    .createTable('notification_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('contact_method_id', 'text', (c) => c.notNull().references('contact_methods.id'))
    .addColumn('delay_minutes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_rules_user').on('notification_rules').column('user_id').execute();

  await db.schema
    .createTable('escalation_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('repeat', 'integer', (c) => c.notNull())
    .addColumn('levels_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text')
    // The levels as they were when the page started: an edit of the policy cannot change it.
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addColumn('alert_group_id', 'text', (c) => c.references('alert_groups.id'))
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('drill', 'integer', (c) => c.notNull().defaultTo(0))
    // At most one page per key: a reminder for one overdue clock is sent once, whichever node runs its job.
    .addColumn('dedup_key', 'text', (c) => c.unique())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('escalates_at', 'text')
    .addColumn('exhausted_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pages_status').on('pages').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('pages_group').on('pages').column('alert_group_id').execute();
  await db.schema.createIndex('pages_incident').on('pages').column('incident_id').execute();

  // One row per message to one person through one contact method; its id is the delivery id receivers see.
  await db.schema
    .createTable('page_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('contact_method_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_notifications_page').on('page_notifications').columns(['page_id', 'created_at']).execute();
  await db.schema.createIndex('page_notifications_user').on('page_notifications').columns(['user_id', 'created_at']).execute();

  // What happened to a page, in order: triggered, escalated, acknowledged, resolved, exhausted, a failed delivery.
  await db.schema
    .createTable('page_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('data_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_events_page').on('page_events').columns(['page_id', 'id']).execute();

  // Before this migration a route's escalation policy was free text, kept for when paging arrived.
  // No policy exists yet, so no such text names one: routes and open groups page nobody until a
  // policy is chosen, rather than failing every page against a policy that is not there.
  await db.updateTable('alert_routes').set({ escalation_policy: null }).where('escalation_policy', 'is not', null).execute();
  await db.updateTable('alert_groups').set({ escalation_policy: null }).where('escalation_policy', 'is not', null).execute();
}
