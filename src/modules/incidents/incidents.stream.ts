import type { FastifyInstance } from 'fastify';
import { stream } from '../../server/sse.js';
import { z } from 'zod';
import { requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import * as repo from './incidents.repo.js';
import { problems } from '../../server/problem.js';

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
