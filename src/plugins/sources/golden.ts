import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type InboundRequest, type ParseOutcome, type SourceContext, SourceInputError, type SourcePlugin } from '../source.js';

/** When the golden tests run with no `receivedAt` of their own. */
export const DEFAULT_RECEIVED_AT = '2024-06-01T12:00:00.000Z';

type Headers = InboundRequest['headers'];

/** How one fixture is fed to a plugin. */
export interface FixtureOptions<C> {
  /** The integration config; `<name>.config.json` beside the fixture is used when absent. */
  config?: C;
  fetchText?: SourceContext<C>['fetchText'];
  /** Headers, or a function of the raw body (for signatures). */
  headers?: Headers | ((rawBody: string) => Headers);
  receivedAt?: string;
  /** Rewrites the fixture before it is sent (e.g. signs it); the raw body is then its JSON. */
  transform?: (body: unknown) => unknown;
  /** Replaces parts that differ run to run (generated keys) after checking them. */
  mask?: (outcome: unknown) => unknown;
}

/** The fixture names in `dir`: `*.json` that are not `*.expected.json` or `*.config.json`. */
export function fixtureNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json') && !f.endsWith('.config.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A request as the server would hand it over. */
export function inbound(body: unknown, opts: { rawBody?: string; headers?: Headers; receivedAt?: string } = {}): InboundRequest {
  return {
    body,
    rawBody: opts.rawBody ?? JSON.stringify(body),
    headers: opts.headers ?? { 'content-type': 'application/json' },
    receivedAt: new Date(opts.receivedAt ?? DEFAULT_RECEIVED_AT),
  };
}

/** A context whose fetchText fails unless the test supplies one. */
export function context<C>(config: C, fetchText?: SourceContext<C>['fetchText']): SourceContext<C> {
  return {
    config,
    integrationId: 'int_test',
    fetchText: fetchText ?? (async (url) => { throw new Error(`unexpected fetch of ${url}`); }),
  };
}

/** The outcome as JSON: the reply function is called with the alerts' own dedup keys. */
export function serializable(outcome: ParseOutcome): unknown {
  const plain = outcome.kind === 'alerts' && outcome.reply
    ? { ...outcome, reply: outcome.reply({ dedupKeys: outcome.alerts.map((a) => a.dedupKey) }) }
    : outcome;
  return JSON.parse(JSON.stringify(plain));
}

/** Parses `<dir>/<name>.json` with `plugin` and returns the serializable outcome. */
export async function runFixture<C>(plugin: SourcePlugin<C>, dir: string, name: string, opts: FixtureOptions<C> = {}): Promise<unknown> {
  const text = readFileSync(join(dir, `${name}.json`), 'utf8');
  let body: unknown = JSON.parse(text);
  let rawBody = text;
  if (opts.transform) {
    body = opts.transform(body);
    rawBody = JSON.stringify(body);
  }
  const configFile = join(dir, `${name}.config.json`);
  const config = opts.config ?? (existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : {});
  const headers = typeof opts.headers === 'function' ? opts.headers(rawBody) : opts.headers;
  const outcome = await plugin.parse(inbound(body, { rawBody, headers, receivedAt: opts.receivedAt }), context(plugin.configSchema.parse(config), opts.fetchText));
  const plain = serializable(outcome);
  return opts.mask ? opts.mask(plain) : plain;
}

/**
 * Compares the plugin's outcome for `<dir>/<name>.json` with `<dir>/<name>.expected.json`.
 * `UPDATE_GOLDEN=1` rewrites the expected file instead: read every rewritten file before committing.
 */
export async function expectGolden<C>(plugin: SourcePlugin<C>, dir: string, name: string, opts: FixtureOptions<C> = {}): Promise<void> {
  const actual = await runFixture(plugin, dir, name, opts);
  const expectedFile = join(dir, `${name}.expected.json`);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
    return;
  }
  if (!existsSync(expectedFile)) throw new Error(`${expectedFile} is missing; run with UPDATE_GOLDEN=1 and review it`);
  assert.deepStrictEqual(actual, JSON.parse(readFileSync(expectedFile, 'utf8')), `${name}: output differs from ${name}.expected.json`);
}

/** Asserts that parsing fails with a SourceInputError naming `field` (and `status`, default 400); returns it. */
export async function expectInputError(promise: Promise<unknown>, field: string, status: 400 | 401 = 400): Promise<SourceInputError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof SourceInputError, `expected a SourceInputError naming ${field}, got ${String(error)}`);
  assert.deepStrictEqual({ field: error.field, status: error.status }, { field, status }, `${error.field}: ${error.problem}`);
  return error;
}
