import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.js';
import { startBackgroundWork } from '../jobs/background.js';
import { AccountsService } from '../modules/accounts/accounts.service.js';
import { AlertsService } from '../modules/alerts/alerts.service.js';
import { restrictedFetcher } from '../modules/alerts/fetch-text.js';
import { SetAsideRequests } from '../modules/alerts/set-aside.js';
import { AlertGrouper } from '../modules/alerts/grouper.js';
import { openInbox } from '../modules/alerts/inbox.js';
import { AlertIngestor, IngestRateLimiter } from '../modules/alerts/ingest.js';
import { defaultParseThreads, ParsePool } from '../modules/alerts/parse-pool.js';
import { IntegrationsService } from '../modules/alerts/integrations.service.js';
import { SilencesService } from '../modules/alerts/silences.service.js';
import { buildChannels, buildSources } from '../plugins/registry.js';
import { IncidentsService } from '../modules/incidents/incidents.service.js';
import { CalendarFeeds } from '../modules/oncall/calendar-feeds.js';
import { OnCallService } from '../modules/oncall/oncall.service.js';
import { ContactsService } from '../modules/paging/contacts.service.js';
import { OnCallHealth } from '../modules/paging/health.js';
import { PageLinks } from '../modules/paging/page-links.js';
import { PagesService } from '../modules/paging/pages.service.js';
import { PoliciesService } from '../modules/paging/policies.service.js';
import { JobQueue } from '../jobs/queue.js';
import { SettingsService } from '../modules/settings/settings.service.js';
import { SubscribersService } from '../modules/statuspages/subscribers.service.js';
import { StatusPagesService } from '../modules/statuspages/statuspages.service.js';
import { StatusSnapshots } from '../modules/statuspages/snapshots.js';
import { removeExport, writeExport } from '../modules/statuspages/export.js';
import { openStorage } from '../storage/db.js';
import { buildApp } from './app.js';
import { SecretBox } from './secret-box.js';
import type { AppContext } from './context.js';
import { EventBus } from './event-bus.js';
import { CHANNEL, PgEventRelay } from './event-relay.js';
import { sql } from 'kysely';

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** The first-admin setup link, when no user exists yet. */
  setupUrl: string | null;
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Print the first-start banner to stdout (the CLI does; tests do not). */
  banner?: boolean;
}

/**
 * A URL with its secrets hidden: the value of any `key=` or `token=` query parameter (an integration
 * key: SNS can send it no other way; a subscriber's link) and a calendar feed's secret path.
 */
export function redactKeyParam(url: string): string {
  return url.replace(/([?&](?:key|token)=)[^&#]*/gi, '$1[redacted]').replace(/^(\/calendar\/)[^/?#]+/i, '$1[redacted]');
}

/** The logger: JSON lines; secrets in headers, cookies and URLs are redacted. */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method, url: redactKeyParam(req.url ?? ''), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort,
      }),
    },
  }, destination);
}

/** The flag that points `hikeshi admin create` at the same database as this server. */
function whereFlag(config: Config): string {
  if (config.databaseUrl) return ' --database-url "$HIKESHI_DATABASE_URL"';
  return config.dataDir === './data' ? '' : ` --data-dir ${JSON.stringify(config.dataDir)}`;
}

/** Opens storage, wires the rooms, starts background work and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const bus = new EventBus();
  const settings = new SettingsService(storage);
  const accounts = new AccountsService(storage, config.sessionTtlHours);
  const incidents = new IncidentsService(storage, bus, settings, accounts);
  const snsHosts = new RegExp(config.snsCertHostPattern);
  const sources = buildSources({ snsCertHostPattern: snsHosts });
  const integrations = new IntegrationsService(storage, sources, SecretBox.open(config.secretKey, config.dataDir));
  const alerts = new AlertsService(storage, bus, incidents, accounts, new SilencesService(storage, accounts));
  const statusPages = new StatusPagesService(storage, bus, incidents, accounts);
  const oncall = new OnCallService(storage, accounts);
  const channels = buildChannels(config);
  const box = SecretBox.open(config.secretKey, config.dataDir);
  // Links in notifications point at the public URL, else at the address the server is reached by (set once listening).
  let origin = config.publicUrl?.replace(/\/$/, '') ?? '';
  const pageLinks = new PageLinks(box.subkey('page-links'), () => origin);
  const policies = new PoliciesService(storage, {
    userNames: (ids, db) => accounts.userNames(ids, db), teamNames: (ids, db) => accounts.teamNames(ids, db), scheduleNames: (ids, db) => oncall.scheduleNames(ids, db),
  });
  const contacts = new ContactsService(storage, channels, box, accounts);
  const pages = new PagesService({
    storage, queue: new JobQueue(storage), bus, policies, contacts, people: accounts, oncall, teams: accounts, links: pageLinks,
  });
  oncall.inUse = (scheduleId) => policies.using('schedule', scheduleId);
  alerts.paging = { followGroups: (actor, groupIds, to) => pages.followGroups(actor, groupIds, to), policyExists: async (id) => (await policies.snapshot(id)) !== null };
  pages.groups = alerts;
  pages.incidents = incidents;
  policies.routesUsing = async (id) => (await alerts.routes()).filter((r) => r.escalationPolicy === id).map((r) => r.name);
  policies.groupsUsing = (id) => alerts.openGroupsUsing(id);
  const inbox = await openInbox(storage);
  const grouper = new AlertGrouper({
    storage, inbox, bus, log, maxWaiting: config.ingestMaxWaitingAlerts, env: () => alerts.pipelineEnv(), integrations: (db, ids) => integrations.groupingById(db, ids),
    afterCommit: (outcome) => alerts.afterIngest(outcome),
  });
  const ingestor = new AlertIngestor(inbox, grouper, log);
  const ingestParsers = new ParsePool({ threads: config.ingestParseThreads ?? defaultParseThreads(), snsCertHostPattern: config.snsCertHostPattern, log });
  const statusSubscribers = new SubscribersService(storage, channels, box, config.publicUrl);
  const ctx: AppContext = {
    config, storage, bus, log, accounts, settings, incidents, sources, integrations, alerts, ingestor, ingestParsers, statusPages,
    setAside: new SetAsideRequests(storage, grouper),
    ingestLimiter: new IngestRateLimiter(), fetchText: restrictedFetcher(snsHosts, config.snsCaFile),
    statusSubscribers,
    oncall, calendarFeeds: new CalendarFeeds(storage, oncall, accounts), policies, pages, contacts, pageLinks, health: new OnCallHealth(storage, accounts, oncall),
    statusSnapshots: new StatusSnapshots(statusPages, bus, log, {
      publicUrl: config.publicUrl?.replace(/\/$/, '') ?? null,
      subscriptions: Boolean(config.smtpUrl),
      // The second copy (principle 14): every page's files, rewritten after each change.
      onRebuilt: config.statusExportDir
        ? (snap) => writeExport(join(config.statusExportDir!, snap.slug), snap.rendered, { slug: snap.slug, builtAt: snap.state.builtAt }).then(() => {})
        : undefined,
      onRemoved: config.statusExportDir ? (slug) => removeExport(join(config.statusExportDir!, slug)) : undefined,
    }),
  };

  const app = await buildApp(ctx);
  let stopBackground: () => Promise<void> = async () => {};
  let relay: PgEventRelay | null = null;
  try {
    if (config.databaseUrl) {
      relay = new PgEventRelay(config.databaseUrl, bus, log, (payload) => sql`SELECT pg_notify(${CHANNEL}, ${payload})`.execute(storage.db));
      await relay.start();
    }
    // The public pages are in memory before the first reader arrives.
    await ctx.statusSnapshots.start();
    await app.listen({ host: config.host, port: config.port });
    await grouper.start();
    stopBackground = startBackgroundWork(ctx);
  } catch (err) {
    await grouper.stop();
    await ingestParsers.close();
    await inbox.close();
    await ctx.statusSnapshots.stop();
    await relay?.close();
    await app.close();
    await storage.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const dialHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  const url = `http://${dialHost.includes(':') ? `[${dialHost}]` : dialHost}:${port}`;
  // People type localhost; programs get the literal address (url) so they never guess the family.
  const shown = config.publicUrl?.replace(/\/$/, '') ?? (['127.0.0.1', '0.0.0.0', '::', '::1'].includes(config.host) ? `http://localhost:${port}` : url);
  statusSubscribers.links.setFallbackOrigin(shown);
  if (!origin) origin = shown;
  await ctx.statusSnapshots.setFallbackOrigin(shown);

  let setupUrl: string | null = null;
  if (await accounts.needsSetup()) {
    const token = await accounts.issueSetupToken();
    setupUrl = `${shown}/setup?token=${encodeURIComponent(token)}`;
  }
  log.info({ url, database: storage.dialect, where: storage.where }, 'hikeshi is listening');
  if (options.banner) {
    const lines = [``, `  Hikeshi is running at ${shown}  (database: ${storage.dialect}, ${storage.where})`, `  API docs: ${shown}/api/v1/docs`];
    // Links in pages and calendar feeds must work from a phone, not only on this machine.
    if (!config.publicUrl) lines.push(`  Links in notifications point at ${shown}: set publicUrl (HIKESHI_PUBLIC_URL) to the address people reach this server at.`);
    if (setupUrl) {
      lines.push(
        ``,
        `  First start: no users yet. Create the first admin by opening this one-time link (valid 24 h):`,
        `    ${setupUrl}`,
        `  or from a shell:  npx hikeshi admin create --email you@example.com --name "Your Name"${whereFlag(config)}`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n\n');
  }

  return {
    app, ctx, url, setupUrl,
    async close() {
      // Each step runs even if one before it failed: a half-closed server must not hold the database.
      // Requests in flight are stored first; whatever is not grouped yet waits in the inbox for the next start.
      const steps: [string, () => Promise<unknown>][] = [
        ['background work', stopBackground], ['status pages', () => ctx.statusSnapshots.stop()], ['event relay', async () => relay?.close()],
        ['parse workers', () => ingestParsers.close()], ['HTTP', () => app.close()], ['grouping', () => grouper.stop()], ['inbox', () => inbox.close()], ['storage', () => storage.close()],
      ];
      let failure: unknown;
      for (const [name, step] of steps) {
        try {
          await step();
        } catch (err) {
          log.error({ err }, `closing: ${name} failed`);
          failure ??= err;
        }
      }
      if (failure) throw failure;
    },
  };
}
