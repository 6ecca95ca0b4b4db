import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SourceId, SourcePlugin } from '../../plugins/source.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { IntegrationsTable } from '../../storage/schema.js';
import { SecretBox } from '../../server/secret-box.js';
import { hashSecret } from '../accounts/secrets.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Integration, IntegrationCreateSchema, IntegrationUpdateSchema } from './alerts.schema.js';
import type { GroupingIntegration } from './pipeline.js';

type Create = z.output<typeof IntegrationCreateSchema>;
type Update = z.output<typeof IntegrationUpdateSchema>;

/** What the ingest path needs of an integration, cached by key hash. */
export interface IntegrationRuntime {
  id: string;
  name: string;
  source: SourceId;
  plugin: SourcePlugin<unknown>;
  config: unknown;
  groupBy: string[];
  groupWaitSeconds: number;
  rateLimitPerMinute: number;
}

/** Shown in snippets wherever the key goes, except right after creation or rotation. */
export const KEY_PLACEHOLDER = '<INTEGRATION_KEY>';

const CACHE_MS = 5000;

/** A new integration key: 32 lower-case hex characters, the shape PagerDuty integration keys have. */
function newKey(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Integrations: inbound alert sources, each with its own key (stored hashed). Keys are looked up on
 * every ingest request, so lookups are cached for a few seconds; a change on this node drops the
 * cache at once, and other nodes see it within CACHE_MS.
 */
export class IntegrationsService {
  private readonly cache = new Map<string, { runtime: IntegrationRuntime | null; until: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly sources: Record<SourceId, SourcePlugin<any>>,
    private readonly box: SecretBox,
  ) {}

  /** Stored form of a validated config: secret-named values sealed. */
  private seal(config: unknown): string {
    const entries = Object.entries((config ?? {}) as Record<string, unknown>)
      .map(([k, v]) => [k, SECRET_NAME.test(k) && typeof v === 'string' && v ? this.box.seal(v) : v]);
    return JSON.stringify(Object.fromEntries(entries));
  }

  /** A stored config with its secrets opened. */
  private unseal(json: string): Record<string, unknown> {
    return Object.fromEntries(Object.entries(JSON.parse(json) as Record<string, unknown>)
      .map(([k, v]) => [k, SecretBox.isSealed(v) ? this.box.open(v as string) : v]));
  }

  private get db(): Db {
    return this.storage.db;
  }

  plugin(source: string): SourcePlugin<unknown> {
    const p = this.sources[source as SourceId];
    if (!p) throw problems.invalid('body.source', `unknown source ${source}`);
    return p;
  }

  /** The integration a key belongs to, or null when it is unknown or disabled. */
  async authenticate(key: string): Promise<IntegrationRuntime | null> {
    if (!key || key.length > 200) return null;
    const hash = hashSecret(key);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.runtime;
    const row = await this.db.selectFrom('integrations').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    const runtime = row && !row.disabled_at ? this.runtimeOf(row) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { runtime, until: now + CACHE_MS });
    return runtime;
  }

  /**
   * What grouping needs of these integrations, disabled or not: requests accepted before a key was
   * disabled are still grouped.
   */
  async groupingById(db: Db, ids: string[]): Promise<Map<string, GroupingIntegration>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('integrations').select(['id', 'group_by_json', 'group_wait_seconds']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { id: r.id, groupBy: JSON.parse(r.group_by_json) as string[], groupWaitSeconds: r.group_wait_seconds }]));
  }

  private runtimeOf(row: IntegrationsTable): IntegrationRuntime | null {
    const plugin = this.sources[row.source as SourceId];
    if (!plugin) return null;
    let config: Record<string, unknown>;
    try {
      config = this.unseal(row.config_json);
    } catch {
      return null; // sealed under another key (secretKey changed, or differs between nodes): refuse, never guess
    }
    const parsed = plugin.configSchema.safeParse(config);
    if (!parsed.success) return null;
    return {
      id: row.id, name: row.name, source: row.source as SourceId, plugin, config: parsed.data,
      groupBy: JSON.parse(row.group_by_json) as string[], groupWaitSeconds: row.group_wait_seconds, rateLimitPerMinute: row.rate_limit_per_minute,
    };
  }

  private validateConfig(plugin: SourcePlugin<unknown>, config: unknown): unknown {
    const parsed = plugin.configSchema.safeParse(config);
    if (parsed.success) return parsed.data;
    const errors = parsed.error.issues.map((i) => ({ field: ['body', 'config', ...i.path.map(String)].join('.'), message: i.message }));
    throw new HttpProblem(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  async list(baseUrl: string): Promise<Integration[]> {
    const rows = await this.db.selectFrom('integrations').selectAll().orderBy('created_at').execute();
    const open = await this.openGroupCounts();
    return rows.map((r) => this.toApi(r, baseUrl, KEY_PLACEHOLDER, open.get(r.id) ?? 0));
  }

  async get(id: string, baseUrl: string): Promise<Integration> {
    return this.withKey(id, baseUrl, KEY_PLACEHOLDER);
  }

  async create(actor: Actor, input: Create, baseUrl: string): Promise<Integration & { key: string }> {
    const plugin = this.plugin(input.source);
    const config = this.validateConfig(plugin, input.config);
    const key = newKey();
    const now = nowIso();
    const row: IntegrationsTable = {
      id: newId(), source: input.source, name: input.name, key_hash: hashSecret(key), key_prefix: key.slice(0, 6),
      config_json: this.seal(config), group_by_json: JSON.stringify(input.groupBy ?? plugin.defaultGroupBy),
      group_wait_seconds: input.groupWaitSeconds, rate_limit_per_minute: input.rateLimitPerMinute, note: null,
      created_by: actor.userId, created_at: now, updated_at: now, last_received_at: null, disabled_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('integrations').values(row).execute();
      await recordAudit(trx, actor, { action: 'integration.create', targetType: 'integration', targetId: row.id, after: { ...input, config } });
    });
    return { ...this.toApi(row, baseUrl, key, 0), key };
  }

  async update(actor: Actor, id: string, patch: Update, baseUrl: string): Promise<Integration> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw problems.notFound('Integration', id);
      const set: Partial<IntegrationsTable> = { updated_at: nowIso() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.config !== undefined) {
        // A secret read back as "[set]" and sent again unchanged keeps its stored value.
        const stored = this.unseal(row.config_json);
        const merged = Object.fromEntries(Object.entries(patch.config).map(([k, v]) => [k, v === SECRET_SET ? stored[k] : v]));
        set.config_json = this.seal(this.validateConfig(this.plugin(row.source), merged));
      }
      if (patch.groupBy !== undefined) set.group_by_json = JSON.stringify(patch.groupBy);
      if (patch.groupWaitSeconds !== undefined) set.group_wait_seconds = patch.groupWaitSeconds;
      if (patch.rateLimitPerMinute !== undefined) set.rate_limit_per_minute = patch.rateLimitPerMinute;
      if (patch.disabled !== undefined) set.disabled_at = patch.disabled ? (row.disabled_at ?? nowIso()) : null;
      await trx.updateTable('integrations').set(set).where('id', '=', id).execute();
      await recordAudit(trx, actor, { action: 'integration.update', targetType: 'integration', targetId: id, before: { name: row.name, config: redactConfig(JSON.parse(row.config_json)), disabled: !!row.disabled_at }, after: patch });
    });
    this.cache.clear();
    return this.get(id, baseUrl);
  }

  /** A new key; the old one stops working at once on this node (within seconds on others). */
  async rotateKey(actor: Actor, id: string, baseUrl: string): Promise<Integration & { key: string }> {
    const key = newKey();
    await this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('integrations').set({ key_hash: hashSecret(key), key_prefix: key.slice(0, 6), updated_at: nowIso() }).where('id', '=', id).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw problems.notFound('Integration', id);
      await recordAudit(trx, actor, { action: 'integration.rotate_key', targetType: 'integration', targetId: id });
    });
    this.cache.clear();
    return { ...(await this.withKey(id, baseUrl, key)), key };
  }

  /** The integration as the API shows it, with `key` filled into its snippets. */
  private async withKey(id: string, baseUrl: string, key: string): Promise<Integration> {
    const row = await this.db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw problems.notFound('Integration', id);
    return this.toApi(row, baseUrl, key, (await this.openGroupCounts(id)).get(id) ?? 0);
  }

  /** Id, name and source of every integration: what filters and maintenance windows need, no keys or settings. */
  async brief(): Promise<{ id: string; name: string; source: string; disabledAt: string | null }[]> {
    return this.db.selectFrom('integrations').select(['id', 'name', 'source', 'disabled_at as disabledAt']).orderBy('created_at').execute();
  }

  /** Notes what the source last told us (an SNS subscription confirmed…). */
  async setNote(id: string, note: string): Promise<void> {
    await this.db.updateTable('integrations').set({ note: note.slice(0, 1000) }).where('id', '=', id).execute();
  }

  /** Integration id → its open alert groups. */
  private async openGroupCounts(id?: string): Promise<Map<string, number>> {
    let q = this.db.selectFrom('alert_groups').select(['integration_id', (eb) => eb.fn.countAll().as('n')]).where('status', '!=', 'resolved');
    if (id) q = q.where('integration_id', '=', id);
    const rows = await q.groupBy('integration_id').execute();
    return new Map(rows.map((r) => [r.integration_id, Number(r.n)]));
  }

  private toApi(row: IntegrationsTable, baseUrl: string, key: string, openGroups: number): Integration {
    const plugin = this.sources[row.source as SourceId];
    const config = JSON.parse(row.config_json) as Record<string, unknown>;
    return {
      id: row.id, source: row.source as SourceId, name: row.name, keyPrefix: row.key_prefix, config: redactConfig(config),
      groupBy: JSON.parse(row.group_by_json) as string[], groupWaitSeconds: row.group_wait_seconds, rateLimitPerMinute: row.rate_limit_per_minute,
      urls: plugin ? plugin.paths.map((p) => baseUrl + p) : [],
      snippets: plugin ? plugin.snippets({ baseUrl, key, integrationId: row.id }, config) : [],
      note: row.note, openGroups, createdAt: row.created_at, updatedAt: row.updated_at, lastReceivedAt: row.last_received_at, disabledAt: row.disabled_at,
    };
  }
}

/** Secrets in a source's config (Grafana's HMAC secret) are never read back. */
function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, SECRET_NAME.test(k) && v ? SECRET_SET : v]));
}

/** Config keys that hold secrets: sealed at rest, never read back. */
const SECRET_NAME = /secret|password|token/i;

/** What a stored secret reads back as. */
const SECRET_SET = '[set]';
