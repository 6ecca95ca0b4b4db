// The public status page's front door: during an outage the status page is the busiest URL on the
// server, and most of its readers send one plain GET after another on a keep-alive connection. Such
// requests are answered here, straight from the socket, before Node's HTTP machinery builds request
// and response objects for them (that machinery costs more than the answer itself: a bare Node
// server tops out at about 60% of nginx's rate for the same files, this door at about 90%).
//
// The rule that keeps it safe: this door answers only what it is sure of, and gives everything else,
// with every byte it has read, to Node's HTTP server, which then owns the connection for good. It
// answers a request only when the whole request head is in hand, it is `GET` or `HEAD` of an
// origin-form path over HTTP/1.1, has a Host, carries no body-framing or upgrade header, every
// header line is well formed, and the path is a file of a page in memory. Anything else (a POST, a
// split packet, HTTP/1.0, a miss, a stray byte) is handed over unread, so the application (and its
// parser, limits and timeouts) sees exactly what the client sent.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { type ReaderRequest, readerAnswer } from './public.routes.js';
import type { StatusSnapshots } from './snapshots.js';

const HEAD_END = Buffer.from('\r\n\r\n');
/** Node's own default limit for a request head; longer heads go to Node, which answers 431. */
const MAX_HEAD = 16 * 1024;
/** A field name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A field value may hold visible characters, spaces and tabs; anything else goes to Node's parser. */
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
/** Headers that frame a body or change the protocol: such a request is never simple. */
const NOT_SIMPLE = new Set(['content-length', 'transfer-encoding', 'upgrade', 'expect', 'http2-settings']);
/** Headers whose repeats a server joins with commas; any other repeated header goes to Node. */
const LISTS = new Set(['accept-encoding', 'if-none-match', 'connection', 'accept', 'accept-language', 'cache-control', 'cookie']);

/** A request head this door is sure of, or null. */
export function parseSimpleHead(head: string): (ReaderRequest & { close: boolean }) | null {
  const lines = head.split('\r\n');
  const m = /^(GET|HEAD) (\/[^\s]*) HTTP\/1\.1$/.exec(lines[0]!);
  if (!m) return null;
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return null;
    const lower = name.toLowerCase();
    if (NOT_SIMPLE.has(lower)) return null;
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (BAD_VALUE.test(value)) return null;
    if (lower in headers) {
      if (!LISTS.has(lower)) return null;
      headers[lower] += `, ${value}`;
    } else {
      headers[lower] = value;
    }
  }
  if (!headers.host) return null;
  const connection = (headers.connection ?? '').toLowerCase();
  if (connection.includes('upgrade')) return null;
  return { method: m[1] as 'GET' | 'HEAD', url: m[2]!, headers, close: /(^|,)\s*close\s*(,|$)/.test(connection) };
}

const REASON: Record<number, string> = { 200: 'OK', 304: 'Not Modified' };

/** Header lines per headers object (those are built once per snapshot file and encoding). */
const blocks = new WeakMap<Record<string, string>, string>();
function headerBlock(headers: Record<string, string>): string {
  let block = blocks.get(headers);
  if (block === undefined) {
    block = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    blocks.set(headers, block);
  }
  return block;
}

/** The Date header, rebuilt at most once a second (as Node's own server does). */
let date = '';
let dateUntil = 0;
function httpDate(): string {
  const now = Date.now();
  if (now >= dateUntil) {
    date = new Date(now).toUTCString();
    dateUntil = now - (now % 1000) + 1000;
  }
  return date;
}

/**
 * Puts the door in front of `server`: each new connection is read here first, and handed to the
 * server's own connection handling at the first request the door does not answer.
 */
export function installFrontDoor(server: Server, snapshots: () => StatusSnapshots | undefined): void {
  const handOff = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  /** Connections still at the door; Node's server does not know them yet, so closing must. */
  const atDoor = new Set<Socket>();

  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    for (const s of atDoor) s.destroy();
    closeAll();
  };
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    // Between two requests every connection at the door is idle: it has answered all it read.
    for (const s of atDoor) s.destroy();
    closeIdle();
  };

  server.on('connection', (socket: Socket) => {
    atDoor.add(socket);
    const keepAliveMs = server.keepAliveTimeout;
    const onTimeout = () => socket.destroy();
    const onError = () => socket.destroy();
    const onClose = () => atDoor.delete(socket);

    const handOver = (unread: Buffer) => {
      socket.pause();
      socket.removeListener('data', onData);
      socket.removeListener('timeout', onTimeout);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      socket.setTimeout(0);
      atDoor.delete(socket);
      if (unread.length) socket.unshift(unread);
      for (const listener of handOff) listener.call(server, socket);
      socket.resume();
    };

    const onData = (chunk: Buffer) => {
      const s = snapshots();
      if (!s) {
        handOver(chunk);
        return;
      }
      let pos = 0;
      socket.cork();
      try {
        while (pos < chunk.length) {
          const end = chunk.indexOf(HEAD_END, pos);
          const req = end >= 0 && end - pos <= MAX_HEAD ? parseSimpleHead(chunk.toString('latin1', pos, end)) : null;
          const found = req ? readerAnswer(s, req) : null;
          if (!req || !found) {
            handOver(chunk.subarray(pos));
            return;
          }
          const { status, headers, body } = found;
          let head = `HTTP/1.1 ${status} ${REASON[status]}\r\n${headerBlock(headers)}date: ${httpDate()}\r\n`;
          head += req.close ? 'connection: close\r\n' : `connection: keep-alive\r\nkeep-alive: timeout=${Math.floor(keepAliveMs / 1000)}\r\n`;
          if (status === 200) head += `content-length: ${body!.length}\r\n`;
          socket.write(`${head}\r\n`, 'latin1');
          if (body && req.method === 'GET') socket.write(body);
          s.served++;
          pos = end + HEAD_END.length;
          if (req.close) {
            socket.removeListener('data', onData);
            socket.end();
            return;
          }
        }
      } finally {
        socket.uncork();
      }
      // A reader that asks faster than it reads its answers waits until they are on their way.
      if (socket.writableNeedDrain) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    };

    socket.setNoDelay(true);
    socket.setTimeout(keepAliveMs, onTimeout);
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
