import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { requireRole } from '../../server/auth.js';
import { readAudit } from './audit.service.js';
import { AuditPageSchema, AuditQuerySchema } from './audit.schema.js';

/** GET /api/v1/audit — the append-only audit log, readable by admins. There is no route that edits it. */
export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/audit', {
      preHandler: requireRole('admin'),
      schema: { tags: ['audit'], summary: 'Read the audit log, newest first', querystring: AuditQuerySchema, response: { 200: AuditPageSchema } },
    }, async (req) => readAudit(ctx.storage.db, req.query));
  };
}
