/**
 * `npm run bench:paging`: how long from an alert accepted by the ingest endpoint to the first
 * notification a webhook receiver gets, at 10, 100 and 1,000 new alert groups per second (group
 * wait zero), SQLite then PostgreSQL. Every alert has its own alertname, so each starts a group,
 * a page and one webhook to the receiver, which runs in this process on 127.0.0.1. Alerts are
 * sent open-loop at a fixed rate for a fixed time; the run stops by itself (watchdog).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { callAs, prepareAdmin } from './lib/api-client.js';
import { compileServer, tsxLaunch, type Launch } from './lib/compile-server.js';
import { cleanupStack } from './lib/harness.js';
import { drive, MAX_IN_FLIGHT, REQUEST_TIMEOUT_MS } from './lib/open-loop.js';
import { environmentLines, sqliteVersion } from './lib/report.js';
import { createScratchDatabase, dropStaleDatabases, probePostgres, where } from './lib/scratch-database.js';
import { ServerProcess, type Memory } from './lib/server-process.js';
import { Receiver, type Sent } from './lib/webhook-receiver.js';

const USAGE = `Usage: npm run bench:paging -- [options]

  --rates LIST       new alert groups per second, one row each (default 10,100,1000)
  --duration S       seconds of sending per row (default 10)
  --timeout S        how long after sending to wait for the last notification (default 60)
  --warmup N         groups paged before each row, not counted (default 20; 0 for none)
  --database D       sqlite | postgres | all (default all)
  --runtime R        dist: compile with tsc first and run JavaScript, like npm start (default)
                     tsx: run the TypeScript through tsx (no compile; RSS includes the loader)
  --pg-url URL       PostgreSQL to create the scratch databases on
                     (default $HIKESHI_BENCH_PG or postgres://postgres@127.0.0.1:5432/postgres)
  -h, --help`;

/** Where the Prometheus source takes Alertmanager API v2 postable alerts. */
const INGEST_PATH = '/ingest/prometheus/api/v2/alerts';
/** What the goal is checked against. */
const GOAL = { rate: 100, p99Ms: 1000 };

type Database = 'sqlite' | 'postgres';

interface Options {
  rates: number[];
  durationS: number;
  timeoutS: number;
  warmup: number;
  databases: Database[];
  runtime: Launch['runtime'];
  pgUrl: string;
}

function whole(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      rates: { type: 'string', default: '10,100,1000' },
      duration: { type: 'string', default: '10' },
      timeout: { type: 'string', default: '60' },
      warmup: { type: 'string', default: '20' },
      database: { type: 'string', default: 'all' },
      runtime: { type: 'string', default: 'dist' },
      'pg-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return null;
  const databases: Database[] = values.database === 'all' ? ['sqlite', 'postgres'] : values.database === 'sqlite' || values.database === 'postgres' ? [values.database] : [];
  if (databases.length === 0) throw new Error(`--database: expected sqlite, postgres or all, got ${JSON.stringify(values.database)}`);
  const runtime = values.runtime;
  if (runtime !== 'dist' && runtime !== 'tsx') throw new Error(`--runtime: expected dist or tsx, got ${JSON.stringify(runtime)}`);
  const pgUrl = values['pg-url'] ?? process.env.HIKESHI_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!/^postgres(ql)?:\/\//.test(pgUrl)) throw new Error(`--pg-url: expected postgres://…, got ${JSON.stringify(pgUrl)}`);
  return {
    rates: values.rates.split(',').map((r) => whole('rates', r.trim(), 1, 5000)),
    durationS: whole('duration', values.duration, 1, 600),
    timeoutS: whole('timeout', values.timeout, 1, 600),
    warmup: whole('warmup', values.warmup, 0, 1000),
    databases,
    runtime,
    pgUrl,
  };
}

const opts = (() => {
  try {
    return parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench:paging: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
})();
if (!opts) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// Per row: start and set-up, the sending, the last answers, the wait for notifications, stopping; plus the compile.
const budgetS = opts.databases.length * opts.rates.length * (opts.durationS + REQUEST_TIMEOUT_MS / 1000 + opts.timeoutS + 120) + 180;
const { log, cleanups, cleanUp, watchdog } = cleanupStack('bench:paging', budgetS * 1000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Undoes what was registered after the first `mark` clean-ups (one row's server, database, receiver). */
async function cleanUpTo(mark: number): Promise<void> {
  while (cleanups.length > mark) await Promise.resolve(cleanups.pop()!()).catch((err: unknown) => log(`clean-up failed: ${(err as Error).message}`));
}

/** Admin, token, webhook contact method (rule at 0 min), a one-level policy, a Prometheus integration and a route to the policy; returns the integration key. */
async function setUpPaging(server: ServerProcess, hookUrl: string): Promise<string> {
  const admin = await prepareAdmin(server.url, server.setupUrl);
  const hook = await callAs(admin, 'POST', `/api/v1/users/${admin.userId}/contact-methods`, { kind: 'webhook', label: 'bench receiver', address: hookUrl }, 201);
  await callAs(admin, 'PUT', `/api/v1/users/${admin.userId}/notification-rules`, { rules: [{ contactMethodId: hook.id, delayMinutes: 0 }] }, 200);
  const policy = await callAs(admin, 'POST', '/api/v1/escalation-policies', { name: 'Bench policy', levels: [{ targets: [{ type: 'user', id: admin.userId }], timeoutMinutes: 30 }] }, 201);
  const integration = await callAs(admin, 'POST', '/api/v1/integrations', {
    source: 'prometheus', name: 'bench', groupBy: ['alertname'], groupWaitSeconds: 0, rateLimitPerMinute: 1_000_000,
  }, 201);
  await callAs(admin, 'PUT', '/api/v1/alert-routes', { routes: [{ name: 'Everything pages the bench policy', escalationPolicy: policy.id }] }, 200);
  return String(integration.key);
}

/** Waits until every accepted alert was notified or `timeoutMs` passed; returns the seconds waited. */
async function waitForNotifications(sent: Sent[], timeoutMs: number, server: ServerProcess): Promise<number> {
  const t0 = performance.now();
  while (sent.some((s) => s.acceptedAt !== null && s.notifiedAt === null) && performance.now() - t0 < timeoutMs) {
    server.assertAlive();
    await sleep(50);
  }
  return (performance.now() - t0) / 1000;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One row of the table. */
interface Row {
  database: Database;
  rate: number;
  outcome:
    | {
        kind: 'measured'; planned: number; sent: number; accepted: number; notified: number; notNotified: number;
        /** Over every accepted alert; one never notified counts as infinitely late (Infinity, JSON null). */
        p50Ms: number; p99Ms: number; maxMs: number;
        acceptP50Ms: number; acceptP99Ms: number; statuses: Record<string, number>; socketErrors: number;
        unexpected: number; repeats: number; waitedS: number; harnessDelayP99Ms: number; warnLines: number; start: Memory; after: Memory;
      }
    | { kind: 'skipped' | 'failed'; reason: string };
}

/** Before each row the previous row's writes are flushed and the disk left quiet, so no row pays for the one before. */
async function settle(): Promise<void> {
  spawnSync('sync');
  await sleep(2000);
}

/** One row: a fresh server and database, paging set up through the API, a warm-up, the load, the wait. */
async function measure(launch: Launch, database: Database, rate: number, n: number): Promise<Row['outcome']> {
  const workDir = mkdtempSync(join(tmpdir(), `hikeshi-bench-paging-${database}-`));
  cleanups.push(() => rmSync(workDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (database === 'postgres') {
    const scratch = await createScratchDatabase(opts!.pgUrl, `hikeshi_bench_${process.pid}_${n}`);
    cleanups.push(() => scratch.drop());
    databaseUrl = scratch.url;
  }
  const receiver = await Receiver.start();
  cleanups.push(() => receiver.close());
  const server = await ServerProcess.start(launch, { dataDir: workDir, databaseUrl, config: { webhookAllowPrivate: true } }, workDir);
  cleanups.push(() => server.stop());
  const start = server.memory();
  try {
    const key = await setUpPaging(server, receiver.url);
    const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
    cleanups.push(() => agent.destroy());
    const url = new URL(INGEST_PATH, server.url);

    // A few groups paged first, slowly: the first requests of a fresh process pay for compiling its code.
    if (opts!.warmup > 0) {
      const warm = await drive(agent, url, key, receiver, 10, opts!.warmup / 10, 'BenchWarmUp');
      await waitForNotifications(warm.sent, 30_000, server);
      const missing = warm.sent.filter((s) => s.notifiedAt === null).length;
      if (missing > 0) throw new Error(`warm-up: ${missing} of ${warm.planned} groups were not notified within 30 s (statuses ${JSON.stringify(warm.statuses)}, socket errors ${warm.socketErrors}); is paging working?`);
    }

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const load = await drive(agent, url, key, receiver, rate, opts!.durationS, 'BenchAlert');
    server.assertAlive();
    const waitedS = await waitForNotifications(load.sent, opts!.timeoutS * 1000, server);
    delay.disable();
    const after = server.memory();

    const accepted = load.sent.filter((s) => s.acceptedAt !== null);
    const latencies = accepted.map((s) => (s.notifiedAt === null ? Infinity : s.notifiedAt - s.acceptedAt!)).sort((a, b) => a - b);
    const acceptLatencies = accepted.map((s) => s.acceptedAt! - s.dueAt).sort((a, b) => a - b);
    const notified = latencies.filter(Number.isFinite).length;
    return {
      kind: 'measured', planned: load.planned, sent: load.sent.length, accepted: accepted.length, notified, notNotified: accepted.length - notified,
      p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1) ?? NaN,
      acceptP50Ms: percentile(acceptLatencies, 50), acceptP99Ms: percentile(acceptLatencies, 99), statuses: load.statuses, socketErrors: load.socketErrors,
      unexpected: receiver.unexpected, repeats: receiver.repeats, waitedS, harnessDelayP99Ms: delay.percentile(99) / 1e6, warnLines: server.warnLines, start, after,
    };
  } catch (err) {
    const tail = server.logTail().split('\n').slice(-5).join('\n');
    if (tail) log(`last server output (${database}, ${rate}/s):\n${tail}`);
    throw err;
  }
}

const NAMES: Record<Database, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
const int = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const ms = (x: number): string => (Number.isNaN(x) ? '–' : x === Infinity ? `> ${int(opts!.timeoutS * 1000)}` : int(x));
const mb = (m: Memory): string => (m.rssMb === null ? 'n/a' : m.rssMb.toFixed(0));
/** Keeps a reason on one table line. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 160);

/** Whether p99 at GOAL.rate new groups/s stayed under GOAL.p99Ms, per database. */
function goalLine(rows: Row[]): string {
  const verdicts = opts!.databases.map((d) => {
    const o = rows.find((r) => r.database === d && r.rate === GOAL.rate)?.outcome;
    if (!o) return `${NAMES[d]} not measured (no ${GOAL.rate}/s row)`;
    if (o.kind !== 'measured') return `${NAMES[d]} not measured (${o.kind})`;
    const met = o.accepted > 0 && o.p99Ms < GOAL.p99Ms;
    return `${NAMES[d]} ${met ? '**met**' : '**not met**'} (p99 ${ms(o.p99Ms)} ms${o.notNotified ? `, ${o.notNotified} not notified` : ''})`;
  });
  return `Goal, p99 under ${GOAL.p99Ms / 1000} s at ${GOAL.rate} new groups/s: ${verdicts.join('; ')}.`;
}

function render(info: Parameters<typeof environmentLines>[0], rows: Row[]): string {
  const lines = [
    '# Hikeshi bench: alert to first notification',
    '',
    ...environmentLines(info),
    `- load: one new alert group per request (Prometheus source, \`groupBy: [alertname]\`, group wait 0), sent open-loop at a fixed rate for ${opts!.durationS} s per row (at most ${MAX_IN_FLIGHT} in flight), after ${opts!.warmup} warm-up groups (not counted); one webhook rule at 0 min to a receiver in the harness process; wait for notifications up to ${opts!.timeoutS} s after sending; a fresh server and database per row`,
    '',
    '| database | groups/s | sent | accepted | notified | p50 ms | p99 ms | max ms | not notified | RSS after MB |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const o = r.outcome;
    if (o.kind === 'measured') {
      lines.push(`| ${NAMES[r.database]} | ${int(r.rate)} | ${int(o.sent)} | ${int(o.accepted)} | ${int(o.notified)} | ${ms(o.p50Ms)} | ${ms(o.p99Ms)} | ${ms(o.maxMs)} | ${int(o.notNotified)} | ${mb(o.after)} |`);
    } else {
      lines.push(`| ${NAMES[r.database]} | ${int(r.rate)} | ${o.kind}: ${cell(o.reason)} | – | – | – | – | – | – | – |`);
    }
  }
  lines.push('', goalLine(rows), '', '<details><summary>per row</summary>', '');
  for (const r of rows) {
    const o = r.outcome;
    if (o.kind !== 'measured') continue;
    const codes = Object.entries(o.statuses).map(([code, k]) => `${code}×${k}`).join(', ') || 'none';
    lines.push(
      `- ${NAMES[r.database]}, ${int(r.rate)}/s: ${int(o.sent)} of ${int(o.planned)} planned sent (${codes}; socket errors ${o.socketErrors}); ` +
        `ingest answer p50 ${ms(o.acceptP50Ms)} / p99 ${ms(o.acceptP99Ms)} ms after the send was due; all notified ${o.notNotified ? 'never (gave up)' : `${o.waitedS.toFixed(1)} s after sending ended`}; ` +
        `unexpected webhooks ${o.unexpected}, repeated ${o.repeats}; harness event-loop delay p99 ${o.harnessDelayP99Ms.toFixed(0)} ms; ` +
        `RSS at start ${mb(o.start)} MB, peak ${o.after.peakMb === null ? 'n/a' : o.after.peakMb.toFixed(0)} MB; server warn/error log lines ${o.warnLines}`,
    );
  }
  lines.push('', '</details>', '');
  return lines.join('\n');
}

async function main(): Promise<number> {
  const info = { startedAt: new Date(), loadAverage: loadavg()[0] ?? 0, sqlite: sqliteVersion(), postgres: 'not run', runtime: opts!.runtime };
  const rows: Row[] = [];
  let reported = false;
  const report = () => {
    reported = true;
    const text = render(info, rows);
    process.stdout.write(`\n${text}\n`);
    const out = fileURLToPath(new URL('./results/paging.md', import.meta.url));
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, text);
    writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify({ info, rows }, null, 2)}\n`);
    log(`written to ${out} and paging.json beside it`);
  };
  // Runs last on any way out (watchdog, Ctrl-C): the rows measured so far are not lost.
  cleanups.push(() => {
    if (!reported) report();
  });

  let launch: Launch;
  if (opts!.runtime === 'dist') {
    const t0 = Date.now();
    launch = await compileServer(fileURLToPath(new URL('./results/.server-build', import.meta.url)));
    log(`compiled the server with tsc in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    launch = tsxLaunch();
  }

  let failed = 0;
  let n = 0;
  for (const database of opts!.databases) {
    if (database === 'postgres') {
      const probe = await probePostgres(opts!.pgUrl);
      info.postgres = probe.ok ? `${probe.version} at ${where(opts!.pgUrl)}` : 'unreachable';
      if (!probe.ok) {
        log(`PostgreSQL skipped: ${probe.reason}`);
        for (const rate of opts!.rates) rows.push({ database, rate, outcome: { kind: 'skipped', reason: probe.reason } });
        continue;
      }
      const stale = await dropStaleDatabases(opts!.pgUrl).catch(() => []);
      if (stale.length > 0) log(`dropped databases left by killed runs: ${stale.join(', ')}`);
    }
    for (const rate of opts!.rates) {
      log(`${NAMES[database]}, ${rate} new groups/s for ${opts!.durationS} s …`);
      await settle();
      const mark = cleanups.length;
      try {
        rows.push({ database, rate, outcome: await measure(launch, database, rate, ++n) });
      } catch (err) {
        failed++;
        log(`${NAMES[database]}, ${rate}/s failed: ${(err as Error).message}`);
        rows.push({ database, rate, outcome: { kind: 'failed', reason: (err as Error).message.split('\n')[0] ?? String(err) } });
      } finally {
        await cleanUpTo(mark);
      }
    }
  }
  report();
  const errors = rows.some((r) => r.outcome.kind === 'measured' && (r.outcome.socketErrors > 0 || r.outcome.accepted < r.outcome.sent));
  return failed > 0 || errors ? 1 : 0;
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping servers and dropping scratch databases`);
    void cleanUp().finally(() => process.exit(code));
  });
}
main()
  .then(async (code) => {
    clearTimeout(watchdog);
    await cleanUp();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    log((err as Error).stack ?? String(err));
    await cleanUp();
    process.exit(2);
  });
