import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHANNEL_IDS } from './channel.js';
import { buildChannels, buildSources, SOURCES, sourceById } from './registry.js';
import { SOURCE_IDS } from './source.js';

const SOURCES_DIR = fileURLToPath(new URL('./sources', import.meta.url));
const input = { baseUrl: 'https://hikeshi.example.com', key: 'KEY-0123456789', integrationId: 'int_1' };
/** The smallest valid config of each source (the generic webhook needs a mapping). */
const minimalConfig = (id: string) => (id === 'webhook' ? { mapping: { title: 'title' } } : {});

describe('registry', () => {
  it('lists every source id once, alphabetically, under its own id', () => {
    expect(Object.keys(SOURCES)).toEqual([...SOURCE_IDS].sort());
    for (const [id, plugin] of Object.entries(SOURCES)) expect(plugin.id).toBe(id);
  });

  it('finds sources by id and nothing else', () => {
    expect(sourceById('grafana')).toBe(SOURCES.grafana);
    expect(sourceById('nope')).toBeUndefined();
    expect(sourceById('constructor')).toBeUndefined();
  });

  it('builds the SNS source with the server\'s certificate host pattern', async () => {
    const custom = buildSources({ snsCertHostPattern: /^certs\.internal$/ });
    expect(custom['cloudwatch-sns']).not.toBe(SOURCES['cloudwatch-sns']);
    expect(custom.prometheus).toBe(SOURCES.prometheus);
  });

  it('gives each source its own paths, all under the server root', () => {
    const all = Object.values(SOURCES).flatMap((p) => p.paths);
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(p).toMatch(/^\/[a-z0-9/_-]+$/);
    for (const plugin of Object.values(SOURCES)) expect(plugin.paths[0]).toMatch(new RegExp(`^/ingest/${plugin.id}(/|$)`));
  });

  it('has a README and fixtures for every source', () => {
    for (const id of SOURCE_IDS) {
      expect(existsSync(`${SOURCES_DIR}/${id}/README.md`), `${id}/README.md`).toBe(true);
      expect(existsSync(`${SOURCES_DIR}/${id}/fixtures`), `${id}/fixtures`).toBe(true);
    }
  });

  for (const plugin of Object.values(SOURCES)) {
    it(`${plugin.id}: accepts its minimal config and renders snippets carrying the key`, () => {
      const config = plugin.configSchema.parse(minimalConfig(plugin.id));
      // The stored config is parsed again on every start: the output must be valid input.
      expect(plugin.configSchema.parse(JSON.parse(JSON.stringify(config)))).toEqual(config);
      const snippets = plugin.snippets(input, config);
      expect(snippets.length).toBeGreaterThan(0);
      for (const s of snippets) {
        expect(s.code).toContain(input.key);
        expect(s.code).toContain('hikeshi.example.com');
        expect(s.code).toContain('/ingest/');
        expect(s.hint.en.length).toBeGreaterThan(0);
        expect(s.hint.ja.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('channel registry', () => {
  const CHANNELS_DIR = fileURLToPath(new URL('./channels', import.meta.url));

  it('lists every channel id once, alphabetically, each with a README', () => {
    const channels = buildChannels({});
    expect(Object.keys(channels)).toEqual([...CHANNEL_IDS].sort());
    for (const [id, channel] of Object.entries(channels)) {
      expect(channel.id).toBe(id);
      expect(existsSync(`${CHANNELS_DIR}/${id}/README.md`), `${id}/README.md`).toBe(true);
    }
  });

  it('turns e-mail on only with an SMTP URL; webhooks are always on', () => {
    expect(buildChannels({}).email.enabled).toBe(false);
    expect(buildChannels({ smtpUrl: 'smtp://127.0.0.1:25', publicUrl: 'https://ops.example.com' }).email.enabled).toBe(true);
    expect(buildChannels({}).webhook.enabled).toBe(true);
  });
});
