import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { context, expectGolden, expectInputError, fixtureNames, inbound, serializable } from '../golden.js';
import alertmanager from './index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, any>;
const parse = (body: unknown) => alertmanager.parse(inbound(body), context({}));
const withAlert = (patch: Record<string, unknown>) => {
  const body = fixture('firing');
  body.alerts[1] = { ...body.alerts[1], ...patch };
  return body;
};

describe('alertmanager: golden fixtures', () => {
  for (const name of fixtureNames(FIXTURES)) {
    it(name, () => expectGolden(alertmanager, FIXTURES, name));
  }
});

describe('alertmanager: odd cases', () => {
  it('uses the payload fingerprint, and computes Alertmanager\'s own when it is missing', async () => {
    const out = serializable(await parse(fixture('truncated'))) as { alerts: { dedupKey: string }[] };
    // The labels of truncated.json, fingerprinted by prometheus-alertmanager 0.25.0 itself.
    expect(out.alerts[0]!.dedupKey).toBe('3f9812fdc8466af9');
  });

  it('still accepts a truncated group and says how many alerts were left out', async () => {
    const out = serializable(await parse(fixture('truncated'))) as { alerts: unknown[]; reply: unknown };
    expect(out.alerts).toHaveLength(1);
    expect(out.reply).toEqual({ status: 202, body: { status: 'success', accepted: 1, truncatedAlerts: 3 } });
  });

  it('reads endsAt 0001-01-01T00:00:00Z as no end', async () => {
    const out = await parse(fixture('firing'));
    expect(out.kind === 'alerts' && out.alerts.map((a) => a.endsAt)).toEqual([null, null]);
  });
});

describe('alertmanager: malformed input names the field', () => {
  it('refuses a body that is not an object', () => expectInputError(parse([]), 'body'));
  it('refuses another payload version', () => expectInputError(parse({ ...fixture('firing'), version: '3' }), 'version'));
  it('refuses a payload without alerts', () => expectInputError(parse({ ...fixture('firing'), alerts: undefined }), 'alerts'));
  it('refuses an unknown alert status', () => expectInputError(parse(withAlert({ status: 'pending' })), 'alerts[1].status'));
  it('refuses a negative truncatedAlerts', () => expectInputError(parse({ ...fixture('firing'), truncatedAlerts: -1 }), 'truncatedAlerts'));
  it('refuses a fingerprint over 255 characters', () => expectInputError(parse(withAlert({ fingerprint: 'f'.repeat(256) })), 'alerts[1].fingerprint'));
  it('refuses a bad startsAt', () => expectInputError(parse(withAlert({ startsAt: '2024-06-01 noon' })), 'alerts[1].startsAt'));
  it('refuses non-string labels', () => expectInputError(parse(withAlert({ labels: { alertname: 'A', instance: null } })), 'alerts[1].labels.instance'));
  it('refuses NUL characters', () => expectInputError(parse(withAlert({ annotations: { summary: '\u0000' } })), 'alerts[1].annotations.summary'));
});

describe('alertmanager: snippet', () => {
  it('sends resolved alerts, every alert of a group, with the key as a bearer token', () => {
    const [s] = alertmanager.snippets({ baseUrl: 'https://hikeshi.example.com', key: 'k123', integrationId: 'i1' }, {});
    expect(s!.code).toContain('url: "https://hikeshi.example.com/ingest/alertmanager"');
    expect(s!.code).toContain('send_resolved: true');
    expect(s!.code).toContain('max_alerts: 0');
    expect(s!.code).toContain('credentials: "k123"');
  });
});
