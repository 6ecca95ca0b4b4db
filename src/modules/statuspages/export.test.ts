// The second copy (principle 14): `hikeshi statuspage export` and the periodic export write the
// same files the live server serves, and the copy follows deletions.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { runCli } from '../../cli/main.js';

async function hikeshi(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const out = { text: '', write: (c: string) => ((out.text += c), true) };
  const err = { text: '', write: (c: string) => ((err.text += c), true) };
  const code = await runCli(args, { stdout: out, stderr: err, env, stdin: Readable.from([]) });
  return { code, out: out.text, err: err.text };
}

describe('status page export', () => {
  let t: TestServer;
  let root: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'hikeshi-export-test-'));
    t = await startTestServer('sqlite', { statusExportDir: join(root, 'mirror') });
    env = { HIKESHI_URL: t.url, HIKESHI_TOKEN: t.admin.token, HIKESHI_CONFIG_DIR: join(root, 'cfg') };
  }, 30_000);
  afterAll(async () => {
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('has nothing to export before a page exists', async () => {
    const r = await hikeshi(['statuspage', 'export', '--out', join(root, 'none')], env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no status pages yet/);
  });

  it('answers readers from memory: ETag per encoding, 304, caching, its own strict headers, 404 as a problem', async () => {
    const token = t.admin.token;
    expect((await t.call('POST', '/api/v1/status-pages', { token, body: { slug: 'cache', name: 'Cache Cloud' } })).status).toBe(201);
    await t.server.ctx.statusSnapshots.refresh(true);
    const plain = await fetch(`${t.url}/status/cache/`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=10, stale-while-revalidate=60, stale-if-error=86400');
    expect(plain.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(plain.headers.get('set-cookie')).toBeNull();
    const etag = plain.headers.get('etag')!;
    const again = await fetch(`${t.url}/status/cache/`, { headers: { 'accept-encoding': 'identity', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const zipped = await fetch(`${t.url}/status/cache/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('etag')).toMatch(/-gz"$/);
    expect(await zipped.text()).toContain('Cache Cloud');
    const json = await fetch(`${t.url}/status/cache/api/v2/summary.json`);
    expect(json.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await json.json()) as { page: { name: string } }).page.name).toBe('Cache Cloud');
    const head = await fetch(`${t.url}/status/cache/`, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');
    expect((await fetch(`${t.url}/api/v2/status.json`)).status).toBe(200); // the main host's Statuspage API: the first page
    expect((await t.call('GET', '/metrics')).body).toMatch(/hikeshi_statuspage_requests_total [1-9]/);
    const missing = await fetch(`${t.url}/status/cache/nope.html`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${t.url}/status/cache`, { redirect: 'manual' })).headers.get('location')).toBe('/status/cache/');
    expect((await t.call('DELETE', '/api/v1/status-pages/cache', { token })).status).toBe(204);
  });

  it('writes the files the server serves, refuses a foreign directory, and keeps a mirror that follows deletes', async () => {
    const token = t.admin.token;
    expect((await t.call('POST', '/api/v1/status-pages', { token, body: { slug: 'acme', name: 'Acme Cloud' } })).status).toBe(201);
    expect((await t.call('POST', '/api/v1/status-pages/acme/components', { token, body: { name: 'Checkout' } })).status).toBe(201);
    await t.server.ctx.statusSnapshots.refresh(true);

    const out = join(root, 'site');
    const r = await hikeshi(['statuspage', 'export', '--out', out], env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^acme: \d+ files written to /);
    const live = await fetch(`${t.url}/status/acme/api/v2/summary.json`);
    expect(readFileSync(join(out, 'api/v2/summary.json'), 'utf8')).toBe(await live.text());
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Checkout');
    expect(existsSync(join(out, 'history.atom'))).toBe(true);

    writeFileSync(join(root, 'thesis.tex'), 'precious');
    const refused = await hikeshi(['statuspage', 'export', '--out', root], env);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/not empty/);
    expect(readFileSync(join(root, 'thesis.tex'), 'utf8')).toBe('precious');

    expect((await hikeshi(['statuspage', 'export', '--out', out, '--page', 'nope'], env)).code).toBe(1);

    // The periodic mirror has the page, then loses it when the page is deleted.
    const mirror = join(root, 'mirror', 'acme');
    expect(readFileSync(join(mirror, 'index.html'), 'utf8')).toContain('Checkout');
    expect((await t.call('DELETE', '/api/v1/status-pages/acme', { token })).status).toBe(204);
    await t.server.ctx.statusSnapshots.refresh(true);
    expect(existsSync(mirror)).toBe(false);
  }, 30_000);
});
