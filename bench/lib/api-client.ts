import { AUDIENCES } from '../../src/shared/phases.js';

/** The few API calls the bench needs to get from an empty server to an incident it can load. */

/** Everything a scenario needs: where the server is, a bearer token and an incident. */
export interface Fixture {
  baseUrl: string;
  bearer: string;
  incidentId: string;
  /** The admin the bench acts as. */
  userId: string;
}

const ADMIN = { email: 'bench@example.com', name: 'Bench Admin', password: 'bench-password-1234' };

async function call(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  expect: number,
): Promise<{ json: Record<string, unknown>; res: Response }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== expect) {
    throw new Error(`${method} ${path} answered ${res.status} (expected ${expect}): ${text.slice(0, 300)}`);
  }
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new Error(`${method} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
  return { json, res };
}

function stringField(json: Record<string, unknown>, field: string, where: string): string {
  const value = json[field];
  if (typeof value !== 'string' || value === '') throw new Error(`${where}: no "${field}" in the answer ${JSON.stringify(json).slice(0, 300)}`);
  return value;
}

/** The first admin and an API token, through the public API: what every bench starts from. */
export interface Admin {
  baseUrl: string;
  /** `Bearer <token>`, ready for the authorization header. */
  bearer: string;
  userId: string;
}

/** Creates the first admin with the one-time setup link and an API token for it. */
export async function prepareAdmin(baseUrl: string, setupUrl: string | null): Promise<Admin> {
  if (!setupUrl) throw new Error('the server did not offer a setup link (is the database not empty?)');
  const setupToken = new URL(setupUrl).searchParams.get('token');
  if (!setupToken) throw new Error(`no token in the setup link ${setupUrl}`);

  const setup = await call(baseUrl, 'POST', '/api/v1/setup', { token: setupToken, ...ADMIN }, {}, 201);
  const cookie = setup.res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!cookie) throw new Error('POST /api/v1/setup set no session cookie');
  const csrfToken = stringField(setup.json, 'csrfToken', 'POST /api/v1/setup');
  const userId = stringField((setup.json.user ?? {}) as Record<string, unknown>, 'id', 'POST /api/v1/setup user');

  const token = await call(baseUrl, 'POST', '/api/v1/tokens', { name: 'bench' }, { cookie, 'x-csrf-token': csrfToken }, 201);
  return { baseUrl, userId, bearer: `Bearer ${stringField(token.json, 'token', 'POST /api/v1/tokens')}` };
}

/** One API call as that admin; throws with the answer when its status is not `expect`. */
export async function callAs(admin: Admin, method: string, path: string, body: unknown, expect: number): Promise<Record<string, unknown>> {
  return (await call(admin.baseUrl, method, path, body, { authorization: admin.bearer }, expect)).json;
}

/**
 * Creates the first admin with the setup link, an API token, and a SEV2 incident — the path a
 * new team takes, through the public API only.
 */
export async function prepareIncident(baseUrl: string, setupUrl: string | null): Promise<Fixture> {
  const { bearer, userId } = await prepareAdmin(baseUrl, setupUrl);
  const incident = await call(baseUrl, 'POST', '/api/v1/incidents', { title: 'Bench: checkout latency', severity: 'SEV2' }, { authorization: bearer }, 201);
  return { baseUrl, bearer, userId, incidentId: stringField(incident.json, 'id', 'POST /api/v1/incidents') };
}

/** What a war room holds after an hour of work; the read scenario reads an incident like this. */
export const WAR_ROOM_SEED = { notes: 100, tasks: 5, decisions: 3, updates: AUDIENCES.length } as const;

/** Fills the incident with notes, tasks, decisions and one status update per audience, a few requests at a time. */
export async function seedWarRoom(fixture: Fixture): Promise<void> {
  const base = `/api/v1/incidents/${encodeURIComponent(fixture.incidentId)}`;
  const auth = { authorization: fixture.bearer };
  const post = (path: string, body: unknown) => call(fixture.baseUrl, 'POST', `${base}${path}`, body, auth, 201);
  const calls: Array<() => Promise<unknown>> = [
    ...Array.from({ length: WAR_ROOM_SEED.notes }, (_, i) => () => post('/timeline', { body: `seed note ${i + 1}: checked dashboards, p99 still high` })),
    ...Array.from({ length: WAR_ROOM_SEED.tasks }, (_, i) => () =>
      post('/tasks', { ownerId: fixture.userId, purpose: `narrow down the cause (${i + 1})`, action: `compare error rates per region, step ${i + 1}` })),
    ...Array.from({ length: WAR_ROOM_SEED.decisions }, (_, i) => () =>
      post('/decisions', { decision: `roll back deploy ${i + 1}`, rationale: 'errors started with it', risk: 'data written since 13:00 is kept' })),
  ];
  for (let i = 0; i < calls.length; i += 10) await Promise.all(calls.slice(i, i + 10).map((c) => c()));
  // Status updates one by one: each may move the incident's phase.
  for (const audience of AUDIENCES) {
    await post('/updates', { audience, body: 'We are investigating elevated checkout errors.', impact: 'Some payments fail', eta: '30 minutes' });
  }
}
