import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../test/support/databases.js';
import { type Answer, startTestServer, type TestServer } from '../../test/support/server.js';

/** An RFC 9457 problem document with the given status, served as application/problem+json. */
function expectProblem(res: Answer, status: number): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.stringMatching(/^https?:\/\//), title: expect.any(String), status, detail: expect.any(String), instance: expect.any(String) });
  expect(Object.keys(res.body).every((k) => ['type', 'title', 'status', 'detail', 'instance', 'errors'].includes(k))).toBe(true);
}

/** The field errors of a 400, as field → message. */
function fieldErrors(res: Answer): Record<string, string> {
  expect(Array.isArray(res.body.errors), JSON.stringify(res.body)).toBe(true);
  return Object.fromEntries((res.body.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]));
}

let keyCounter = 0;
const newKey = () => `test-key-${process.pid}-${++keyCounter}`;

describe.each(DATABASE_KINDS)('HTTP API (%s)', (kind) => {
  let ts: TestServer;
  const admin = (method: string, path: string, opts: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) =>
    ts.call(method, path, { token: ts.admin.token, ...opts });
  const titles = async () => ((await admin('GET', '/api/v1/incidents')).body.incidents as { title: string }[]).map((i) => i.title);

  beforeAll(async () => {
    ts = await startTestServer(kind);
  });
  afterAll(async () => {
    await ts?.close();
  });

  describe('problem documents', () => {
    it('malformed JSON is a 400 problem naming the body', async () => {
      const res = await admin('POST', '/api/v1/incidents', { raw: '{"title": "half' });
      expectProblem(res, 400);
      expect(res.body.instance).toBe('/api/v1/incidents');
      expect(res.body.errors[0].field).toBe('body');
    });

    it('an unknown field is refused by name', async () => {
      const res = await admin('POST', '/api/v1/incidents', { body: { title: 'Unknown field', severity: 'SEV2', colour: 'red' } });
      expectProblem(res, 400);
      expect(fieldErrors(res)).toEqual({ 'body.colour': 'unknown field' });
    });

    it('a value of the wrong type names its field', async () => {
      const res = await admin('POST', '/api/v1/incidents', { body: { title: 'Wrong type', severity: 5 } });
      expectProblem(res, 400);
      expect(Object.keys(fieldErrors(res))).toEqual(['body.severity']);
    });

    it('a missing required field names it', async () => {
      const res = await admin('POST', '/api/v1/incidents', { body: { severity: 'SEV2' } });
      expectProblem(res, 400);
      expect(Object.keys(fieldErrors(res))).toEqual(['body.title']);
      expect(res.body.detail).toContain('body.title');
    });

    it('a NUL character anywhere is a 400 naming the field, on every database (PostgreSQL cannot store it)', async () => {
      const body = await admin('POST', '/api/v1/incidents', { body: { title: 'half\u0000way', severity: 'SEV2', services: ['ok', 'bad\u0000'] } });
      expectProblem(body, 400);
      expect(fieldErrors(body)).toEqual({ 'body.title': expect.stringContaining('U+0000') });
      expectProblem(await admin('GET', '/api/v1/incidents/INC%001'), 400);
      const query = await admin('GET', '/api/v1/audit?action=x%00');
      expectProblem(query, 400);
      expect(Object.keys(fieldErrors(query))).toEqual(['querystring.action']);
    });

    it('none of the refused requests declared anything', async () => {
      expect(await titles()).toEqual([]);
    });

    it('an unknown incident is a 404 problem naming the id', async () => {
      const res = await admin('GET', '/api/v1/incidents/01NOSUCHINCIDENT000000000');
      expectProblem(res, 404);
      expect(res.body.detail).toContain('01NOSUCHINCIDENT000000000');
    });

    it('an unknown route under /api is a 404 problem, for reads and writes', async () => {
      for (const method of ['GET', 'POST']) {
        const res = await admin(method, '/api/v1/no-such-thing?x=1', method === 'POST' ? { body: {} } : {});
        expectProblem(res, 404);
        expect(res.body.detail).toContain('/api/v1/no-such-thing');
      }
    });

    it('a URL the router cannot take apart (bad escape, over-long id) still gets a problem', async () => {
      expectProblem(await admin('GET', '/api/v1/incidents/%E0%A4%A'), 400);
      const long = await admin('GET', `/api/v1/incidents/${'x'.repeat(300)}`);
      expectProblem(long, long.status);
      expect(long.status).toBeGreaterThanOrEqual(400);
      expect(long.status).toBeLessThan(500);
    });

    it('a text/plain body on a JSON route is 415', async () => {
      const res = await admin('POST', '/api/v1/incidents', { raw: 'title=Plain', headers: { 'content-type': 'text/plain' } });
      expectProblem(res, 415);
    });

    it('an XML body on a JSON route is 415', async () => {
      const res = await admin('POST', '/api/v1/incidents', { raw: '<incident/>', headers: { 'content-type': 'application/xml' } });
      expectProblem(res, 415);
    });

    it('no credentials is 401', async () => {
      expectProblem(await ts.call('GET', '/api/v1/incidents'), 401);
      expectProblem(await ts.call('POST', '/api/v1/incidents', { body: { title: 'Anonymous', severity: 'SEV2' } }), 401);
    });

    it('an Authorization header that is not "Bearer <token>", or an unknown token, is 401', async () => {
      for (const authorization of ['Basic YWRtaW46cGFzc3dvcmQ=', 'Bearer', 'Bearer two words', ts.admin.token, 'Bearer hks_unknown']) {
        const res = await ts.call('GET', '/api/v1/incidents', { headers: { authorization } });
        expectProblem(res, 401);
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('the same key and body twice declares one incident and replays the first answer', async () => {
      const key = newKey();
      const body = { title: 'Idempotent declare', severity: 'SEV2' };
      const first = await admin('POST', '/api/v1/incidents', { body, headers: { 'idempotency-key': key } });
      const second = await admin('POST', '/api/v1/incidents', { body, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.status).toBe(201);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.headers.get('content-type')).toMatch(/^application\/json/);
      expect(second.body).toEqual(first.body);
      expect((await titles()).filter((t) => t === 'Idempotent declare')).toHaveLength(1);
    });

    it('the same key with another body is 422 and declares nothing', async () => {
      const key = newKey();
      expect((await admin('POST', '/api/v1/incidents', { body: { title: 'Key owner', severity: 'SEV3' }, headers: { 'idempotency-key': key } })).status).toBe(201);
      const reused = await admin('POST', '/api/v1/incidents', { body: { title: 'Key thief', severity: 'SEV3' }, headers: { 'idempotency-key': key } });
      expectProblem(reused, 422);
      expect(fieldErrors(reused)).toHaveProperty(['header.idempotency-key']);
      expect(await titles()).not.toContain('Key thief');
    });

    it('a refused request does not burn its key: the fixed request goes through with it', async () => {
      const key = newKey();
      const bad = await admin('POST', '/api/v1/incidents', { body: { title: 'Fixed later', severity: 'SEV9' }, headers: { 'idempotency-key': key } });
      expectProblem(bad, 400);
      const unknownCommander = await admin('POST', '/api/v1/incidents', { body: { title: 'Fixed later', severity: 'SEV3', commanderId: 'nobody' }, headers: { 'idempotency-key': key } });
      expect(unknownCommander.status).toBeGreaterThanOrEqual(400);
      const fixed = await admin('POST', '/api/v1/incidents', { body: { title: 'Fixed later', severity: 'SEV3' }, headers: { 'idempotency-key': key } });
      expect(fixed.status).toBe(201);
      expect(fixed.headers.get('idempotent-replayed')).toBeNull();
      expect((await titles()).filter((t) => t === 'Fixed later')).toHaveLength(1);
    });

    it('keys belong to one user: someone else using the same key gets their own incident', async () => {
      const responder = await ts.user('responder');
      const key = newKey();
      const body = { title: 'Shared key', severity: 'SEV4' };
      const mine = await admin('POST', '/api/v1/incidents', { body, headers: { 'idempotency-key': key } });
      const theirs = await ts.call('POST', '/api/v1/incidents', { token: responder.token, body, headers: { 'idempotency-key': key } });
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('concurrent retries with one key declare one incident', async () => {
      const key = newKey();
      const body = { title: 'Concurrent retries', severity: 'SEV3' };
      const answers = await Promise.all(Array.from({ length: 5 }, () => admin('POST', '/api/v1/incidents', { body, headers: { 'idempotency-key': key } })));
      for (const a of answers) expect([201, 409]).toContain(a.status);
      const created = answers.filter((a) => a.status === 201);
      expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
      expect((await titles()).filter((t) => t === 'Concurrent retries')).toHaveLength(1);
    });

    it('a malformed key is refused', async () => {
      const res = await admin('POST', '/api/v1/incidents', { body: { title: 'Bad key', severity: 'SEV4' }, headers: { 'idempotency-key': 'x'.repeat(300) } });
      expectProblem(res, 400);
      expect(await titles()).not.toContain('Bad key');
    });
  });

  describe('health, metrics and docs', () => {
    it('/healthz answers without credentials', async () => {
      const res = await ts.call('GET', '/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('/readyz names the database kind', async () => {
      const res = await ts.call('GET', '/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', database: kind });
    });

    it('/metrics has request durations and open incidents by severity, drills left out', async () => {
      expect((await admin('POST', '/api/v1/incidents', { body: { title: 'Metric SEV1', severity: 'SEV1' } })).status).toBe(201);
      expect((await admin('POST', '/api/v1/incidents', { body: { title: 'Drill SEV1', severity: 'SEV1', drill: true } })).status).toBe(201);
      const res = await ts.call('GET', '/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = res.body as string;
      expect(text).toMatch(/^hikeshi_http_request_duration_seconds_count\{.*route="\/api\/v1\/incidents".*\} \d+$/m);
      expect(text).toMatch(/^hikeshi_incidents_open\{severity="SEV1"\} 1$/m);
    });

    it('/api/v1/openapi.json is OpenAPI 3.1 with the incident paths and the bearer scheme', async () => {
      const res = await ts.call('GET', '/api/v1/openapi.json');
      expect(res.status).toBe(200);
      expect(String(res.body.openapi)).toMatch(/^3\.1/);
      expect(Object.keys(res.body.paths['/api/v1/incidents'])).toEqual(expect.arrayContaining(['get', 'post']));
      expect(res.body.paths).toHaveProperty(['/api/v1/incidents/{id}']);
      expect(res.body.paths).not.toHaveProperty(['/healthz']);
      expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it('/api/v1/docs serves the API browser as HTML', async () => {
      const res = await fetch(`${ts.url}/api/v1/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toMatch(/swagger/i);
      // The CSP allows only scripts from the server itself: an inline script would leave the page blank.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of scripts) expect((await fetch(new URL(src, res.url))).status).toBe(200);
    });

    it('answers carry security headers, problems included', async () => {
      for (const res of [await admin('GET', '/api/v1/incidents'), await ts.call('GET', '/api/v1/incidents'), await ts.call('GET', '/healthz')]) {
        expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        // No HSTS from the server itself: the plain-HTTP fallback must keep working (ARCHITECTURE, Security).
        expect(res.headers.get('strict-transport-security')).toBeNull();
      }
    });
  });

  describe('incident settings', () => {
    it('a template with an unknown placeholder is refused by field and changes nothing', async () => {
      const before = (await admin('GET', '/api/v1/settings/incidents')).body;
      const next = structuredClone(before);
      next.templates.public.en = 'We are looking into {{nope}}.';
      next.firstPublicUpdateMinutes = 42;
      const res = await admin('PUT', '/api/v1/settings/incidents', { body: next });
      expectProblem(res, 400);
      const errors = fieldErrors(res);
      expect(Object.keys(errors)).toEqual(['body.templates.public.en']);
      expect(errors['body.templates.public.en']).toContain('{{nope}}');
      expect((await admin('GET', '/api/v1/settings/incidents')).body).toEqual(before);
    });

    it('only admins change settings', async () => {
      const responder = await ts.user('responder');
      const current = (await admin('GET', '/api/v1/settings/incidents')).body;
      expectProblem(await ts.call('PUT', '/api/v1/settings/incidents', { token: responder.token, body: { ...current, firstPublicUpdateMinutes: 1 } }), 403);
      expect((await admin('GET', '/api/v1/settings/incidents')).body.firstPublicUpdateMinutes).toBe(current.firstPublicUpdateMinutes);
    });

    it('a saved first-public-update target applies to incidents declared afterwards', async () => {
      const current = (await admin('GET', '/api/v1/settings/incidents')).body;
      const older = await admin('POST', '/api/v1/incidents', { body: { title: 'Before the change', severity: 'SEV2' } });
      expect(older.body.clocks.firstPublicUpdate.targetMinutes).toBe(current.firstPublicUpdateMinutes);
      const saved = await admin('PUT', '/api/v1/settings/incidents', { body: { ...current, firstPublicUpdateMinutes: 25 } });
      expect(saved.status).toBe(200);
      expect(saved.body.firstPublicUpdateMinutes).toBe(25);
      expect((await admin('GET', '/api/v1/settings/incidents')).body.firstPublicUpdateMinutes).toBe(25);
      const declared = await admin('POST', '/api/v1/incidents', { body: { title: 'After the change', severity: 'SEV2' } });
      expect(declared.status).toBe(201);
      expect(declared.body.clocks.firstPublicUpdate.targetMinutes).toBe(25);
      const due = Date.parse(declared.body.clocks.firstPublicUpdate.dueAt) - Date.parse(declared.body.declaredAt);
      expect(due).toBe(25 * 60_000);
    });
  });
});

describe.each(DATABASE_KINDS)('request limits (%s)', (kind) => {
  let small: TestServer;
  let limited: TestServer;
  let viewer: Awaited<ReturnType<TestServer['user']>>;

  beforeAll(async () => {
    [small, limited] = await Promise.all([startTestServer(kind, { bodyLimitBytes: 2048 }), startTestServer(kind, { rateLimitPerMinute: 5 })]);
    viewer = await limited.user('viewer');
  });
  afterAll(async () => {
    await Promise.all([small?.close(), limited?.close()]);
  });

  it('a body over bodyLimitBytes is a 413 problem and declares nothing', async () => {
    const big = await small.call('POST', '/api/v1/incidents', { token: small.admin.token, body: { title: 'Too big', severity: 'SEV3', summary: 'x'.repeat(10_000) } });
    expectProblem(big, 413);
    const fine = await small.call('POST', '/api/v1/incidents', { token: small.admin.token, body: { title: 'Small enough', severity: 'SEV3', summary: 'x'.repeat(1000) } });
    expect(fine.status).toBe(201);
    const list = await small.call('GET', '/api/v1/incidents', { token: small.admin.token });
    expect(list.body.incidents.map((i: { title: string }) => i.title)).toEqual(['Small enough']);
  });

  it('after rateLimitPerMinute requests a client gets 429 problems; others and /healthz are unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await limited.call('GET', '/api/v1/incidents', { token: viewer.token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await limited.call('GET', '/api/v1/incidents', { token: viewer.token });
    expectProblem(refused, 429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.body.detail).toMatch(/^Rate limit of 5 requests per minute exceeded; retry in \d+ s$/);
    const inJapanese = await limited.call('GET', '/api/v1/incidents', { token: viewer.token, headers: { 'accept-language': 'ja' } });
    expect(inJapanese.body.title).toBe('リクエストが多すぎます');
    expect(inJapanese.body.detail).toMatch(/^1 分あたり 5 リクエストの上限を超えました。\d+ 秒後に再試行してください$/);
    expect((await limited.call('GET', '/api/v1/incidents', { token: limited.admin.token })).status).toBe(200);
    expect((await limited.call('GET', '/healthz')).status).toBe(200);
  });
});
