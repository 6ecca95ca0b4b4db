import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, expectGolden, expectInputError, fixtureNames, inbound } from '../golden.js';
import sns, { createCloudwatchSnsSource } from './index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, string>;

// A throwaway self-signed key pair made for this run only; the plugin trusts whatever
// certificate fetchText returns from an allowed host, so tests stand in for sns.*.amazonaws.com.
let dir: string;
let keyPem: string;
let certPem: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hikeshi-sns-test-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '2', '-subj', '/CN=sns.amazonaws.com (test only)'], { stdio: 'ignore' });
  keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
  certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Written from the AWS documentation, independently of the plugin's own list.
const SIGNED = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
} as Record<string, string[]>;

/** Signs a message the way SNS does, with SHA1withRSA (v1) or SHA256withRSA (v2) as it says. */
function sign(body: unknown): Record<string, string> {
  const msg = { ...(body as Record<string, string>) };
  const text = SIGNED[msg.Type!]!.filter((f) => f in msg).map((f) => `${f}\n${msg[f]}\n`).join('');
  msg.Signature = createSign(msg.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256').update(text, 'utf8').sign(keyPem, 'base64');
  return msg;
}

/** A fetchText that serves the test certificate and records every URL asked for. */
function fetcher() {
  const urls: string[] = [];
  const fetchText = async (url: string) => {
    urls.push(url);
    return url.endsWith('.pem') ? certPem : '<ConfirmSubscriptionResponse/>';
  };
  return { urls, fetchText };
}

const parse = (body: unknown, opts: { config?: object; plugin?: typeof sns; fetch?: ReturnType<typeof fetcher>; receivedAt?: string } = {}) =>
  (opts.plugin ?? createCloudwatchSnsSource()).parse(
    inbound(body, { headers: { 'content-type': 'text/plain; charset=UTF-8' }, receivedAt: opts.receivedAt }),
    context(sns.configSchema.parse(opts.config ?? {}), (opts.fetch ?? fetcher()).fetchText),
  );

describe('cloudwatch-sns: golden fixtures (signed at test time)', () => {
  for (const name of fixtureNames(FIXTURES)) {
    it(name, () => expectGolden(sns, FIXTURES, name, { transform: sign, fetchText: fetcher().fetchText }));
  }
});

describe('cloudwatch-sns: signatures', () => {
  it('verifies SignatureVersion 1 (SHA1) and 2 (SHA256)', async () => {
    expect(fixture('alarm-ok').SignatureVersion).toBe('1');
    expect(fixture('alarm-firing').SignatureVersion).toBe('2');
    await expect(parse(sign(fixture('alarm-ok')))).resolves.toMatchObject({ kind: 'alerts' });
    await expect(parse(sign(fixture('alarm-firing')))).resolves.toMatchObject({ kind: 'alerts' });
  });

  it('refuses a message changed after signing', () => {
    const signed = sign(fixture('alarm-firing'));
    return expectInputError(parse({ ...signed, Message: signed.Message!.replace('"ALARM"', '"OK"') }), 'Signature', 401);
  });

  it('refuses a Subject added after signing', () => {
    const signed = sign(fixture('health-open'));
    return expectInputError(parse({ ...signed, Subject: 'injected' }), 'Signature', 401);
  });

  it('refuses a missing signature and an unknown SignatureVersion', async () => {
    await expectInputError(parse({ ...sign(fixture('alarm-firing')), Signature: '' }), 'Signature', 401);
    await expectInputError(parse(sign({ ...fixture('alarm-firing'), SignatureVersion: '3' })), 'SignatureVersion', 401);
  });

  for (const [what, url] of [
    ['a host that is not SNS', 'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem'],
    ['plain http', 'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem'],
    ['a path that is not .pem', 'https://sns.us-east-1.amazonaws.com/?Action=GetCert'],
  ] as const) {
    it(`refuses a certificate URL on ${what}, without fetching it`, async () => {
      const fetch = fetcher();
      await expectInputError(parse(sign({ ...fixture('alarm-firing'), SigningCertURL: url }), { fetch }), 'SigningCertURL', 401);
      expect(fetch.urls).toEqual([]);
    });
  }

  it('accepts certificates from a host the server allows (tests, private endpoints)', async () => {
    const plugin = createCloudwatchSnsSource({ certHostPattern: /^127\.0\.0\.1$/ });
    const body = sign({ ...fixture('plain-text'), SigningCertURL: 'https://127.0.0.1:8443/test-cert.pem' });
    await expect(parse(body, { plugin })).resolves.toMatchObject({ kind: 'alerts' });
    await expectInputError(parse(sign(fixture('plain-text')), { plugin }), 'SigningCertURL', 401);
  });

  it('fetches each signing certificate once', async () => {
    const plugin = createCloudwatchSnsSource();
    const fetch = fetcher();
    await parse(sign(fixture('alarm-firing')), { plugin, fetch });
    await parse(sign(fixture('health-open')), { plugin, fetch });
    expect(fetch.urls).toEqual([fixture('alarm-firing').SigningCertURL]);
  });

  it('refuses a certificate URL that does not return a certificate', async () => {
    const plugin = createCloudwatchSnsSource();
    const out = plugin.parse(inbound(sign(fixture('alarm-firing'))), context({}, async () => '<html>not a cert</html>'));
    await expectInputError(out, 'SigningCertURL', 401);
  });
});

describe('cloudwatch-sns: replay window and topics', () => {
  it('refuses a message more than an hour old', () =>
    expectInputError(parse(sign(fixture('alarm-firing')), { receivedAt: '2024-06-01T13:00:00Z' }), 'Timestamp', 401));
  it('refuses a message from more than 5 minutes in the future', () =>
    expectInputError(parse(sign(fixture('alarm-firing')), { receivedAt: '2024-06-01T11:54:00Z' }), 'Timestamp', 401));
  it('accepts one 59 minutes old (SNS retries)', () =>
    expect(parse(sign(fixture('alarm-firing')), { receivedAt: '2024-06-01T12:58:58Z' })).resolves.toMatchObject({ kind: 'alerts' }));

  it('refuses topics the integration does not list', async () => {
    const config = { topicArns: ['arn:aws:sns:ap-northeast-1:123456789012:other-topic'] };
    const fetch = fetcher();
    await expectInputError(parse(sign(fixture('alarm-firing')), { config, fetch }), 'TopicArn', 401);
    expect(fetch.urls).toEqual([]);
    const allowed = { topicArns: ['arn:aws:sns:ap-northeast-1:123456789012:hikeshi-alarms'] };
    await expect(parse(sign(fixture('alarm-firing')), { config: allowed })).resolves.toMatchObject({ kind: 'alerts' });
  });

  it('refuses a topic list entry that is not an SNS ARN', () => {
    expect(sns.configSchema.safeParse({ topicArns: ['hikeshi-alarms'] }).success).toBe(false);
  });
});

describe('cloudwatch-sns: subscriptions', () => {
  it('confirms a subscription by visiting SubscribeURL after verifying the signature', async () => {
    const fetch = fetcher();
    const body = fixture('subscription-confirmation');
    const out = await parse(sign(body), { fetch });
    expect(fetch.urls).toEqual([body.SigningCertURL, body.SubscribeURL]);
    expect(out).toMatchObject({ kind: 'reply', status: 200, note: 'confirmed subscription to arn:aws:sns:us-west-2:123456789012:MyTopic' });
  });

  it('does not visit SubscribeURL when the signature is wrong', async () => {
    const fetch = fetcher();
    const signed = sign(fixture('subscription-confirmation'));
    await expectInputError(parse({ ...signed, SubscribeURL: 'https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=other' }, { fetch }), 'Signature', 401);
    expect(fetch.urls).not.toContain(expect.stringContaining('ConfirmSubscription'));
  });
});

describe('cloudwatch-sns: malformed input names the field', () => {
  it('refuses raw message delivery (no SNS envelope)', () => expectInputError(parse({ AlarmName: 'x', NewStateValue: 'ALARM' }), 'Type'));
  it('refuses a body that is not an object', () => expectInputError(parse('hello'), 'body'));
  it('refuses a Type that is an Object.prototype member', () => expectInputError(parse({ ...fixture('alarm-firing'), Type: 'constructor' }), 'Type'));
  it('refuses a notification without MessageId', () => {
    const { MessageId: _, ...rest } = fixture('alarm-firing');
    return expectInputError(parse(rest), 'MessageId');
  });
  it('refuses a bad Timestamp', () => expectInputError(parse({ ...fixture('alarm-firing'), Timestamp: 'now' }), 'Timestamp'));
  it('refuses an alarm with an unknown state, naming the field inside Message', () => {
    const body = fixture('alarm-firing');
    return expectInputError(parse(sign({ ...body, Message: body.Message!.replace('"NewStateValue":"ALARM"', '"NewStateValue":"BROKEN"') })), 'Message.NewStateValue');
  });
  it('refuses a NUL character escaped inside Message', () => {
    const body = fixture('alarm-firing');
    return expectInputError(parse(sign({ ...body, Message: body.Message!.replace('"AlarmName":"api-5xx-high"', '"AlarmName":"api\\u0000"') })), 'Message.AlarmName');
  });
  it('refuses a Health event with an unknown statusCode', () => {
    const body = fixture('health-open');
    return expectInputError(parse(sign({ ...body, Message: body.Message!.replace('"statusCode":"open"', '"statusCode":"pending"') })), 'Message.detail.statusCode');
  });
});
