import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { type RunningServer, startServer } from '../../server/serve.js';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../../test/support/databases.js';
import { type Answer, startTestServer, type TestServer } from '../../../test/support/server.js';

const PASSWORD = 'a long test password'; // what test/support/server.ts gives every user

function expectProblem(res: Answer, status: number): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

let ipCounter = 0;
/** A loopback address (127.0.x.y) of its own, really connected from, so the sign-in limit per address does not trip the suite. */
const freshIp = () => `127.0.${Math.floor(++ipCounter / 250) + 1}.${(ipCounter % 250) + 1}`;

interface SignIn { status: number; contentType: string; setCookie: string[]; body: any; cookie: string; csrfToken: string }

/** POST /api/v1/session from the loopback address `from`. */
function signIn(url: string, email: string, password: string, from = freshIp(), headers: Record<string, string> = {}): Promise<SignIn> {
  const payload = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/session`, {
      method: 'POST', localAddress: from,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('error', reject).on('end', () => {
        const body = JSON.parse(text);
        const setCookie = res.headers['set-cookie'] ?? [];
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', setCookie, body, cookie: setCookie[0]?.split(';')[0] ?? '', csrfToken: body.csrfToken });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe.each(DATABASE_KINDS)('first-admin setup (%s)', (kind) => {
  let db: TestDatabase;
  let server: RunningServer;
  let setupToken: string;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
  const postSetup = (token: string, email = 'first@example.com') => fetch(`${server.url}/api/v1/setup`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email, name: 'First Admin', password: PASSWORD }) });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startServer(loadConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', dataDir: db.dataDir, databaseUrl: db.databaseUrl, clockSweepSeconds: 3600 } }));
    setupToken = new URL(server.setupUrl!).searchParams.get('token')!;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('a fresh server needs setup and refuses a wrong setup token', async () => {
    expect(await (await get('/api/v1/setup')).json()).toEqual({ needsSetup: true });
    const wrong = await postSetup('setup_not-the-right-token');
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await wrong.json()) as { errors: unknown }).errors).toEqual([{ field: 'body.token', message: expect.any(String) }]);
    expect(await (await get('/api/v1/setup')).json()).toEqual({ needsSetup: true });
  });

  it('the right token creates a signed-in admin, and then setup is done', async () => {
    const res = await postSetup(setupToken);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: unknown };
    expect(body.user).toMatchObject({ email: 'first@example.com', role: 'admin' });
    expect((await get('/api/v1/me', { cookie: res.headers.getSetCookie()[0]!.split(';')[0]! })).status).toBe(200);
    expect(await (await get('/api/v1/setup')).json()).toEqual({ needsSetup: false });
  });

  it('the setup token cannot be used twice, even with another e-mail', async () => {
    const again = await postSetup(setupToken, 'second@example.com');
    expect([403, 409]).toContain(again.status);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await signIn(server.url, 'second@example.com', PASSWORD)).status).toBe(401);
  });
});

describe.each(DATABASE_KINDS)('first-admin setup from two nodes at once (%s)', (kind) => {
  let db: TestDatabase;
  let server: RunningServer;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startServer(loadConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', dataDir: db.dataDir, databaseUrl: db.databaseUrl, clockSweepSeconds: 3600 } }));
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('every node’s setup link used at the same moment makes one admin, not several', async () => {
    // Every node that starts on an empty database prints a setup link of its own.
    const tokens = [new URL(server.setupUrl!).searchParams.get('token')!];
    for (let i = 0; i < 5; i++) tokens.push(await server.ctx.accounts.issueSetupToken());
    const answers = await Promise.all(tokens.map((token, i) => fetch(`${server.url}/api/v1/setup`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: `first${i}@example.com`, name: `First ${i}`, password: PASSWORD }),
    })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await server.ctx.accounts.listUsers()).length).toBe(1);
  });
});

describe.each(DATABASE_KINDS)('accounts API (%s)', (kind) => {
  let ts: TestServer;
  let viewer: Awaited<ReturnType<TestServer['user']>>;
  let responder: Awaited<ReturnType<TestServer['user']>>;
  const adminCall = (method: string, path: string, body?: unknown) => ts.call(method, path, { token: ts.admin.token, body });
  /** A call with the session cookie, and the session's X-CSRF-Token unless `csrf` says otherwise (null: none). */
  const cookieCall = (s: SignIn, method: string, path: string, { body, csrf = s.csrfToken }: { body?: unknown; csrf?: string | null } = {}) =>
    ts.call(method, path, { body, headers: { cookie: s.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) } });
  const incidentTitles = async () => ((await adminCall('GET', '/api/v1/incidents')).body.incidents as { title: string }[]).map((i) => i.title);
  /** The statuses of 11 wrong sign-ins in a row from one address. */
  const guesses = async (email: string, ip: string, headers: (i: number) => Record<string, string> = () => ({})) => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(ts.url, email, 'guessing wrong', ip, headers(i))).status);
    return statuses;
  };
  const audit = async (query: string) => (await adminCall('GET', `/api/v1/audit?limit=500&${query}`)).body.events as any[];

  beforeAll(async () => {
    ts = await startTestServer(kind);
    viewer = await ts.user('viewer');
    responder = await ts.user('responder');
  });
  afterAll(async () => {
    await ts?.close();
  });

  describe('sign-in and sessions', () => {
    it('a wrong password and an unknown e-mail get the same 401 problem', async () => {
      const wrong = await signIn(ts.url, ts.admin.email, 'not the password at all');
      const unknown = await signIn(ts.url, 'nobody@example.com', 'not the password at all');
      for (const s of [wrong, unknown]) {
        expect(s.status).toBe(401);
        expect(s.contentType).toMatch(/^application\/problem\+json/);
        expect(s.setCookie).toEqual([]);
      }
      const { instance: _a, ...a } = wrong.body;
      const { instance: _b, ...b } = unknown.body;
      expect(a).toEqual(b);
    });

    it('sets an httpOnly, SameSite=Lax session cookie, and GET /session returns the user and CSRF token', async () => {
      const s = await signIn(ts.url, ts.admin.email.toUpperCase(), PASSWORD);
      expect(s.status).toBe(201);
      const setCookie = s.setCookie[0]!;
      expect(setCookie).toMatch(/^hikeshi_session=/);
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
      expect(setCookie).toMatch(/;\s*Path=\//i);
      const session = await cookieCall(s, 'GET', '/api/v1/session', { csrf: null });
      expect(session.status).toBe(200);
      expect(session.body.user).toMatchObject({ id: ts.admin.id, email: ts.admin.email, role: 'admin' });
      expect(session.body.csrfToken).toBe(s.csrfToken);
      expect(session.body.csrfToken.length).toBeGreaterThan(20);
    });

    it('a cookie-authenticated write without the right X-CSRF-Token is refused and changes nothing', async () => {
      const s = await signIn(ts.url, ts.admin.email, PASSWORD);
      const body = { title: 'CSRF probe', severity: 'SEV3' };
      expectProblem(await cookieCall(s, 'POST', '/api/v1/incidents', { body, csrf: null }), 403);
      expectProblem(await cookieCall(s, 'POST', '/api/v1/incidents', { body, csrf: 'wrong-token' }), 403);
      expect(await incidentTitles()).not.toContain('CSRF probe');
      const ok = await cookieCall(s, 'POST', '/api/v1/incidents', { body });
      expect(ok.status).toBe(201);
      expect((await incidentTitles()).filter((t) => t === 'CSRF probe')).toHaveLength(1);
    });

    it('DELETE /session signs out: the cookie no longer works', async () => {
      const s = await signIn(ts.url, ts.admin.email, PASSWORD);
      expect((await cookieCall(s, 'GET', '/api/v1/me')).status).toBe(200);
      const out = await cookieCall(s, 'DELETE', '/api/v1/session');
      expect(out.status).toBe(204);
      expectProblem(await cookieCall(s, 'GET', '/api/v1/session'), 401);
      expectProblem(await cookieCall(s, 'POST', '/api/v1/tokens', { body: { name: 'after sign-out' } }), 401);
    });

    it('more than 10 sign-in attempts a minute from one address get 429', async () => {
      const ip = freshIp();
      const statuses = await guesses(ts.admin.email, ip);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses[10]).toBe(429);
      expect((await signIn(ts.url, ts.admin.email, PASSWORD, ip)).status).toBe(429);
    });

    it('a client cannot dodge the sign-in limit, or hide in the audit log, by sending X-Forwarded-For', async () => {
      const ip = freshIp();
      expect((await guesses(responder.email, ip, (i) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` })))[10]).toBe(429);
      const failed = (await audit('action=session.signin_failed')).filter((e) => e.target.id === responder.id);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((e) => e.ip === ip)).toBe(true);
    });

    it('a made-up session cookie does not buy a fresh sign-in budget', async () => {
      expect((await guesses(responder.email, freshIp(), (i) => ({ cookie: `hikeshi_session=made-up-${i}` })))[10]).toBe(429);
    });
  });

  describe('API tokens', () => {
    it('the secret starts with hks_ and is shown once: the list has the prefix, never the secret or its hash', async () => {
      const created = await adminCall('POST', '/api/v1/tokens', { name: 'ci' });
      expect(created.status).toBe(201);
      const secret: string = created.body.token;
      expect(secret).toMatch(/^hks_/);
      expect(created.body).toMatchObject({ name: 'ci', prefix: secret.slice(0, 8), userId: ts.admin.id, lastUsedAt: null, revokedAt: null });
      const hash = createHash('sha256').update(secret).digest('hex');
      for (const list of [await adminCall('GET', '/api/v1/tokens'), await adminCall('GET', '/api/v1/tokens?all=true')]) {
        const mine = (list.body.tokens as any[]).find((t) => t.id === created.body.id);
        expect(mine).toMatchObject({ prefix: secret.slice(0, 8) });
        expect(mine).not.toHaveProperty('token');
        expect(JSON.stringify(list.body)).not.toContain(secret);
        expect(JSON.stringify(list.body)).not.toContain(hash);
      }
    });

    it('lastUsedAt is set once the token is used', async () => {
      const created = await adminCall('POST', '/api/v1/tokens', { name: 'used' });
      expect((await ts.call('GET', '/api/v1/me', { token: created.body.token })).status).toBe(200);
      const listed = (await adminCall('GET', '/api/v1/tokens')).body.tokens.find((t: any) => t.id === created.body.id);
      expect(listed.lastUsedAt).toEqual(expect.any(String));
    });

    it('a token revoked mid-session is refused on the very next request', async () => {
      const created = await adminCall('POST', '/api/v1/tokens', { name: 'soon revoked' });
      const token: string = created.body.token;
      expect((await ts.call('GET', '/api/v1/incidents', { token })).status).toBe(200);
      const revoked = await adminCall('DELETE', `/api/v1/tokens/${created.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      const next = await ts.call('GET', '/api/v1/incidents', { token });
      expectProblem(next, 401);
      expect(next.body.detail).toMatch(/revoked/);
    });

    it('a revoked token cannot revoke other tokens', async () => {
      const a = (await adminCall('POST', '/api/v1/tokens', { name: 'a' })).body;
      const b = (await adminCall('POST', '/api/v1/tokens', { name: 'b' })).body;
      expect((await ts.call('DELETE', `/api/v1/tokens/${a.id}`, { token: a.token })).status).toBe(200);
      expectProblem(await ts.call('DELETE', `/api/v1/tokens/${b.id}`, { token: a.token }), 401);
      expect((await ts.call('GET', '/api/v1/me', { token: b.token })).status).toBe(200);
    });

    it('a token created with an Idempotency-Key is not kept in plaintext, nor shown again on a retry', async () => {
      const headers = { 'idempotency-key': `token-${kind}` };
      const first = await ts.call('POST', '/api/v1/tokens', { token: ts.admin.token, body: { name: 'retried' }, headers });
      expect(first.status).toBe(201);
      const rows = await ts.server.ctx.storage.db.selectFrom('idempotency_keys').select('response_body').execute();
      expect(JSON.stringify(rows)).not.toContain(first.body.token);
      const retry = await ts.call('POST', '/api/v1/tokens', { token: ts.admin.token, body: { name: 'retried' }, headers });
      expect(JSON.stringify(retry.body)).not.toContain(first.body.token);
    });

    it('a sign-in sent with a token and an Idempotency-Key is neither kept nor replayed without its cookie', async () => {
      const headers = { authorization: `Bearer ${viewer.token}`, 'idempotency-key': `signin-${kind}` };
      const first = await signIn(ts.url, viewer.email, PASSWORD, freshIp(), headers);
      const again = await signIn(ts.url, viewer.email, PASSWORD, freshIp(), headers);
      for (const s of [first, again]) {
        expect(s.status).toBe(201);
        expect(s.cookie).toMatch(/^hikeshi_session=/);
      }
      expect(again.csrfToken).not.toBe(first.csrfToken);
      const rows = await ts.server.ctx.storage.db.selectFrom('idempotency_keys').select('response_body').execute();
      expect(JSON.stringify(rows)).not.toContain(first.csrfToken);
    });

    it('a non-admin cannot revoke someone else’s token nor list everyone’s', async () => {
      const adminToken = (await adminCall('POST', '/api/v1/tokens', { name: 'admin only' })).body;
      expectProblem(await ts.call('DELETE', `/api/v1/tokens/${adminToken.id}`, { token: responder.token }), 404);
      expect((await ts.call('GET', '/api/v1/me', { token: adminToken.token })).status).toBe(200);
      expectProblem(await ts.call('GET', '/api/v1/tokens?all=true', { token: viewer.token }), 403);
    });
  });

  describe('roles', () => {
    it('a viewer can read incidents but cannot declare one', async () => {
      expect((await ts.call('GET', '/api/v1/incidents', { token: viewer.token })).status).toBe(200);
      const res = await ts.call('POST', '/api/v1/incidents', { token: viewer.token, body: { title: 'Viewer declared', severity: 'SEV2' } });
      expectProblem(res, 403);
      expect(res.body.detail).toContain('responder');
      expect(await incidentTitles()).not.toContain('Viewer declared');
    });

    it('only admins read the audit log', async () => {
      expectProblem(await ts.call('GET', '/api/v1/audit', { token: viewer.token }), 403);
      expectProblem(await ts.call('GET', '/api/v1/audit', { token: responder.token }), 403);
      expect((await adminCall('GET', '/api/v1/audit')).status).toBe(200);
    });

    it('a responder cannot create users', async () => {
      const res = await ts.call('POST', '/api/v1/users', { token: responder.token, body: { email: 'sneaky@example.com', name: 'Sneaky', role: 'admin', password: PASSWORD } });
      expectProblem(res, 403);
      expect(res.body.detail).toContain('admin');
      const users = (await adminCall('GET', '/api/v1/users')).body.users as { email: string }[];
      expect(users.map((u) => u.email)).not.toContain('sneaky@example.com');
    });

    it('no credentials at all is 401', async () => {
      expectProblem(await ts.call('GET', '/api/v1/me'), 401);
    });
  });

  describe('users', () => {
    it('an admin creates users; a duplicate e-mail (in any case) is 409 naming body.email', async () => {
      const created = await adminCall('POST', '/api/v1/users', { email: 'dup@example.com', name: 'Dup', password: PASSWORD });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email: 'dup@example.com', role: 'responder', disabled: false });
      const again = await adminCall('POST', '/api/v1/users', { email: 'DUP@example.com', name: 'Dup 2', password: PASSWORD });
      expectProblem(again, 409);
      expect(again.body.errors).toEqual([{ field: 'body.email', message: expect.any(String) }]);
    });

    it('concurrent creates with one e-mail make one user; the others get 409, never 500', async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        adminCall('POST', '/api/v1/users', { email: 'race@example.com', name: `Race ${i}`, password: PASSWORD })));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    });

    it('disabling a user kills their token, their session and their sign-in', async () => {
      const u = await ts.user('responder');
      const s = await signIn(ts.url, u.email, PASSWORD);
      expect((await ts.call('GET', '/api/v1/me', { token: u.token })).status).toBe(200);
      const patched = await adminCall('PATCH', `/api/v1/users/${u.id}`, { disabled: true });
      expect(patched.status).toBe(200);
      expect(patched.body.disabled).toBe(true);
      expectProblem(await ts.call('GET', '/api/v1/me', { token: u.token }), 401);
      expectProblem(await cookieCall(s, 'GET', '/api/v1/me'), 401);
      expect((await signIn(ts.url, u.email, PASSWORD)).status).toBe(401);
    });

    it('a role change applies to the user’s existing token at once', async () => {
      const u = await ts.user('responder');
      const declare = () => ts.call('POST', '/api/v1/incidents', { token: u.token, body: { title: `Declared by ${u.email}`, severity: 'SEV4' } });
      expect((await declare()).status).toBe(201);
      expect((await adminCall('PATCH', `/api/v1/users/${u.id}`, { role: 'viewer' })).body.role).toBe('viewer');
      expectProblem(await declare(), 403);
      const [event] = await audit(`action=user.update&targetId=${u.id}`);
      expect(event).toMatchObject({ before: { role: 'responder' }, after: { role: 'viewer' } });
    });

    it('an admin cannot demote or disable themselves', async () => {
      expectProblem(await adminCall('PATCH', `/api/v1/users/${ts.admin.id}`, { role: 'responder' }), 409);
      expectProblem(await adminCall('PATCH', `/api/v1/users/${ts.admin.id}`, { disabled: true }), 409);
      const me = await adminCall('GET', '/api/v1/me');
      expect(me.body).toMatchObject({ role: 'admin', disabled: false });
    });

    it('two admins demoting each other at the same moment leave one admin, not none', async () => {
      const a = await ts.user('admin');
      const b = await ts.user('admin');
      const [ab, ba] = await Promise.all([
        ts.call('PATCH', `/api/v1/users/${b.id}`, { token: a.token, body: { role: 'viewer' } }),
        ts.call('PATCH', `/api/v1/users/${a.id}`, { token: b.token, body: { role: 'viewer' } }),
      ]);
      expect([ab.status, ba.status].sort()).toEqual([200, 403]);
      const roles = [(await adminCall('GET', `/api/v1/users/${a.id}`)).body.role, (await adminCall('GET', `/api/v1/users/${b.id}`)).body.role];
      expect(roles.sort()).toEqual(['admin', 'viewer']);
    });

    it('changing one’s password needs the current one; then only the new one signs in', async () => {
      const u = await ts.user('responder');
      const next = 'a brand new passphrase';
      const noCurrent = await ts.call('PATCH', '/api/v1/me', { token: u.token, body: { newPassword: next } });
      expectProblem(noCurrent, 403);
      const wrong = await ts.call('PATCH', '/api/v1/me', { token: u.token, body: { currentPassword: 'not it at all', newPassword: next } });
      expectProblem(wrong, 403);
      expect(wrong.body.errors).toEqual([{ field: 'body.currentPassword', message: expect.any(String) }]);
      expect((await signIn(ts.url, u.email, next)).status).toBe(401);
      const ok = await ts.call('PATCH', '/api/v1/me', { token: u.token, body: { currentPassword: PASSWORD, newPassword: next } });
      expect(ok.status).toBe(200);
      expect(JSON.stringify(ok.body)).not.toContain(next);
      expect((await signIn(ts.url, u.email, next)).status).toBe(201);
      expect((await signIn(ts.url, u.email, PASSWORD)).status).toBe(401);
    });

    it('a new password signs out the user’s other sessions, and keeps the one that changed it', async () => {
      const u = await ts.user('responder');
      const here = await signIn(ts.url, u.email, PASSWORD);
      const elsewhere = await signIn(ts.url, u.email, PASSWORD);
      const changed = await cookieCall(here, 'PATCH', '/api/v1/me', { body: { currentPassword: PASSWORD, newPassword: 'another long passphrase' } });
      expect(changed.status).toBe(200);
      expect((await cookieCall(here, 'GET', '/api/v1/me')).status).toBe(200);
      expectProblem(await cookieCall(elsewhere, 'GET', '/api/v1/me'), 401);
    });

    it('guessing the current password through PATCH /me is throttled like sign-in', async () => {
      const u = await ts.user('responder');
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push((await ts.call('PATCH', '/api/v1/me', { token: u.token, body: { currentPassword: `guess number ${i}`, newPassword: 'a brand new passphrase' } })).status);
      }
      expect(statuses.slice(0, 10).every((s) => s === 403)).toBe(true);
      expect((await audit(`action=user.password_change_failed&targetId=${u.id}`)).length).toBeGreaterThanOrEqual(10);
      expectProblem(await ts.call('PATCH', '/api/v1/me', { token: u.token, body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } }), 429);
      // Only password attempts count: switching language is never throttled by them.
      expect((await ts.call('PATCH', '/api/v1/me', { token: u.token, body: { locale: 'ja' } })).status).toBe(200);
    });

    it('no user-facing answer carries a password or a password hash', async () => {
      const created = await adminCall('POST', '/api/v1/users', { email: 'leak@example.com', name: 'Leak Check', password: 'leak check passphrase' });
      const answers = [
        created,
        await adminCall('GET', '/api/v1/users'),
        await adminCall('GET', `/api/v1/users/${created.body.id}`),
        await adminCall('PATCH', `/api/v1/users/${created.body.id}`, { name: 'Leak Checked' }),
        await adminCall('GET', '/api/v1/me'),
      ];
      const s = await signIn(ts.url, 'leak@example.com', 'leak check passphrase');
      for (const text of [...answers.map((a) => JSON.stringify(a.body)), JSON.stringify(s.body)]) {
        expect(text).not.toContain('leak check passphrase');
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain('scrypt$');
        expect(text).not.toMatch(/password/i);
      }
    });
  });

  describe('audit log', () => {
    it('never holds a password, a hash or a token secret', async () => {
      const tok = (await adminCall('POST', '/api/v1/tokens', { name: 'audit probe' })).body.token as string;
      const res = await adminCall('GET', '/api/v1/audit?limit=500');
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(res.body.events.length).toBeGreaterThan(10);
      for (const secret of [PASSWORD, 'a brand new passphrase', 'leak check passphrase', 'scrypt$', tok]) expect(text).not.toContain(secret);
    });

    it('redacts any key that names a secret, however it is spelled or nested', async () => {
      await recordAudit(ts.server.ctx.storage.db, SYSTEM_ACTOR, {
        action: 'test.redaction', targetType: 'test', targetId: kind,
        after: { name: 'kept', newPassword: 'np-secret-1', csrfToken: 'csrf-secret-2', steps: [{ setupToken: 'st-secret-3', clientSecret: 'cs-secret-4' }] },
      });
      const [event] = await audit(`action=test.redaction&targetId=${kind}`);
      expect(event.after).toEqual({ name: 'kept', newPassword: '[redacted]', csrfToken: '[redacted]', steps: [{ setupToken: '[redacted]', clientSecret: '[redacted]' }] });
    });

    it('records user.create, token.create and token.revoke with actor and target', async () => {
      const u = await adminCall('POST', '/api/v1/users', { email: 'audited@example.com', name: 'Audited', role: 'viewer', password: PASSWORD });
      const [create] = await audit(`action=user.create&targetId=${u.body.id}`);
      expect(create).toMatchObject({ actor: { id: ts.admin.id }, target: { type: 'user', id: u.body.id }, after: { email: 'audited@example.com', role: 'viewer' } });
      const t = (await adminCall('POST', '/api/v1/tokens', { name: 'audited token' })).body;
      await adminCall('DELETE', `/api/v1/tokens/${t.id}`);
      const [tc] = await audit(`action=token.create&targetId=${t.id}`);
      expect(tc).toMatchObject({ actor: { type: 'token', id: ts.admin.id }, target: { type: 'api_token', id: t.id }, after: { name: 'audited token' } });
      const [tr] = await audit(`action=token.revoke&targetId=${t.id}`);
      expect(tr).toMatchObject({ actor: { id: ts.admin.id }, before: { revokedAt: null }, after: { revokedAt: expect.any(String) } });
      expect(tr.requestId).toEqual(expect.any(String));
    });

    it('records sign-ins and failed sign-ins with who and from where', async () => {
      const ip = freshIp();
      await signIn(ts.url, viewer.email, PASSWORD, ip);
      await signIn(ts.url, viewer.email, 'wrong guess here', ip);
      await signIn(ts.url, 'ghost@example.com', 'wrong guess here', ip);
      const ok = (await audit(`action=session.signin&targetId=${viewer.id}`)).filter((e) => e.ip === ip);
      expect(ok).toHaveLength(1);
      expect(ok[0]).toMatchObject({ actor: { id: viewer.id }, target: { type: 'user', id: viewer.id } });
      const failed = (await audit('action=session.signin_failed')).filter((e) => e.ip === ip);
      expect(failed.map((e) => e.target.id).sort()).toEqual([null, viewer.id].sort());
      expect(failed.map((e) => e.actor.name).sort()).toEqual(['ghost@example.com', viewer.email].sort());
    });

    it('pages newest first with nextBefore, without gaps or repeats', async () => {
      const all = (await audit('')).map((e) => e.id);
      expect(all).toEqual([...all].sort().reverse());
      const paged: string[] = [];
      let before: string | null = null;
      do {
        const page: Answer = await adminCall('GET', `/api/v1/audit?limit=7${before ? `&before=${before}` : ''}`);
        paged.push(...page.body.events.map((e: { id: string }) => e.id));
        before = page.body.nextBefore;
      } while (before);
      expect(paged).toEqual(all);
    });

    it('the database itself refuses UPDATE and DELETE on audit_events', async () => {
      const db = ts.server.ctx.storage.db;
      const before = (await audit('')).length;
      await expect(sql`update audit_events set action = 'x'`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_events`.execute(db)).rejects.toThrow(/append-only/);
      expect(await audit('action=x')).toEqual([]);
      expect((await audit('')).length).toBe(before);
    });

    it('no route edits the audit log', async () => {
      const [event] = await audit('');
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        expectProblem(await adminCall(method, '/api/v1/audit', method === 'DELETE' ? undefined : { action: 'x' }), 404);
        expectProblem(await adminCall(method, `/api/v1/audit/${event.id}`, method === 'DELETE' ? undefined : { action: 'x' }), 404);
      }
      expect((await audit('')).find((e) => e.id === event.id)).toEqual(event);
    });
  });
});
