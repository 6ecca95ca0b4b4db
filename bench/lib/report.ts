import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, release, totalmem } from 'node:os';
import type { Memory } from './server-process.js';
import type { LoadResult } from './scenarios.js';

/** One line of the table: a measurement, or why there is none. */
export interface Row {
  database: 'sqlite' | 'postgres';
  scenario: string;
  connections: number;
  outcome:
    | { kind: 'measured'; load: LoadResult; start: Memory; idle: Memory; after: Memory; warnLines: number }
    | { kind: 'skipped' | 'failed'; reason: string };
}

/** Settings of the run, printed above the table so that results can be compared like with like. */
export interface RunInfo {
  startedAt: Date;
  durationS: number;
  warmupS: number;
  connections: number;
  postgres: string;
  sqlite: string;
  runtime: 'dist' | 'tsx';
  /** 1-minute load average when the run started: other work on the machine skews the numbers. */
  loadAverage: number;
}

const mb = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(0));
const ms = (v: number): string => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
/** Keeps a reason on one table line. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 160);

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'no commit yet';
  }
}

/** The SQLite library the server uses and its version, for the line above a table. */
export function sqliteVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const BetterSqlite = require('better-sqlite3') as new (file: string) => { prepare(sql: string): { get(): unknown }; close(): void };
    const db = new BetterSqlite(':memory:');
    const row = db.prepare('select sqlite_version() as v').get() as { v: string };
    db.close();
    const pkg = require('better-sqlite3/package.json') as { version: string };
    return `SQLite ${row.v} (better-sqlite3 ${pkg.version})`;
  } catch (err) {
    return `SQLite: unknown (${(err as Error).message})`;
  }
}

/** Date, commit, machine, software and how the server ran: the lines every bench's report starts with. */
export function environmentLines(info: Pick<RunInfo, 'startedAt' | 'loadAverage' | 'sqlite' | 'postgres' | 'runtime'>): string[] {
  const cpu = cpus();
  return [
    `- date: ${info.startedAt.toISOString()}; commit: ${gitCommit()}`,
    `- machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform} ${release()} ${process.arch}; load average at start ${info.loadAverage.toFixed(2)}`,
    `- node ${process.version}; ${info.sqlite}; PostgreSQL: ${info.postgres}`,
    `- server: ${info.runtime === 'dist' ? 'compiled with tsc, run by plain node (as `npm start`)' : 'TypeScript through tsx (RSS includes ~50 MB of loader)'}, own process, log level warn`,
  ];
}

/** The machine and software the numbers came from. */
export function machineLines(info: RunInfo): string[] {
  return [
    ...environmentLines(info),
    `- load: autocannon in the harness process, ${info.connections} connections, ${info.warmupS} s warm-up (not counted) + ${info.durationS} s measured per row; a fresh server and database per row`,
  ];
}

/** The markdown table. */
export function tableLines(rows: Row[]): string[] {
  const lines = [
    '| database | scenario | connections | req/s | p50 ms | p99 ms | errors | RSS start MB | RSS after MB |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const o = r.outcome;
    if (o.kind === 'measured') {
      const errors = o.load.non2xx + o.load.socketErrors;
      lines.push(`| ${r.database} | ${r.scenario} | ${r.connections} | ${o.load.reqPerSec.toFixed(0)} | ${ms(o.load.p50Ms)} | ${ms(o.load.p99Ms)} | ${errors} | ${mb(o.start.rssMb)} | ${mb(o.after.rssMb)} |`);
    } else {
      lines.push(`| ${r.database} | ${r.scenario} | ${r.connections} | ${o.kind}: ${cell(o.reason)} | – | – | – | – | – |`);
    }
  }
  return lines;
}

/** Per-row detail that does not fit the table: request count, status codes, idle and peak memory. */
export function detailLines(rows: Row[]): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    const o = r.outcome;
    if (o.kind !== 'measured') continue;
    const codes = Object.entries(o.load.statusCodes).map(([code, n]) => `${code}×${n}`).join(', ') || 'none';
    lines.push(
      `- ${r.database} / ${r.scenario}: ${o.load.requests} requests (${codes}); non-2xx ${o.load.non2xx}, socket errors ${o.load.socketErrors} (timeouts ${o.load.timeouts}); ` +
        `RSS idle before load ${mb(o.idle.rssMb)} MB, peak ${mb(o.after.peakMb)} MB; server warn/error log lines ${o.warnLines}`,
    );
  }
  return lines;
}

/** The whole report as markdown. */
export function renderReport(info: RunInfo, rows: Row[]): string {
  return [
    '# Hikeshi bench',
    '',
    ...machineLines(info),
    '',
    ...tableLines(rows),
    '',
    '<details><summary>per row</summary>',
    '',
    ...detailLines(rows),
    '',
    '</details>',
    '',
  ].join('\n');
}
