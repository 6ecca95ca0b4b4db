/**
 * `npm run bench`: starts Hikeshi servers on 127.0.0.1 (SQLite, then PostgreSQL), drives each
 * scenario with autocannon and prints a markdown table (also written to bench/results/latest.md).
 * Bounded: a fresh server per row, a fixed duration per row, and a watchdog over the whole run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareIncident, seedWarRoom } from './lib/api-client.js';
import { compileServer, tsxLaunch, type Launch } from './lib/compile-server.js';
import { renderReport, type Row, type RunInfo, sqliteVersion } from './lib/report.js';
import { SCENARIOS, runLoad, type Scenario } from './lib/scenarios.js';
import { createScratchDatabase, dropStaleDatabases, probePostgres, where, type ScratchDatabase } from './lib/scratch-database.js';
import { ServerProcess } from './lib/server-process.js';

const USAGE = `Usage: npm run bench -- [options]

  --duration S       measured seconds per row (default 12)
  --warmup S         unmeasured warm-up seconds per row (default 3; 0 for none)
  --connections N    concurrent connections (default 10)
  --database D       sqlite | postgres | all (default all)
  --scenario S       writes | reads | all (default all)
  --runtime R        dist: compile with tsc first and run JavaScript, like npm start (default)
                     tsx: run the TypeScript through tsx (no compile; RSS includes the loader)
  --pg-url URL       PostgreSQL to create the scratch databases on
                     (default $HIKESHI_BENCH_PG or postgres://postgres@127.0.0.1:5432/postgres)
  --out FILE         where to write the markdown (default bench/results/latest.md; .json beside it)
  -h, --help`;

type Database = Row['database'];

interface Options {
  durationS: number;
  warmupS: number;
  connections: number;
  databases: Database[];
  scenarios: Scenario[];
  runtime: Launch['runtime'];
  pgUrl: string;
  out: string;
}

function positive(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      database: { type: 'string', default: 'all' },
      scenario: { type: 'string', default: 'all' },
      runtime: { type: 'string', default: 'dist' },
      'pg-url': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return null;
  const databases: Database[] = values.database === 'all' ? ['sqlite', 'postgres'] : values.database === 'sqlite' || values.database === 'postgres' ? [values.database] : [];
  if (databases.length === 0) throw new Error(`--database: expected sqlite, postgres or all, got ${JSON.stringify(values.database)}`);
  const scenarios = SCENARIOS.filter((s) => values.scenario === 'all' || values.scenario === s.id);
  if (scenarios.length === 0) throw new Error(`--scenario: expected ${SCENARIOS.map((s) => s.id).join(', ')} or all, got ${JSON.stringify(values.scenario)}`);
  const runtime = values.runtime;
  if (runtime !== 'dist' && runtime !== 'tsx') throw new Error(`--runtime: expected dist or tsx, got ${JSON.stringify(runtime)}`);
  const pgUrl = values['pg-url'] ?? process.env.HIKESHI_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!/^postgres(ql)?:\/\//.test(pgUrl)) throw new Error(`--pg-url: expected postgres://…, got ${JSON.stringify(pgUrl)}`);
  return {
    durationS: positive('duration', values.duration, 12, 1, 600),
    warmupS: positive('warmup', values.warmup, 3, 0, 60),
    connections: positive('connections', values.connections, 10, 1, 1000),
    databases,
    scenarios,
    runtime,
    pgUrl,
    out: values.out ?? fileURLToPath(new URL('./results/latest.md', import.meta.url)),
  };
}

/** Things to undo on the way out, newest first: servers, scratch databases, temp directories. */
const cleanups: Array<{ label: string; run: () => Promise<void> | void; kill?: () => void }> = [];

/** Undoes everything registered after the first `keep` entries. */
async function cleanUp(keep = 0): Promise<void> {
  while (cleanups.length > keep) {
    const c = cleanups.pop();
    if (!c) break;
    try {
      await c.run();
    } catch (err) {
      process.stderr.write(`bench: cleaning up ${c.label} failed: ${(err as Error).message}\n`);
    }
  }
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One row: a fresh server and database, setup through the API, warm-up, measured load. */
async function measure(launch: Launch, database: Database, scenario: Scenario, opts: Options, pgDatabaseName: string): Promise<Row> {
  const row = (outcome: Row['outcome']): Row => ({ database, scenario: scenario.title, connections: opts.connections, outcome });
  const workDir = mkdtempSync(join(tmpdir(), `hikeshi-bench-${database}-`));
  cleanups.push({ label: workDir, run: () => rmSync(workDir, { recursive: true, force: true }) });
  let scratch: ScratchDatabase | undefined;
  if (database === 'postgres') {
    scratch = await createScratchDatabase(opts.pgUrl, pgDatabaseName);
    const s = scratch;
    cleanups.push({ label: `database ${s.name}`, run: () => s.drop() });
  }
  const server = await ServerProcess.start(launch, { dataDir: workDir, databaseUrl: scratch?.url }, workDir);
  cleanups.push({ label: `server pid ${server.pid}`, run: () => server.stop(), kill: () => server.kill() });
  try {
    const start = server.memory();
    const fixture = await prepareIncident(server.url, server.setupUrl);
    if (scenario.seeded) await seedWarRoom(fixture);
    await sleep(1000);
    const idle = server.memory();
    if (opts.warmupS > 0) await runLoad(fixture, scenario, opts.connections, opts.warmupS);
    server.assertAlive();
    const load = await runLoad(fixture, scenario, opts.connections, opts.durationS);
    server.assertAlive();
    const after = server.memory();
    return row({ kind: 'measured', load, start, idle, after, warnLines: server.warnLines });
  } catch (err) {
    const tail = server.logTail().split('\n').slice(-5).join('\n');
    if (tail) log(`last server output (${database} / ${scenario.title}):\n${tail}`);
    throw err;
  }
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  if (!opts) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const rows: Row[] = [];
  const info: RunInfo = { startedAt: new Date(), durationS: opts.durationS, warmupS: opts.warmupS, connections: opts.connections, postgres: 'not run', sqlite: sqliteVersion(), runtime: opts.runtime, loadAverage: loadavg()[0] ?? 0 };
  const plannedRows = opts.databases.length * opts.scenarios.length;

  // Watchdog: whatever hangs (a server that never answers, a database that never drops), the
  // bench ends. Generous: setup, warm-up, load and teardown per row, plus slack.
  const budgetMs = plannedRows * (opts.warmupS + opts.durationS + 60) * 1000 + 90_000;
  const watchdog = setTimeout(() => {
    log(`gave up after ${Math.round(budgetMs / 1000)} s; stopping (rows so far below)`);
    process.stdout.write(`\n${renderReport(info, rows)}\n`);
    for (const c of cleanups) c.kill?.();
    void cleanUp().finally(() => process.exit(2));
  }, budgetMs);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping servers and dropping scratch databases`);
      void cleanUp().finally(() => process.exit(code));
    });
  }

  let launch: Launch;
  if (opts.runtime === 'dist') {
    const t0 = Date.now();
    launch = await compileServer(fileURLToPath(new URL('./results/.server-build', import.meta.url)));
    log(`compiled the server with tsc in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    launch = tsxLaunch();
  }
  info.runtime = launch.runtime;

  log(`${plannedRows} rows × (${opts.warmupS} s warm-up + ${opts.durationS} s) with ${opts.connections} connections`);
  let failed = 0;
  for (const database of opts.databases) {
    if (database === 'postgres') {
      const probe = await probePostgres(opts.pgUrl);
      info.postgres = probe.ok ? `${probe.version} at ${where(opts.pgUrl)}` : 'unreachable';
      if (!probe.ok) {
        log(probe.reason);
        for (const s of opts.scenarios) rows.push({ database, scenario: s.title, connections: opts.connections, outcome: { kind: 'skipped', reason: probe.reason } });
        continue;
      }
      const stale = await dropStaleDatabases(opts.pgUrl).catch(() => []);
      if (stale.length > 0) log(`dropped databases left by killed runs: ${stale.join(', ')}`);
    }
    for (const [i, scenario] of opts.scenarios.entries()) {
      log(`${database} / ${scenario.title} …`);
      const mark = cleanups.length;
      try {
        rows.push(await measure(launch, database, scenario, opts, `hikeshi_bench_${process.pid}_${i + 1}`));
      } catch (err) {
        failed++;
        const reason = (err as Error).message.split('\n')[0] ?? String(err);
        log(`${database} / ${scenario.title} failed: ${(err as Error).message}`);
        rows.push({ database, scenario: scenario.title, connections: opts.connections, outcome: { kind: 'failed', reason } });
      } finally {
        // Stop this row's server and drop its database before the next row starts.
        await cleanUp(mark);
      }
    }
  }
  clearTimeout(watchdog);

  const report = renderReport(info, rows);
  process.stdout.write(`\n${report}\n`);
  mkdirSync(join(opts.out, '..'), { recursive: true });
  writeFileSync(opts.out, report);
  // The same numbers for scripts that compare runs.
  const jsonOut = opts.out.replace(/(\.md)?$/, '.json');
  writeFileSync(jsonOut, `${JSON.stringify({ info, rows }, null, 2)}\n`);
  log(`written to ${opts.out} and ${jsonOut}`);
  return failed > 0 ? 1 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch(async (err: unknown) => {
    log((err as Error).message ?? String(err));
    await cleanUp();
    process.exit(2);
  });
