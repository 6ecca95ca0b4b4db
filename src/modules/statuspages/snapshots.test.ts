import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../server/event-bus.js';
import { EXPORT_MARKER, writeExport } from './export.js';
import { StatusSnapshots } from './snapshots.js';
import { FakeSource } from '../../../test/support/status-snapshots.js';
import { statusRewrite } from './public.routes.js';

const silent = pino({ level: 'silent' });
let snapshots: StatusSnapshots | null = null;
afterEach(async () => {
  await snapshots?.stop();
  snapshots = null;
});

describe('status page snapshots', () => {
  it('builds once per change and serves the last snapshot, marked stale, while the source is down', async () => {
    const source = new FakeSource();
    snapshots = new StatusSnapshots(source, new EventBus(), silent, { publicUrl: null, pollMs: 60_000 });
    await snapshots.start();
    expect(source.builds).toBe(1);
    const first = snapshots.page('acme')!;
    expect(first.files.get('index.html')!.body.toString()).toContain('Acme Cloud');

    await snapshots.refresh(false); // nothing changed: no rebuild
    expect(source.builds).toBe(1);
    source.rev = 2;
    source.name = 'Acme Cloud 2';
    await snapshots.refresh(false);
    expect(source.builds).toBe(2);
    const etag = snapshots.page('acme')!.files.get('index.html')!.etag;
    expect(etag).not.toBe(first.files.get('index.html')!.etag);

    source.down = true;
    await snapshots.refresh(true);
    const stale = snapshots.page('acme')!;
    expect(stale.staleSince).not.toBeNull();
    expect(stale.files.get('index.html')!.body.toString()).toContain('Acme Cloud 2');
    expect(stale.files.get('api/v2/summary.json')).toBeDefined();

    source.down = false;
    await snapshots.refresh(false);
    expect(snapshots.page('acme')!.staleSince).toBeNull();
  });

  it('gives up on a build the database never answers, marks the pages stale, and recovers', async () => {
    const source = new FakeSource();
    snapshots = new StatusSnapshots(source, new EventBus(), silent, { publicUrl: null, pollMs: 60_000, buildTimeoutMs: 200 });
    await snapshots.start();
    const hang = source.revision.bind(source);
    source.revision = () => new Promise<string>(() => {}); // a black hole: no answer, no error
    await snapshots.refresh(true);
    expect(snapshots.page('acme')!.staleSince).not.toBeNull();
    source.revision = hang;
    await snapshots.refresh(true);
    expect(snapshots.page('acme')!.staleSince).toBeNull();
  });

  it('skips a page deleted while the pages were being built, without calling the rest stale', async () => {
    const source = new FakeSource();
    snapshots = new StatusSnapshots(source, new EventBus(), silent, { publicUrl: null, pollMs: 60_000 });
    await snapshots.start();
    source.pageState = async () => { throw Object.assign(new Error('No status page p1'), { status: 404 }); };
    await snapshots.refresh(true);
    expect(snapshots.page('acme')).toBeNull();
    expect(snapshots.all()).toHaveLength(0);
  });

  it('rebuilds on a local event without waiting for the poll', async () => {
    const source = new FakeSource();
    const bus = new EventBus();
    snapshots = new StatusSnapshots(source, bus, silent, { publicUrl: null, pollMs: 60_000 });
    await snapshots.start();
    bus.publish({ type: 'incident.alerts', at: new Date().toISOString() }); // an alert storm's events change nothing public
    await new Promise((r) => setTimeout(r, 1200));
    expect(source.builds).toBe(1);
    bus.publish({ type: 'statuspage.changed', at: new Date().toISOString() });
    bus.publish({ type: 'incident.update_posted', at: new Date().toISOString() });
    await new Promise((r) => setTimeout(r, 1200)); // builds are at least a second apart
    expect(source.builds).toBe(2); // two events, one rebuild
  });

  it('maps a custom host and the root Statuspage API to the page', async () => {
    const source = new FakeSource();
    snapshots = new StatusSnapshots(source, new EventBus(), silent, { publicUrl: null, pollMs: 60_000 });
    await snapshots.start();
    const s = () => snapshots!;
    expect(statusRewrite(s, { url: '/history.html', headers: { host: 'status.acme.test:8080' }, method: 'GET' })).toBe('/status/acme/history.html');
    // The status host serves its page and nothing else: not the API, not metrics.
    expect(statusRewrite(s, { url: '/api/v1/incidents', headers: { host: 'status.acme.test' }, method: 'GET' })).toBe('/status/acme/api/v1/incidents');
    expect(statusRewrite(s, { url: '/metrics', headers: { host: 'STATUS.acme.test' }, method: 'GET' })).toBe('/status/acme/metrics');
    expect(statusRewrite(s, { url: '/status/acme/unsubscribe?token=x', headers: { host: 'status.acme.test' }, method: 'POST' })).toBe('/status/acme/unsubscribe?token=x');
    expect(statusRewrite(s, { url: '/api/v2/summary.json', headers: { host: 'localhost:8080' }, method: 'GET' })).toBe('/status/acme/api/v2/summary.json');
    expect(statusRewrite(s, { url: '/incidents/INC-1', headers: { host: 'localhost:8080' }, method: 'GET' })).toBe('/incidents/INC-1');
  });
});

describe('static export', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'hikeshi-export-'));
    dirs.push(d);
    return d;
  };

  it('writes every file, replaces an earlier export and removes what is gone', async () => {
    const dir = temp();
    await writeExport(dir, [
      { path: 'index.html', contentType: 'text/html', body: '<p>one</p>' },
      { path: 'incidents/a.html', contentType: 'text/html', body: 'a' },
    ], { slug: 'acme', builtAt: 'x' });
    expect(existsSync(join(dir, EXPORT_MARKER))).toBe(true);
    const { removed } = await writeExport(dir, [{ path: 'index.html', contentType: 'text/html', body: '<p>two</p>' }], { slug: 'acme', builtAt: 'y' });
    expect(removed).toBe(1);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('<p>two</p>');
    expect(existsSync(join(dir, 'incidents/a.html'))).toBe(false);
    expect(readdirSync(dir).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('refuses a directory that holds other files, and paths that leave the directory', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'thesis.tex'), 'precious');
    await expect(writeExport(dir, [{ path: 'index.html', contentType: 'text/html', body: 'x' }], { slug: 'acme', builtAt: 'x' })).rejects.toThrow(/not empty/);
    expect(readFileSync(join(dir, 'thesis.tex'), 'utf8')).toBe('precious');
    await expect(writeExport(temp(), [{ path: '../evil.html', contentType: 'text/html', body: 'x' }], { slug: 'acme', builtAt: 'x' })).rejects.toThrow(/outside/);
  });
});
