// Parsing ingest requests beside the event loop. During a storm JSON.parse, the source plugin and
// serialising the alerts for the inbox were about a third of the event loop's time; here worker
// threads do that for large bodies while the event loop goes on reading requests and answering.
// Everything a worker does is pure (parse.ts), so when a worker is missing, starting, dies or fails,
// the request is parsed on the event loop instead: a worker can make ingest faster, never lose a
// request or change an answer.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { SourceContext, SourceId, SourcePlugin } from '../../plugins/source.js';
import { parseRequest, type ParsedRequest, type RawRequest } from './parse.js';

/** Smaller bodies are parsed on the event loop: the trip to a worker would cost more than it saves. */
export const MIN_WORKER_BODY_BYTES = 2048;
/** Longest wait before starting a worker again after one failed to start. */
const MAX_RESTART_DELAY_MS = 60_000;
/**
 * A worker with this many requests waiting is busy: the next is parsed on the event loop instead
 * when the loop has time to spare (busy under LOOP_SPARE over its last window, see loopBusy). At ten
 * senders of 50-alert requests the loop was idle half the time while requests queued for the one
 * worker of a two-core machine (3.6 ms waiting for a 0.4 ms parse); sharing took 13% more alerts/s
 * at 10 senders and 14% more at 64. A loop busier than that leaves the workers everything.
 */
const WORKER_QUEUE = 2;
const LOOP_SPARE = 0.75;
const LOOP_WINDOW_MS = 100;
/** A worker that has not answered a request by then is stuck: it is replaced and the request fails. */
const JOB_TIMEOUT_MS = 10_000;

/** One request for a worker. */
export interface ParseJob {
  id: number;
  source: SourceId;
  request: RawRequest;
  config: unknown;
  integrationId: string;
}

/** A worker's answer: what the request became, or the error parsing threw (the server parses it again). */
export type ParseAnswer = { id: number; parsed: ParsedRequest } | { id: number; error: string };

/** The default number of parse workers: one fewer than the cores, at most 4. */
export function defaultParseThreads(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

/** How a worker is started: the compiled file, or the TypeScript source through tsx (dev, tests). */
function spawnWorker(snsCertHostPattern: string): Worker {
  const workerData = { snsCertHostPattern };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url), { workerData });
  // tsx's ESM API, found from its package.json (import.meta.resolve is missing in the test runner).
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!;
  const tsx = pathToFileURL(join(dirname(tsxPackage), exported.import.default)).href;
  const file = new URL('./parse-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); })`, { eval: true, workerData });
}

/** What a worker's job came to: the parsed request, null (parse it on the event loop), or too slow. */
type JobResult = ParsedRequest | null | typeof TIMED_OUT;
const TIMED_OUT = Symbol('timed out');

class ParseWorker {
  ready = false;
  readonly pending = new Map<number, (answer: JobResult) => void>();

  constructor(readonly worker: Worker) {}

  run(job: ParseJob, timeoutMs: number): Promise<JobResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // A parse that runs this long is a plugin bug (bodies are at most 512 KB): the worker is
        // replaced, its other requests go to the event loop, and this one gets a 500 rather than
        // a chance to stop the event loop too.
        this.pending.delete(job.id);
        resolve(TIMED_OUT);
        void this.worker.terminate();
      }, timeoutMs);
      this.pending.set(job.id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      try {
        this.worker.postMessage(job);
      } catch {
        // Something in the job cannot cross threads: parse it here.
        this.pending.delete(job.id);
        clearTimeout(timer);
        resolve(null);
      }
    });
  }

  /** Every request it had: null, so the server parses them itself. */
  abandon(): void {
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
}

export interface ParsePoolOptions {
  /** Worker threads; 0 parses everything on the event loop. */
  threads: number;
  /** The SNS certificate host pattern the server's sources were built with. */
  snsCertHostPattern: string;
  log: Logger;
  /** How long a worker may take over one request (tests shorten it). */
  jobTimeoutMs?: number;
  /** The event loop has time for a busy worker's next request while busy under this share (LOOP_SPARE; tests: 0 never, 2 always). */
  loopSpare?: number;
}

/** Parses ingest requests on worker threads (started when first needed), or on the event loop. */
export class ParsePool {
  private readonly workers: ParseWorker[] = [];
  private nextId = 0;
  private closed = false;
  /** Consecutive workers that died before they were ready, and when the next may start. */
  private failedStarts = 0;
  private startAfter = 0;
  /** Requests parsed on a worker and on the event loop (for /metrics and tests). */
  readonly stats = { onWorkers: 0, onEventLoop: 0 };
  /** How busy the event loop was over the last window. */
  private loop = { mark: performance.eventLoopUtilization(), at: performance.now(), busy: 1 };

  constructor(private readonly options: ParsePoolOptions) {}

  /**
   * What the request becomes. `req.body` set means the JSON is parsed already (the key was in it)
   * and the request stays on the event loop, as do small bodies and plugins that need the server
   * (`needsServer`; any other that calls ctx.fetchText is sent back by the worker).
   */
  async parse(plugin: SourcePlugin<unknown>, req: RawRequest, ctx: SourceContext<unknown>): Promise<ParsedRequest> {
    if (req.body === undefined && req.rawBody.length >= MIN_WORKER_BODY_BYTES && !plugin.needsServer) {
      const worker = this.pick();
      if (worker && (worker.pending.size < WORKER_QUEUE || this.loopBusy() >= (this.options.loopSpare ?? LOOP_SPARE))) {
        const parsed = await worker.run(
          { id: ++this.nextId, source: plugin.id, request: req, config: ctx.config, integrationId: ctx.integrationId },
          this.options.jobTimeoutMs ?? JOB_TIMEOUT_MS,
        );
        if (parsed === TIMED_OUT) throw new Error(`${plugin.id}: parsing a ${req.rawBody.length}-byte request took longer than ${this.options.jobTimeoutMs ?? JOB_TIMEOUT_MS} ms`);
        if (parsed && parsed.kind !== 'server-thread') {
          this.stats.onWorkers++;
          return parsed;
        }
      }
    }
    this.stats.onEventLoop++;
    const parsed = await parseRequest(plugin, req, ctx);
    if (parsed.kind === 'server-thread') throw new Error(`${plugin.id}: parse asked for the server thread while on it`);
    return parsed;
  }

  /**
   * The event loop's utilisation over the last complete window: from one sample to the next, at
   * least LOOP_WINDOW_MS apart (so after an idle spell the first window of a burst reads as idle,
   * and the loop shares for at most that long before the burst shows).
   */
  private loopBusy(): number {
    const now = performance.now();
    if (now - this.loop.at >= LOOP_WINDOW_MS) {
      const mark = performance.eventLoopUtilization();
      this.loop = { mark, at: now, busy: performance.eventLoopUtilization(mark, this.loop.mark).utilization };
    }
    return this.loop.busy;
  }

  /** The ready worker with the least to do; starts the workers not running yet (they serve later requests). */
  private pick(): ParseWorker | null {
    if (this.closed || this.options.threads <= 0) return null;
    if (this.workers.length < this.options.threads && Date.now() >= this.startAfter) this.start();
    let best: ParseWorker | null = null;
    for (const w of this.workers) if (w.ready && (!best || w.pending.size < best.pending.size)) best = w;
    return best;
  }

  private start(): void {
    let worker: Worker;
    try {
      worker = spawnWorker(this.options.snsCertHostPattern);
    } catch (err) {
      this.failed(err);
      return;
    }
    const w = new ParseWorker(worker);
    this.workers.push(w);
    worker.unref();
    worker.on('message', (m: ParseAnswer | { ready: true }) => {
      if ('ready' in m) {
        w.ready = true;
        this.failedStarts = 0;
        return;
      }
      const resolve = w.pending.get(m.id);
      if (!resolve) return;
      w.pending.delete(m.id);
      if ('error' in m) {
        // A bug in a plugin: parsed again on the event loop, where the error is answered and logged as any other.
        this.options.log.warn({ error: m.error }, 'ingest parse worker: parsing failed; parsing on the event loop');
        resolve(null);
      } else {
        resolve(m.parsed);
      }
    });
    // An answer the server cannot read: every request of that worker is parsed here instead.
    worker.on('messageerror', (err) => {
      this.options.log.warn({ err }, 'ingest parse worker: an answer could not be read; parsing on the event loop');
      w.abandon();
    });
    worker.on('error', (err) => {
      if (!this.closed) this.options.log.warn({ err }, 'ingest parse worker failed; its requests are parsed on the event loop');
    });
    worker.on('exit', () => {
      const i = this.workers.indexOf(w);
      if (i >= 0) this.workers.splice(i, 1);
      if (!w.ready) this.failed(null);
      w.abandon();
    });
  }

  private failed(err: unknown): void {
    this.failedStarts++;
    this.startAfter = Date.now() + Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (this.failedStarts - 1));
    if (err && !this.closed) this.options.log.warn({ err }, 'ingest parse worker could not start; parsing on the event loop');
  }

  /** Workers running and ready. */
  get ready(): number {
    return this.workers.filter((w) => w.ready).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
