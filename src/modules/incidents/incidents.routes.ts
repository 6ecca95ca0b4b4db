import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import {
  DecisionCreateSchema, DecisionSchema, EventParams, IncidentDeclareSchema, IncidentDetailSchema, IncidentListQuery,
  IncidentParams, IncidentSummarySchema, IncidentUpdateSchema, NoteCreateSchema, PhaseChangeSchema, ResponderJoinSchema,
  RoleAssignSchema, RoleParams, StarSchema, StatusUpdateCreateSchema, StatusUpdateSchema, TaskCreateSchema, TaskParams,
  TaskSchema, TaskUpdateSchema, TimelineEventSchema, UserParams,
} from './incidents.schema.js';
import { registerIncidentStreams } from './incidents.stream.js';

const tags = ['incidents'];

/** Routes of the war room. Handlers parse, authorise, call the service and shape the reply. */
export function incidentsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const svc = ctx.incidents;
  const responder = { preHandler: requireRole('responder') };
  const viewer = { preHandler: requireRole('viewer') };

  return async (app) => {
    registerIncidentStreams(app, ctx);

    app.get('/incidents', {
      ...viewer,
      schema: { tags, summary: 'List incidents, newest first', querystring: IncidentListQuery, response: { 200: z.object({ incidents: z.array(IncidentSummarySchema) }) } },
    }, async (req) => ({ incidents: await svc.list(req.query) }));

    app.post('/incidents', {
      ...responder,
      schema: { tags, summary: 'Declare an incident', body: IncidentDeclareSchema, response: { 201: IncidentDetailSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.declare(actorOf(req), req.body)));

    app.get('/incidents/:id', {
      ...viewer,
      schema: { tags, summary: 'One incident with roles, roster, tasks, decisions and updates', params: IncidentParams, response: { 200: IncidentDetailSchema } },
    }, async (req) => svc.get(req.params.id));

    app.patch('/incidents/:id', {
      ...responder,
      schema: { tags, summary: 'Change title, summary, severity or affected services', params: IncidentParams, body: IncidentUpdateSchema, response: { 200: IncidentDetailSchema } },
    }, async (req) => svc.update(actorOf(req), req.params.id, req.body));

    app.post('/incidents/:id/phase', {
      ...responder,
      schema: { tags, summary: 'Move to another phase (resolve, reopen…)', params: IncidentParams, body: PhaseChangeSchema, response: { 200: IncidentDetailSchema } },
    }, async (req) => svc.changePhase(actorOf(req), req.params.id, req.body.phase, req.body.note));

    app.post('/incidents/:id/acknowledge', {
      ...responder,
      schema: { tags, summary: 'Acknowledge: someone is on it', params: IncidentParams, response: { 200: IncidentDetailSchema } },
    }, async (req) => svc.acknowledge(actorOf(req), req.params.id));

    app.put('/incidents/:id/roles/:role', {
      ...responder,
      schema: { tags, summary: 'Assign or hand over a role', params: RoleParams, body: RoleAssignSchema, response: { 200: IncidentDetailSchema } },
    }, async (req) => svc.assignRole(actorOf(req), req.params.id, req.params.role, req.body.userId));

    app.delete('/incidents/:id/roles/:role', {
      ...responder,
      schema: { tags, summary: 'Leave a role unassigned (not the commander)', params: RoleParams, response: { 200: IncidentDetailSchema } },
    }, async (req) => svc.unassignRole(actorOf(req), req.params.id, req.params.role));

    app.post('/incidents/:id/responders', {
      ...responder,
      schema: { tags, summary: 'Join the response (or add someone)', params: IncidentParams, body: ResponderJoinSchema, response: { 200: IncidentDetailSchema } },
    }, async (req) => svc.join(actorOf(req), req.params.id, req.body.userId));

    app.delete('/incidents/:id/responders/:userId', {
      ...responder,
      schema: { tags, summary: 'Leave, or release a responder', params: UserParams, response: { 200: IncidentDetailSchema } },
    }, async (req) => svc.leave(actorOf(req), req.params.id, req.params.userId));

    app.post('/incidents/:id/tasks', {
      ...responder,
      schema: { tags, summary: 'Assign a task: who, for what purpose, what', params: IncidentParams, body: TaskCreateSchema, response: { 201: TaskSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.tasks.createTask(actorOf(req), req.params.id, req.body)));

    app.patch('/incidents/:id/tasks/:taskId', {
      ...responder,
      schema: { tags, summary: 'Change a task’s status, owner, purpose, action or due time', params: TaskParams, body: TaskUpdateSchema, response: { 200: TaskSchema } },
    }, async (req) => svc.tasks.updateTask(actorOf(req), req.params.id, req.params.taskId, req.body));

    app.post('/incidents/:id/decisions', {
      ...responder,
      schema: { tags, summary: 'Record a decision with its rationale and the risk accepted', params: IncidentParams, body: DecisionCreateSchema, response: { 201: DecisionSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.tasks.recordDecision(actorOf(req), req.params.id, req.body)));

    app.post('/incidents/:id/updates', {
      ...responder,
      schema: { tags, summary: 'Post a status update to one audience', params: IncidentParams, body: StatusUpdateCreateSchema, response: { 201: StatusUpdateSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.postUpdate(actorOf(req), req.params.id, req.body)));

    app.get('/incidents/:id/timeline', {
      ...viewer,
      schema: {
        tags, summary: 'The timeline, oldest first', params: IncidentParams,
        querystring: z.strictObject({ starred: z.enum(['true', 'false']).optional(), lang: z.enum(['en', 'ja']).optional() }),
        response: { 200: z.object({ events: z.array(TimelineEventSchema) }) },
      },
    }, async (req) => {
      const me = await ctx.accounts.getUser(actorOf(req).userId ?? '');
      return { events: await svc.timeline(req.params.id, { starredOnly: req.query.starred === 'true', locale: req.query.lang ?? me.locale, timeZone: me.timeZone }) };
    });

    app.post('/incidents/:id/timeline', {
      ...responder,
      schema: { tags, summary: 'Add a note to the timeline', params: IncidentParams, body: NoteCreateSchema, response: { 201: TimelineEventSchema } },
    }, async (req, reply) => reply.code(201).send(await svc.addNote(actorOf(req), req.params.id, req.body.body)));

    app.put('/incidents/:id/timeline/:eventId/star', {
      ...responder,
      schema: { tags, summary: 'Star or unstar a timeline event (starred events lead the postmortem)', params: EventParams, body: StarSchema, response: { 200: TimelineEventSchema } },
    }, async (req) => svc.star(actorOf(req), req.params.id, req.params.eventId, req.body.starred));
  };
}
