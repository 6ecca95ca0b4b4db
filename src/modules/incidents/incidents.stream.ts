import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import type { DomainEvent } from '../../server/event-bus.js';
import * as repo from './incidents.repo.js';
import { problems } from '../../server/problem.js';

const HEARTBEAT_MS = 25_000;

/** Streams bus events that pass `filter` as server-sent events until the client goes away. */
function stream(req: FastifyRequest, reply: FastifyReply, ctx: AppContext, filter: (e: DomainEvent) => boolean): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // Tell the browser how soon to reconnect, and open the stream at once.
  res.write('retry: 2000\n: connected\n\n');
  const unsubscribe = ctx.bus.subscribe((e) => {
    if (filter(e)) res.write(`event: message\ndata: ${JSON.stringify(e)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.raw.on('close', stop);
  res.on('error', stop);
}

/** GET /incidents/events (every incident) and GET /incidents/:id/events (one incident). */
export function registerIncidentStreams(app: FastifyInstance, ctx: AppContext): void {
  const hidden = { preHandler: requireRole('viewer'), config: { rateLimit: false as const } };
  app.get('/incidents/events', {
    ...hidden,
    schema: { tags: ['incidents'], summary: 'Live events of every incident (text/event-stream)' },
  }, async (req, reply) => stream(req, reply, ctx, (e) => !!e.incidentId));

  app.get('/incidents/:id/events', {
    ...hidden,
    schema: { tags: ['incidents'], summary: 'Live events of one incident (text/event-stream)', params: z.strictObject({ id: z.string().min(1).max(128) }) },
  }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const row = await repo.findIncident(ctx.storage.db, id);
    if (!row) throw problems.notFound('Incident', id);
    stream(req, reply, ctx, (e) => e.incidentId === row.id);
  });
}
