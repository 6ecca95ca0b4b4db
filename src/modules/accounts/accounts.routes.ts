import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE, actorOf, requireRole } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { HttpProblem } from '../../server/problem.js';
import type { IssuedSession } from './accounts.service.js';
import {
  IdParams, MeUpdateSchema, SessionSchema, SetupSchema, SetupStatusSchema, SignInSchema, TeamCreateSchema,
  TeamMemberParams, TeamSchema, TokenCreateSchema, TokenCreatedSchema, TokenSchema, UserCreateSchema, UserSchema,
  UserUpdateSchema,
} from './accounts.schema.js';

/** Routes of the accounts room: setup, sign-in, profile, users, teams and API tokens. */
export function accountsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { accounts, config } = ctx;

  function setSessionCookie(req: FastifyRequest, reply: FastifyReply, s: IssuedSession): void {
    const secure = config.secureCookies === 'always' || (config.secureCookies === 'auto' && req.protocol === 'https');
    reply.setCookie(SESSION_COOKIE, s.secret, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(s.expiresAt) });
  }

  // Sign-in and setup are the doors brute force knocks on: tighter limits than the API at large.
  const doorLimit = { rateLimit: { max: 10, timeWindow: '1 minute' } };
  // Their answers carry the session's CSRF token and set its cookie: never kept for an idempotent replay.
  const door = { ...doorLimit, idempotent: false };

  return async (app) => {
    app.get('/setup', {
      schema: { tags: ['accounts'], summary: 'Whether the first admin still has to be created', response: { 200: SetupStatusSchema } },
    }, async () => ({ needsSetup: await accounts.needsSetup() }));

    app.post('/setup', {
      config: door,
      schema: { tags: ['accounts'], summary: 'Create the first admin with the one-time setup token, and sign in', body: SetupSchema, response: { 201: SessionSchema } },
    }, async (req, reply) => {
      await accounts.completeSetup(req.body, req.ip);
      const session = await accounts.signIn(req.body.email, req.body.password, req.ip);
      setSessionCookie(req, reply, session);
      return reply.code(201).send({ user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
    });

    app.post('/session', {
      config: door,
      schema: { tags: ['accounts'], summary: 'Sign in with e-mail and password (sets the session cookie)', body: SignInSchema, response: { 201: SessionSchema } },
    }, async (req, reply) => {
      const session = await accounts.signIn(req.body.email, req.body.password, req.ip);
      setSessionCookie(req, reply, session);
      return reply.code(201).send({ user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
    });

    app.get('/session', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['accounts'], summary: 'The signed-in user and the CSRF token for this session', response: { 200: SessionSchema } },
    }, async (req) => ({
      user: await accounts.getUser(actorOf(req).userId ?? ''),
      // Signed in with an API token there is no session: nothing to echo.
      csrfToken: req.session?.csrfToken ?? '',
      expiresAt: req.session?.expiresAt ?? '',
    }));

    app.delete('/session', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['accounts'], summary: 'Sign out', response: { 204: z.null() } },
    }, async (req, reply) => {
      if (req.sessionSecret) await accounts.signOut(actorOf(req), req.sessionSecret);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    });

    app.get('/me', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['accounts'], summary: 'Your profile', response: { 200: UserSchema } },
    }, async (req) => accounts.getUser(actorOf(req).userId ?? ''));

    // Changing the password checks the current one: a stolen session or token must not get unlimited
    // guesses at it. Only those requests count, so switching language stays unlimited.
    const passwordTries = app.createRateLimit({ max: 10, timeWindow: '1 minute' });
    app.patch('/me', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['accounts'], summary: 'Change your name, language, time zone or password', body: MeUpdateSchema, response: { 200: UserSchema } },
    }, async (req) => {
      if (req.body.currentPassword !== undefined || req.body.newPassword !== undefined) {
        const tries = await passwordTries(req);
        if (!tries.isAllowed && tries.isExceeded) {
          throw new HttpProblem(429, 'Too many requests', 'Too many password attempts; wait a minute', undefined, 'パスワードの試行が多すぎます。1 分待ってください');
        }
      }
      return accounts.updateMe(actorOf(req), req.body, req.sessionSecret);
    });

    app.get('/users', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['accounts'], summary: 'Everyone who can sign in', response: { 200: z.object({ users: z.array(UserSchema) }) } },
    }, async () => ({ users: await accounts.listUsers() }));

    app.post('/users', {
      preHandler: requireRole('admin'),
      schema: { tags: ['accounts'], summary: 'Create a user', body: UserCreateSchema, response: { 201: UserSchema } },
    }, async (req, reply) => reply.code(201).send(await accounts.createUser(actorOf(req), req.body)));

    app.get('/users/:id', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['accounts'], summary: 'One user', params: IdParams, response: { 200: UserSchema } },
    }, async (req) => accounts.getUser(req.params.id));

    app.patch('/users/:id', {
      preHandler: requireRole('admin'),
      schema: { tags: ['accounts'], summary: 'Change a user’s name, role, language or time zone, or disable them', params: IdParams, body: UserUpdateSchema, response: { 200: UserSchema } },
    }, async (req) => accounts.updateUser(actorOf(req), req.params.id, req.body));

    app.get('/teams', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['accounts'], summary: 'Teams and their members', response: { 200: z.object({ teams: z.array(TeamSchema) }) } },
    }, async () => ({ teams: await accounts.listTeams() }));

    app.post('/teams', {
      preHandler: requireRole('admin'),
      schema: { tags: ['accounts'], summary: 'Create a team', body: TeamCreateSchema, response: { 201: TeamSchema } },
    }, async (req, reply) => reply.code(201).send(await accounts.createTeam(actorOf(req), req.body.name)));

    app.put('/teams/:id/members/:userId', {
      preHandler: requireRole('admin'),
      schema: { tags: ['accounts'], summary: 'Add a user to a team', params: TeamMemberParams, response: { 204: z.null() } },
    }, async (req, reply) => {
      await accounts.setTeamMember(actorOf(req), req.params.id, req.params.userId, true);
      return reply.code(204).send(null);
    });

    app.delete('/teams/:id/members/:userId', {
      preHandler: requireRole('admin'),
      schema: { tags: ['accounts'], summary: 'Remove a user from a team', params: TeamMemberParams, response: { 204: z.null() } },
    }, async (req, reply) => {
      await accounts.setTeamMember(actorOf(req), req.params.id, req.params.userId, false);
      return reply.code(204).send(null);
    });

    app.get('/tokens', {
      preHandler: requireRole('viewer'),
      schema: {
        tags: ['accounts'], summary: 'Your API tokens (admins: ?all=true for everyone’s)',
        querystring: z.strictObject({ all: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.object({ tokens: z.array(TokenSchema) }) },
      },
    }, async (req) => ({ tokens: await accounts.listTokens(actorOf(req), req.query.all === 'true') }));

    app.post('/tokens', {
      preHandler: requireRole('viewer'),
      config: { idempotent: false },
      schema: { tags: ['accounts'], summary: 'Create an API token; the secret is in this response only', body: TokenCreateSchema, response: { 201: TokenCreatedSchema } },
    }, async (req, reply) => reply.code(201).send(await accounts.createToken(actorOf(req), req.body.name, req.body.expiresInDays)));

    app.delete('/tokens/:id', {
      preHandler: requireRole('viewer'),
      schema: { tags: ['accounts'], summary: 'Revoke an API token at once', params: IdParams, response: { 200: TokenSchema } },
    }, async (req) => accounts.revokeToken(actorOf(req), req.params.id));
  };
}
