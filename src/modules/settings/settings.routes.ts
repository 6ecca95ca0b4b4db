import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { IncidentSettingsSchema } from './settings.schema.js';

/** GET/PUT /api/v1/settings/incidents. */
export function settingsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/settings/incidents', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['settings'], summary: 'Severities, roles, clock targets and message templates', response: { 200: IncidentSettingsSchema } },
    }, async () => ctx.settings.incidentSettings());

    app.put('/settings/incidents', {
      preHandler: requireRole('admin'),
      schema: { tags: ['settings'], summary: 'Replace the incident settings', body: IncidentSettingsSchema, response: { 200: IncidentSettingsSchema } },
    }, async (req) => ctx.settings.saveIncidentSettings(actorOf(req), req.body));
  };
}
