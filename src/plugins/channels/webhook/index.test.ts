// The webhook channel against a real HTTP receiver on loopback (so with allowPrivate): the signature
// a receiver verifies, which answers are retried, after how long, or given up; and, by default, no
// delivery to loopback, private or link-local addresses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../channel.js';
import { createWebhookChannel, isPrivateAddress, parseRetryAfter, PRIVATE_ADDRESS_PROBLEM, signWebhook, verifyWebhookSignature } from './index.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

const SECRET = 'whsec_test-secret';
const message = { subject: 'x', text: 'x', json: { meta: { documentation: 'd' }, incident: { name: 'Login fails' } } };

describe('webhook channel', () => {
  let server: Server;
  let url: string;
  const received: Received[] = [];
  let answer: (res: ServerResponse) => void = (res) => res.writeHead(204).end();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/status`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const send = (target = { url, secret: SECRET }, id = 'job-1') => createWebhookChannel({ timeoutMs: 300, allowPrivate: true }).send(message, target, id);
  async function failure(p: Promise<unknown>): Promise<DeliveryError> {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }

  it('POSTs the JSON signed with the endpoint secret; the receiver verifies it with the exported helper', async () => {
    answer = (res) => res.writeHead(200).end('ok');
    await send();
    const got = received.at(-1)!;
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('Hikeshi');
    expect(got.headers['x-hikeshi-delivery']).toBe('job-1');
    expect(JSON.parse(got.body)).toEqual(message.json);
    const ts = Number(got.headers['x-hikeshi-timestamp']);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5);
    expect(got.headers['x-hikeshi-signature']).toBe(signWebhook(SECRET, ts, got.body));
    expect(got.headers['x-hikeshi-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, got.headers, got.body)).toEqual({ ok: true });
  });

  it('the helper refuses another secret, a changed body, a replay after five minutes and missing headers', async () => {
    answer = (res) => res.writeHead(204).end();
    await send();
    const got = received.at(-1)!;
    const ts = Number(got.headers['x-hikeshi-timestamp']);
    expect(verifyWebhookSignature('whsec_other', got.headers, got.body)).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifyWebhookSignature(SECRET, got.headers, got.body.replace('Login', 'Logout'))).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifyWebhookSignature(SECRET, got.headers, got.body, (ts + 301) * 1000)).toEqual({ ok: false, reason: 'too old or in the future' });
    expect(verifyWebhookSignature(SECRET, got.headers, got.body, (ts + 299) * 1000)).toEqual({ ok: true });
    expect(verifyWebhookSignature(SECRET, { 'x-hikeshi-timestamp': String(ts) }, got.body)).toEqual({ ok: false, reason: 'missing headers' });
    // A signature list (secret rotation) verifies when any one matches.
    const headers = { ...got.headers, 'x-hikeshi-signature': `v1=${'0'.repeat(64)}, ${got.headers['x-hikeshi-signature']}` };
    expect(verifyWebhookSignature(SECRET, headers, got.body)).toEqual({ ok: true });
  });

  it('503 or 429 with Retry-After is retried no sooner than asked; the same delivery id is sent again', async () => {
    answer = (res) => res.writeHead(503, { 'retry-after': '7' }).end();
    const err = await failure(send(undefined, 'job-retry'));
    expect(err.permanent).toBe(false);
    expect(err.retryAfterMs).toBe(7000);
    answer = (res) => res.writeHead(429, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() }).end();
    const limited = await failure(send(undefined, 'job-retry'));
    expect(limited.retryAfterMs).toBeGreaterThan(55_000);
    expect(received.slice(-2).map((r) => r.headers['x-hikeshi-delivery'])).toEqual(['job-retry', 'job-retry']);
  });

  it('other 4xx are permanent except 408, 409, 425 and 429; 5xx, redirects and timeouts are told apart', async () => {
    for (const [status, permanent] of [[400, true], [401, true], [404, true], [410, true], [408, false], [409, false], [425, false], [429, false], [500, false], [502, false], [503, false]] as const) {
      answer = (res) => res.writeHead(status).end();
      const err = await failure(send());
      expect(err.permanent, String(status)).toBe(permanent);
      expect(err.retryAfterMs).toBeUndefined();
    }
    answer = (res) => res.writeHead(301, { location: 'http://169.254.169.254/' }).end();
    expect((await failure(send())).permanent).toBe(true);
    answer = () => {}; // never answers
    const slow = await failure(send());
    expect(slow.permanent).toBe(false);
    expect(slow.message).toMatch(/no answer within/);
  });

  it('an unreachable receiver is retried; a URL that is not http(s) is refused for good', async () => {
    expect((await failure(send({ url: 'http://127.0.0.1:1/x', secret: SECRET }))).permanent).toBe(false);
    for (const bad of ['ftp://example.com/x', 'file:///etc/passwd', 'not a url', 'https://user:pw@example.com/x']) {
      expect((await failure(send({ url: bad, secret: SECRET }))).permanent, bad).toBe(true);
    }
  });

  it('by default refuses loopback, private and link-local receivers for good, sending nothing', async () => {
    const strict = createWebhookChannel({ timeoutMs: 300 });
    const port = new URL(url).port;
    const count = received.length;
    for (const target of [url, 'http://169.254.169.254/latest/meta-data/', `http://localhost:${port}/hooks/status`, `http://[::ffff:127.0.0.1]:${port}/x`]) {
      const err = await failure(strict.send(message, { url: target, secret: SECRET }, 'job-private'));
      expect(err.permanent, target).toBe(true);
      expect(err.message, target).toContain(PRIVATE_ADDRESS_PROBLEM);
      expect(await strict.targetProblem(target), target).toBe(PRIVATE_ADDRESS_PROBLEM);
    }
    expect(received.length).toBe(count);
    expect(await strict.targetProblem('https://hooks.invalid/x')).toBeNull(); // does not resolve: checked again when sent
    expect(await strict.targetProblem('http://192.0.2.1/x')).toBeNull();
    expect(await strict.targetProblem('ftp://example.com/x')).toBe('must be an http or https URL');
    expect(await createWebhookChannel({ allowPrivate: true }).targetProblem('http://169.254.169.254/')).toBeNull();
  });

  it('knows which addresses are internal, IPv4 inside IPv6 included', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1',
      '::', '::1', 'fd00::1', 'fc00::1', 'fe80::1', 'fe80::1%eth0', '::ffff:10.0.0.1', '::ffff:7f00:1', '64:ff9b::a9fe:a9fe', 'not an address']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '192.0.2.1', '93.184.216.34', '2606:4700::1111', '64:ff9b::808:808', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-23T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
