// The CLI against a real server on loopback, with a real SQLite file: every command as a user runs it.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/config.js';
import { type RunningServer, startServer } from '../server/serve.js';
import { runCli } from './main.js';

const PASSWORD = 'correct horse battery staple';

interface Run {
  code: number;
  out: string;
  err: string;
}

function sink() {
  const s = { text: '', write: (chunk: string) => ((s.text += chunk), true) };
  return s;
}

/** Runs `hikeshi …` in-process; stdin is empty unless given. */
async function hikeshi(args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<Run> {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(args, {
    stdout, stderr, env: opts.env ?? {}, stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
  });
  return { code, out: stdout.text, err: stderr.text };
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

let root: string;
/** Ken's generated password, from `admin create`. */
let kenPassword = '';
let dataDir: string;
let server: RunningServer;
/** The environment of a logged-in commander. */
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hikeshi-cli-'));
  dataDir = join(root, 'data');
  server = await startServer(loadConfig({ env: {}, overrides: { port: 0, dataDir, logLevel: 'silent' } }));
  env = { HIKESHI_CONFIG_DIR: join(root, 'aiko') };
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('admin create (straight into the database)', () => {
  it('creates an admin with a password from stdin', async () => {
    const r = await hikeshi(['admin', 'create', '--email', 'Aiko@Example.com', '--name', 'Aiko Tanaka', '--password-stdin', '--data-dir', dataDir], { stdin: PASSWORD + '\n' });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Created admin Aiko Tanaka <aiko@example.com>');
    expect(r.out).not.toContain('Password');
  });

  it('generates a password when none is given and prints it once', async () => {
    const r = await hikeshi(['admin', 'create', '--email', 'ken@example.com', '--name', 'Ken Sato', '--locale', 'ja', '--time-zone', 'Asia/Tokyo', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    const password = /Password \(shown once[^)]*\): (\S+)/.exec(r.out)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(20);
    kenPassword = password ?? '';
    // The generated password works: sign in with it.
    const login = await hikeshi(['login', '--server', server.url, '--email', 'ken@example.com', '--password-stdin'], { env: { HIKESHI_CONFIG_DIR: join(root, 'ken') }, stdin: password });
    expect(login.code).toBe(0);
  });

  it('refuses a second user with the same e-mail (exit 1)', async () => {
    const r = await hikeshi(['admin', 'create', '--email', 'AIKO@example.com', '--name', 'Someone', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('aiko@example.com already exists');
  });

  it('refuses invalid input with the API’s messages, naming the options (exit 2)', async () => {
    const r = await hikeshi(['admin', 'create', '--email', 'not-an-address', '--name', 'X', '--time-zone', 'Mars/Olympus', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--email: must be an e-mail address');
    expect(r.err).toContain('--time-zone: must be an IANA time zone');
  });

  it('refuses a too-short password from stdin (exit 2)', async () => {
    const r = await hikeshi(['admin', 'create', '--email', 'x@example.com', '--name', 'X', '--password-stdin', '--data-dir', dataDir], { stdin: 'short\n' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('password: must be at least 10 characters');
  });
});

describe('login', () => {
  it('signs in with e-mail and password from stdin and stores a token readable by the owner only', async () => {
    const r = await hikeshi(['login', '--server', server.url + '/', '--email', 'AIKO@example.com'], { env, stdin: PASSWORD + '\n' });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Logged in to');
    expect(r.out).toContain('Aiko Tanaka <aiko@example.com> (admin)');
    const file = join(env.HIKESHI_CONFIG_DIR ?? '', 'credentials.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { server: string; token: string };
    expect(saved.server).toBe(server.url);
    expect(saved.token).toMatch(/^hks_/);
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(env.HIKESHI_CONFIG_DIR ?? '').mode & 0o777).toBe(0o700);
    }
    // The same token can be given straight to `login --token` (e.g. on another machine).
    const me = await hikeshi(['login', '--server', server.url, '--token', saved.token], { env: { HIKESHI_CONFIG_DIR: join(root, 'token-login') } });
    expect(me.code).toBe(0);
    // …or through stdin, so it does not show in `ps`.
    const piped = await hikeshi(['login', '--server', server.url, '--token', '-'], { env: { HIKESHI_CONFIG_DIR: join(root, 'token-stdin') }, stdin: saved.token + '\n' });
    expect(piped.code).toBe(0);
    expect(piped.out).toContain('Aiko Tanaka');
  });

  it('refuses a wrong password (exit 1) and stores nothing', async () => {
    const dir = join(root, 'wrong');
    const r = await hikeshi(['login', '--server', server.url, '--email', 'aiko@example.com', '--password-stdin'], { env: { HIKESHI_CONFIG_DIR: dir }, stdin: 'wrong password!' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: Unauthorized: E-mail or password is wrong');
    expect(() => statSync(join(dir, 'credentials.json'))).toThrow();
  });

  it('refuses a token the server does not know (exit 1)', async () => {
    const r = await hikeshi(['login', '--server', server.url, '--token', 'hks_nonsense'], { env: { HIKESHI_CONFIG_DIR: join(root, 'bad-token') } });
    expect(r.code).toBe(1);
    expect(r.err).toContain('Unauthorized');
  });

  it('needs --server and exactly one of --token / --email (exit 2)', async () => {
    expect((await hikeshi(['login', '--email', 'a@example.com'])).code).toBe(2);
    const both = await hikeshi(['login', '--server', server.url, '--email', 'a@example.com', '--token', 'hks_x']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('either --token or --email');
    const bad = await hikeshi(['login', '--server', 'ftp://example.com', '--token', 'hks_x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('http:// or https://');
  });
});

describe('incident commands', () => {
  let ref = '';

  it('declares an incident and lists it', async () => {
    const d = await hikeshi(['incident', 'declare', '--title', 'Checkout returns 500s', '--severity', 'sev2', '--service', 'checkout', '--service', 'payments', '--summary', 'Since 13:55 JST', '--json'], { env });
    expect(d.err).toBe('');
    expect(d.code).toBe(0);
    const incident = JSON.parse(d.out) as { ref: string; severity: string; services: string[]; commander: { name: string } };
    ref = incident.ref;
    expect(ref).toMatch(/^INC-\d+$/);
    expect(incident.severity).toBe('SEV2');
    expect(incident.services).toEqual(['checkout', 'payments']);
    expect(incident.commander.name).toBe('Aiko Tanaka');

    const list = await hikeshi(['incident', 'list'], { env });
    expect(list.code).toBe(0);
    const lines = list.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/REF\s+SEV\s+PHASE\s+TITLE\s+COMMANDER\s+AGE/);
    const row = lines.find((l) => l.includes(ref));
    expect(row).toMatch(new RegExp(`${ref}\\s+SEV2\\s+investigating\\s+Checkout returns 500s\\s+Aiko Tanaka\\s+\\d+s`));
    // Columns line up: the title starts at the same place in the header and the row.
    expect(row?.indexOf('Checkout')).toBe(lines[0]?.indexOf('TITLE'));
  });

  it('prints a human summary on declare, with the first public update clock', async () => {
    const r = await hikeshi(['incident', 'declare', '--title', 'DNS drill', '--severity', '3', '--drill', '--commander', 'ken@example.com'], { env });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Declared INC-\d+ SEV3 \[DRILL\]: DNS drill/);
    expect(r.out).toContain('commander: Ken Sato');
    expect(r.out).toContain('first public update due');
    expect(r.out).toContain('--audience public');
  });

  it('posts a public update and prints it with its phase prefix', async () => {
    const r = await hikeshi(['incident', 'update', ref, '--audience', 'public', '--message', 'Some customers cannot check out. We are investigating.'], { env });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('[Investigating] Some customers cannot check out. We are investigating.');
    const ja = await hikeshi(['incident', 'update', ref.replace('INC-', ''), '--audience', 'internal', '--message', 'DB のログを確認中', '--lang', 'ja'], { env });
    expect(ja.code).toBe(0);
    expect(ja.out).toContain('【調査中】');
  });

  it('reads a long message from stdin with --message -', async () => {
    const r = await hikeshi(['incident', 'update', ref, '--message', '-'], { env, stdin: 'Line one.\nLine two.\n' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Line one.\n  Line two.');
  });

  it('posts a stakeholder update that moves the phase, as JSON', async () => {
    const r = await hikeshi(['incident', 'update', ref, '--audience', 'stakeholder', '--phase', 'identified', '--message', 'Failover of the orders DB.', '--impact', '30% of checkouts fail', '--eta', '15:00 JST', '--decisions-needed', 'approve a rollback', '--json'], { env });
    expect(r.code).toBe(0);
    const u = JSON.parse(r.out) as { phase: string; rendered: { en: string } };
    expect(u.phase).toBe('identified');
    expect(u.rendered.en).toContain('Impact: 30% of checkouts fail');
    expect(u.rendered.en).toContain('Decisions needed: approve a rollback');
  });

  it('assigns a task (who, why, what) and hands over a role, by e-mail', async () => {
    const t = await hikeshi(['incident', 'assign', ref, '--to', 'KEN@example.com', '--purpose', 'confirm the cause', '--action', 'read the DB failover logs', '--due', '30m'], { env });
    expect(t.err).toBe('');
    expect(t.code).toBe(0);
    expect(t.out).toContain(`Assigned to Ken Sato on ${ref}: read the DB failover logs`);
    expect(t.out).toContain('purpose: confirm the cause');
    expect(t.out).toContain('due:');

    const role = await hikeshi(['incident', 'assign', ref, '--role', 'scribe', '--to', 'aiko@example.com'], { env });
    expect(role.err).toBe('');
    expect(role.code).toBe(0);
    expect(role.out).toContain(`Aiko Tanaka is now scribe of ${ref}`);
  });

  it('records a decision with its risk', async () => {
    const r = await hikeshi(['incident', 'decide', ref, '--decision', 'roll back to v41', '--why', 'v42 went out at 13:50', '--risk', 'orders since 13:50 need replay', '--by', 'aiko@example.com'], { env });
    expect(r.code).toBe(0);
    expect(r.out).toContain('roll back to v41 (decided by Aiko Tanaka)');
    expect(r.out).toContain('risk: orders since 13:50 need replay');
  });

  it('shows the whole incident: roles, responders, the task, the decision, updates and timeline', async () => {
    const r = await hikeshi(['incident', 'show', ref], { env });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${ref}  SEV2  identified`));
    expect(r.out).toContain('Commander: Aiko Tanaka');
    expect(r.out).toContain('Services: checkout, payments');
    expect(r.out).toMatch(/Roles\n[\s\S]*commander\s+Aiko Tanaka[\s\S]*scribe\s+Aiko Tanaka/);
    expect(r.out).toMatch(/\[open\] Ken Sato: read the DB failover logs/);
    expect(r.out).toContain('purpose: confirm the cause');
    expect(r.out).toContain('Aiko Tanaka: roll back to v41');
    expect(r.out).toContain('[Investigating] Some customers cannot check out.');
    expect(r.out).toContain('Timeline');
    expect(r.out).toContain('First public update');

    const ja = await hikeshi(['incident', 'show', ref, '--lang', 'ja'], { env });
    expect(ja.out).toContain('【調査中】Some customers cannot check out.');

    const json = await hikeshi(['incident', 'show', ref, '--json'], { env });
    const d = JSON.parse(json.out) as { ref: string; tasks: { purpose: string }[]; decisions: unknown[] };
    expect(d.ref).toBe(ref);
    expect(d.tasks[0]?.purpose).toBe('confirm the cause');
    expect(d.decisions).toHaveLength(1);
  });

  it('marks responders with nothing to do as idle', async () => {
    const declared = await hikeshi(['incident', 'declare', '--title', 'Queue backlog', '--severity', 'SEV4', '--commander', 'ken@example.com', '--json'], { env });
    const other = (JSON.parse(declared.out) as { ref: string }).ref;
    const r = await hikeshi(['incident', 'show', other], { env });
    // Aiko declared it for Ken: she joined, holds no role and no task.
    expect(r.out).toMatch(/Aiko Tanaka\s+idle \(may be released\)/);
    await hikeshi(['incident', 'resolve', other], { env });
  });

  it('acknowledges and notes the timeline, from an option or from stdin', async () => {
    const ack = await hikeshi(['incident', 'ack', ref], { env });
    expect(ack.code).toBe(0);
    expect(ack.out).toMatch(new RegExp(`^${ref} acknowledged \\d+s after declaration\\.`));
    const note = await hikeshi(['incident', 'note', ref, '--message', '-'], { env, stdin: 'p99 doubled at 13:02\n' });
    expect(note.code).toBe(0);
    expect(note.out).toContain(`Noted on ${ref}`);
    const show = await hikeshi(['incident', 'show', ref], { env });
    expect(show.out).toContain('p99 doubled at 13:02');
    const missing = await hikeshi(['incident', 'note', ref], { env });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--message');
  });

  it('resolves: the phase moves and the incident leaves the open list', async () => {
    const r = await hikeshi(['incident', 'resolve', ref, '--note', 'rollback done, error rate normal'], { env });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`${ref} resolved after \\d`));
    const show = await hikeshi(['incident', 'show', ref, '--json'], { env });
    expect((JSON.parse(show.out) as { phase: string }).phase).toBe('resolved');
    expect((await hikeshi(['incident', 'list'], { env })).out).not.toContain(`${ref} `);
    expect((await hikeshi(['incident', 'list', '--state', 'resolved'], { env })).out).toContain(ref);
    const sev4 = await hikeshi(['incident', 'list', '--state', 'all', '--severity', 'SEV4'], { env });
    expect(sev4.out).toContain('Queue backlog');
    expect(sev4.out).not.toContain('Checkout returns 500s');
    const all = JSON.parse((await hikeshi(['incident', 'list', '--state', 'all', '--json'], { env })).out) as { incidents: { ref: string }[] };
    expect(all.incidents.map((i) => i.ref)).toContain(ref);
  });

  it('does a retried command only once when it carries the same --idempotency-key', async () => {
    const args = ['incident', 'declare', '--title', 'Retried declare', '--severity', 'SEV4', '--idempotency-key', 'cli-test-retry-1', '--json'];
    const first = await hikeshi(args, { env });
    const second = await hikeshi(args, { env });
    expect(second.code).toBe(0);
    expect((JSON.parse(second.out) as { ref: string }).ref).toBe((JSON.parse(first.out) as { ref: string }).ref);
    expect(second.err).toContain('already done');
    const all = JSON.parse((await hikeshi(['incident', 'list', '--state', 'all', '--json'], { env })).out) as { incidents: { title: string }[] };
    expect(all.incidents.filter((i) => i.title === 'Retried declare')).toHaveLength(1);
    await hikeshi(['incident', 'resolve', (JSON.parse(first.out) as { ref: string }).ref], { env });
  });
});

describe('alert commands', () => {
  let groupId = '';
  it('lists alert groups, acknowledges one and declares an incident from it', async () => {
    const actor = { type: 'system' as const, userId: null, name: 'test', role: 'admin' as const };
    const integration = await server.ctx.integrations.create(actor, { source: 'alertmanager', name: 'prod', config: {}, groupBy: ['alertname'], groupWaitSeconds: 0, rateLimitPerMinute: 600 }, server.url);
    const sent = await fetch(`${server.url}/ingest/alertmanager`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${integration.key}` },
      body: JSON.stringify({ version: '4', groupKey: 'x', truncatedAlerts: 0, status: 'firing', receiver: 'hikeshi', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
        alerts: [{ status: 'firing', labels: { alertname: 'QueueBacklog', severity: 'warning' }, annotations: { summary: 'Queue backlog over 10k' }, startsAt: '2026-11-23T01:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: '0123456789abcdef' }] }),
    });
    expect(sent.status).toBe(202);
    await server.ctx.ingestor.grouper.settled();
    const list = await hikeshi(['alert', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/triggered\s+warning\s+1\/1 firing {2}Queue backlog over 10k/);
    groupId = list.out.split(/\s/)[0]!;
    const ack = await hikeshi(['alert', 'ack', groupId], { env });
    expect(ack.out).toBe('Queue backlog over 10k: acknowledged.\n');
    const declared = await hikeshi(['alert', 'declare', groupId, '--severity', '3'], { env });
    expect(declared.out).toMatch(/^Declared INC-\d+ SEV3: Queue backlog over 10k/);
    const json = await hikeshi(['alert', 'list', '--status', 'all', '--json'], { env });
    expect(JSON.parse(json.out).groups[0]).toMatchObject({ id: groupId, status: 'acknowledged', incident: { title: 'Queue backlog over 10k' } });
  });

  it('refuses a bad status (exit 2) and an unknown group (exit 1)', async () => {
    const bad = await hikeshi(['alert', 'list', '--status', 'burning'], { env });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('open, triggered, acknowledged, resolved, all');
    const unknown = await hikeshi(['alert', 'resolve', 'no-such-group'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no-such-group');
  });
});

describe('on-call commands', () => {
  it('says who is on call, lists schedules and shifts, and adds an override', async () => {
    const users = await server.ctx.accounts.listUsers();
    const aiko = users.find((u) => u.email === 'aiko@example.com')!;
    const ken = users.find((u) => u.email === 'ken@example.com')!;
    const actor = { type: 'system' as const, userId: null, name: 'test', role: 'admin' as const };
    const start = new Date(Date.now() - 86_400_000).toISOString().slice(0, 16);
    await server.ctx.oncall.create(actor, {
      name: 'Database', description: '', timeZone: 'Asia/Tokyo', teamId: null,
      layers: [{ name: 'Primary', start, turn: { length: 1, unit: 'weeks' }, participants: [aiko.id, ken.id], restrictions: [], end: null }],
    });

    const now = await hikeshi(['oncall'], { env });
    expect(now.err).toBe('');
    expect(now.out).toMatch(/^Database {2}Aiko Tanaka {2}until \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(in (5d|6d)/);
    const list = await hikeshi(['schedule', 'list'], { env });
    expect(list.out).toContain('Database  (Asia/Tokyo, 1 layer)  · Aiko Tanaka until');
    const shifts = await hikeshi(['schedule', 'shifts', 'database', '--days', '14'], { env });
    expect(shifts.out.trim().split('\n').map((l) => l.split('  ')[1])).toEqual(['Aiko Tanaka', 'Ken Sato', 'Aiko Tanaka']);

    const o = await hikeshi(['schedule', 'override', 'Database', '--user', 'ken@example.com', '--start', '0m', '--end', '2h', '--note', 'I take tonight'], { env });
    expect(o.err).toBe('');
    expect(o.out).toMatch(/^Ken Sato is on call for Database from .* \(override \S+\)\.\n$/);
    const after = await hikeshi(['oncall', '--schedule', 'Database', '--json'], { env });
    expect(JSON.parse(after.out).entries[0].user.name).toBe('Ken Sato');
    const later = await hikeshi(['oncall', '--at', new Date(Date.now() + 3 * 3_600_000).toISOString()], { env });
    expect(later.out).toContain('Aiko Tanaka');
  });

  it('refuses an unknown schedule or person before sending anything, and bad numbers as usage errors', async () => {
    const unknown = await hikeshi(['schedule', 'shifts', 'Networking'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no schedule with id or name "Networking"');
    expect(unknown.err).toContain('Schedules: Database');
    const nobody = await hikeshi(['schedule', 'override', 'Database', '--user', 'nobody@example.com', '--start', '0m', '--end', '1h'], { env });
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain('--user: no user');
    const days = await hikeshi(['schedule', 'shifts', 'Database', '--days', 'many'], { env });
    expect(days.code).toBe(2);
    const when = await hikeshi(['oncall', '--at', 'yesterday'], { env });
    expect(when.code).toBe(2);
    const backwards = await hikeshi(['schedule', 'override', 'Database', '--user', 'ken@example.com', '--start', '2h', '--end', '1h'], { env });
    expect(backwards.code).toBe(1);
    expect(backwards.err).toContain('body.end');
  });
});

describe('page commands', () => {
  it('pages someone, lists, acknowledges and resolves; refuses an unclear target', async () => {
    const sent = await hikeshi(['page', 'send', '--title', 'Disk full on db-1', '--user', 'ken@example.com', '--severity', 'error'], { env });
    expect(sent.err).toBe('');
    expect(sent.out).toMatch(/^Paged Ken Sato: Disk full on db-1 \((\S+)\) — notifying Ken Sato\n$/);
    const id = /\((\S+)\)/.exec(sent.out)![1]!;
    const list = await hikeshi(['page', 'list'], { env });
    expect(list.out).toContain(`${id}  triggered    error    Disk full on db-1  · Ken Sato, level 1`);
    expect((await hikeshi(['page', 'list', '--mine'], { env })).out).toBe('No open pages for you.\n');
    expect((await hikeshi(['page', 'ack', id], { env })).out).toBe('Disk full on db-1: acknowledged.\n');
    expect((await hikeshi(['page', 'resolve', id], { env })).out).toBe('Disk full on db-1: resolved.\n');
    expect((await hikeshi(['page', 'ack', id], { env })).out).toBe('Disk full on db-1: already resolved.\n');

    const two = await hikeshi(['page', 'send', '--title', 'x', '--user', 'ken@example.com', '--schedule', 'Database'], { env });
    expect(two.code).toBe(2);
    expect(two.err).toContain('exactly one of --user, --schedule, --team, --policy');
    const none = await hikeshi(['page', 'send', '--title', 'x', '--policy', 'Nope'], { env });
    expect(none.code).toBe(1);
    expect(none.err).toContain('--policy: none with id or name "Nope"');
    const sev = await hikeshi(['page', 'send', '--title', 'x', '--user', 'ken@example.com', '--severity', 'apocalyptic'], { env });
    expect(sev.code).toBe(2);
  });
});

describe('malformed input and failures', () => {
  it('missing --title is a usage error (exit 2)', async () => {
    const r = await hikeshi(['incident', 'declare', '--severity', 'SEV2'], { env });
    expect(r.code).toBe(2);
    expect(r.err).toContain("required option '--title <text>' not specified");
  });

  it('an unknown severity is a usage error that says what is allowed (exit 2)', async () => {
    const r = await hikeshi(['incident', 'declare', '--title', 'x', '--severity', 'SEV9'], { env });
    expect(r.code).toBe(2);
    expect(r.err).toContain('SEV9');
    expect(r.err).toContain('SEV1, SEV2, SEV3, SEV4');
  });

  it('an unknown audience or phase is a usage error (exit 2)', async () => {
    const a = await hikeshi(['incident', 'update', 'INC-1', '--message', 'x', '--audience', 'everyone'], { env });
    expect(a.code).toBe(2);
    expect(a.err).toContain('internal, stakeholder, public');
    const p = await hikeshi(['incident', 'update', 'INC-1', '--message', 'x', '--phase', 'fixed'], { env });
    expect(p.code).toBe(2);
    expect(p.err).toContain('investigating, identified, monitoring, resolved');
  });

  it('a task without purpose or action, or a bad due time, is a usage error (exit 2)', async () => {
    const r = await hikeshi(['incident', 'assign', 'INC-1', '--to', 'ken@example.com', '--action', 'restart'], { env });
    expect(r.code).toBe(2);
    expect(r.err).toContain('--purpose (why) and --action (what)');
    const due = await hikeshi(['incident', 'assign', 'INC-1', '--to', 'ken@example.com', '--purpose', 'p', '--action', 'a', '--due', 'tomorrow'], { env });
    expect(due.code).toBe(2);
    expect(due.err).toContain('ISO time');
  });

  it('an unknown incident is refused with the server’s 404 (exit 1)', async () => {
    const r = await hikeshi(['incident', 'show', 'INC-9999'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: Not found: Incident INC-9999 does not exist');
    const u = await hikeshi(['incident', 'update', 'INC-9999', '--message', 'hello'], { env });
    expect(u.code).toBe(1);
    expect(u.err).toContain('Incident INC-9999 does not exist');
  });

  it('an unknown user is refused before anything is posted (exit 1)', async () => {
    const r = await hikeshi(['incident', 'declare', '--title', 'x', '--severity', 'SEV4', '--commander', 'nobody@example.com'], { env });
    expect(r.code).toBe(1);
    expect(r.err).toContain('--commander: no user with e-mail "nobody@example.com"');
    const list = await hikeshi(['incident', 'list', '--state', 'all'], { env });
    expect(list.out).not.toMatch(/\bx\s+Aiko/);
  });

  it('an unreachable server exits 3 and names the URL and `hikeshi login`', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await hikeshi(['incident', 'list'], { env: { HIKESHI_URL: url, HIKESHI_TOKEN: 'hks_whatever', HIKESHI_CONFIG_DIR: join(root, 'none') } });
    expect(r.code).toBe(3);
    expect(r.err).toContain(`cannot reach ${url}`);
    expect(r.err).toContain('hikeshi login');
  });

  it('without a login, commands say how to log in (exit 2)', async () => {
    const r = await hikeshi(['incident', 'list'], { env: { HIKESHI_CONFIG_DIR: join(root, 'nobody') } });
    expect(r.code).toBe(2);
    expect(r.err).toContain('not logged in');
    expect(r.err).toContain('hikeshi login');
  });

  it('HIKESHI_URL and HIKESHI_TOKEN work without a stored login', async () => {
    const saved = JSON.parse(readFileSync(join(env.HIKESHI_CONFIG_DIR ?? '', 'credentials.json'), 'utf8')) as { token: string };
    const r = await hikeshi(['incident', 'list', '--state', 'all'], { env: { HIKESHI_URL: server.url, HIKESHI_TOKEN: saved.token, HIKESHI_CONFIG_DIR: join(root, 'nobody') } });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Checkout returns 500s');
  });

  it('logout revokes the token: the old token is then refused with 401 (exit 1)', async () => {
    const kenEnv = { HIKESHI_CONFIG_DIR: join(root, 'ken') };
    const file = join(kenEnv.HIKESHI_CONFIG_DIR, 'credentials.json');
    const { token } = JSON.parse(readFileSync(file, 'utf8')) as { token: string };
    const out = await hikeshi(['logout'], { env: kenEnv });
    expect(out.code).toBe(0);
    expect(out.out).toContain('token is revoked');
    expect(() => statSync(file)).toThrow();

    const r = await hikeshi(['incident', 'list'], { env: { HIKESHI_URL: server.url, HIKESHI_TOKEN: token, HIKESHI_CONFIG_DIR: kenEnv.HIKESHI_CONFIG_DIR } });
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: Unauthorized: The API token is unknown, revoked or expired');
    expect(r.err).toContain('hikeshi login');
  });

  it('logout also revokes a token that was given with --token (found by its prefix)', async () => {
    const a = { HIKESHI_CONFIG_DIR: join(root, 'ken-a') };
    const b = { HIKESHI_CONFIG_DIR: join(root, 'ken-b') };
    expect((await hikeshi(['login', '--server', server.url, '--email', 'ken@example.com', '--password-stdin'], { env: a, stdin: kenPassword })).code).toBe(0);
    const { token } = JSON.parse(readFileSync(join(a.HIKESHI_CONFIG_DIR, 'credentials.json'), 'utf8')) as { token: string };
    expect((await hikeshi(['login', '--server', server.url, '--token', token], { env: b })).code).toBe(0);
    expect((await hikeshi(['logout'], { env: b })).code).toBe(0);
    const r = await hikeshi(['incident', 'list'], { env: a });
    expect(r.code).toBe(1);
    expect(r.err).toContain('Unauthorized');
    expect((await hikeshi(['logout'], { env: b })).out).toContain('Not logged in');
  });

  it('warns when the credentials file is readable by others', async () => {
    if (process.platform === 'win32') return;
    const file = join(env.HIKESHI_CONFIG_DIR ?? '', 'credentials.json');
    chmodSync(file, 0o644);
    try {
      const r = await hikeshi(['incident', 'list'], { env });
      expect(r.code).toBe(0);
      expect(r.err).toContain(`warning: ${file} is readable by others; run: chmod 600`);
    } finally {
      chmodSync(file, 0o600);
    }
  });

  it('an unknown command or option is a usage error (exit 2); --help is not', async () => {
    expect((await hikeshi(['incident', 'explode'])).code).toBe(2);
    expect((await hikeshi(['incident', 'list', '--colour'])).code).toBe(2);
    const help = await hikeshi(['incident', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('declare');
  });
});

describe('serve', () => {
  it('refuses an invalid setting, naming it (exit 2)', async () => {
    const r = await hikeshi(['serve', '--port', '99999', '--data-dir', join(root, 'serve-bad')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--port');
    expect(r.err).toContain('99999');
  });

  it('starts, and on a shutdown signal closes and exits 0', async () => {
    const banner = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const stderr = sink();
      let started = false;
      const code = await runCli(['serve', '--port', '0', '--data-dir', join(root, 'serve-ok')], {
        stdout: sink(), stderr, env: { HIKESHI_LOG_LEVEL: 'silent' }, stdin: Readable.from([]),
        shutdownSignal: async () => {
          started = true;
          return 'SIGTERM';
        },
      });
      expect(started).toBe(true);
      expect(code).toBe(0);
      expect(stderr.text).toContain('SIGTERM: shutting down');
      expect(banner.mock.calls.map((c) => String(c[0])).join('')).toContain('Hikeshi is running at http://');
    } finally {
      banner.mockRestore();
    }
  });
});
