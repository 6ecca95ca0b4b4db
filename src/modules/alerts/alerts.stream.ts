import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { stream } from '../../server/sse.js';

/** GET /alert-groups/events: live `alerts.changed` events (one per committed ingest batch or action). */
export function registerAlertStream(app: FastifyInstance, ctx: AppContext): void {
  app.get('/alert-groups/events', {
    preHandler: requireRole('viewer'),
    config: { rateLimit: false as const },
    schema: { tags: ['alerts'], summary: 'Live alert group changes (text/event-stream)' },
  }, async (req, reply) => stream(req, reply, ctx, (e) => e.type === 'alerts.changed'));
}
