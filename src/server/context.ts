import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { AccountsService } from '../modules/accounts/accounts.service.js';
import type { IncidentsService } from '../modules/incidents/incidents.service.js';
import type { SettingsService } from '../modules/settings/settings.service.js';
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
}
