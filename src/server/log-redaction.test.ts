// Integration keys travel in URLs for senders that can do nothing else (SNS); logs must not keep them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createLogger, redactKeyParam, startServer } from './serve.js';

it('redacts ?key= and ?token= and calendar feed paths in logged URLs, and the Authorization header', async () => {
  expect(redactKeyParam('/ingest/cloudwatch-sns?key=abc&x=1')).toBe('/ingest/cloudwatch-sns?key=[redacted]&x=1');
  expect(redactKeyParam('/status/acme/unsubscribe?token=s1.abc')).toBe('/status/acme/unsubscribe?token=[redacted]');
  expect(redactKeyParam('/calendar/hkc_secret.ics')).toBe('/calendar/[redacted]');
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const server = await startServer(loadConfig({ env: {}, overrides: { port: 0, dataDir: mkdtempSync(join(tmpdir(), 'hikeshi-log-')) } }), { log: createLogger('info', sink) });
  try {
    await fetch(`${server.url}/ingest/webhook?key=SECRET-IN-URL`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await fetch(`${server.url}/api/v1/incidents?key=SECRET-IN-URL`, { headers: { authorization: 'Bearer SECRET-IN-HEADER' } });
  } finally {
    await server.close();
  }
  expect(lines.some((l) => l.includes('key=[redacted]'))).toBe(true);
  expect(lines.join('')).not.toMatch(/SECRET-IN-(URL|HEADER)/);
});
