import type { Kysely } from 'kysely';

/**
 * The public face: status pages, their components (in optional groups), which incidents affect
 * which components (with the impact over time), scheduled maintenance with its updates, and
 * subscribers. A component's status at any moment is derived from its manual status history, the
 * incident segments and the maintenance windows, so history and availability need no sweeper.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('status_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // A host name of its own (status.example.com): requests for it are served this page at "/".
    .addColumn('host', 'text', (c) => c.unique())
    .addColumn('logo_url', 'text')
    .addColumn('brand_color', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('support_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('status_component_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_component_groups_page').on('status_component_groups').columns(['page_id', 'position']).execute();

  await db.schema
    .createTable('status_components')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id'))
    .addColumn('group_id', 'text', (c) => c.references('status_component_groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    // The status set by hand (the latest row of status_component_changes); incidents and maintenance override it.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_components_page').on('status_components').columns(['page_id', 'position']).execute();

  // Every manual status change, so history can be rebuilt for any day.
  await db.schema
    .createTable('status_component_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('component_id', 'text', (c) => c.notNull().references('status_components.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .execute();
  await db.schema.createIndex('status_component_changes_component').on('status_component_changes').columns(['component_id', 'at']).execute();

  // An incident's public face: the title customers see (internal titles are for responders).
  await db.schema
    .createTable('status_incidents')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
    .addColumn('public_title', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Which components an incident affects and how badly, as segments in time: a change of impact
  // closes the open segment (to_at) and opens a new one. The segment also ends when the incident resolves.
  await db.schema
    .createTable('status_incident_components')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('component_id', 'text', (c) => c.notNull().references('status_components.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('from_at', 'text', (c) => c.notNull())
    .addColumn('to_at', 'text')
    .execute();
  await db.schema.createIndex('status_incident_components_incident').on('status_incident_components').columns(['incident_id', 'to_at']).execute();
  await db.schema.createIndex('status_incident_components_component').on('status_incident_components').columns(['component_id', 'from_at']).execute();

  await db.schema
    .createTable('status_maintenances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    // Set when someone ends it early or calls it off; otherwise it starts and finishes by the clock.
    .addColumn('completed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_maintenances_page').on('status_maintenances').columns(['page_id', 'starts_at']).execute();

  await db.schema
    .createTable('status_maintenance_components')
    .addColumn('maintenance_id', 'text', (c) => c.notNull().references('status_maintenances.id'))
    .addColumn('component_id', 'text', (c) => c.notNull().references('status_components.id'))
    .addPrimaryKeyConstraint('status_maintenance_components_pk', ['maintenance_id', 'component_id'])
    .execute();

  await db.schema
    .createTable('status_maintenance_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('maintenance_id', 'text', (c) => c.notNull().references('status_maintenances.id'))
    // scheduled | in_progress | verifying | completed: the state the update announces.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_maintenance_updates_maintenance').on('status_maintenance_updates').columns(['maintenance_id', 'created_at']).execute();

  await db.schema
    .createTable('status_subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id'))
    // email | webhook
    .addColumn('kind', 'text', (c) => c.notNull())
    // The address or URL, as given (lower-cased e-mail domain); unique per page while subscribed.
    .addColumn('target', 'text', (c) => c.notNull())
    // Webhooks: the signing secret, sealed with the server's secret key.
    .addColumn('secret_sealed', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    // JSON array of component ids; null means every component of the page.
    .addColumn('component_ids_json', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_subscribers_target').on('status_subscribers').columns(['page_id', 'kind', 'target']).unique().execute();
  // The public pages' revision (polled by every node) reads the newest incident change.
  await db.schema.createIndex('incidents_updated').on('incidents').column('updated_at').execute();
}
