import { loadConfig, type Config } from '../../src/config/config.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/** A JSON answer from the server. */
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  /** A raw body sent as is (for malformed input). */
  raw?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

/** A real server on a loopback port with a first admin and an API token. */
export interface TestServer {
  server: RunningServer;
  url: string;
  db: TestDatabase;
  admin: { id: string; email: string; token: string };
  /**
   * One request. After a 2xx to a POST (ingest endpoints among them) it also waits until grouping
   * has applied every accepted alert, so a test reads back what it sent; grouper.test.ts tests the
   * gap itself with fetch.
   */
  call<T = any>(method: string, path: string, opts?: CallOptions): Promise<Answer<T>>;
  /** Creates a user with a role and returns its id and an API token. */
  user(role: 'viewer' | 'responder' | 'admin', name?: string): Promise<{ id: string; email: string; token: string }>;
  close(): Promise<void>;
}

let counter = 0;

/** Starts a server on port 0 against a fresh database of the given kind and signs in the first admin. */
export async function startTestServer(kind: 'sqlite' | 'postgres', overrides: Partial<Config> = {}): Promise<TestServer> {
  const db = await createTestDatabase(kind);
  const config = loadConfig({ env: {}, overrides: { port: 0, logLevel: 'silent', dataDir: db.dataDir, databaseUrl: db.databaseUrl, clockSweepSeconds: 3600, ...overrides } });
  const server = await startServer(config);
  const url = server.url;

  async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON (metrics, HTML) */
    }
    if (method === 'POST' && res.ok) await server.ctx.ingestor.grouper.settled();
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  async function signInAndMintToken(email: string, password: string): Promise<string> {
    const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (res.status !== 201) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const t = await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'test' }) });
    return ((await t.json()) as { token: string }).token;
  }

  const password = 'a long test password';
  const setupToken = new URL(server.setupUrl!).searchParams.get('token');
  const setup = await call('POST', '/api/v1/setup', { body: { token: setupToken, email: 'admin@example.com', name: 'Ada Admin', password } });
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${JSON.stringify(setup.body)}`);
  const admin = { id: setup.body.user.id as string, email: 'admin@example.com', token: await signInAndMintToken('admin@example.com', password) };

  return {
    server, url, db, admin, call,
    async user(role, name) {
      const n = ++counter;
      const email = `${role}${n}@example.com`;
      const created = await call('POST', '/api/v1/users', { token: admin.token, body: { email, name: name ?? `${role} ${n}`, role, password } });
      if (created.status !== 201) throw new Error(`user create failed: ${JSON.stringify(created.body)}`);
      return { id: created.body.id, email, token: await signInAndMintToken(email, password) };
    },
    async close() {
      await server.close();
      await db.drop();
    },
  };
}
