import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import {
  ComponentCreateSchema, ComponentSchema, ComponentStatusChangeSchema, ComponentUpdateSchema, GroupCreateSchema, GroupSchema, GroupUpdateSchema,
  IncidentFaceSchema, IncidentLinksSchema, IncidentParams, MaintenanceCreateSchema, MaintenanceSchema, MaintenanceUpdatePostSchema,
  MaintenanceUpdateSchema, PageCreateSchema, PageDetailSchema, PageItemParams, PageListItemSchema, PageParams, PageSchema, PageUpdateSchema,
} from './statuspages.schema.js';

const tags = ['status pages'];

/** Routes of the status pages room (the admin API; the public pages are served elsewhere, from memory). */
export function statusPagesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const viewer = { preHandler: requireRole('viewer') };
  const responder = { preHandler: requireRole('responder') };
  const admin = { preHandler: requireRole('admin') };
  const svc = ctx.statusPages;

  return async (app) => {
    // ---- pages (admin) ----
    app.get('/status-pages', {
      ...viewer,
      schema: { tags, summary: 'Status pages', response: { 200: z.object({ pages: z.array(PageListItemSchema) }) } },
    }, async () => ({ pages: await svc.list() }));

    app.post('/status-pages', {
      ...admin,
      schema: { tags, summary: 'Create a status page', body: PageCreateSchema, response: { 201: PageSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.create(actorOf(req), req.body)));

    app.get('/status-pages/:page', {
      ...viewer,
      schema: {
        tags, summary: 'A status page with its components (manual and effective status), maintenance and open incidents (with whether the public has heard yet)',
        params: PageParams, response: { 200: PageDetailSchema },
      },
    }, async (req) => svc.detail(req.params.page));

    app.patch('/status-pages/:page', {
      ...admin,
      schema: { tags, summary: 'Change a status page’s address, wording or look', params: PageParams, body: PageUpdateSchema, response: { 200: PageSchema } },
    }, async (req) => svc.update(actorOf(req), req.params.page, req.body));

    app.delete('/status-pages/:page', {
      ...admin,
      schema: { tags, summary: 'Delete a status page with its components, groups, maintenance, subscribers and incident links', params: PageParams, response: { 204: z.null() } },
    }, async (req, reply) => {
      await svc.remove(actorOf(req), req.params.page);
      return reply.code(204).send(null);
    });

    // ---- groups and components (admin; status: responders) ----
    app.post('/status-pages/:page/groups', {
      ...admin,
      schema: { tags, summary: 'Add a component group', params: PageParams, body: GroupCreateSchema, response: { 201: GroupSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.createGroup(actorOf(req), req.params.page, req.body)));

    app.patch('/status-pages/:page/groups/:id', {
      ...admin,
      schema: { tags, summary: 'Rename or move a component group', params: PageItemParams, body: GroupUpdateSchema, response: { 200: GroupSchema } },
    }, async (req) => svc.updateGroup(actorOf(req), req.params.page, req.params.id, req.body));

    app.delete('/status-pages/:page/groups/:id', {
      ...admin,
      schema: { tags, summary: 'Delete a component group; its components stay, ungrouped', params: PageItemParams, response: { 204: z.null() } },
    }, async (req, reply) => {
      await svc.removeGroup(actorOf(req), req.params.page, req.params.id);
      return reply.code(204).send(null);
    });

    app.post('/status-pages/:page/components', {
      ...admin,
      schema: { tags, summary: 'Add a component', params: PageParams, body: ComponentCreateSchema, response: { 201: ComponentSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.createComponent(actorOf(req), req.params.page, req.body)));

    app.patch('/status-pages/:page/components/:id', {
      ...admin,
      schema: { tags, summary: 'Rename, regroup or move a component', params: PageItemParams, body: ComponentUpdateSchema, response: { 200: ComponentSchema } },
    }, async (req) => svc.updateComponent(actorOf(req), req.params.page, req.params.id, req.body));

    app.delete('/status-pages/:page/components/:id', {
      ...admin,
      schema: { tags, summary: 'Delete a component with its history and incident links', params: PageItemParams, response: { 204: z.null() } },
    }, async (req, reply) => {
      await svc.removeComponent(actorOf(req), req.params.page, req.params.id);
      return reply.code(204).send(null);
    });

    app.put('/status-pages/:page/components/:id/status', {
      ...responder,
      schema: { tags, summary: 'Set a component’s manual status (kept in its history)', params: PageItemParams, body: ComponentStatusChangeSchema, response: { 200: ComponentSchema } },
    }, async (req) => svc.setComponentStatus(actorOf(req), req.params.page, req.params.id, req.body.status));

    // ---- maintenance (responders) ----
    app.get('/status-pages/:page/maintenances', {
      ...viewer,
      schema: { tags, summary: 'Maintenance of a page: upcoming, active and the last 12 months, latest start first', params: PageParams, response: { 200: z.object({ maintenances: z.array(MaintenanceSchema) }) } },
    }, async (req) => ({ maintenances: await svc.maintenances.list(req.params.page) }));

    app.post('/status-pages/:page/maintenances', {
      ...responder,
      schema: { tags, summary: 'Schedule maintenance with its first update', params: PageParams, body: MaintenanceCreateSchema, response: { 201: MaintenanceSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.maintenances.create(actorOf(req), req.params.page, req.body)));

    app.get('/status-pages/:page/maintenances/:id', {
      ...viewer,
      schema: { tags, summary: 'One maintenance with its updates', params: PageItemParams, response: { 200: MaintenanceSchema } },
    }, async (req) => svc.maintenances.get(req.params.page, req.params.id));

    app.patch('/status-pages/:page/maintenances/:id', {
      ...responder,
      schema: { tags, summary: 'Change a maintenance’s title, window or components (until it is over)', params: PageItemParams, body: MaintenanceUpdateSchema, response: { 200: MaintenanceSchema } },
    }, async (req) => svc.maintenances.update(actorOf(req), req.params.page, req.params.id, req.body));

    app.post('/status-pages/:page/maintenances/:id/updates', {
      ...responder,
      schema: { tags, summary: 'Post a maintenance update (in progress, verifying, completed…)', params: PageItemParams, body: MaintenanceUpdatePostSchema, response: { 201: MaintenanceSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.maintenances.postUpdate(actorOf(req), req.params.page, req.params.id, req.body)));

    app.post('/status-pages/:page/maintenances/:id/cancel', {
      ...responder,
      schema: { tags, summary: 'Call a maintenance off', params: PageItemParams, response: { 200: MaintenanceSchema } },
    }, async (req) => svc.maintenances.cancel(actorOf(req), req.params.page, req.params.id));

    // ---- an incident on status pages ----
    app.get('/incidents/:id/status-page', {
      ...viewer,
      schema: { tags, summary: 'What status pages say about an incident: public title, affected components, public updates so far', params: IncidentParams, response: { 200: IncidentFaceSchema } },
    }, async (req) => svc.incidentLinks.get(req.params.id));

    app.put('/incidents/:id/status-page', {
      ...responder,
      schema: { tags, summary: 'Set the components an incident affects (and how badly) and its public title', params: IncidentParams, body: IncidentLinksSchema, response: { 200: IncidentFaceSchema } },
    }, async (req) => svc.incidentLinks.replace(actorOf(req), req.params.id, req.body));
  };
}
