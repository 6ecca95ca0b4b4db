import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import client from 'prom-client';
import type { AppContext } from './context.js';

/** /healthz (the process answers), /readyz (the database answers) and /metrics (Prometheus). */
export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'hikeshi_' });
  const duration = new client.Histogram({
    name: 'hikeshi_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'hikeshi_live_streams',
    help: 'Open server-sent event streams',
    registers: [registry],
    collect() {
      this.set(ctx.bus.listenerCount);
    },
  });
  new client.Gauge({
    name: 'hikeshi_incidents_open',
    help: 'Incidents not yet resolved, by severity',
    labelNames: ['severity'],
    registers: [registry],
    async collect() {
      const rows = await ctx.storage.db.selectFrom('incidents').select(['severity', (eb) => eb.fn.countAll().as('n')])
        .where('phase', '!=', 'resolved').where('drill', '=', 0).groupBy('severity').execute();
      this.reset();
      for (const r of rows) this.set({ severity: r.severity }, Number(r.n));
    },
  });

  new client.Gauge({
    name: 'hikeshi_alert_groups_open',
    help: 'Alert groups not yet resolved, by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await ctx.storage.db.selectFrom('alert_groups').select(['status', (eb) => eb.fn.countAll().as('n')])
        .where('status', '!=', 'resolved').groupBy('status').execute();
      this.reset();
      for (const status of ['triggered', 'acknowledged']) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
    },
  });
  // Counters kept by the ingestor; exposed as counters so rate() works.
  const ingestCounter = (name: string, help: string, field: keyof typeof ctx.ingestor.stats) => new client.Counter({
    name, help, registers: [registry],
    collect() {
      this.reset();
      this.inc(ctx.ingestor.stats[field]);
    },
  });
  ingestCounter('hikeshi_ingest_requests_total', 'Ingest requests stored (2xx)', 'requests');
  new client.Counter({
    name: 'hikeshi_alerts_grouped_total', help: 'Accepted alerts applied to alert groups (the grouping half of ingest)', registers: [registry],
    collect() {
      this.reset();
      this.inc(ctx.ingestor.grouper.stats.alerts);
    },
  });
  new client.Gauge({
    name: 'hikeshi_ingest_waiting_alerts', help: 'Accepted alerts waiting in the inbox to be grouped', registers: [registry],
    collect() {
      this.set(ctx.ingestor.grouper.waiting);
    },
  });
  new client.Gauge({
    name: 'hikeshi_ingest_grouping_lag_seconds', help: 'How long the oldest request of the latest grouping transaction had waited in the inbox', registers: [registry],
    collect() {
      this.set(ctx.ingestor.grouper.stats.lagMs / 1000);
    },
  });
  ingestCounter('hikeshi_ingest_alerts_total', 'Alerts in stored ingest requests', 'alerts');
  ingestCounter('hikeshi_ingest_commits_total', 'Ingest batches stored (each holds one or more requests: group commit; the SQLite inbox may commit several batches in one transaction)', 'batches');
  new client.Counter({
    name: 'hikeshi_ingest_parsed_total', help: 'Ingest requests parsed, by where: a parse worker thread or the event loop', labelNames: ['on'], registers: [registry],
    collect() {
      this.reset();
      this.inc({ on: 'worker' }, ctx.ingestParsers.stats.onWorkers);
      this.inc({ on: 'event_loop' }, ctx.ingestParsers.stats.onEventLoop);
    },
  });
  new client.Gauge({
    name: 'hikeshi_ingest_backlog',
    help: 'Ingest requests accepted and not yet stored (waiting for a batch, or in one being committed)',
    registers: [registry],
    collect() {
      this.set(ctx.ingestor.backlog);
    },
  });

  new client.Counter({
    name: 'hikeshi_statuspage_requests_total',
    help: 'Public status page files answered from memory',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(ctx.statusSnapshots.served);
    },
  });
  new client.Gauge({
    name: 'hikeshi_statuspage_snapshot_age_seconds',
    help: 'Age of each public status page snapshot served from memory (grows while the database cannot be reached)',
    labelNames: ['page', 'stale'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of ctx.statusSnapshots.all()) {
        this.set({ page: s.slug, stale: s.staleSince ? 'true' : 'false' }, (Date.now() - Date.parse(s.state.builtAt)) / 1000);
      }
    },
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const hidden = { schema: { hide: true }, config: { rateLimit: false as const } };
  app.get('/healthz', hidden, async () => ({ status: 'ok' }));
  app.get('/readyz', hidden, async (_req, reply) => {
    try {
      await sql`select 1`.execute(ctx.storage.db);
      return { status: 'ok', database: ctx.storage.dialect };
    } catch (err) {
      // The reason goes to the log, not to whoever asks: it may name hosts and users.
      ctx.log.error({ err }, 'readiness check: the database does not answer');
      return reply.code(503).send({ status: 'unavailable', database: ctx.storage.dialect });
    }
  });
  app.get('/metrics', hidden, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
