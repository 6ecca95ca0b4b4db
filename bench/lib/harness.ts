import { createServer } from 'node:net';

/** A loopback TCP port that was free a moment ago (for a peer started by a bench). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * What a bench must undo however it ends: a stack of clean-ups run newest first, and a watchdog
 * that runs them and exits when the whole run takes longer than `limitMs`.
 */
export function cleanupStack(name: string, limitMs: number) {
  const log = (m: string) => process.stderr.write(`${name}: ${m}\n`);
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanUp = async (): Promise<void> => {
    while (cleanups.length) await Promise.resolve(cleanups.pop()!()).catch(() => {});
  };
  const watchdog = setTimeout(() => {
    log('gave up (watchdog); cleaning up');
    void cleanUp().finally(() => process.exit(2));
  }, limitMs);
  return { log, cleanups, cleanUp, watchdog };
}
