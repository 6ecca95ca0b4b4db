// Helpers for the status page subscriber suites: a page with components, public sign-ups as a
// browser or a program sends them (no cookies), incidents with public updates, and running jobs.
import { drainJobs } from '../../src/jobs/background.js';
import { JobQueue } from '../../src/jobs/queue.js';
import type { TestServer } from './server.js';

/** A page and its components, by name. */
export interface TestPage {
  id: string;
  slug: string;
  components: Record<string, string>;
}

/** Creates a page through the admin API with components named `names`. */
export async function createPage(ts: TestServer, slug: string, names: string[], extra: Record<string, unknown> = {}): Promise<TestPage> {
  const page = await ts.call('POST', '/api/v1/status-pages', { token: ts.admin.token, body: { slug, name: `${slug[0]!.toUpperCase()}${slug.slice(1)} Cloud`, ...extra } });
  if (page.status !== 201) throw new Error(`page: ${page.status} ${JSON.stringify(page.body)}`);
  const components: Record<string, string> = {};
  for (const name of names) {
    const c = await ts.call('POST', `/api/v1/status-pages/${slug}/components`, { token: ts.admin.token, body: { name } });
    if (c.status !== 201) throw new Error(`component: ${c.status} ${JSON.stringify(c.body)}`);
    components[name] = c.body.id;
  }
  return { id: page.body.id, slug, components };
}

/** What a sign-up or link request got back. */
export interface PublicAnswer {
  status: number;
  type: string;
  text: string;
  json: any;
}

/** A request as a browser without cookies (or a mail client) makes it. */
export async function publicRequest(ts: TestServer, method: string, path: string, opts: { form?: [string, string][]; rawForm?: string; json?: unknown; raw?: string; type?: string; headers?: Record<string, string> } = {}): Promise<PublicAnswer> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined;
  if (opts.form) body = new URLSearchParams(opts.form).toString();
  if (opts.rawForm !== undefined) body = opts.rawForm;
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = 'application/json';
  }
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] = opts.type ?? 'application/json';
  }
  const res = await fetch(ts.url + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // HTML
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
}

/** Declares an incident (drill or not) linked to `components` (name → impact) with a public title. */
export async function linkedIncident(ts: TestServer, page: TestPage, opts: { title: string; publicTitle: string; components: Record<string, string>; drill?: boolean }): Promise<{ id: string; ref: string }> {
  const inc = await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, body: { title: opts.title, severity: 'SEV2', drill: opts.drill ?? false } });
  if (inc.status !== 201) throw new Error(`incident: ${inc.status} ${JSON.stringify(inc.body)}`);
  const components = Object.entries(opts.components).map(([name, status]) => ({ componentId: page.components[name]!, status }));
  const link = await ts.call('PUT', `/api/v1/incidents/${inc.body.ref}/status-page`, { token: ts.admin.token, body: { publicTitle: opts.publicTitle, components } });
  if (link.status !== 200) throw new Error(`link: ${link.status} ${JSON.stringify(link.body)}`);
  return { id: inc.body.id, ref: inc.body.ref };
}

/** Posts a status update to an incident. */
export async function postUpdate(ts: TestServer, ref: string, body: string, audience = 'public', phase?: string): Promise<string> {
  const res = await ts.call('POST', `/api/v1/incidents/${ref}/updates`, { token: ts.admin.token, body: { audience, body, ...(phase ? { phase } : {}) } });
  if (res.status !== 201) throw new Error(`update: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Runs every due job now (as the background worker would). */
export async function drain(ts: TestServer): Promise<number> {
  return drainJobs(ts.server.ctx, new JobQueue(ts.server.ctx.storage), 'test-worker');
}

/** Rows in the tables a refused request must not touch. */
export async function rowCounts(ts: TestServer): Promise<{ subscribers: number; jobs: number; audit: number }> {
  const db = ts.server.ctx.storage.db;
  const n = async (t: 'status_subscribers' | 'jobs' | 'audit_events') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
  return { subscribers: await n('status_subscribers'), jobs: await n('jobs'), audit: await n('audit_events') };
}

/** The first link in a text that contains `fragment`, as a path on the test server (links use config publicUrl). */
export function linkIn(text: string, fragment: string): string {
  const url = text.match(/https?:\/\/[^\s<>"]+/g)?.find((u) => u.includes(fragment));
  if (!url) throw new Error(`no link with ${fragment} in:\n${text}`);
  const u = new URL(url);
  return u.pathname + u.search;
}
