import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireRole } from '../../server/auth.js';
import { requestBaseUrl } from '../../server/base-url.js';
import type { AppContext } from '../../server/context.js';
import {
  AlertGroupDetailSchema, AlertGroupListQuery, AlertGroupListSchema, AlertGroupSummarySchema, AlertParams, AlertsOverviewSchema,
  AlertWithRawSchema, GroupIncidentSchema, GroupParams, IntegrationCreateSchema, IntegrationSchema, IntegrationUpdateSchema,
  IntegrationWithKeySchema, MaintenanceCreateSchema, MaintenanceSchema, RouteSchema, RoutesReplaceSchema, SilenceCreateSchema,
  SetAsideListSchema, SetAsideRequestSchema, SilencePreviewSchema, SilenceSchema, SourceInfoSchema,
} from './alerts.schema.js';
import { registerAlertStream } from './alerts.stream.js';

const tags = ['alerts'];
const Id = z.strictObject({ id: z.string().min(1).max(128) });

/** Routes of the alerts room: integrations, alert groups, silences, maintenance windows, routing. */
export function alertsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const viewer = { preHandler: requireRole('viewer') };
  const responder = { preHandler: requireRole('responder') };
  const admin = { preHandler: requireRole('admin') };
  const svc = ctx.alerts;

  return async (app) => {
    registerAlertStream(app, ctx);

    app.get('/sources', {
      ...viewer,
      schema: { tags, summary: 'The alert sources and the settings each takes', response: { 200: z.object({ sources: z.array(SourceInfoSchema) }) } },
    }, async () => ({
      sources: Object.values(ctx.sources).map((p) => ({
        id: p.id, name: p.name, defaultGroupBy: p.defaultGroupBy, paths: p.paths,
        configSchema: z.toJSONSchema(p.configSchema as z.ZodType, { io: 'input', unrepresentable: 'any' }),
      })),
    }));

    // ---- integrations (admin: they hold keys) ----
    app.get('/integrations', {
      ...admin,
      schema: { tags, summary: 'Integrations (inbound alert sources)', response: { 200: z.object({ integrations: z.array(IntegrationSchema) }) } },
    }, async (req) => ({ integrations: await ctx.integrations.list(requestBaseUrl(ctx, req)) }));

    app.get('/integrations/brief', {
      ...viewer,
      schema: {
        tags, summary: 'Integration names, for filters and maintenance windows (no keys, settings or snippets)',
        response: { 200: z.object({ integrations: z.array(z.object({ id: z.string(), name: z.string(), source: z.string(), disabledAt: z.string().nullable() })) }) },
      },
    }, async () => ({
      integrations: await ctx.integrations.brief(),
    }));

    app.post('/integrations', {
      ...admin,
      schema: { tags, summary: 'Create an integration; its key is shown once', body: IntegrationCreateSchema, response: { 201: IntegrationWithKeySchema } },
    }, async (req, reply) => reply.code(201).send(await ctx.integrations.create(actorOf(req), req.body, requestBaseUrl(ctx, req))));

    app.get('/integrations/:id', {
      ...admin,
      schema: { tags, summary: 'One integration, with paste-ready snippets', params: Id, response: { 200: IntegrationSchema } },
    }, async (req) => ctx.integrations.get(req.params.id, requestBaseUrl(ctx, req)));

    app.patch('/integrations/:id', {
      ...admin,
      schema: { tags, summary: 'Change an integration (name, settings, grouping, limits; disable)', params: Id, body: IntegrationUpdateSchema, response: { 200: IntegrationSchema } },
    }, async (req) => ctx.integrations.update(actorOf(req), req.params.id, req.body, requestBaseUrl(ctx, req)));

    app.post('/integrations/:id/rotate-key', {
      ...admin,
      schema: { tags, summary: 'Replace the key; the old one stops working', params: Id, response: { 200: IntegrationWithKeySchema } },
    }, async (req) => ctx.integrations.rotateKey(actorOf(req), req.params.id, requestBaseUrl(ctx, req)));

    app.delete('/integrations/:id', {
      ...admin,
      schema: { tags, summary: 'Disable an integration (its alerts are kept)', params: Id, response: { 204: z.null() } },
    }, async (req, reply) => {
      await ctx.integrations.update(actorOf(req), req.params.id, { disabled: true }, requestBaseUrl(ctx, req));
      return reply.code(204).send(null);
    });

    // ---- alert groups ----
    app.get('/alert-groups', {
      ...viewer,
      schema: { tags, summary: 'Alert groups, most recently active first', querystring: AlertGroupListQuery, response: { 200: AlertGroupListSchema } },
    }, async (req) => svc.list(req.query));

    app.get('/alert-groups/overview', {
      ...viewer,
      schema: { tags, summary: 'Counts, and whether an alert storm is on', response: { 200: AlertsOverviewSchema } },
    }, async () => {
      const [overview, inbox] = await Promise.all([svc.overview(), ctx.ingestor.grouper.countWaiting()]);
      return { ...overview, inbox: { waitingAlerts: inbox.alerts, waitingRequests: inbox.requests, oldestReceivedAt: inbox.oldest, setAside: inbox.setAside } };
    });

    // ---- requests grouping gave up on ----
    app.get('/alert-inbox/set-aside', {
      ...viewer,
      schema: { tags, summary: 'Accepted requests grouping failed on again and again, with the error', response: { 200: SetAsideListSchema } },
    }, async () => ctx.setAside.list());

    app.post('/alert-inbox/set-aside/:id/retry', {
      ...admin,
      schema: { tags, summary: 'Put a set-aside request back in the queue; it is set aside again if it fails again', params: Id, response: { 200: SetAsideRequestSchema } },
    }, async (req) => ctx.setAside.retry(actorOf(req), req.params.id));

    app.delete('/alert-inbox/set-aside/:id', {
      ...admin,
      schema: { tags, summary: 'Discard a set-aside request for good', params: Id, response: { 204: z.null() } },
    }, async (req, reply) => {
      await ctx.setAside.discard(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    });

    app.get('/alert-groups/:id', {
      ...viewer,
      schema: { tags, summary: 'One alert group with its alerts and history', params: GroupParams, response: { 200: AlertGroupDetailSchema } },
    }, async (req) => svc.get(req.params.id));

    app.post('/alert-groups/:id/acknowledge', {
      ...responder,
      schema: { tags, summary: 'Acknowledge: someone is on it (stops paging)', params: GroupParams, response: { 200: AlertGroupDetailSchema } },
    }, async (req) => svc.acknowledge(actorOf(req), req.params.id));

    app.post('/alert-groups/:id/resolve', {
      ...responder,
      schema: { tags, summary: 'Resolve the group and its firing alerts', params: GroupParams, response: { 200: AlertGroupDetailSchema } },
    }, async (req) => svc.resolve(actorOf(req), req.params.id));

    app.post('/alert-groups/:id/incident', {
      ...responder,
      schema: { tags, summary: 'Link to an open incident, or declare one for this group', params: GroupParams, body: GroupIncidentSchema, response: { 200: AlertGroupDetailSchema } },
    }, async (req) => svc.attachIncident(actorOf(req), req.params.id, req.body));

    app.delete('/alert-groups/:id/incident', {
      ...responder,
      schema: { tags, summary: 'Unlink the group from its incident', params: GroupParams, response: { 200: AlertGroupDetailSchema } },
    }, async (req) => svc.detachIncident(actorOf(req), req.params.id));

    app.get('/alerts/:id', {
      ...viewer,
      schema: { tags, summary: 'One alert with the payload it came in', params: AlertParams, response: { 200: AlertWithRawSchema } },
    }, async (req) => svc.alert(req.params.id));

    // ---- silences and maintenance windows ----
    app.get('/silences', {
      ...viewer,
      schema: {
        tags, summary: 'Silences', querystring: z.strictObject({ state: z.enum(['active', 'pending', 'expired', 'all']).default('active') }),
        response: { 200: z.object({ silences: z.array(SilenceSchema) }) },
      },
    }, async (req) => ({ silences: await svc.silences.listSilences(req.query.state) }));

    app.post('/silences', {
      ...responder,
      schema: { tags, summary: 'Silence alerts matching labels for a while (they are still recorded)', body: SilenceCreateSchema, response: { 201: SilenceSchema } },
    }, async (req, reply) => {
      const silence = await svc.silences.createSilence(actorOf(req), req.body);
      await svc.refreshSuppression();
      return reply.code(201).send(silence);
    });

    app.post('/silences/preview', {
      ...viewer,
      schema: {
        tags, summary: 'Which open alert groups these matchers cover', body: SilencePreviewSchema,
        response: { 200: z.object({ matchingGroups: z.number(), groups: z.array(AlertGroupSummarySchema) }) },
      },
    }, async (req) => svc.previewSilence(req.body.matchers));

    app.delete('/silences/:id', {
      ...responder,
      schema: { tags, summary: 'Expire a silence now', params: Id, response: { 200: SilenceSchema } },
    }, async (req) => {
      const silence = await svc.silences.expireSilence(actorOf(req), req.params.id);
      await svc.refreshSuppression();
      return silence;
    });

    app.get('/maintenance-windows', {
      ...viewer,
      schema: { tags, summary: 'Maintenance windows', response: { 200: z.object({ windows: z.array(MaintenanceSchema) }) } },
    }, async () => ({ windows: await svc.silences.listWindows() }));

    app.post('/maintenance-windows', {
      ...responder,
      schema: { tags, summary: 'Plan a maintenance window: alerts of these integrations or services do not page', body: MaintenanceCreateSchema, response: { 201: MaintenanceSchema } },
    }, async (req, reply) => {
      const window = await svc.silences.createWindow(actorOf(req), req.body);
      await svc.refreshSuppression();
      return reply.code(201).send(window);
    });

    app.delete('/maintenance-windows/:id', {
      ...responder,
      schema: { tags, summary: 'Cancel a maintenance window', params: Id, response: { 200: MaintenanceSchema } },
    }, async (req) => {
      const window = await svc.silences.cancelWindow(actorOf(req), req.params.id);
      await svc.refreshSuppression();
      return window;
    });

    // ---- routing ----
    app.get('/alert-routes', {
      ...viewer,
      schema: { tags, summary: 'Routing rules, in order', response: { 200: z.object({ routes: z.array(RouteSchema) }) } },
    }, async () => ({ routes: await svc.routes() }));

    app.put('/alert-routes', {
      ...admin,
      schema: { tags, summary: 'Replace the routing rules (first match wins)', body: RoutesReplaceSchema, response: { 200: z.object({ routes: z.array(RouteSchema) }) } },
    }, async (req) => ({ routes: await svc.replaceRoutes(actorOf(req), req.body) }));
  };
}
