import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { context, expectGolden, expectInputError, fixtureNames, inbound } from '../golden.js';
import webhook from './index.js';
import { formatPath, getPath, parsePath } from './json-path.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, any>;
const parse = (body: unknown, mapping: Record<string, unknown>) =>
  webhook.parse(inbound(body), context(webhook.configSchema.parse({ mapping })));

describe('webhook: golden fixtures', () => {
  for (const name of fixtureNames(FIXTURES)) {
    it(name, () => expectGolden(webhook, FIXTURES, name));
  }
});

describe('webhook: path syntax', () => {
  it('reads names, indexes and quoted names', () => {
    expect(parsePath('a.b[0].c')).toEqual(['a', 'b', 0, 'c']);
    expect(parsePath('$.detail-type')).toEqual(['detail-type']);
    expect(parsePath('meta["k8s.namespace"]')).toEqual(['meta', 'k8s.namespace']);
    expect(parsePath('[2].x')).toEqual([2, 'x']);
    expect(parsePath('$')).toEqual([]);
  });

  it('refuses what it does not understand', () => {
    for (const bad of ['', 'a..b', 'a.', 'a[x]', 'a[0', '.a', 'a b', 'a["unterminated]']) {
      expect(() => parsePath(bad), bad).toThrow();
    }
  });

  it('writes paths back in the same syntax', () => {
    for (const p of ['a.b[0].c', 'meta["k8s.namespace"]', '[2].x']) expect(formatPath(parsePath(p))).toBe(p);
  });

  it('never reaches inherited properties', () => {
    expect(getPath({}, parsePath('constructor'))).toBeUndefined();
    expect(getPath({ a: {} }, parsePath('a.__proto__'))).toBeUndefined();
    expect(getPath({ a: [1] }, parsePath('a.length'))).toBeUndefined();
  });
});

describe('webhook: config', () => {
  const ok = (mapping: unknown) => webhook.configSchema.safeParse({ mapping }).success;
  it('needs a title path and valid paths everywhere', () => {
    expect(ok({ title: 'a.b' })).toBe(true);
    expect(ok({})).toBe(false);
    expect(ok({ title: 'a..b' })).toBe(false);
    expect(ok({ title: 't', labels: { host: 'a[' } })).toBe(false);
    expect(ok({ title: 't', severity: { path: 's', map: { P1: 'urgent' } } })).toBe(false);
    expect(ok({ title: 't', unknown: 'x' })).toBe(false);
  });
  it('allows at most 64 labels', () => {
    const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, `f${i}`]));
    expect(ok({ title: 't', labels })).toBe(false);
  });
});

describe('webhook: mapping behaviour', () => {
  it('derives the same dedup key from the same title and labels, whatever the label order', async () => {
    const m = { title: 't', labels: { a: 'a', b: 'b' } };
    const one = await parse({ t: 'x', a: '1', b: '2' }, m);
    const two = await parse({ b: '2', a: '1', t: 'x' }, { title: 't', labels: { b: 'b', a: 'a' } });
    const other = await parse({ t: 'x', a: '1', b: '3' }, m);
    const key = (o: Awaited<ReturnType<typeof parse>>) => (o.kind === 'alerts' ? o.alerts[0]!.dedupKey : '');
    expect(key(one)).toBe(key(two));
    expect(key(one)).not.toBe(key(other));
  });

  it('treats anything but the resolved words as firing when no firing list is given', async () => {
    const out = await parse([{ t: 'a', s: 'OK' }, { t: 'b', s: 'acknowledged' }], { title: 't', status: { path: 's' } });
    expect(out.kind === 'alerts' && out.alerts.map((a) => a.status)).toEqual(['resolved', 'firing']);
  });
});

describe('webhook: malformed input names the path', () => {
  const nested = read('nested-array.json');
  const nestedMapping = read('nested-array.config.json').mapping as Record<string, unknown>;

  it('refuses an alert without its title', () => {
    delete nested.data.alerts[1].name;
    return expectInputError(parse(nested, nestedMapping), 'data.alerts[1].name');
  });
  it('refuses when the alerts path is not an array', () => expectInputError(parse({ data: { alerts: {} } }, nestedMapping), 'data.alerts'));
  it('refuses a title that is an object', () => expectInputError(parse({ title: { text: 'x' } }, { title: 'title' }), 'title'));
  it('refuses a status in neither list', () =>
    expectInputError(parse([{ t: 'x', s: 'ok' }, { t: 'y', s: 'maybe' }], { title: 't', status: { path: 's', firing: ['bad'], resolved: ['ok'] } }), '[1].s'));
  it('refuses a missing status when a status path is mapped', () => expectInputError(parse({ t: 'x' }, { title: 't', status: { path: 'state.value' } }), 'state.value'));
  it('refuses a missing dedup key when one is mapped', () => expectInputError(parse({ t: 'x' }, { title: 't', dedupKey: 'id' }), 'id'));
  it('refuses a dedup key over 255 characters', () => expectInputError(parse({ t: 'x', id: 'i'.repeat(256) }, { title: 't', dedupKey: 'id' }), 'id'));
  it('refuses a link that is not an http(s) URL', () =>
    expectInputError(parse({ t: 'x', l: ['https://ok.example', 'javascript:alert(1)'] }, { title: 't', links: 'l' }), 'l[1]'));
  it('refuses a label value over 1,000 characters', () =>
    expectInputError(parse({ t: 'x', h: { n: 'x'.repeat(1001) } }, { title: 't', labels: { host: 'h.n' } }), 'h.n'));
  it('refuses a label value that is an object', () => expectInputError(parse({ t: 'x', h: {} }, { title: 't', labels: { host: 'h' } }), 'h'));
  it('refuses more than 1000 alerts', () => expectInputError(parse(Array.from({ length: 1001 }, () => ({ t: 'x' })), { title: 't' }), 'body'));
  it('refuses NUL characters', () => expectInputError(parse({ t: 'x', other: ['\u0000'] }, { title: 't' }), 'other[0]'));
});

describe('webhook: snippet', () => {
  it('builds a curl request whose body the mapping reads', async () => {
    const mapping = read('nested-array.config.json').mapping;
    const [s] = webhook.snippets({ baseUrl: 'https://hikeshi.example.com', key: 'k123', integrationId: 'i1' }, { mapping });
    expect(s!.code).toContain("Authorization: Bearer k123");
    const body = JSON.parse(/-d '([\s\S]*)'\n$/.exec(s!.code)![1]!);
    const out = await parse(body, mapping);
    expect(out.kind === 'alerts' && out.alerts[0]).toMatchObject({ title: 'Disk almost full on db-1', labels: { env: 'example-env', namespace: 'example-namespace' } });
  });
});
