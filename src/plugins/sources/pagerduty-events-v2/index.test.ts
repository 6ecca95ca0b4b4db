import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { context, expectGolden, expectInputError, fixtureNames, inbound, serializable } from '../golden.js';
import pagerduty from './index.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, any>;
const parse = (body: unknown) => pagerduty.parse(inbound(body), context({}));
const trigger = (payload: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  routing_key: 'k', event_action: 'trigger', dedup_key: 'd1',
  payload: { summary: 'Disk full', source: 'db-1', severity: 'critical', ...payload },
  ...extra,
});

type Outcome = { alerts: { dedupKey: string }[]; reply: { status: number; body: { dedup_key: string } } };
const GENERATED = /^[0-9a-f]{32}$/;

/** Checks the generated dedup key, then replaces it so the golden file stays stable. */
function maskGenerated(outcome: unknown): unknown {
  const o = outcome as Outcome;
  const key = o.alerts[0]!.dedupKey;
  if (!GENERATED.test(key)) return outcome;
  expect(o.reply.body.dedup_key).toBe(key);
  o.alerts[0]!.dedupKey = '<generated>';
  o.reply.body.dedup_key = '<generated>';
  return o;
}

describe('pagerduty-events-v2: golden fixtures', () => {
  for (const name of fixtureNames(FIXTURES)) {
    it(name, () => expectGolden(pagerduty, FIXTURES, name, { mask: maskGenerated }));
  }
});

describe('pagerduty-events-v2: odd cases', () => {
  it('generates a dedup key for a trigger without one and returns it, as PagerDuty does', async () => {
    const first = serializable(await parse(fixture('trigger-without-dedup-key'))) as Outcome;
    const second = serializable(await parse(fixture('trigger-without-dedup-key'))) as Outcome;
    expect(first.alerts[0]!.dedupKey).toMatch(GENERATED);
    expect(first.reply).toEqual({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: first.alerts[0]!.dedupKey } });
    expect(second.alerts[0]!.dedupKey).not.toBe(first.alerts[0]!.dedupKey);
  });

  it('finds the integration key in routing_key', () => {
    expect(pagerduty.keyFromBody!(fixture('trigger'))).toBe('0123456789abcdef0123456789abcdef');
    expect(pagerduty.keyFromBody!({ routing_key: 5 })).toBeUndefined();
    expect(pagerduty.keyFromBody!('x')).toBeUndefined();
  });

  it('flattens custom_details with more than 64 keys into one annotation', async () => {
    const details = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i]));
    const out = await parse(trigger({ custom_details: details }));
    expect(out.kind === 'alerts' && out.alerts[0]!.annotations).toEqual({ custom_details: JSON.stringify(details) });
  });
});

describe('pagerduty-events-v2: invalid events get PagerDuty\'s answer', () => {
  it('refuses an unknown event_action', async () => {
    const e = await expectInputError(parse({ ...trigger(), event_action: 'snooze' }), 'event_action');
    expect(e.extra).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ["'event_action' is invalid (must be trigger, acknowledge or resolve)"],
    });
  });

  it('lists every missing trigger field at once', async () => {
    const e = await expectInputError(parse({ routing_key: 'k', event_action: 'trigger', payload: {} }), 'payload.summary');
    expect(e.extra?.errors).toEqual([
      "'payload.summary' is missing or blank",
      "'payload.source' is missing or blank",
      "'payload.severity' is missing or blank",
    ]);
  });

  it('refuses a trigger without payload', () => expectInputError(parse({ routing_key: 'k', event_action: 'trigger' }), 'payload'));
  it('refuses severities other than PagerDuty\'s four', () => expectInputError(parse(trigger({ severity: 'high' })), 'payload.severity'));
  it('refuses a summary over 1024 characters', () => expectInputError(parse(trigger({ summary: 'x'.repeat(1025) })), 'payload.summary'));
  it('refuses a bad timestamp', () => expectInputError(parse(trigger({ timestamp: 'yesterday' })), 'payload.timestamp'));
  it('refuses a source over 1,000 characters (it becomes a label)', () => expectInputError(parse(trigger({ source: 's'.repeat(1001) })), 'payload.source'));
  it('refuses resolve without dedup_key', () => expectInputError(parse({ routing_key: 'k', event_action: 'resolve' }), 'dedup_key'));
  it('refuses acknowledge without dedup_key', () => expectInputError(parse({ routing_key: 'k', event_action: 'acknowledge', dedup_key: ' ' }), 'dedup_key'));
  it('refuses a dedup_key over 255 characters', () => expectInputError(parse(trigger({}, { dedup_key: 'd'.repeat(256) })), 'dedup_key'));
  it('refuses a link without href', () => expectInputError(parse(trigger({}, { links: [{ text: 'x' }] })), 'links[0].href'));
  it('refuses a body that is not an object', () => expectInputError(parse([trigger()]), 'body'));

  it('refuses NUL characters, in PagerDuty\'s shape too', async () => {
    const e = await expectInputError(parse(trigger({ summary: 'a\u0000' })), 'payload.summary');
    expect(e.extra?.errors).toEqual(["'payload.summary' must not contain the NUL character (U+0000)"]);
  });
});

describe('pagerduty-events-v2: snippets', () => {
  it('gives a curl example and an Alertmanager receiver pointed at the ingest path', () => {
    const [curl, am] = pagerduty.snippets({ baseUrl: 'https://hikeshi.example.com', key: 'k123', integrationId: 'i1' }, {});
    expect(curl!.code).toContain('https://hikeshi.example.com/ingest/pagerduty-events-v2/v2/enqueue');
    expect(curl!.code).toContain('"routing_key": "k123"');
    expect(am!.code).toContain('url: "https://hikeshi.example.com/ingest/pagerduty-events-v2/v2/enqueue"');
    expect(am!.code).toContain('routing_key: "k123"');
  });
});
