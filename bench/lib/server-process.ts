import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Launch } from './compile-server.js';

/** What the harness tells bench/server-child.ts (as JSON in HIKESHI_BENCH_CHILD). */
export interface ChildSettings {
  dataDir: string;
  /** Unset: embedded SQLite in dataDir. */
  databaseUrl?: string;
  /** More configuration (JSON values only), e.g. webhookAllowPrivate for a receiver on loopback. */
  config?: Record<string, unknown>;
}

/** What bench/server-child.ts answers over IPC. */
export type ChildMessage =
  | { type: 'ready'; url: string; setupUrl: string | null; pid: number }
  | { type: 'failed'; message: string };

/** Resident and peak memory of a process, in MiB; null where /proc is not available. */
export interface Memory {
  rssMb: number | null;
  peakMb: number | null;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_LINES = 40;

/** Reads VmRSS and VmHWM of a process from /proc (Linux). */
export function readMemory(pid: number): Memory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number | null => {
      const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
      return m?.[1] ? Number(m[1]) / 1024 : null;
    };
    return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
  } catch {
    return { rssMb: null, peakMb: null };
  }
}

/** The last lines a child wrote, and how many of them were warnings or errors. */
class ChildLog {
  readonly lines: string[] = [];
  /** Log lines at warn level or above (pino levels 40+). */
  warnLines = 0;

  collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      this.lines.push(line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level && Number(level) >= 40) this.warnLines++;
    }
  };

  text(): string {
    return this.lines.join('\n');
  }
}

/** A Hikeshi server running in a child process. */
export class ServerProcess {
  private exited: { code: number | null; signal: string | null } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    private readonly log: ChildLog,
    readonly url: string,
    readonly setupUrl: string | null,
    readonly pid: number,
  ) {
    child.once('exit', (code, signal) => {
      this.exited = { code, signal };
    });
  }

  /**
   * Starts bench/server-child (compiled, or through tsx) and waits until it listens. The child
   * runs in `cwd`, a temp directory, so a stray hikeshi.yaml in the developer's working
   * directory cannot change the configuration.
   */
  static async start(launch: Launch, settings: ChildSettings, cwd: string): Promise<ServerProcess> {
    const child = spawn(process.execPath, launch.args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, HIKESHI_BENCH_CHILD: JSON.stringify(settings), TSX_TSCONFIG_PATH: `${REPO_ROOT}tsconfig.json` },
    });
    const log = new ChildLog();
    child.stdout?.on('data', log.collect);
    child.stderr?.on('data', log.collect);

    const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not start within ${READY_TIMEOUT_MS / 1000} s\n${log.text()}`));
      }, READY_TIMEOUT_MS);
      child.on('message', (message: ChildMessage) => {
        clearTimeout(timer);
        if (message.type === 'ready') resolve(message);
        else reject(new Error(`server failed to start: ${message.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited before it was ready (code ${code}, signal ${signal})\n${log.text()}`));
      });
    });
    if (new URL(ready.url).hostname !== '127.0.0.1') {
      child.kill('SIGKILL');
      throw new Error(`refusing to load ${ready.url}: the bench only sends traffic to 127.0.0.1`);
    }
    return new ServerProcess(child, log, ready.url, ready.setupUrl, ready.pid);
  }

  /** Log lines at warn level or above so far. */
  get warnLines(): number {
    return this.log.warnLines;
  }

  /** The server's memory now. */
  memory(): Memory {
    return readMemory(this.pid);
  }

  /** Throws if the server died (e.g. crashed under load), with its last output. */
  assertAlive(): void {
    if (this.exited) {
      throw new Error(`server exited during the run (code ${this.exited.code}, signal ${this.exited.signal})\n${this.log.text()}`);
    }
  }

  /** The last lines the server wrote (for error reports). */
  logTail(): string {
    return this.log.text();
  }

  /** Asks the server to close (finishing in-flight work), then kills it if it does not. */
  async stop(): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send('stop');
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Last resort on the way out (signal handlers): no waiting. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
