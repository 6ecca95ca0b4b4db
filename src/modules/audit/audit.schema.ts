import { z } from 'zod';

/** One audit event as the API returns it. */
export const AuditEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const AuditQuerySchema = z.strictObject({
  targetType: z.string().max(64).optional(),
  targetId: z.string().max(128).optional(),
  actorId: z.string().max(128).optional(),
  action: z.string().max(128).optional(),
  before: z.string().max(64).optional().describe('Cursor: the nextBefore of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AuditPageSchema = z.object({ events: z.array(AuditEventSchema), nextBefore: z.string().nullable() });
