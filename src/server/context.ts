import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { AccountsService } from '../modules/accounts/accounts.service.js';
import type { AlertsService } from '../modules/alerts/alerts.service.js';
import type { SetAsideRequests } from '../modules/alerts/set-aside.js';
import type { AlertIngestor, IngestRateLimiter } from '../modules/alerts/ingest.js';
import type { IntegrationsService } from '../modules/alerts/integrations.service.js';
import type { ParsePool } from '../modules/alerts/parse-pool.js';
import type { SourceId, SourcePlugin } from '../plugins/source.js';
import type { IncidentsService } from '../modules/incidents/incidents.service.js';
import type { CalendarFeeds } from '../modules/oncall/calendar-feeds.js';
import type { OnCallService } from '../modules/oncall/oncall.service.js';
import type { ContactsService } from '../modules/paging/contacts.service.js';
import type { OnCallHealth } from '../modules/paging/health.js';
import type { PageLinks } from '../modules/paging/page-links.js';
import type { PagesService } from '../modules/paging/pages.service.js';
import type { PoliciesService } from '../modules/paging/policies.service.js';
import type { SettingsService } from '../modules/settings/settings.service.js';
import type { StatusSnapshots } from '../modules/statuspages/snapshots.js';
import type { SubscribersService } from '../modules/statuspages/subscribers.service.js';
import type { StatusPagesService } from '../modules/statuspages/statuspages.service.js';
import type { Storage } from '../storage/db.js';
import type { EventBus } from './event-bus.js';

/** What the routes of every room are given: the services, the storage and the live-event bus. */
export interface AppContext {
  config: Config;
  storage: Storage;
  bus: EventBus;
  log: Logger;
  accounts: AccountsService;
  settings: SettingsService;
  incidents: IncidentsService;
  /** The alert source plugins, by id (built once, with the configured SNS certificate hosts). */
  sources: Record<SourceId, SourcePlugin<any>>;
  integrations: IntegrationsService;
  alerts: AlertsService;
  ingestor: AlertIngestor;
  /** Requests grouping gave up on: listed, retried or discarded by an admin. */
  setAside: SetAsideRequests;
  /** Parses ingest request bodies, on worker threads when they are large. */
  ingestParsers: ParsePool;
  ingestLimiter: IngestRateLimiter;
  /** Status pages: pages, components, maintenance, incident links, and the public pages' state. */
  statusPages: StatusPagesService;
  /** The public status pages, rendered and held in memory. */
  statusSnapshots: StatusSnapshots;
  /** Status page subscribers: public sign-up, confirmation, unsubscribe, admin, and the jobs that notify them. */
  statusSubscribers: SubscribersService;
  /** On-call schedules, overrides and who is on call. */
  oncall: OnCallService;
  /** Secret iCalendar URLs of schedules and people's shifts. */
  calendarFeeds: CalendarFeeds;
  /** Escalation policies. */
  policies: PoliciesService;
  /** Pages: starting, escalating, notifying, acknowledging. */
  pages: PagesService;
  /** Contact methods and notification rules. */
  contacts: ContactsService;
  /** On-call load per person and team. */
  health: OnCallHealth;
  /** The signed acknowledge/resolve links of notifications. */
  pageLinks: PageLinks;
  /** GETs an allowed https URL for a source plugin (SNS certificates and subscription links). */
  fetchText(url: string): Promise<string>;
}
