import type { FastifyRequest } from 'fastify';
import type { AppContext } from './context.js';

/** Where people and senders reach this server: the configured public URL, else what the request used. */
export function requestBaseUrl(ctx: AppContext, req: FastifyRequest): string {
  if (ctx.config.publicUrl) return ctx.config.publicUrl.replace(/\/$/, '');
  return `${req.protocol}://${req.host}`;
}
