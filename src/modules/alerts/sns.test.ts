// CloudWatch via SNS through the whole server: the text/plain body, the certificate fetched over
// real https from an allowed host (our own CA stands in for sns.*.amazonaws.com), the subscription
// confirmed, MessageId deduplication in the database, and forged or off-host messages refused.
import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

const FIXTURES = new URL('../../plugins/sources/cloudwatch-sns/fixtures/', import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Record<string, string>;
const SIGNED: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

let dir: string;
let keyPem: string;
let certPem: string;
let https: Server;
let origin: string;
const fetched: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hikeshi-sns-e2e-'));
  // One throwaway certificate for localhost: the https server's, and the one SNS messages are signed with.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
  certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  https = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    fetched.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url?.endsWith('.pem') ? certPem : '<ConfirmSubscriptionResponse/>');
  });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  origin = `https://localhost:${(https.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => https?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** A message as SNS would send it now, signed (v2) with the test key, its certificate on our https server. */
function signed(base: Record<string, string>, over: Record<string, string> = {}): string {
  const msg: Record<string, string> = { ...base, Timestamp: new Date().toISOString(), SignatureVersion: '2', SigningCertURL: `${origin}/SimpleNotificationService-test.pem`, ...over };
  if (msg.SubscribeURL) msg.SubscribeURL = `${origin}/confirm?Token=${msg.Token}`;
  const text = SIGNED[msg.Type!]!.filter((f) => f in msg).map((f) => `${f}\n${msg[f]}\n`).join('');
  msg.Signature = createSign('RSA-SHA256').update(text, 'utf8').sign(keyPem, 'base64');
  return JSON.stringify(msg);
}

describe.each(DATABASE_KINDS)('CloudWatch via SNS (%s)', (kind) => {
  let ts: TestServer;
  let key: string;
  let integrationId: string;

  beforeAll(async () => {
    ts = await startTestServer(kind, { snsCertHostPattern: '^localhost$', snsCaFile: join(dir, 'cert.pem') });
    const created = await ts.call('POST', '/api/v1/integrations', { token: ts.admin.token, body: { source: 'cloudwatch-sns', name: 'AWS Tokyo' } });
    expect(created.status).toBe(201);
    key = created.body.key;
    integrationId = created.body.id;
  });
  afterAll(async () => ts?.close());

  // SNS posts JSON as text/plain and can only carry the key in the URL.
  const post = (body: string) => ts.call('POST', `/ingest/cloudwatch-sns?key=${key}`, { raw: body, headers: { 'content-type': 'text/plain; charset=UTF-8' } });
  const groups = async () => (await ts.call('GET', `/api/v1/alert-groups?status=all&integrationId=${integrationId}`, { token: ts.admin.token })).body;

  it('confirms the subscription by fetching SubscribeURL, and says so on the integration', async () => {
    const res = await post(signed(fixture('subscription-confirmation')));
    expect(res.status).toBe(200);
    expect(fetched.some((u) => u.startsWith('/confirm?Token='))).toBe(true);
    const integration = await ts.call('GET', `/api/v1/integrations/${integrationId}`, { token: ts.admin.token });
    expect(integration.body.note).toMatch(/confirmed/i);
  });

  it('turns ALARM into a firing group and OK into resolved; a retried MessageId stores nothing new', async () => {
    const alarm = signed(fixture('alarm-firing'));
    expect((await post(alarm)).status).toBe(202);
    expect((await post(alarm)).status).toBe(202); // SNS retries with the same MessageId
    const list = await groups();
    expect(list.total).toBe(1);
    const detail = (await ts.call('GET', `/api/v1/alert-groups/${list.groups[0].id}`, { token: ts.admin.token })).body;
    expect(detail.alerts).toHaveLength(1);
    expect(detail.alerts[0]).toMatchObject({ status: 'firing', receiveCount: 1 });
    expect(detail.alerts[0].labels.region).toBe('ap-northeast-1');

    expect((await post(signed(fixture('alarm-ok')))).status).toBe(202);
    expect((await groups()).groups[0].status).toBe('resolved');
  });

  it('refuses a forged signature or a certificate from another host, and stores nothing', async () => {
    const before = (await groups()).total;
    const forged = JSON.parse(signed(fixture('alarm-firing'), { MessageId: 'forged-1' })) as Record<string, string>;
    forged.Message = forged.Message!.replace('api-5xx-high', 'something-else');
    const res = await post(JSON.stringify(forged));
    expect(res.status).toBe(401);
    const offHost = signed(fixture('alarm-firing'), { MessageId: 'off-host-1', SigningCertURL: 'https://attacker.example/cert.pem' });
    expect((await post(offHost)).status).toBe(401);
    expect(fetched.some((u) => u.includes('attacker'))).toBe(false);
    expect((await groups()).total).toBe(before);
    // JSON sent as application/json is accepted too; anything else is 415.
    expect((await ts.call('POST', `/ingest/cloudwatch-sns?key=${key}`, { raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
  });
});
