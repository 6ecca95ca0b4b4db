// GET /api/v1/status-pages/:page/export: a page's snapshot as files, for `hikeshi statuspage export`.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { problems } from '../../server/problem.js';

export const ExportSchema = z.object({
  page: z.object({ id: z.string(), slug: z.string(), host: z.string().nullable() }),
  builtAt: z.string(),
  staleSince: z.string().nullable().describe('Set when the database could not be reached since then: the files are the last snapshot'),
  files: z.array(z.object({ path: z.string(), contentType: z.string(), body: z.string() })),
});
export type StatusExport = z.infer<typeof ExportSchema>;

/** The files of one page, exactly as the live server serves them. */
export function statusExportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/status-pages/:page/export', {
      preHandler: requireRole('viewer'),
      schema: {
        tags: ['status pages'], summary: 'A status page as static files (HTML, JSON API, feeds)',
        params: z.strictObject({ page: z.string().min(1).max(128) }), response: { 200: ExportSchema },
      },
    }, async (req) => {
      await ctx.statusSnapshots.refresh(false);
      const snap = ctx.statusSnapshots.page(req.params.page) ?? ctx.statusSnapshots.pageById(req.params.page);
      if (!snap) throw problems.notFound('Status page', req.params.page);
      return {
        page: { id: snap.pageId, slug: snap.slug, host: snap.host }, builtAt: snap.state.builtAt, staleSince: snap.staleSince,
        files: snap.rendered,
      };
    });
  };
}
