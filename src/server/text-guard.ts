import type { FastifyInstance } from 'fastify';
import { containsNul } from '../shared/nul.js';
import { HttpProblem } from './problem.js';

const NUL = '\u0000';
/** The field message for a string that carries U+0000 (translated in problem-i18n.ts). */
const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/** The dotted path of the first string (or key) under `value` that contains U+0000, or null. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes(NUL)) return `${path}.${k.replaceAll(NUL, '\\0')}`;
      const found = nulPath(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Refuses U+0000 anywhere in the path parameters, query or body with a 400 naming the field.
 * PostgreSQL cannot store it in text (the query fails: a 500), while SQLite would store it: refusing
 * it up front gives both databases the same, correct answer.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const parts = [['params', req.params], ['querystring', req.query], ['body', req.body]] as const;
    for (const [part, value] of parts) {
      // JSON can only carry U+0000 as the escape \u0000 (a raw control character does not parse):
      // a body kept as text (ingest) without it needs no walk.
      if (part === 'body' && typeof req.rawBody === 'string' && !req.rawBody.includes('\\u0000')) continue;
      const field = containsNul(value) ? nulPath(value, part) : null;
      if (field) throw new HttpProblem(400, 'Invalid request', `${field}: ${NUL_MESSAGE}`, [{ field, message: NUL_MESSAGE }]);
    }
  });
}
