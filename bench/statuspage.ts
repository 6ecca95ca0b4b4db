/**
 * `npm run bench:statuspage`: the public status page at steady state, side by side with nginx
 * (Debian's) serving the files that `hikeshi statuspage export` wrote, in one run, with the same
 * load generator on the same machine: the HTML page and `api/v2/summary.json`, without and with
 * gzip. Traffic goes only to 127.0.0.1; every row has a fixed duration; the run stops by itself.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { writeExport } from '../src/modules/statuspages/export.js';
import { prepareIncident } from './lib/api-client.js';
import { compileServer } from './lib/compile-server.js';
import { cleanupStack, freePort } from './lib/harness.js';
import { readMemory, ServerProcess } from './lib/server-process.js';

const NGINX = '/usr/sbin/nginx';

const WRK = '/usr/bin/wrk';
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    generator: { type: 'string', default: existsSync(WRK) ? 'wrk' : 'autocannon' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:statuspage -- [--duration S (10)] [--connections N (10)] [--generator wrk|autocannon (wrk when installed)]\n');
  process.exit(0);
}
const generator = values.generator === 'wrk' ? 'wrk' : 'autocannon';
const durationS = Number(values.duration);
const connections = Number(values.connections);
const { log, cleanups, cleanUp, watchdog } = cleanupStack('bench:statuspage', (durationS * 12 + 300) * 1000);

async function api(base: string, bearer: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method, headers: { authorization: bearer, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** A page like a mid-sized SaaS has: 3 groups of 4 components, an open incident with 3 public updates, history, maintenance. */
async function seed(base: string, bearer: string, incidentId: string): Promise<string> {
  const page = await api(base, bearer, 'POST', '/status-pages', { slug: 'bench', name: 'Bench Status', locale: 'en', timeZone: 'Asia/Tokyo' });
  const components: string[] = [];
  for (const g of ['Web', 'API', 'Data']) {
    const group = await api(base, bearer, 'POST', '/status-pages/bench/groups', { name: g });
    for (let i = 1; i <= 4; i++) {
      const c = await api(base, bearer, 'POST', '/status-pages/bench/components', { name: `${g} service ${i}`, groupId: group.id });
      components.push(c.id);
    }
  }
  await api(base, bearer, 'PUT', `/incidents/${incidentId}/status-page`, {
    publicTitle: 'Elevated error rates for checkout', components: [{ componentId: components[0], status: 'partial_outage' }, { componentId: components[5], status: 'degraded_performance' }],
  });
  for (const [phase, body] of [['investigating', 'We are investigating elevated error rates.'], ['identified', 'A faulty deploy was identified; rolling back.'], ['monitoring', 'The rollback is done; we are watching.']]) {
    await api(base, bearer, 'POST', `/incidents/${incidentId}/updates`, { audience: 'public', phase, body });
  }
  const start = new Date(Date.now() + 86400_000).toISOString();
  const end = new Date(Date.now() + 90000_000).toISOString();
  await api(base, bearer, 'POST', '/status-pages/bench/maintenances', { title: 'Database upgrade', startsAt: start, endsAt: end, componentIds: [components[8]], body: 'Planned upgrade of the primary database.' });
  return page.id as string;
}

interface Target { name: string; url: string; pid: number; stop(): Promise<void> }

async function startNginx(root: string): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'hikeshi-bench-nginx-'));
  const port = await freePort();
  // The same caching headers Hikeshi sends; one worker per core, as Debian's default (auto).
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  types { application/atom+xml atom; application/rss+xml rss; }
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  gzip on;
  gzip_types application/json text/css application/atom+xml application/rss+xml;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    index index.html;
    add_header Cache-Control "public, max-age=10, stale-while-revalidate=60";
  }
}
`);
  const child = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    const status = await fetch(`${url}/index.html`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (i === 100) throw new Error(`nginx answers ${status} for /index.html: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: 'nginx (static export)', url, pid: child.pid!,
    async stop() {
      child.kill('SIGQUIT');
      await new Promise((r) => setTimeout(r, 300));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** RSS of nginx: the master and its workers together. */
function nginxRss(pid: number): number | null {
  try {
    const out = execFileSync('ps', ['--ppid', String(pid), '-o', 'rss='], { encoding: 'utf8' });
    const own = readMemory(pid).rssMb ?? 0;
    return own + out.split('\n').filter(Boolean).reduce((s, l) => s + Number(l) / 1024, 0);
  } catch {
    return readMemory(pid).rssMb;
  }
}

interface Load { rps: number; p50: number; p99: number; errors: number; kibps: number }

/** wrk's "1.23ms" / "850.00us" / "1.02s" in milliseconds. */
function ms(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

/**
 * One row of load. wrk (C, from Debian) when installed: a JavaScript load generator spends more
 * time parsing 60 kB answers than either server spends sending them, and would measure itself.
 */
async function load(url: string, gzip: boolean, seconds: number): Promise<Load> {
  if (generator === 'autocannon') {
    const r = await autocannon({ url, connections, duration: seconds, headers: gzip ? { 'accept-encoding': 'gzip' } : {} });
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, kibps: r.throughput.average / 1024 };
  }
  const args = ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', ...(gzip ? ['-H', 'Accept-Encoding: gzip'] : []), url];
  const out = execFileSync(WRK, args, { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const transfer = /Transfer\/sec:\s+([\d.]+)(KB|MB|GB|B)/.exec(out);
  const kib = transfer ? Number(transfer[1]) * ({ B: 1 / 1024, KB: 1, MB: 1024, GB: 1024 * 1024 } as Record<string, number>)[transfer[2]!]! : NaN;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = num(/Non-2xx or 3xx responses: (\d+)/) || 0;
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/), p50: ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ''), p99: ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    errors: errors + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0), kibps: kib,
  };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits }) : '–');

async function main(): Promise<void> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} not found: apt-get install -y nginx`);
  const launch = await compileServer(fileURLToPath(new URL('./results/.server-build', import.meta.url)));
  const dataDir = mkdtempSync(join(tmpdir(), 'hikeshi-bench-status-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await ServerProcess.start(launch, { dataDir }, dataDir);
  cleanups.push(() => server.stop());
  const fixture = await prepareIncident(server.url, server.setupUrl);
  await seed(server.url, fixture.bearer, fixture.incidentId);
  // Let the snapshot rebuild after the last change, then export exactly what the server serves.
  await new Promise((r) => setTimeout(r, 500));
  const exported = await api(server.url, fixture.bearer, 'GET', '/status-pages/bench/export');
  const out = mkdtempSync(join(tmpdir(), 'hikeshi-bench-export-'));
  cleanups.push(() => rmSync(out, { recursive: true, force: true }));
  await writeExport(out, exported.files, { slug: 'bench', builtAt: exported.builtAt });
  chmodSync(out, 0o755); // nginx's workers run as an unprivileged user; mkdtemp made the folder 0700
  const nginx = await startNginx(out);
  cleanups.push(() => nginx.stop());
  const live: Target = { name: 'Hikeshi (live, from memory)', url: `${server.url}/status/bench`, pid: server.pid, stop: async () => {} };

  const rows: string[] = [];
  const ratios: string[] = [];
  for (const [label, path] of [['HTML page', '/index.html'], ['summary.json', '/api/v2/summary.json']] as const) {
    for (const gzip of [false, true]) {
      const results: Record<string, number> = {};
      for (const t of [nginx, live]) {
        const url = t === live && path === '/index.html' ? `${t.url}/` : `${t.url}${path}`;
        await load(url, gzip, 2); // warm-up, not counted
        const r = await load(url, gzip, durationS);
        const rss = t === nginx ? nginxRss(t.pid) : readMemory(t.pid).rssMb;
        results[t.name] = r.rps;
        rows.push(`| ${t.name} | ${label} | ${gzip ? 'gzip' : 'identity'} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} | ${fmt(r.kibps)} | ${rss === null ? '–' : Math.round(rss)} |`);
        log(`${t.name} ${label} ${gzip ? 'gzip' : ''}: ${Math.round(r.rps)} req/s`);
      }
      ratios.push(`- ${label}, ${gzip ? 'gzip' : 'identity'}: Hikeshi serves ${Math.round((100 * results[live.name]!) / results[nginx.name]!)}% of nginx's requests/s`);
    }
  }
  const sizes = `HTML page ${Math.round(exported.files.find((f: { path: string }) => f.path === 'index.html').body.length / 1024)} kB, summary.json ${Math.round(exported.files.find((f: { path: string }) => f.path === 'api/v2/summary.json').body.length / 1024)} kB`;
  const lines = [
    `# bench:statuspage — ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average before ${loadavg()[0]!.toFixed(2)}; Node ${process.version}; ${connections} connections, 2 s warm-up + ${durationS} s per row; load from ${generator === 'wrk' ? 'wrk (2 threads)' : 'autocannon in this process'}.`,
    `Page: 3 groups × 4 components, one open incident with 3 public updates, one upcoming maintenance; nginx serves the files written by \`hikeshi statuspage export\` (${exported.files.length} files; ${sizes}).`,
    '',
    '| target | resource | encoding | req/s | p50 ms | p99 ms | errors | KiB/s | RSS after MB |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|',
    ...rows,
    '',
    ...ratios,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  writeFileSync(fileURLToPath(new URL('./results/statuspage.md', import.meta.url)), lines.join('\n'));
}

process.on('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
process.on('SIGTERM', () => void cleanUp().finally(() => process.exit(143)));
main()
  .catch((err) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    clearTimeout(watchdog);
  });
