import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountsService } from '../modules/accounts/accounts.service.js';
import { type Actor, type Role, roleAtLeast } from '../shared/actor.js';
import { problems } from './problem.js';

/** Name of the httpOnly session cookie the web UI signs in with. */
export const SESSION_COOKIE = 'hikeshi_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A public endpoint (status pages, subscriptions): nobody signs in, sessions are not looked up. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling; null when nobody signed in. */
    actor: Actor | null;
    /** Set when the caller authenticated with the session cookie. */
    sessionSecret: string | null;
    /** That session's CSRF token and expiry (GET /session tells them to the UI). */
    session: { csrfToken: string; expiresAt: string } | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves the caller on every request: `Authorization: Bearer <token>` (API, CLI) or the session
 * cookie (web UI). Cookie-authenticated writes must echo the session's CSRF token in X-CSRF-Token,
 * which a cross-site form or script cannot read.
 */
export function registerAuth(app: FastifyInstance, accounts: AccountsService): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionSecret', null);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    // Ingest endpoints carry an integration key, not a user's token: they authenticate themselves.
    // Public status pages answer everyone the same, from memory: no session lookup (nor database).
    if (req.routeOptions.config?.ingest || req.routeOptions.config?.public) return;
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw problems.unauthorized('The Authorization header must be "Bearer <token>"', 'Authorization ヘッダーは "Bearer <トークン>" の形にしてください');
      const found = await accounts.authenticateToken(match[1]);
      if (!found) throw problems.unauthorized('The API token is unknown, revoked or expired', 'API トークンが不明・失効・期限切れのいずれかです');
      req.actor = {
        type: 'token', userId: found.user.id, name: found.user.name, role: found.user.role as Role,
        tokenId: found.token.id, requestId: req.id, ip: req.ip,
      };
      return;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (!cookie) return;
    const found = await accounts.authenticateSession(cookie);
    if (!found) return; // an expired cookie is the same as none; routes that need a user answer 401
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, found.csrfToken)) {
        throw problems.forbidden('Missing or wrong X-CSRF-Token header for a cookie-authenticated request', 'X-CSRF-Token ヘッダーがないか違います。ページを再読み込みしてください');
      }
    }
    req.sessionSecret = cookie;
    req.session = { csrfToken: found.csrfToken, expiresAt: found.expiresAt };
    req.actor = { type: 'user', userId: found.user.id, name: found.user.name, role: found.user.role as Role, requestId: req.id, ip: req.ip };
  });
}

/** A preHandler that lets through callers with at least `role`. */
export function requireRole(role: Role) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!req.actor) throw problems.unauthorized('Sign in, or send an API token as "Authorization: Bearer <token>"', 'サインインするか、API トークンを "Authorization: Bearer <トークン>" で送ってください');
    if (!roleAtLeast(req.actor.role, role)) throw problems.forbidden(`This needs the ${role} role; you are ${req.actor.role}`, `この操作には ${role} ロールが必要です（あなたは ${req.actor.role}）`);
  };
}

/** The actor of a request that passed requireRole. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw problems.unauthorized('Not signed in');
  return req.actor;
}
