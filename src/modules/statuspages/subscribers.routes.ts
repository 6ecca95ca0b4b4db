// Admin routes for a status page's subscribers (under /api/v1). The public sign-up, confirmation and
// unsubscribe routes are in subscribers.public.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import {
  PageParams, PageSubscriberParams, SubscriberCreateSchema, SubscriberListQuery, SubscriberListSchema, SubscriberSchema, SubscriberWithSecretSchema,
} from './subscribers.schema.js';

const tags = ['status pages'];

/** GET/POST /status-pages/:page/subscribers, DELETE …/:id, POST …/:id/test (admins: addresses are personal data). */
export function subscriberRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const admin = { preHandler: requireRole('admin') };
  const svc = ctx.statusSubscribers;
  return async (app) => {
    app.get('/status-pages/:page/subscribers', {
      ...admin,
      schema: {
        tags, summary: 'Subscribers of a status page, newest first (addresses shown; webhook secrets never)',
        params: PageParams, querystring: SubscriberListQuery, response: { 200: SubscriberListSchema },
      },
    }, async (req) => svc.list(req.params.page, req.query));

    app.post('/status-pages/:page/subscribers', {
      ...admin,
      schema: {
        tags,
        summary: 'Add a subscriber: a webhook (active at once; its signing secret is shown in this answer only) or an e-mail address (sent a confirmation first)',
        params: PageParams, body: SubscriberCreateSchema, response: { 201: z.union([SubscriberWithSecretSchema, SubscriberSchema]) },
      },
    }, async (req, reply) => reply.code(201).send(await svc.create(actorOf(req), req.params.page, req.body)));

    app.delete('/status-pages/:page/subscribers/:id', {
      ...admin,
      schema: { tags, summary: 'Remove a subscriber (messages not yet sent to it are dropped)', params: PageSubscriberParams, response: { 204: z.null() } },
    }, async (req, reply) => {
      await svc.remove(actorOf(req), req.params.page, req.params.id);
      return reply.code(204).send(null);
    });

    app.post('/status-pages/:page/subscribers/:id/test', {
      ...admin,
      schema: {
        tags, summary: 'Send a test message through the outbox; the delivery id is what the receiver sees (X-Hikeshi-Delivery)',
        params: PageSubscriberParams, response: { 202: z.object({ deliveryId: z.string() }) },
      },
    }, async (req, reply) => reply.code(202).send(await svc.test(actorOf(req), req.params.page, req.params.id)));
  };
}
