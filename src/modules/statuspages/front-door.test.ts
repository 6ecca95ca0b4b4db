import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSource } from '../../../test/support/status-snapshots.js';
import { EventBus } from '../../server/event-bus.js';
import { installFrontDoor, parseSimpleHead } from './front-door.js';
import { statusReader } from './public.routes.js';
import { StatusSnapshots } from './snapshots.js';

let snapshots: StatusSnapshots;
let server: Server;
let port: number;
/** What reached the application behind the door: method, URL and body, in order. */
const reachedApp: string[] = [];

beforeAll(async () => {
  snapshots = new StatusSnapshots(new FakeSource(), new EventBus(), pino({ level: 'silent' }), { publicUrl: null, pollMs: 60_000 });
  await snapshots.start();
  const app = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      reachedApp.push(`${req.method} ${req.url} ${body}`.trim());
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`app:${req.method} ${req.url}`);
    });
  };
  server = createServer(statusReader(() => snapshots, app));
  installFrontDoor(server, () => snapshots);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await snapshots.stop();
});

/** Sends the parts (a pause between them), then reads until the server closes or stays quiet. */
function exchange(parts: string[], quietMs = 150): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    let timer: NodeJS.Timeout;
    const done = () => {
      socket.destroy();
      resolve({ text, closed });
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    };
    socket.on('data', (d) => {
      text += d.toString('latin1');
      quiet();
    });
    socket.on('end', () => {
      closed = true;
      clearTimeout(timer);
      done();
    });
    socket.on('error', reject);
    socket.on('connect', async () => {
      for (const [i, part] of parts.entries()) {
        if (i) await new Promise((r) => setTimeout(r, 50));
        socket.write(part);
      }
      quiet();
    });
  });
}

// Answers follow one another without a line break (a body need not end with one).
const statusLines = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
/** The door writes its header names in lower case; Node's server writes "Date:" and "Connection:". */
const byDoor = (text: string) => text.includes('\r\ndate: ');
const byNode = (text: string) => text.includes('\r\nDate: ');
const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: status.local\r\n${extra}\r\n`;

describe('status page front door', () => {
  it('answers a keep-alive reader from memory, with the headers of the application path', async () => {
    const before = snapshots.served;
    const { text, closed } = await exchange([get('/status/acme/') + get('/status/acme/api/v2/summary.json')]);
    expect(statusLines(text)).toEqual([200, 200]);
    expect(byDoor(text) && !byNode(text)).toBe(true);
    expect(closed).toBe(false);
    expect(text).toMatch(/content-type: text\/html/);
    expect(text).toMatch(/content-security-policy: default-src 'none'/);
    expect(text).toMatch(/cache-control: public, max-age=10, stale-while-revalidate=60/);
    expect(text).toMatch(/^date: .+ GMT$/m);
    expect(text).toContain('"page":');
    const html = snapshots.page('acme')!.files.get('index.html')!;
    expect(text).toContain(`content-length: ${html.body.length}\r\n`);
    expect(snapshots.served - before).toBe(2);
    expect(reachedApp).toEqual([]);
  });

  it('answers 304 to a matching If-None-Match, gzip when asked, and HEAD without a body', async () => {
    const file = snapshots.page('acme')!.files.get('api/v2/summary.json')!;
    const { text } = await exchange([
      get('/status/acme/api/v2/summary.json', `If-None-Match: ${file.etag}\r\n`)
      + get('/status/acme/api/v2/summary.json', 'Accept-Encoding: gzip, br\r\n')
      + `HEAD /status/acme/api/v2/summary.json HTTP/1.1\r\nHost: x\r\n\r\n`,
    ]);
    expect(statusLines(text)).toEqual([304, 200, 200]);
    expect(text).toContain('content-encoding: gzip');
    expect(text).toContain(`content-length: ${file.gzip!.length}\r\n`);
    // The HEAD answer ends the text: its length header is there, its body is not.
    expect(text.endsWith(`content-length: ${file.body.length}\r\n\r\n`)).toBe(true);
  });

  it('hands everything it is not sure of to the application, bytes intact and in order', async () => {
    reachedApp.length = 0;
    const cases: [string, string][] = [
      ['a POST', 'POST /status/acme/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'],
      ['a body on a GET', 'GET /status/acme/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'],
      ['chunked framing', 'GET /status/acme/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'],
      ['HTTP/1.0', 'GET /status/acme/ HTTP/1.0\r\nHost: x\r\n\r\n'],
      ['an unknown page', get('/status/nope/')],
      ['another URL', get('/api/v1/health')],
      ['a folded header', 'GET /status/acme/ HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n'],
      ['an absolute-form target', 'GET http://x/status/acme/ HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['an upgrade', 'GET /status/acme/ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
    ];
    for (const [what, request] of cases) {
      const { text } = await exchange([request]);
      expect(text, what).toMatch(/^HTTP\/1\.[01] \d{3}/);
      expect(byDoor(text), what).toBe(false); // Node's parser answered (a folded header: its own 400)
    }
    // What the application's own reader path did not answer from memory reached the routes behind it.
    expect(reachedApp).toEqual(['POST /status/acme/ hello', 'GET /status/nope/', 'GET /api/v1/health', 'GET http://x/status/acme/']);
  });

  it('keeps a connection it handed over: the door answers first, the application after, in order', async () => {
    reachedApp.length = 0;
    const { text } = await exchange([get('/status/acme/api/v2/status.json') + 'POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok' + get('/status/acme/api/v2/status.json')]);
    expect(statusLines(text)).toEqual([200, 200, 200]);
    expect(text.indexOf('"status":')).toBeLessThan(text.indexOf('app:POST /ingest'));
    expect(reachedApp).toEqual(['POST /ingest ok']);
  });

  it('gives a request head split over two packets to the application, which still answers it', async () => {
    reachedApp.length = 0;
    const { text } = await exchange(['GET /status/acme/api/v2/status.json HTTP/1.1\r\nHo', 'st: x\r\n\r\n']);
    expect(statusLines(text)).toEqual([200]);
    expect(text).toContain('"indicator"');
    expect(byNode(text)).toBe(true);
    expect(reachedApp).toEqual([]); // answered from memory by the application's reader path
  });

  it('closes after answering "Connection: close"; a request without Host is the application\'s 400', async () => {
    const close = await exchange([get('/status/acme/', 'Connection: close\r\n')]);
    expect(statusLines(close.text)).toEqual([200]);
    expect(close.text).toContain('connection: close');
    expect(close.closed).toBe(true);
    const noHost = await exchange(['GET /status/acme/ HTTP/1.1\r\n\r\n']);
    expect(statusLines(noHost.text)).toEqual([400]);
  });

  it('lets the server close with readers idle at the door', async () => {
    const extra = createServer(statusReader(() => snapshots, (_req, res) => res.end()));
    installFrontDoor(extra, () => snapshots);
    await new Promise<void>((r) => extra.listen(0, '127.0.0.1', r));
    const socket = connect((extra.address() as AddressInfo).port, '127.0.0.1');
    await new Promise((r) => socket.on('connect', r));
    socket.write(get('/status/acme/'));
    await new Promise((r) => socket.once('data', r));
    const closed = new Promise((r) => extra.close(r));
    extra.closeIdleConnections();
    await closed; // would wait for the keep-alive timeout if the door kept the socket
    expect(socket.destroyed || socket.readableEnded || await new Promise((r) => socket.once('close', () => r(true)))).toBe(true);
  });
});

describe('parseSimpleHead', () => {
  it('reads a plain GET and joins list headers', () => {
    expect(parseSimpleHead('GET /status/a/ HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\naccept-encoding: br')).toEqual({
      method: 'GET', url: '/status/a/', headers: { host: 'x', 'accept-encoding': 'gzip, br' }, close: false,
    });
    expect(parseSimpleHead('HEAD / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close')?.close).toBe(true);
  });

  it.each([
    ['another method', 'DELETE / HTTP/1.1\r\nHost: x'],
    ['no Host', 'GET / HTTP/1.1'],
    ['two Hosts', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: x'],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nBroken'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : x'],
    ['a control character in a value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b'],
    ['a bare LF', 'GET / HTTP/1.1\nHost: x'],
    ['Content-Length: 0', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0'],
    ['Expect', 'GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue'],
    ['HTTP/2 preface', 'PRI * HTTP/2.0'],
  ])('is not sure of %s', (_what, head) => {
    expect(parseSimpleHead(head)).toBeNull();
  });
});
