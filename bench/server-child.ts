/**
 * The server under test, run as its own process so that its memory (RSS) is not mixed with the
 * load generator's. Started by bench/lib/server-process.ts as
 * `node --import tsx bench/server-child.ts` with an IPC channel; settings come in HIKESHI_BENCH_CHILD
 * (JSON), the answer goes back over IPC as one `ready` message.
 */
import { loadConfig } from '../src/config/config.js';
import { startServer } from '../src/server/serve.js';
import type { ChildMessage, ChildSettings } from './lib/server-process.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/server-child.ts must be started with an IPC channel (by bench/run.ts)');
  const settings = JSON.parse(process.env.HIKESHI_BENCH_CHILD ?? '{}') as ChildSettings;

  // env: {} so that a developer's HIKESHI_* variables cannot change what is measured.
  const config = loadConfig({
    env: {},
    overrides: {
      host: '127.0.0.1',
      port: 0,
      dataDir: settings.dataDir,
      databaseUrl: settings.databaseUrl,
      logLevel: 'warn',
      // The load comes from one token; the limiter must not be what gets measured.
      rateLimitPerMinute: 10_000_000,
      ...settings.config,
    },
  });
  const server = await startServer(config);

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await server.close();
    } finally {
      process.exit(code);
    }
  };
  process.on('message', (message: unknown) => {
    if (message === 'stop') void stop(0);
  });
  // The harness went away (finished, crashed or was killed): never outlive it.
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));

  await send({ type: 'ready', url: server.url, setupUrl: server.setupUrl, pid: process.pid });
}

main().catch(async (err: unknown) => {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`${message}\n`);
  await send({ type: 'failed', message });
  process.exit(1);
});
