// The Slack channel against a real HTTP receiver on loopback (so with allowPrivate): the Block Kit
// document Slack would get, cut to Slack's limits and escaped; which answers are retried, when, or
// given up; the pace per webhook; and which URLs it accepts without allowPrivate.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelMessage, DeliveryError } from '../../channel.js';
import { createSlackChannel, escapeMrkdwn, SLACK_LIMITS, type SlackChannelOptions, slackUrlProblem } from './index.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

const page: ChannelMessage = {
  subject: '[Triggered] Checkout errors',
  text: 'Checkout errors: 5xx above 2% (critical). Acknowledge: https://hikeshi.example.com/a/1',
  card: {
    title: 'Checkout errors <!channel>',
    summary: 'Triggered · critical · 3 alerts',
    facts: [
      { label: 'Service', value: 'checkout & payments' },
      { label: 'Alert', value: 'error rate > 2% for <5m>' },
    ],
    actions: [
      { label: 'Acknowledge', url: 'https://hikeshi.example.com/p/ack?sig=abc&exp=1', style: 'primary' },
      { label: 'Resolve', url: 'https://hikeshi.example.com/p/resolve?sig=def', style: 'danger' },
      { label: 'Open in Hikeshi', url: 'https://hikeshi.example.com/incidents/42' },
    ],
    color: '#d93f0b',
  },
};

describe('slack channel', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];
  let answer: (res: ServerResponse) => void = (res) => res.writeHead(200).end('ok');

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

  /** A channel for loopback; pacing off unless a test is about pacing. */
  const channel = (options: SlackChannelOptions = {}) => createSlackChannel({ timeoutMs: 300, allowPrivate: true, minIntervalMs: 0, ...options });
  const hook = (name = 'T1/B1/x') => `${base}/services/${name}`;
  const last = () => JSON.parse(received.at(-1)!.body) as { text: string; blocks: any[] };
  async function failure(p: Promise<unknown>): Promise<DeliveryError> {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }

  it('posts the card as Block Kit: header, summary, fields, link buttons; mrkdwn escaped, no colour', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
    expect(await channel().send(page, { url: hook() }, 'job-1')).toEqual({ ok: true, detail: 'HTTP 200 ok' });
    const got = received.at(-1)!;
    expect(got.path).toBe('/services/T1/B1/x');
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got.headers['x-hikeshi-delivery']).toBe('job-1');
    expect(JSON.parse(got.body)).toEqual({
      text: 'Checkout errors: 5xx above 2% (critical). Acknowledge: https://hikeshi.example.com/a/1',
      blocks: [
        // plain_text is shown as is: nothing to escape, and <!channel> there notifies nobody.
        { type: 'header', text: { type: 'plain_text', text: 'Checkout errors <!channel>', emoji: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Triggered · critical · 3 alerts' }] },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Service*\ncheckout &amp; payments' },
            { type: 'mrkdwn', text: '*Alert*\nerror rate &gt; 2% for &lt;5m&gt;' },
          ],
        },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'hikeshi-0', text: { type: 'plain_text', text: 'Acknowledge', emoji: true }, url: 'https://hikeshi.example.com/p/ack?sig=abc&exp=1', style: 'primary' },
            { type: 'button', action_id: 'hikeshi-1', text: { type: 'plain_text', text: 'Resolve', emoji: true }, url: 'https://hikeshi.example.com/p/resolve?sig=def', style: 'danger' },
            { type: 'button', action_id: 'hikeshi-2', text: { type: 'plain_text', text: 'Open in Hikeshi', emoji: true }, url: 'https://hikeshi.example.com/incidents/42' },
          ],
        },
      ],
    });
    expect(got.body).not.toContain('attachments');
  });

  it('escapes Slack control characters so user text cannot mention everyone or disguise a link', async () => {
    expect(escapeMrkdwn('<!channel> & <https://evil.example|Acknowledge>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil.example|Acknowledge&gt;');
    await channel().send({ subject: 'x', text: '<!here> deploy <https://evil.example|ack> & more' }, { url: hook() }, 'job-esc');
    const body = last();
    expect(body.text).toBe('x\n&lt;!here&gt; deploy &lt;https://evil.example|ack&gt; &amp; more');
    expect(body.blocks[1].text.text).toBe('&lt;!here&gt; deploy &lt;https://evil.example|ack&gt; &amp; more');
  });

  it('cuts every text to Slack’s limits with an ellipsis, never inside an escape, and splits fields by ten', async () => {
    const facts = Array.from({ length: 25 }, (_, i) => ({ label: `L${i}`, value: i === 0 ? '&'.repeat(1000) : i === 1 ? 'v'.repeat(2500) : `v${i}` }));
    await channel().send({
      subject: 's',
      text: 't',
      card: {
        title: 'T'.repeat(200),
        summary: '<'.repeat(1000),
        facts,
        actions: [
          { label: 'A'.repeat(100), url: 'https://hikeshi.example.com/a' },
          { label: 'bad scheme', url: 'javascript:alert(1)' },
          { label: 'too long', url: `https://hikeshi.example.com/${'x'.repeat(3000)}` },
        ],
      },
    }, { url: hook() }, 'job-limits');
    const { blocks } = last();
    expect(blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section', 'actions']);
    const header: string = blocks[0].text.text;
    expect(header).toHaveLength(SLACK_LIMITS.headerText);
    expect(header.endsWith('T…')).toBe(true);
    const summary: string = blocks[1].elements[0].text;
    expect(summary.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(summary).toMatch(/^(&lt;)+…$/); // whole escapes only
    expect(blocks[2].fields).toHaveLength(10);
    expect(blocks[3].fields).toHaveLength(SLACK_LIMITS.facts - 10);
    const [amps, long] = blocks[2].fields.map((f: { text: string }) => f.text);
    expect(amps.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    expect(amps).toMatch(/^\*L0\*\n(&amp;)+…$/);
    expect(long).toHaveLength(SLACK_LIMITS.fieldText);
    expect(long.endsWith('v…')).toBe(true);
    // A button Slack would refuse is left out; the rest of the card still goes.
    expect(blocks[4].elements).toHaveLength(1);
    expect(blocks[4].elements[0].text.text).toBe(`${'A'.repeat(74)}…`);
    expect(blocks[4].elements[0].url).toBe('https://hikeshi.example.com/a');
  });

  it('without a card, sends the subject as the header and the text as a section', async () => {
    await channel().send({ subject: 'Maintenance starts', text: 'Line one\nLine two' }, { url: hook() }, 'job-plain');
    expect(last()).toEqual({
      text: 'Maintenance starts\nLine one\nLine two',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Maintenance starts', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Line one\nLine two' } },
      ],
    });
  });

  it('gives up on Slack’s refusals for good, naming Slack’s reason; retries 5xx, timeouts and lost connections', async () => {
    for (const [status, reason] of [[400, 'invalid_payload'], [403, 'action_prohibited'], [404, 'no_service'], [410, 'channel_is_archived']] as const) {
      answer = (res) => res.writeHead(status).end(reason);
      const err = await failure(channel().send(page, { url: hook() }, 'job-refused'));
      expect(err.permanent, String(status)).toBe(true);
      expect(err.message).toBe(`slack: HTTP ${status} ${reason}`);
    }
    for (const status of [500, 502, 503, 408]) {
      answer = (res) => res.writeHead(status).end(status === 500 ? 'rollup_error' : '');
      const err = await failure(channel().send(page, { url: hook() }, 'job-5xx'));
      expect(err.permanent, String(status)).toBe(false);
      expect(err.retryAfterMs).toBeUndefined();
    }
    answer = () => {}; // never answers
    const slow = await failure(channel().send(page, { url: hook() }, 'job-slow'));
    expect([slow.permanent, slow.message]).toEqual([false, 'slack: no answer within 0.3 s']);
    expect((await failure(channel().send(page, { url: 'http://127.0.0.1:1/services/x' }, 'job-down'))).permanent).toBe(false);
  });

  it('429 with Retry-After is retried no sooner than asked, and holds back that webhook meanwhile', async () => {
    const slack = channel({ minIntervalMs: 1000, maxWaitMs: 2000 });
    answer = (res) => res.writeHead(429, { 'retry-after': '30' }).end('rate_limited');
    const limited = await failure(slack.send(page, { url: hook('T/B/limited') }, 'job-429'));
    expect([limited.permanent, limited.retryAfterMs]).toEqual([false, 30_000]);
    // The next message for that webhook is not sent into the same limit.
    answer = (res) => res.writeHead(200).end('ok');
    const count = received.length;
    const held = await failure(slack.send(page, { url: hook('T/B/limited') }, 'job-429b'));
    expect(held.retryAfterMs).toBeGreaterThan(28_000);
    expect(received.length).toBe(count);
    await slack.send(page, { url: hook('T/B/other') }, 'job-other');
    expect(received.length).toBe(count + 1);
  });

  it('paces one webhook: a second message waits out the interval; another webhook is not held up', async () => {
    answer = (res) => res.writeHead(200).end('ok');
    const slack = channel({ minIntervalMs: 300, maxWaitMs: 1000 });
    await slack.send(page, { url: hook('T/B/warm') }, 'job-warm'); // opens the connection, so both timed posts reuse one
    const from = received.length;
    await Promise.all([slack.send(page, { url: hook('T/B/paced') }, 'job-a'), slack.send(page, { url: hook('T/B/paced') }, 'job-b')]);
    const [a, b] = received.slice(from);
    expect([a!.path, b!.path]).toEqual(['/services/T/B/paced', '/services/T/B/paced']);
    // Measured on arrival; a few ms of leeway for the two requests' own transit.
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(300 - 15);

    // With no waiting allowed, the same webhook is refused a second message at once, another webhook is not.
    const eager = channel({ minIntervalMs: 60_000, maxWaitMs: 0 });
    await eager.send(page, { url: hook('T/B/one') }, 'job-1');
    await eager.send(page, { url: hook('T/B/two') }, 'job-2');
    const busy = await failure(eager.send(page, { url: hook('T/B/one') }, 'job-3'));
    expect(busy.permanent).toBe(false);
    expect(busy.retryAfterMs).toBeGreaterThan(55_000);
    expect(busy.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('a wait longer than maxWaitMs is handed to the queue as retryAfterMs, sending nothing', async () => {
    const slack = channel({ minIntervalMs: 5000, maxWaitMs: 100 });
    await slack.send(page, { url: hook('T/B/long') }, 'job-1');
    const count = received.length;
    const err = await failure(slack.send(page, { url: hook('T/B/long') }, 'job-2'));
    expect(err.retryAfterMs).toBeGreaterThan(4000);
    expect(err.message).toMatch(/^slack: this webhook takes one message every 5000 ms; next slot in \d+ ms$/);
    expect(received.length).toBe(count);
  });

  it('without allowPrivate takes only https://hooks.slack.com/services/… URLs, and never a private address', async () => {
    const strict = createSlackChannel({ timeoutMs: 300 });
    expect(slackUrlProblem('https://hooks.slack.com/services/T000/B000/XXXX')).toBeNull();
    expect(slackUrlProblem('https://hooks.slack-gov.com/services/T000/B000/XXXX')).toBeNull();
    expect(slackUrlProblem('https://HOOKS.SLACK.COM:443/services/T000/B000/XXXX')).toBeNull();
    const notSlack = 'must be a Slack incoming webhook URL (https://hooks.slack.com/services/…)';
    for (const [url, problem] of [
      ['http://hooks.slack.com/services/T000/B000/XXXX', 'must be an https URL'],
      ['https://example.com/services/T000/B000/XXXX', notSlack],
      ['https://hooks.slack.com.evil.example/services/T/B/X', notSlack],
      ['https://hooks.slack.com:8443/services/T/B/X', notSlack],
      ['https://hooks.slack.com/triggers/T000/1/abc', 'must be an incoming webhook URL (https://hooks.slack.com/services/…), not a Workflow Builder trigger'],
      ['https://user:pw@hooks.slack.com/services/T/B/X', 'must not carry a user name or password'],
      ['ftp://hooks.slack.com/services/T/B/X', 'must be an https URL'],
      [hook(), 'must be an https URL'],
      [hook().replace('http:', 'https:'), notSlack],
      ['https://169.254.169.254/services/x', notSlack],
    ] as const) {
      expect(await strict.targetProblem(url), url).toBe(problem);
    }
    const count = received.length;
    for (const url of [hook(), hook().replace('http:', 'https:'), 'http://hooks.slack.com/services/T/B/X', `https://localhost:${new URL(base).port}/services/x`]) {
      const err = await failure(strict.send(page, { url }, 'job-strict'));
      expect(err.permanent, url).toBe(true);
      expect(err.message, url).not.toContain(url); // the URL is the secret
    }
    expect(received.length).toBe(count);
    expect(await channel().targetProblem(hook())).toBeNull();
  });
});
