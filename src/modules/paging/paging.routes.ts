import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import {
  ContactMethodCreateSchema, ContactMethodSchema, ContactMethodWithSecretSchema, NotificationRuleSchema, NotificationRulesReplaceSchema,
  HealthQuery, HealthSchema, IncidentPageSchema, PageCreateSchema, PageDetailSchema, PageListQuery, PageSummarySchema, PolicyCreateSchema, PolicySchema, PolicyUpdateSchema,
} from './paging.schema.js';
import { HttpProblem } from '../../server/problem.js';
import { stream } from '../../server/sse.js';
import { rangeOf } from '../oncall/oncall.service.js';
import { pageMessage } from './page-messages.js';

const tags = ['paging'];
const Id = z.strictObject({ id: z.string().min(1).max(128) });

/** Routes of the paging room: escalation policies, pages, contact methods and notification rules. */
export function pagingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const viewer = { preHandler: requireRole('viewer') };
  const responder = { preHandler: requireRole('responder') };
  const admin = { preHandler: requireRole('admin') };

  return async (app) => {
    // ---- escalation policies ----
    app.get('/escalation-policies', {
      ...viewer,
      schema: { tags, summary: 'Escalation policies', response: { 200: z.object({ policies: z.array(PolicySchema) }) } },
    }, async () => ({ policies: await ctx.policies.list() }));

    app.post('/escalation-policies', {
      ...admin,
      schema: { tags, summary: 'Create an escalation policy', body: PolicyCreateSchema, response: { 201: PolicySchema } },
    }, async (req, reply) => reply.code(201).send(await ctx.policies.create(actorOf(req), req.body)));

    app.get('/escalation-policies/:id', {
      ...viewer,
      schema: { tags, summary: 'One escalation policy', params: Id, response: { 200: PolicySchema } },
    }, async (req) => ctx.policies.get(req.params.id));

    app.patch('/escalation-policies/:id', {
      ...admin,
      schema: { tags, summary: 'Change an escalation policy (pages already started keep the policy they started with)', params: Id, body: PolicyUpdateSchema, response: { 200: PolicySchema } },
    }, async (req) => ctx.policies.update(actorOf(req), req.params.id, req.body));

    app.delete('/escalation-policies/:id', {
      ...admin,
      schema: { tags, summary: 'Delete an escalation policy no alert route uses', params: Id, response: { 204: z.null() } },
    }, async (req, reply) => {
      await ctx.policies.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    });

    // ---- pages ----
    app.get('/pages', {
      ...viewer,
      schema: { tags, summary: 'Pages, newest first', querystring: PageListQuery, response: { 200: z.object({ pages: z.array(PageSummarySchema) }) } },
    }, async (req) => ({ pages: await ctx.pages.list(actorOf(req), req.query) }));

    app.get('/pages/events', {
      ...viewer,
      config: { rateLimit: false as const },
      schema: { tags, summary: 'Live page changes (text/event-stream): `pages.changed` with the page id and what happened' },
    }, async (req, reply) => stream(req, reply, ctx, (e) => e.type === 'pages.changed'));

    app.post('/pages', {
      ...responder,
      schema: { tags, summary: 'Page someone now: a person, a schedule’s on-call, a team or a policy', body: PageCreateSchema, response: { 201: PageDetailSchema } },
    }, async (req, reply) => reply.code(201).send(await ctx.pages.create(actorOf(req), req.body)));

    app.get('/pages/:id', {
      ...viewer,
      schema: { tags, summary: 'One page: its policy as it started, every notification and what happened', params: Id, response: { 200: PageDetailSchema } },
    }, async (req) => ctx.pages.get(req.params.id));

    app.post('/pages/:id/acknowledge', {
      ...responder,
      schema: { tags, summary: 'Acknowledge: you are on it; escalation stops', params: Id, response: { 200: PageDetailSchema } },
    }, async (req) => ctx.pages.acknowledge(actorOf(req), req.params.id));

    app.post('/pages/:id/resolve', {
      ...responder,
      schema: { tags, summary: 'Resolve the page (and its alert group)', params: Id, response: { 200: PageDetailSchema } },
    }, async (req) => ctx.pages.resolve(actorOf(req), req.params.id));

    app.post('/incidents/:id/pages', {
      ...responder,
      schema: {
        tags: [...tags, 'incidents'], summary: 'Page responders into an incident (a drill pages only the people named in it)',
        params: Id, body: IncidentPageSchema, response: { 201: PageDetailSchema },
      },
    }, async (req, reply) => reply.code(201).send(await ctx.pages.pageForIncident(actorOf(req), req.params.id, req.body)));

    // ---- on-call health ----
    app.get('/oncall-health', {
      ...viewer,
      schema: {
        tags, summary: 'On-call load over a period, per person (or a team’s people): pages, pages outside 08:00–20:00, time to acknowledge, hours on call',
        querystring: HealthQuery, response: { 200: HealthSchema },
      },
    }, async (req) => {
      const range = rangeOf(req.query, Date.now(), 30, true);
      const period = { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
      if (req.query.teamId) return { ...period, ...(await ctx.health.team(req.query.teamId, range)) };
      const userId = req.query.userId ?? actorOf(req).userId;
      if (!userId) throw new HttpProblem(400, 'Invalid request', 'querystring.userId: required', [{ field: 'querystring.userId', message: 'required' }]);
      const row = await ctx.health.person(userId, range);
      return { ...period, team: null, people: [row], totals: { pages: row.pages, pagesOutOfHours: row.pagesOutOfHours, acknowledged: row.acknowledged, hoursOnCall: row.hoursOnCall } };
    });

    // ---- contact methods and notification rules: your own, or anyone's for an admin ----
    app.get('/users/:id/contact-methods', {
      ...viewer,
      schema: { tags, summary: 'How a person is reached', params: Id, response: { 200: z.object({ contactMethods: z.array(ContactMethodSchema) }) } },
    }, async (req) => ({ contactMethods: await ctx.contacts.list(actorOf(req), req.params.id) }));

    app.post('/users/:id/contact-methods', {
      ...viewer,
      schema: { tags, summary: 'Add a way to reach a person (a webhook’s signing secret is shown once)', params: Id, body: ContactMethodCreateSchema, response: { 201: ContactMethodWithSecretSchema } },
    }, async (req, reply) => reply.code(201).send(await ctx.contacts.create(actorOf(req), req.params.id, req.body)));

    app.delete('/contact-methods/:id', {
      ...viewer,
      schema: { tags, summary: 'Remove a contact method (and the rules that use it)', params: Id, response: { 204: z.null() } },
    }, async (req, reply) => {
      await ctx.contacts.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    });

    app.post('/contact-methods/:id/test', {
      ...viewer,
      schema: {
        tags, summary: 'Send a test notification now and say whether it arrived', params: Id,
        response: { 200: z.object({ delivered: z.boolean(), detail: z.string() }) },
      },
    }, async (req) => {
      const actor = actorOf(req);
      const me = actor.userId ? await ctx.accounts.getUser(actor.userId).catch(() => null) : null;
      const message = pageMessage({
        page: { id: '-', title: '', severity: 'info', status: 'triggered', policyName: '', level: 0, createdAt: new Date().toISOString(), drill: false, alertGroupId: null, incidentId: null },
        locale: me?.locale === 'ja' ? 'ja' : 'en', timeZone: me?.timeZone ?? 'UTC', ackUrl: '', resolveUrl: '', pageUrl: '', deliveryId: '', test: true,
      });
      return ctx.contacts.test(actor, req.params.id, message);
    });

    app.get('/users/:id/notification-rules', {
      ...viewer,
      schema: { tags, summary: 'When each contact method is used once a page reaches a person', params: Id, response: { 200: z.object({ rules: z.array(NotificationRuleSchema) }) } },
    }, async (req) => ({ rules: await ctx.contacts.rules(actorOf(req), req.params.id) }));

    app.put('/users/:id/notification-rules', {
      ...viewer,
      schema: { tags, summary: 'Replace a person’s notification rules', params: Id, body: NotificationRulesReplaceSchema, response: { 200: z.object({ rules: z.array(NotificationRuleSchema) }) } },
    }, async (req) => ({ rules: await ctx.contacts.replaceRules(actorOf(req), req.params.id, req.body) }));
  };
}
