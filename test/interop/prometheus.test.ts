// Interop with the real tools: Debian's Prometheus and Alertmanager, configured with the snippets
// Hikeshi hands out, send a real alerting rule's alert to a real Hikeshi. Prometheus sends it both
// straight to Hikeshi (as if Hikeshi were an Alertmanager) and to a real Alertmanager, whose webhook
// sends it on to Hikeshi. Both routes must open a triggered alert group, and both must resolve it
// when the metric clears.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const MISSING = [PROMETHEUS, ALERTMANAGER].filter((bin) => !existsSync(bin));

/** Whether the interop tests can run here. In CI they must: missing binaries fail them instead of skipping. */
const TOOLS_AVAILABLE = MISSING.length === 0 || !!process.env.CI;

/** How long Prometheus, Alertmanager and Hikeshi get to do each step (seconds on an idle machine). */
const DEADLINE_MS = 60_000;
const TAIL_LINES = 30;

/** A port nobody listens on right now (a tiny race until the tool binds it; acceptable on loopback). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A tool running as a child process, with the tail of what it wrote for failure messages. */
class Tool {
  private readonly lines: string[] = [];
  private exit: string | null = null;
  private readonly exited: Promise<void>;

  constructor(readonly name: string, private readonly child: ChildProcess) {
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.lines.push(line);
        if (this.lines.length > TAIL_LINES) this.lines.shift();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = `exited (code ${code}, signal ${signal})`;
        resolve();
      });
      child.once('error', (err) => {
        this.exit = `could not start: ${err.message}`;
        resolve();
      });
    });
  }

  static start(name: string, bin: string, args: string[], cwd: string): Tool {
    return new Tool(name, spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get running(): boolean {
    return this.exit === null;
  }

  tail(): string {
    return `--- ${this.name} (${this.exit ?? 'running'}), last ${this.lines.length} lines:\n${this.lines.join('\n')}`;
  }

  /** SIGTERM, then SIGKILL if it has not gone within 5 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Last resort when the worker exits without afterAll: no waiting. */
  killNow(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

/** Polls `probe` until it returns a value (not undefined), or fails after the deadline with `explain()`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, explain: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let lastError = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${DEADLINE_MS / 1000} s${lastError ? ` (last error: ${lastError})` : ''}\n${await explain()}`);
    }
    await sleep(250);
  }
}

/** A scrape target serving one gauge in the Prometheus text format; the test flips its value. */
async function startMetrics(): Promise<{ server: Server; port: number; set(value: 0 | 1): void }> {
  let value = 1;
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(`# HELP hikeshi_interop_broken Whether the interop test says checkout is broken.\n# TYPE hikeshi_interop_broken gauge\nhikeshi_interop_broken{service="checkout"} ${value}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, set: (v) => (value = v) };
}

interface Created {
  id: string;
  key: string;
  snippets: { target: string; language: string; code: string }[];
}

interface GroupSummary {
  id: string;
  status: string;
  severity: string;
  title: string;
  groupLabels: Record<string, string>;
  alertCount: number;
  firingCount: number;
}

interface AlertRow {
  dedupKey: string;
  status: string;
  severity: string;
  title: string;
  description: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  links: { href: string; text: string }[];
}

const RULES = {
  groups: [{
    name: 'hikeshi-interop',
    interval: '1s',
    rules: [{
      alert: 'InteropBroken',
      expr: 'hikeshi_interop_broken > 0',
      for: '0s',
      labels: { severity: 'critical' },
      annotations: { summary: 'Checkout is broken', description: 'hikeshi_interop_broken is {{ $value }} for {{ $labels.service }}' },
    }],
  }],
};

describe.runIf(TOOLS_AVAILABLE).each(DATABASE_KINDS)('Prometheus and Alertmanager send to Hikeshi (%s)', (kind) => {
  let ts: TestServer;
  let dir: string;
  let metrics: Awaited<ReturnType<typeof startMetrics>> | undefined;
  const tools: Tool[] = [];
  let prometheusUrl: string;
  let alertmanagerUrl: string;
  let direct: Created;
  let viaAm: Created;
  const killAll = () => tools.forEach((t) => t.killNow());

  const groupsOf = async (integrationId: string): Promise<{ groups: GroupSummary[]; total: number }> =>
    (await ts.call('GET', `/api/v1/alert-groups?status=all&integrationId=${integrationId}`, { token: ts.admin.token })).body;
  const detail = async (groupId: string): Promise<GroupSummary & { alerts: AlertRow[]; events: { kind: string }[] }> =>
    (await ts.call('GET', `/api/v1/alert-groups/${groupId}`, { token: ts.admin.token })).body;
  const getJson = async (url: string): Promise<unknown> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return res.json();
  };

  /** What everyone involved says, for a failure message. */
  const explain = async (): Promise<string> => {
    const safe = async (label: string, f: () => Promise<unknown>) => {
      try {
        return `${label}: ${JSON.stringify(await f())}`;
      } catch (err) {
        return `${label}: (${(err as Error).message})`;
      }
    };
    return [
      await safe('Hikeshi groups (prometheus integration)', () => groupsOf(direct.id)),
      await safe('Hikeshi groups (alertmanager integration)', () => groupsOf(viaAm.id)),
      await safe('Prometheus /api/v1/alerts', () => getJson(`${prometheusUrl}/api/v1/alerts`)),
      await safe('Prometheus /api/v1/alertmanagers', () => getJson(`${prometheusUrl}/api/v1/alertmanagers`)),
      await safe('Alertmanager /api/v2/alerts', () => getJson(`${alertmanagerUrl}/api/v2/alerts`)),
      ...tools.map((t) => t.tail()),
    ].join('\n');
  };

  /** The one group an integration has once it reaches `status`, or undefined while it has not. */
  const groupIn = async (integrationId: string, status: string): Promise<GroupSummary | undefined> => {
    const list = await groupsOf(integrationId);
    return list.total === 1 && list.groups[0]!.status === status ? list.groups[0] : undefined;
  };

  /** Waits until an HTTP endpoint of a tool answers 200 (or the tool dies). */
  const ready = (tool: Tool, url: string) => until(`${tool.name} ready at ${url}`, async () => {
    if (!tool.running) throw new Error(`${tool.name} is not running`);
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? true : undefined;
  }, async () => tool.tail());

  beforeAll(async () => {
    if (MISSING.length) {
      throw new Error(`CI is set but ${MISSING.join(' and ')} ${MISSING.length > 1 ? 'are' : 'is'} missing: install Debian's prometheus and prometheus-alertmanager packages (apt-get install prometheus prometheus-alertmanager)`);
    }
    process.once('exit', killAll);
    ts = await startTestServer(kind);
    const integration = async (source: string, name: string): Promise<Created> => {
      const res = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source, name } });
      if (res.status !== 201) throw new Error(`creating the ${source} integration: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    direct = await integration('prometheus', 'Interop Prometheus');
    viaAm = await integration('alertmanager', 'Interop Alertmanager');

    dir = mkdtempSync(join(tmpdir(), 'hikeshi-interop-'));
    metrics = await startMetrics();
    const hikeshiHostPort = new URL(ts.url).host;

    // ---- Alertmanager: Hikeshi's alertmanager.yml snippet, with fast grouping timers ----
    const amSnippet = viaAm.snippets.find((s) => s.target === 'alertmanager.yml');
    if (!amSnippet) throw new Error(`the alertmanager integration offers no alertmanager.yml snippet: ${JSON.stringify(viaAm.snippets)}`);
    const amConfig = parseYaml(amSnippet.code) as { route: Record<string, unknown>; receivers: { webhook_configs: { url: string }[] }[] };
    // The snippet points at the address the API was reached on: this server.
    expect(amConfig.receivers[0]!.webhook_configs[0]!.url).toBe(`${ts.url}/ingest/alertmanager`);
    Object.assign(amConfig.route, { group_by: ['alertname'], group_wait: '1s', group_interval: '1s', repeat_interval: '1h' });
    writeFileSync(join(dir, 'alertmanager.yml'), toYaml(amConfig));
    const amPort = await freePort();
    alertmanagerUrl = `http://127.0.0.1:${amPort}`;
    const am = Tool.start('alertmanager', ALERTMANAGER, [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      // Empty: no cluster (it would otherwise gossip on 0.0.0.0:9094 and wait for peers before sending).
      '--cluster.listen-address=',
      '--log.level=warn',
    ], dir);
    tools.push(am);
    await ready(am, `${alertmanagerUrl}/-/ready`);

    // ---- Prometheus: Hikeshi's prometheus.yml snippet as one "Alertmanager", the real one as another ----
    const promSnippet = direct.snippets.find((s) => s.target === 'prometheus.yml');
    if (!promSnippet) throw new Error(`the prometheus integration offers no prometheus.yml snippet: ${JSON.stringify(direct.snippets)}`);
    const hikeshiAm = (parseYaml(promSnippet.code) as { alerting: { alertmanagers: Record<string, any>[] } }).alerting.alertmanagers;
    expect(hikeshiAm).toHaveLength(1);
    expect(hikeshiAm[0]!.static_configs).toEqual([{ targets: [hikeshiHostPort] }]);
    writeFileSync(join(dir, 'rules.yml'), toYaml(RULES));
    writeFileSync(join(dir, 'prometheus.yml'), toYaml({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: [join(dir, 'rules.yml')],
      scrape_configs: [{ job_name: 'interop', static_configs: [{ targets: [`127.0.0.1:${metrics.port}`] }] }],
      alerting: { alertmanagers: [...hikeshiAm, { api_version: 'v2', static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
    }));
    const promPort = await freePort();
    prometheusUrl = `http://127.0.0.1:${promPort}`;
    const prometheus = Tool.start('prometheus', PROMETHEUS, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      `--web.external-url=${prometheusUrl}`,
      '--rules.alert.resend-delay=1s',
      '--log.level=warn',
    ], dir);
    tools.push(prometheus);
    await ready(prometheus, `${prometheusUrl}/-/ready`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(tools.map((t) => t.stop()));
    process.removeListener('exit', killAll);
    await new Promise<void>((resolve) => (metrics ? metrics.server.close(() => resolve()) : resolve()));
    await ts?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('opens a triggered group with the rule’s labels, straight from Prometheus and through Alertmanager', async () => {
    const [fromPrometheus, fromAm] = await until('both integrations have a triggered group', async () => {
      const a = await groupIn(direct.id, 'triggered');
      const b = await groupIn(viaAm.id, 'triggered');
      return a && b ? [a, b] : undefined;
    }, explain);
    const diag = await explain();

    const expectedLabels = { alertname: 'InteropBroken', severity: 'critical', service: 'checkout', job: 'interop', instance: `127.0.0.1:${metrics!.port}` };
    for (const g of [fromPrometheus, fromAm]) {
      expect(g, diag).toMatchObject({ title: 'Checkout is broken', severity: 'critical', groupLabels: { alertname: 'InteropBroken' }, alertCount: 1, firingCount: 1 });
      const alerts = (await detail(g.id)).alerts;
      expect(alerts, diag).toHaveLength(1);
      expect(alerts[0], diag).toMatchObject({
        status: 'firing', severity: 'critical', title: 'Checkout is broken', labels: expectedLabels,
        description: 'hikeshi_interop_broken is 1 for checkout',
      });
      // generatorURL: a link back to the rule's expression in Prometheus.
      expect(alerts[0]!.links.find((l) => l.text === 'Source')?.href, diag).toMatch(new RegExp(`^${escapeRegExp(prometheusUrl)}/graph\\?`));
    }
    const directAlert = (await detail(fromPrometheus.id)).alerts[0]!;
    const amAlert = (await detail(fromAm.id)).alerts[0]!;
    expect(amAlert.links.find((l) => l.text === 'Alertmanager'), diag).toBeDefined();

    // Hikeshi computes the same fingerprint Alertmanager does, so both routes name the alert alike.
    const amAlerts = (await getJson(`${alertmanagerUrl}/api/v2/alerts`)) as { fingerprint: string; labels: Record<string, string> }[];
    expect(amAlerts.map((a) => a.labels.alertname), diag).toEqual(['InteropBroken']);
    expect(amAlert.dedupKey, diag).toBe(amAlerts[0]!.fingerprint);
    expect(directAlert.dedupKey, diag).toBe(amAlerts[0]!.fingerprint);
  }, DEADLINE_MS + 30_000);

  it('resolves both groups when the metric clears', async () => {
    metrics!.set(0);
    const [fromPrometheus, fromAm] = await until('both groups resolved', async () => {
      const a = await groupIn(direct.id, 'resolved');
      const b = await groupIn(viaAm.id, 'resolved');
      return a && b ? [a, b] : undefined;
    }, explain);
    const diag = await explain();
    for (const g of [fromPrometheus, fromAm]) {
      expect(g, diag).toMatchObject({ alertCount: 1, firingCount: 0 });
      const d = await detail(g.id);
      expect(d.alerts.map((a) => a.status), diag).toEqual(['resolved']);
      expect(d.events.map((e) => e.kind), diag).toEqual(['created', 'alerts_fired', 'alerts_resolved', 'resolved']);
    }
  }, DEADLINE_MS + 30_000);
});
