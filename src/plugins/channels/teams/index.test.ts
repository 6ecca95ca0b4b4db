// The Teams channel against a real HTTP receiver on loopback (so with allowPrivate), standing in for a
// Workflows webhook: the Adaptive Card message it would get, cut to size; 202 Accepted; which answers
// are retried, when, or given up; the pace per webhook; and, by default, https only and no private
// addresses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelMessage, DeliveryError } from '../../channel.js';
import { PRIVATE_ADDRESS_PROBLEM } from '../webhook/address.js';
import { createTeamsChannel, TEAMS_LIMITS, type TeamsChannelOptions, teamsUrlProblem } from './index.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

const page: ChannelMessage = {
  subject: '[Triggered] Checkout errors',
  text: 'Checkout errors: 5xx above 2% (critical).',
  card: {
    title: 'Checkout errors',
    summary: 'Triggered · critical · 3 alerts',
    facts: [
      { label: 'Service', value: 'checkout & payments' },
      { label: 'Runbook', value: 'see [Acknowledge](https://evil.example/ack)' },
    ],
    actions: [
      { label: 'Acknowledge', url: 'https://hikeshi.example.com/p/ack?sig=abc&exp=1', style: 'primary' },
      { label: 'Resolve', url: 'https://hikeshi.example.com/p/resolve?sig=def', style: 'danger' },
      { label: 'Open in Hikeshi', url: 'https://hikeshi.example.com/incidents/42' },
    ],
    color: '#d93f0b',
  },
};

/** The envelope every Workflows message has around its card. */
function envelope(content: Record<string, unknown>) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', ...content, msteams: { width: 'Full' } },
      },
    ],
  };
}

describe('teams channel', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];
  let answer: (res: ServerResponse) => void = (res) => res.writeHead(202).end();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() });
        answer(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const channel = (options: TeamsChannelOptions = {}) => createTeamsChannel({ timeoutMs: 300, allowPrivate: true, minIntervalMs: 0, ...options });
  const hook = (name = 'abc') => `${base}/workflows/${name}/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cret`;
  const card = () => (JSON.parse(received.at(-1)!.body) as { attachments: [{ content: { body: any[]; actions?: any[] } }] }).attachments[0].content;
  async function failure(p: Promise<unknown>): Promise<DeliveryError> {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }

  it('posts the card as an Adaptive Card 1.4: title, summary, facts, link actions; 202 Accepted is delivered', async () => {
    answer = (res) => res.writeHead(202).end();
    expect(await channel().send(page, { url: hook() }, 'job-1')).toEqual({ ok: true, detail: 'HTTP 202' });
    const got = received.at(-1)!;
    expect(got.path).toBe('/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cret');
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got.headers['x-hikeshi-delivery']).toBe('job-1');
    expect(JSON.parse(got.body)).toEqual(envelope({
      body: [
        { type: 'TextBlock', text: 'Checkout errors', wrap: true, size: 'Large', weight: 'Bolder' },
        { type: 'TextBlock', text: 'Triggered · critical · 3 alerts', wrap: true, isSubtle: true, spacing: 'None' },
        {
          type: 'FactSet',
          facts: [
            { title: 'Service', value: 'checkout & payments' },
            // A Markdown link in user text is broken by a zero-width space: same text, no link.
            { title: 'Runbook', value: 'see [Acknowledge]\u200b(https://evil.example/ack)' },
          ],
        },
      ],
      actions: [
        { type: 'Action.OpenUrl', title: 'Acknowledge', url: 'https://hikeshi.example.com/p/ack?sig=abc&exp=1', style: 'positive' },
        { type: 'Action.OpenUrl', title: 'Resolve', url: 'https://hikeshi.example.com/p/resolve?sig=def', style: 'destructive' },
        { type: 'Action.OpenUrl', title: 'Open in Hikeshi', url: 'https://hikeshi.example.com/incidents/42' },
      ],
    }));
    answer = (res) => res.writeHead(200).end();
    expect(await channel().send(page, { url: hook() }, 'job-2')).toEqual({ ok: true, detail: 'HTTP 200' });
  });

  it('without a card, sends the subject as the title and the text with its line breaks kept', async () => {
    answer = (res) => res.writeHead(202).end();
    await channel().send({ subject: 'Maintenance starts', text: 'Line one\nLine two\n\n\nLine three' }, { url: hook() }, 'job-plain');
    expect(JSON.parse(received.at(-1)!.body)).toEqual(envelope({
      body: [
        { type: 'TextBlock', text: 'Maintenance starts', wrap: true, size: 'Large', weight: 'Bolder' },
        { type: 'TextBlock', text: 'Line one\n\nLine two\n\nLine three', wrap: true },
      ],
    }));
  });

  it('cuts long texts with an ellipsis and keeps at most 20 facts, so the card stays under Teams’ size limit', async () => {
    answer = (res) => res.writeHead(202).end();
    const facts = Array.from({ length: 30 }, (_, i) => ({ label: 'L'.repeat(150), value: i === 0 ? '😀'.repeat(400) : 'v'.repeat(800) }));
    await channel().send({
      subject: 's',
      text: 't',
      card: { title: 'T'.repeat(300), summary: 'S'.repeat(600), facts, actions: [{ label: 'A'.repeat(100), url: 'https://hikeshi.example.com/a' }, { label: 'x', url: 'javascript:alert(1)' }] },
    }, { url: hook() }, 'job-limits');
    const { body, actions } = card();
    expect(body[0].text).toBe(`${'T'.repeat(TEAMS_LIMITS.title - 1)}…`);
    expect(body[1].text).toBe(`${'S'.repeat(TEAMS_LIMITS.summary - 1)}…`);
    expect(body[2].facts).toHaveLength(TEAMS_LIMITS.facts);
    expect(body[2].facts[1]).toEqual({ title: `${'L'.repeat(TEAMS_LIMITS.factTitle - 1)}…`, value: `${'v'.repeat(TEAMS_LIMITS.factValue - 1)}…` });
    const emoji: string = body[2].facts[0].value;
    expect(emoji.length).toBeLessThanOrEqual(TEAMS_LIMITS.factValue);
    expect(emoji).toMatch(/^(😀)+…$/u); // no half surrogate pair at the cut
    expect(actions).toEqual([{ type: 'Action.OpenUrl', title: `${'A'.repeat(TEAMS_LIMITS.actionTitle - 1)}…`, url: 'https://hikeshi.example.com/a' }]);
    expect(Buffer.byteLength(received.at(-1)!.body)).toBeLessThan(28_000);
  });

  it('429 and 503 with Retry-After wait as asked; other 4xx are permanent; 408, 409, 5xx and timeouts are retried', async () => {
    answer = (res) => res.writeHead(429, { 'retry-after': '12' }).end();
    expect((await failure(channel().send(page, { url: hook() }, 'job-429'))).retryAfterMs).toBe(12_000);
    answer = (res) => res.writeHead(503, { 'retry-after': '3' }).end();
    expect((await failure(channel().send(page, { url: hook() }, 'job-503'))).retryAfterMs).toBe(3000);
    for (const [status, permanent] of [[400, true], [401, true], [403, true], [404, true], [408, false], [409, false], [429, false], [500, false], [502, false], [503, false]] as const) {
      answer = (res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'WorkflowNotFound', message: 'The workflow … could not be found.' } }));
      const err = await failure(channel().send(page, { url: hook() }, 'job-err'));
      expect(err.permanent, String(status)).toBe(permanent);
      expect(err.retryAfterMs, String(status)).toBeUndefined();
      expect(err.message).toBe(`teams: HTTP ${status} WorkflowNotFound`);
    }
    answer = (res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    expect((await failure(channel().send(page, { url: hook() }, 'job-302'))).permanent).toBe(true);
    answer = () => {};
    const slow = await failure(channel().send(page, { url: hook() }, 'job-slow'));
    expect([slow.permanent, slow.message]).toEqual([false, 'teams: no answer within 0.3 s']);
  });

  it('paces one webhook at the configured interval, another webhook independently; a long wait becomes retryAfterMs', async () => {
    answer = (res) => res.writeHead(202).end();
    const teams = channel({ minIntervalMs: 250, maxWaitMs: 1000 });
    await teams.send(page, { url: hook('warm') }, 'job-warm');
    const from = received.length;
    await Promise.all([1, 2, 3].map((n) => teams.send(page, { url: hook('paced') }, `job-${n}`)));
    const arrivals = received.slice(from).map((r) => r.at);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(250 - 15);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(250 - 15);

    const eager = channel({ minIntervalMs: 10_000, maxWaitMs: 0 });
    await eager.send(page, { url: hook('one') }, 'job-1');
    await eager.send(page, { url: hook('two') }, 'job-2');
    const count = received.length;
    const busy = await failure(eager.send(page, { url: hook('one') }, 'job-3'));
    expect(busy.permanent).toBe(false);
    expect(busy.retryAfterMs).toBeGreaterThan(5000);
    expect(received.length).toBe(count);
  });

  it('by default takes any https host but not http, and refuses private addresses for good, sending nothing', async () => {
    for (const url of [
      'https://prod-12.westeurope.logic.azure.com:443/workflows/0123abcd/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=abc',
      'https://default0123.ab.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/0123/triggers/manual/paths/invoke?api-version=1&sig=abc',
    ]) expect(teamsUrlProblem(url), url).toBeNull();
    const strict = createTeamsChannel({ timeoutMs: 300 });
    expect(await strict.targetProblem('http://prod-12.westeurope.logic.azure.com/workflows/x')).toBe('must be an https URL');
    expect(await strict.targetProblem('https://hooks.invalid/x')).toBeNull(); // does not resolve: checked again when sent
    const port = new URL(base).port;
    const count = received.length;
    for (const url of [`https://127.0.0.1:${port}/workflows/x`, 'https://169.254.169.254/latest/meta-data/', `https://[::ffff:127.0.0.1]:${port}/x`, `https://localhost:${port}/workflows/x`]) {
      expect(await strict.targetProblem(url), url).toBe(PRIVATE_ADDRESS_PROBLEM);
      const err = await failure(strict.send(page, { url }, 'job-private'));
      expect(err.permanent, url).toBe(true);
      expect(err.message, url).toContain(PRIVATE_ADDRESS_PROBLEM);
    }
    const http = await failure(strict.send(page, { url: hook() }, 'job-http'));
    expect([http.permanent, http.message]).toEqual([true, 'teams URL must be an https URL']);
    expect(received.length).toBe(count);
  });
});
