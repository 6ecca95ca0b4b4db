import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { nowIso } from '../shared/ids.js';
import type { Storage } from '../storage/db.js';
import { HttpProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { userId: string; key: string } | null;
  }
  interface FastifyContextConfig {
    /** false: the answer carries a secret, so it is never kept for replays (a retry runs again). */
    idempotent?: boolean;
  }
}

const IN_FLIGHT = 0;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

function requestHash(req: FastifyRequest): string {
  return createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
}

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its 2xx answer is kept; a retry
 * with the same key and body gets the same answer (header `Idempotent-Replayed: true`) without
 * running again; the same key with another body is refused. Keys are per user.
 */
export function registerIdempotency(app: FastifyInstance, storage: Storage): void {
  const db = storage.db;
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined || !req.actor?.userId || req.routeOptions.config.idempotent === false) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new HttpProblem(400, 'Invalid request', 'Idempotency-Key must be 1–255 visible ASCII characters', [{ field: 'header.idempotency-key', message: 'invalid' }]);
    }
    const userId = req.actor.userId;
    const hash = requestHash(req);
    const path = req.url.split('?')[0] ?? req.url;
    try {
      await db.insertInto('idempotency_keys').values({
        user_id: userId, key, method: req.method, path, request_hash: hash, status_code: IN_FLIGHT, response_body: '', created_at: nowIso(),
      }).execute();
      req.idempotency = { userId, key };
      return;
    } catch (err) {
      if (!storage.isUniqueViolation(err)) throw err;
    }
    const prior = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
    if (!prior) throw new HttpProblem(409, 'Conflict', 'A request with this Idempotency-Key is being handled; retry shortly');
    if (prior.request_hash !== hash || prior.path !== path) {
      throw new HttpProblem(422, 'Idempotency key reused', 'This Idempotency-Key was already used for a different request', [{ field: 'header.idempotency-key', message: 'already used with another request' }]);
    }
    if (prior.status_code === IN_FLIGHT) throw new HttpProblem(409, 'Conflict', 'A request with this Idempotency-Key is being handled; retry shortly');
    return reply.code(prior.status_code).header('idempotent-replayed', 'true').type('application/json').serializer((x: unknown) => x as string).send(prior.response_body);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const marker = req.idempotency;
    if (!marker) return payload;
    req.idempotency = null;
    const where = db.updateTable('idempotency_keys').where('user_id', '=', marker.userId).where('key', '=', marker.key);
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      await where.set({ status_code: reply.statusCode, response_body: payload }).execute();
    } else {
      // Failures are not remembered: fixing the request and retrying with the same key must work.
      await db.deleteFrom('idempotency_keys').where('user_id', '=', marker.userId).where('key', '=', marker.key).execute();
    }
    return payload;
  });
}
