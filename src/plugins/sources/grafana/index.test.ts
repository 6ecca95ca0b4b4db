import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { context, DEFAULT_RECEIVED_AT, expectGolden, expectInputError, fixtureNames, inbound } from '../golden.js';
import { grafanaSignature } from './hmac.js';
import grafana from './index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, any>;
const SECRET = 'test-only-grafana-hmac-secret';
const NOW_S = String(Date.parse(DEFAULT_RECEIVED_AT) / 1000);

/** Headers as Grafana sets them with a timestamp header configured. */
const signedHeaders = (rawBody: string, ts = NOW_S) => ({
  'x-grafana-alerting-timestamp': ts,
  'x-grafana-alerting-signature': grafanaSignature(SECRET, rawBody, ts),
});

type Config = Parameters<typeof grafana.parse>[1]['config'];
function parseWith(body: unknown, config: Config, headers: (raw: string) => Record<string, string> = () => ({}), rawBody = JSON.stringify(body)) {
  return grafana.parse(inbound(body, { rawBody, headers: headers(rawBody) }), context(grafana.configSchema.parse(config)));
}
const parse = (body: unknown) => parseWith(body, {});
const withAlert = (patch: Record<string, unknown>) => {
  const body = fixture('firing');
  body.alerts[0] = { ...body.alerts[0], ...patch };
  return body;
};

describe('grafana: golden fixtures', () => {
  for (const name of fixtureNames(FIXTURES)) {
    it(name, () => expectGolden(grafana, FIXTURES, name, { headers: (raw) => signedHeaders(raw) }));
  }
});

describe('grafana: HMAC signature', () => {
  const timed = { hmacSecret: SECRET, timestampHeader: 'X-Grafana-Alerting-Timestamp' };
  const body = fixture('signed-truncated');

  it('accepts the body signed alone when no timestamp header is configured', async () => {
    const out = await parseWith(body, { hmacSecret: SECRET }, (raw) => ({ 'x-grafana-alerting-signature': grafanaSignature(SECRET, raw) }));
    expect(out.kind).toBe('alerts');
  });

  it('also finds the signature under the early default header name', async () => {
    const out = await parseWith(body, { hmacSecret: SECRET }, (raw) => ({ 'x-grafana-alert-signature': grafanaSignature(SECRET, raw) }));
    expect(out.kind).toBe('alerts');
  });

  it('reads a configured signature header', async () => {
    const config = { hmacSecret: SECRET, signatureHeader: 'X-Hikeshi-Sig' };
    await expect(parseWith(body, config, (raw) => ({ 'x-hikeshi-sig': grafanaSignature(SECRET, raw) }))).resolves.toMatchObject({ kind: 'alerts' });
    await expectInputError(parseWith(body, config, (raw) => ({ 'x-grafana-alerting-signature': grafanaSignature(SECRET, raw) })), 'headers.x-hikeshi-sig', 401);
  });

  it('refuses a request without a signature', () => expectInputError(parseWith(body, timed), 'headers.x-grafana-alerting-signature', 401));

  it('refuses a signature made with another secret', () =>
    expectInputError(parseWith(body, timed, (raw) => ({ 'x-grafana-alerting-timestamp': NOW_S, 'x-grafana-alerting-signature': grafanaSignature('other', raw, NOW_S) })), 'headers.x-grafana-alerting-signature', 401));

  it('refuses a tampered body', () => {
    const signedFor = JSON.stringify(body);
    const tampered = signedFor.replace('"firing"', '"resolved"');
    return expectInputError(parseWith(JSON.parse(tampered), timed, () => signedHeaders(signedFor), tampered), 'headers.x-grafana-alerting-signature', 401);
  });

  it('refuses a signature without its timestamp, and a timestamp moved after signing', async () => {
    await expectInputError(parseWith(body, timed, (raw) => ({ 'x-grafana-alerting-signature': grafanaSignature(SECRET, raw, NOW_S) })), 'headers.x-grafana-alerting-timestamp', 401);
    await expectInputError(parseWith(body, timed, (raw) => ({ ...signedHeaders(raw), 'x-grafana-alerting-timestamp': String(Number(NOW_S) + 1) })), 'headers.x-grafana-alerting-signature', 401);
  });

  it('refuses a timestamp outside the 5-minute replay window, either way', async () => {
    await expectInputError(parseWith(body, timed, (raw) => signedHeaders(raw, String(Number(NOW_S) - 301))), 'headers.x-grafana-alerting-timestamp', 401);
    await expectInputError(parseWith(body, timed, (raw) => signedHeaders(raw, String(Number(NOW_S) + 301))), 'headers.x-grafana-alerting-timestamp', 401);
    await expect(parseWith(body, timed, (raw) => signedHeaders(raw, String(Number(NOW_S) - 299)))).resolves.toMatchObject({ kind: 'alerts' });
  });

  it('does not check anything when no secret is configured', async () => {
    await expect(parse(body)).resolves.toMatchObject({ kind: 'alerts' });
  });

  it('refuses header settings without a secret in the config', () => {
    expect(grafana.configSchema.safeParse({ timestampHeader: 'X-Ts' }).success).toBe(false);
    expect(grafana.configSchema.safeParse({ hmacSecret: 's', signatureHeader: 'bad header' }).success).toBe(false);
    expect(grafana.configSchema.safeParse({ hmacSecret: 's', extra: 1 }).success).toBe(false);
  });
});

describe('grafana: malformed input names the field', () => {
  it('refuses a body that is not an object', () => expectInputError(parse('firing'), 'body'));
  it('explains a legacy alert notification', () => expectInputError(parse({ evalMatches: [], ruleName: 'x', state: 'alerting' }), 'alerts'));
  it('refuses another payload version', () => expectInputError(parse({ ...fixture('firing'), version: '2' }), 'version'));
  it('refuses a number where Grafana sends a string label', () => expectInputError(parse(withAlert({ labels: { alertname: 'A', zone: 1 } })), 'alerts[0].labels.zone'));
  it('refuses an unknown status', () => expectInputError(parse(withAlert({ status: 'alerting' })), 'alerts[0].status'));
  it('refuses a non-string URL field', () => expectInputError(parse(withAlert({ dashboardURL: 5 })), 'alerts[0].dashboardURL'));
  it('refuses a bad endsAt', () => expectInputError(parse(withAlert({ endsAt: 'never' })), 'alerts[0].endsAt'));
  it('names odd label names in brackets', () => expectInputError(parse(withAlert({ labels: { alertname: 'A', 'k8s.pod': 'x'.repeat(1001) } })), 'alerts[0].labels["k8s.pod"]'));
});
