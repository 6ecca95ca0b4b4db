import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './context.js';
import type { DomainEvent } from './event-bus.js';

const HEARTBEAT_MS = 25_000;

/** Streams bus events that pass `filter` as server-sent events until the client goes away. */
export function stream(req: FastifyRequest, reply: FastifyReply, ctx: AppContext, filter: (e: DomainEvent) => boolean): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // Tell the browser how soon to reconnect, and open the stream at once.
  res.write('retry: 2000\n: connected\n\n');
  const unsubscribe = ctx.bus.subscribe((e) => {
    if (filter(e)) res.write(`event: message\ndata: ${JSON.stringify(e)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.raw.on('close', stop);
  res.on('error', stop);
}

