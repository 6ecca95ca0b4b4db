import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireRole } from '../../server/auth.js';
import { requestBaseUrl } from '../../server/base-url.js';
import type { AppContext } from '../../server/context.js';
import { HttpProblem } from '../../server/problem.js';
import {
  CalendarFeedCreateSchema, CalendarFeedSchema, CalendarFeedWithUrlSchema, OnCallQuery, OnCallSchema, OverrideCreateSchema, OverrideSchema,
  ScheduleCreateSchema, ScheduleSchema, ScheduleShiftsSchema, ScheduleUpdateSchema, ShiftsQuery, UserShiftsQuery, UserShiftsSchema,
} from './oncall.schema.js';
import { rangeOf } from './oncall.service.js';

const tags = ['on-call'];
const Id = z.strictObject({ id: z.string().min(1).max(128) });

/** Routes of the on-call room: schedules, overrides, who is on call, calendar feeds. */
export function oncallRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const viewer = { preHandler: requireRole('viewer') };
  const responder = { preHandler: requireRole('responder') };
  const admin = { preHandler: requireRole('admin') };
  const svc = ctx.oncall;

  return async (app) => {
    app.get('/schedules', {
      ...viewer,
      schema: {
        tags, summary: 'On-call schedules, with who is on call now',
        querystring: z.strictObject({ teamId: z.string().min(1).max(128).optional() }),
        response: { 200: z.object({ schedules: z.array(ScheduleSchema) }) },
      },
    }, async (req) => ({ schedules: await svc.list(req.query.teamId) }));

    app.post('/schedules', {
      ...responder,
      schema: { tags, summary: 'Create a schedule', body: ScheduleCreateSchema, response: { 201: ScheduleSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.create(actorOf(req), req.body)));

    app.get('/schedules/:id', {
      ...viewer,
      schema: { tags, summary: 'One schedule: its layers, a scheduled change, who is on call now', params: Id, response: { 200: ScheduleSchema } },
    }, async (req) => svc.get(req.params.id));

    app.patch('/schedules/:id', {
      ...responder,
      schema: {
        tags, summary: 'Change a schedule; new layers apply from effectiveFrom (default now), the past keeps its own',
        params: Id, body: ScheduleUpdateSchema, response: { 200: ScheduleSchema },
      },
    }, async (req) => svc.update(actorOf(req), req.params.id, req.body));

    app.delete('/schedules/:id', {
      ...admin,
      schema: { tags, summary: 'Delete a schedule, its overrides and its calendar feeds', params: Id, response: { 204: z.null() } },
    }, async (req, reply) => {
      await svc.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    });

    app.get('/schedules/:id/shifts', {
      ...viewer,
      schema: {
        tags, summary: 'Each layer’s shifts, the overrides and the final schedule over a time range',
        params: Id, querystring: ShiftsQuery, response: { 200: ScheduleShiftsSchema },
      },
    }, async (req) => svc.shifts(req.params.id, rangeOf(req.query)));

    app.get('/schedules/:id/overrides', {
      ...viewer,
      schema: {
        tags, summary: 'A schedule’s overrides over a time range (default: from now, 14 days)',
        params: Id, querystring: ShiftsQuery, response: { 200: z.object({ overrides: z.array(OverrideSchema) }) },
      },
    }, async (req) => ({ overrides: await svc.listOverrides(req.params.id, rangeOf(req.query)) }));

    app.post('/schedules/:id/overrides', {
      ...responder,
      schema: { tags, summary: 'Put someone on call instead, for a while ("I take Tuesday night")', params: Id, body: OverrideCreateSchema, response: { 201: OverrideSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.createOverride(actorOf(req), req.params.id, req.body)));

    app.delete('/schedules/:id/overrides/:overrideId', {
      ...responder,
      schema: {
        tags, summary: 'Remove an override',
        params: z.strictObject({ id: z.string().min(1).max(128), overrideId: z.string().min(1).max(128) }), response: { 204: z.null() },
      },
    }, async (req, reply) => {
      await svc.deleteOverride(actorOf(req), req.params.id, req.params.overrideId);
      return reply.code(204).send(null);
    });

    app.get('/oncall', {
      ...viewer,
      schema: { tags, summary: 'Who is on call now, or at a time: every schedule, a schedule, a team’s, or where a person is', querystring: OnCallQuery, response: { 200: OnCallSchema } },
    }, async (req) => svc.onCall(req.query));

    app.get('/users/:id/shifts', {
      ...viewer,
      schema: { tags, summary: 'A person’s shifts in every schedule', params: Id, querystring: UserShiftsQuery, response: { 200: UserShiftsSchema } },
    }, async (req) => svc.userShifts(req.params.id, rangeOf(req.query)));

    app.get('/calendar-feeds', {
      ...viewer,
      schema: {
        tags, summary: 'Your calendar feeds (an admin sees every feed unless mine=true)',
        querystring: z.strictObject({ mine: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.object({ feeds: z.array(CalendarFeedSchema) }) },
      },
    }, async (req) => ({ feeds: await ctx.calendarFeeds.list(actorOf(req), req.query.mine === 'true') }));

    app.post('/calendar-feeds', {
      ...viewer,
      schema: {
        tags, summary: 'A secret iCalendar URL of a schedule or of your shifts, for your calendar app; shown once',
        body: CalendarFeedCreateSchema, response: { 201: CalendarFeedWithUrlSchema },
      },
    }, async (req, reply) => reply.code(201).send(await ctx.calendarFeeds.create(actorOf(req), req.body, requestBaseUrl(ctx, req))));

    app.delete('/calendar-feeds/:id', {
      ...viewer,
      schema: { tags, summary: 'Revoke a calendar feed: its URL stops answering', params: Id, response: { 204: z.null() } },
    }, async (req, reply) => {
      await ctx.calendarFeeds.revoke(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    });
  };
}

/**
 * GET /calendar/<secret>.ics: the feed calendar apps poll. Nobody signs in (the secret is the
 * credential); limited per address; only warnings are logged, and the logger hides the path.
 */
export function calendarFeedRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.get('/calendar/:file', {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => req.ip } },
      logLevel: 'warn',
      schema: { hide: true },
    }, async (req: FastifyRequest<{ Params: { file: string } }>, reply) => {
      const secret = req.params.file.replace(/\.ics$/i, '');
      const text = await ctx.calendarFeeds.render(secret, requestBaseUrl(ctx, req));
      // Unknown and revoked secrets look the same.
      if (text === null) throw new HttpProblem(404, 'Not found', 'No such calendar feed', undefined, 'そのカレンダーフィードはありません');
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header('content-disposition', 'inline; filename="oncall.ics"')
        .send(text);
    });
  };
}
