import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { context, expectGolden, expectInputError, fixtureNames, inbound } from '../golden.js';
import { labelsFingerprint } from '../fingerprint.js';
import prometheus from './index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const parse = (body: unknown) => prometheus.parse(inbound(body), context({}));
const alert = (extra: Record<string, unknown> = {}) => ({ labels: { alertname: 'A', instance: 'x:1' }, ...extra });

describe('prometheus: golden fixtures', () => {
  for (const name of fixtureNames(FIXTURES)) {
    it(name, () => expectGolden(prometheus, FIXTURES, name));
  }
});

describe('prometheus: dedup key is Alertmanager\'s fingerprint', () => {
  // Read back from GET /api/v2/alerts of prometheus-alertmanager 0.25.0 after posting these label sets.
  const fromAlertmanager: [string, Record<string, string>][] = [
    ['7d81c0c5f838d616', { alertname: 'HighErrorRate', instance: 'api-1:9100', job: 'api', severity: 'critical' }],
    ['05ba2d0a4efcd315', { alertname: 'DiskFull', device: '/dev/sda1', instance: 'db-1:9100', job: 'node', severity: 'warning' }],
    ['4ca62d040e78b6d8', { alertname: 'Test', dc: 'eu-west-1', instance: 'localhost:9090', job: 'prometheus24' }],
    ['3f9812fdc8466af9', { alertname: 'InstanceDown', instance: 'web-2:9100', job: 'node', severity: 'page', team: 'sre' }],
    ['df67abf3fbab5cfe', { alertname: 'Unicode', team: 'インフラ', x: 'é' }],
    ['cce700bd6eed7e57', { alertname: 'EmptyDropped' }],
  ];
  for (const [fingerprint, labels] of fromAlertmanager) {
    it(`${labels.alertname} → ${fingerprint}`, async () => {
      expect(labelsFingerprint(labels)).toBe(fingerprint);
      const out = await parse([{ labels }]);
      expect(out.kind === 'alerts' && out.alerts[0]!.dedupKey).toBe(fingerprint);
    });
  }

  it('drops empty label values before fingerprinting, as Alertmanager does', async () => {
    const out = await parse([{ labels: { alertname: 'EmptyDropped', empty: '' } }]);
    expect(out.kind === 'alerts' && out.alerts[0]).toMatchObject({ dedupKey: 'cce700bd6eed7e57', labels: { alertname: 'EmptyDropped' } });
  });
});

describe('prometheus: status follows endsAt', () => {
  it('is resolved exactly when endsAt is at or before the time received', async () => {
    const at = (endsAt: string) => parse([alert({ endsAt })]).then((o) => o.kind === 'alerts' && o.alerts[0]!.status);
    expect(await at('2024-06-01T12:00:00Z')).toBe('resolved');
    expect(await at('2024-06-01T12:00:00.001Z')).toBe('firing');
  });
});

describe('prometheus: malformed input names the field', () => {
  it('refuses a body that is not an array', () => expectInputError(parse({ labels: { a: 'b' } }), 'body'));
  it('refuses more than 1000 alerts', () => expectInputError(parse(Array.from({ length: 1001 }, () => alert())), 'body'));
  it('refuses an alert that is not an object', () => expectInputError(parse([alert(), 'x']), '[1]'));
  it('refuses a non-string label value', () =>
    expectInputError(parse([alert(), alert(), alert(), { labels: { alertname: 7 } }]), '[3].labels.alertname'));
  it('refuses an alert without labels', () => expectInputError(parse([{ labels: {} }]), '[0].labels'));
  it('refuses an alert whose only label is empty', () => expectInputError(parse([{ labels: { alertname: '' } }]), '[0].labels'));
  it('refuses a label name Alertmanager would refuse', () => expectInputError(parse([{ labels: { 'a.b': '1' } }]), '[0].labels["a.b"]'));
  it('refuses a bad startsAt', () => expectInputError(parse([alert({ startsAt: 'yesterday' })]), '[0].startsAt'));
  it('refuses an impossible date', () => expectInputError(parse([alert({ endsAt: '2024-02-30T00:00:00Z' })]), '[0].endsAt'));
  it('refuses endsAt before startsAt', () =>
    expectInputError(parse([alert({ startsAt: '2024-06-01T12:00:00Z', endsAt: '2024-06-01T11:00:00Z' })]), '[0].endsAt'));
  it('refuses NUL characters', () => expectInputError(parse([alert({ annotations: { summary: 'a\u0000b' } })]), '[0].annotations.summary'));
  it('refuses a label value over 1,000 characters', () =>
    expectInputError(parse([{ labels: { alertname: 'A', instance: 'x'.repeat(1001) } }]), '[0].labels.instance'));
  it('refuses more than 64 labels', () => {
    const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, 'v']));
    return expectInputError(parse([{ labels }]), '[0].labels');
  });
  it('refuses non-string annotations', () => expectInputError(parse([alert({ annotations: { summary: ['x'] } })]), '[0].annotations.summary'));
});

describe('prometheus: names that are also Object.prototype members', () => {
  it('keeps __proto__ as an ordinary annotation and does not read "constructor" as a severity', async () => {
    const body = JSON.parse('[{"labels":{"alertname":"A","severity":"constructor"},"annotations":{"__proto__":"x"}}]');
    const out = await parse(body);
    expect(out.kind === 'alerts' && out.alerts[0]).toMatchObject({ severity: 'warning', annotations: JSON.parse('{"__proto__":"x"}') });
  });
});

describe('prometheus: display limits', () => {
  it('clips a long summary to a 500-character title and keeps it whole in annotations', async () => {
    const summary = 'Very long summary '.repeat(40);
    const out = await parse([alert({ annotations: { summary } })]);
    const a = out.kind === 'alerts' ? out.alerts[0]! : null;
    expect(a!.title).toHaveLength(500);
    expect(a!.title.endsWith('…')).toBe(true);
    expect(a!.annotations.summary).toBe(summary);
  });
});

describe('prometheus: snippet', () => {
  it('points prometheus.yml at the ingest path with the key as a bearer token', () => {
    const [s] = prometheus.snippets({ baseUrl: 'https://hikeshi.example.com', key: 'k123', integrationId: 'i1' }, {});
    expect(s!.code).toContain('path_prefix: "/ingest/prometheus"');
    expect(s!.code).toContain('targets: ["hikeshi.example.com:443"]');
    expect(s!.code).toContain('credentials: "k123"');
    expect(prometheus.paths[0]).toBe('/ingest/prometheus/api/v2/alerts');
  });

  it('keeps a base path and an explicit port', () => {
    const [s] = prometheus.snippets({ baseUrl: 'http://10.0.0.5:8080/hikeshi', key: 'k', integrationId: 'i1' }, {});
    expect(s!.code).toContain('scheme: http\n');
    expect(s!.code).toContain('path_prefix: "/hikeshi/ingest/prometheus"');
    expect(s!.code).toContain('targets: ["10.0.0.5:8080"]');
  });
});
