import type { z } from 'zod';
import { HttpProblem, problems } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { MaintenanceWindowsTable, SilencesTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import type { UserNames } from './alerts.read.js';
import type { MaintenanceCreateSchema, Matcher, SilenceCreateSchema } from './alerts.schema.js';
import { INGEST_LOCK } from './grouper.js';
import { allMatch, matcherMatches, validPattern } from './matchers.js';

type SilenceCreate = z.output<typeof SilenceCreateSchema>;
type MaintenanceCreate = z.output<typeof MaintenanceCreateSchema>;

interface ActiveSilence { id: string; matchers: Matcher[]; startsAt: string; endsAt: string }
interface ActiveWindow { id: string; integrationIds: string[]; services: string[]; startsAt: string; endsAt: string }
/** What is in force: silences and windows, read until `until` (ms). */
interface Suppressions {
  silences: ActiveSilence[];
  windows: ActiveWindow[];
  until: number;
}

const CACHE_MS = 10_000;

/** Throws 400 naming the matcher whose regex does not compile. */
export function checkMatchers(matchers: Matcher[], field: string): void {
  matchers.forEach((m, i) => {
    if (m.isRegex && !validPattern(m.value)) {
      throw new HttpProblem(400, 'Invalid request', `${field}.${i}.value: not a valid regular expression`, [{ field: `${field}.${i}.value`, message: 'not a valid regular expression' }]);
    }
  });
}

function silenceState(r: SilencesTable, now: string): 'pending' | 'active' | 'expired' {
  if (r.expired_at || r.ends_at <= now) return 'expired';
  return r.starts_at > now ? 'pending' : 'active';
}

function windowState(r: MaintenanceWindowsTable, now: string): 'scheduled' | 'in_progress' | 'completed' | 'cancelled' {
  if (r.cancelled_at) return 'cancelled';
  if (r.ends_at <= now) return 'completed';
  return r.starts_at > now ? 'scheduled' : 'in_progress';
}

/**
 * Silences (label matchers over a time window, as in Alertmanager) and maintenance windows
 * (integrations or services over a time window). Both keep alert groups from paging; alerts are
 * still recorded. The ingest path asks `suppression()` for every new alert, from a cache.
 */
export class SilencesService {
  /** What is in force, as last read. Replaced whole, never emptied: readers always have a complete one. */
  private cache: Suppressions | null = null;

  constructor(private readonly storage: Storage, private readonly users: UserNames) {}

  private get db(): Db {
    return this.storage.db;
  }

  /** Loads current and future silences and windows (cached for a few seconds). */
  async load(): Promise<void> {
    if (this.cache && this.cache.until > Date.now()) return;
    this.cache = await this.read(this.db);
  }

  /** Current and future silences and windows, read now through `db`. */
  private async read(db: Db): Promise<Suppressions> {
    const now = nowIso();
    const silences = await db.selectFrom('silences').selectAll().where('expired_at', 'is', null).where('ends_at', '>', now).execute();
    const windows = await db.selectFrom('maintenance_windows').selectAll().where('cancelled_at', 'is', null).where('ends_at', '>', now).execute();
    return {
      silences: silences.map((s) => ({ id: s.id, matchers: JSON.parse(s.matchers_json), startsAt: s.starts_at, endsAt: s.ends_at })),
      windows: windows.map((w) => ({ id: w.id, integrationIds: JSON.parse(w.integration_ids_json), services: JSON.parse(w.services_json), startsAt: w.starts_at, endsAt: w.ends_at })),
      until: Date.now() + CACHE_MS,
    };
  }

  /** What keeps these labels from paging at `at` ("silence:<id>" / "maintenance:<id>"), from the last load() (or `from`). */
  suppression(labels: Record<string, string>, integrationId: string, service: string | null, at: string, from = this.cache): string | null {
    for (const s of from?.silences ?? []) {
      if (s.startsAt <= at && at < s.endsAt && allMatch(s.matchers, labels)) return `silence:${s.id}`;
    }
    for (const w of from?.windows ?? []) {
      if (w.startsAt <= at && at < w.endsAt && (w.integrationIds.includes(integrationId) || (service !== null && w.services.includes(service)))) return `maintenance:${w.id}`;
    }
    return null;
  }

  /**
   * Re-evaluates suppression of every open group (after a change, and each minute so that windows
   * that start or end take effect); returns the groups that changed. `lifted` runs in the same
   * transaction with the triggered groups no longer suppressed (a silence that ends while its alerts
   * still fire: what it held back, a page or a declared incident, happens then).
   * One transaction under the ingest lock: refreshes on every node and grouping take turns, so none
   * writes back a marker from an older look (grouping writes its groups' markers as it read them).
   * The groups are read before the silences: a marker written by a look that saw a newer silence is
   * then judged with that silence too, never undone by an older list.
   */
  async refreshOpenGroups(lifted?: (trx: Db, groups: { id: string; routeId: string | null; escalationPolicy: string | null }[]) => Promise<void>): Promise<string[]> {
    return this.storage.db.transaction().execute(async (trx) => {
      await this.storage.lockForTransaction(trx, INGEST_LOCK);
      const open = await trx.selectFrom('alert_groups').select(['id', 'integration_id', 'service', 'labels_json', 'suppressed_by', 'status', 'escalation_policy', 'route_id'])
        .where('status', '!=', 'resolved').execute();
      const now = nowIso();
      const fresh = await this.read(trx);
      this.cache = fresh;
      const changed: { id: string; to: string | null; lifted: boolean; routeId: string | null; escalationPolicy: string | null }[] = [];
      for (const g of open) {
        const to = this.suppression(JSON.parse(g.labels_json), g.integration_id, g.service, now, fresh);
        if (to !== g.suppressed_by) changed.push({ id: g.id, to, lifted: to === null && g.status === 'triggered', routeId: g.route_id, escalationPolicy: g.escalation_policy });
      }
      for (const c of changed) await trx.updateTable('alert_groups').set({ suppressed_by: c.to, updated_at: now }).where('id', '=', c.id).execute();
      const quiet = changed.filter((c) => c.lifted).map((c) => ({ id: c.id, routeId: c.routeId, escalationPolicy: c.escalationPolicy }));
      if (quiet.length && lifted) await lifted(trx, quiet);
      return changed.map((c) => c.id);
    });
  }

  // ---- silences ----

  async listSilences(state: 'active' | 'pending' | 'expired' | 'all') {
    const rows = await this.db.selectFrom('silences').selectAll().orderBy('created_at', 'desc').limit(1000).execute();
    const now = nowIso();
    const wanted = rows.filter((r) => state === 'all' || silenceState(r, now) === state);
    return this.silencesOut(wanted);
  }

  private async silencesOut(rows: SilencesTable[]) {
    const now = nowIso();
    const names = await this.users.userNames(rows.map((r) => r.created_by).filter((x): x is string => !!x));
    const open = rows.length ? await this.openLabels() : [];
    return rows.map((r) => {
      const matchers = JSON.parse(r.matchers_json) as Matcher[];
      const state = silenceState(r, now);
      return {
        id: r.id, matchers, startsAt: r.starts_at, endsAt: r.ends_at, comment: r.comment,
        createdBy: r.created_by ? { id: r.created_by, name: names.get(r.created_by) ?? r.created_by } : null,
        createdAt: r.created_at, expiredAt: r.expired_at, state,
        matchingGroups: state === 'expired' ? 0 : open.filter((labels) => allMatch(matchers, labels)).length,
      };
    });
  }

  private async openLabels(): Promise<Record<string, string>[]> {
    const rows = await this.db.selectFrom('alert_groups').select('labels_json').where('status', '!=', 'resolved').limit(50_000).execute();
    return rows.map((r) => JSON.parse(r.labels_json) as Record<string, string>);
  }

  /** Which open groups a silence with these matchers would cover. */
  async preview(matchers: Matcher[]): Promise<string[]> {
    checkMatchers(matchers, 'body.matchers');
    const rows = await this.db.selectFrom('alert_groups').select(['id', 'labels_json']).where('status', '!=', 'resolved').orderBy('last_alert_at', 'desc').limit(50_000).execute();
    return rows.filter((r) => allMatch(matchers, JSON.parse(r.labels_json))).map((r) => r.id);
  }

  async createSilence(actor: Actor, input: SilenceCreate) {
    checkMatchers(input.matchers, 'body.matchers');
    // As in Alertmanager: a silence of only `x=""`-like matchers would silence every alert there is.
    if (input.matchers.every((m) => matcherMatches(m, {}))) {
      throw problems.invalid('body.matchers', 'at least one matcher must not match an empty label (a silence must not cover every alert)');
    }
    const now = nowIso();
    const startsAt = input.startsAt ? new Date(input.startsAt).toISOString() : now;
    const endsAt = new Date(input.endsAt).toISOString();
    if (endsAt <= startsAt) throw problems.invalid('body.endsAt', 'must be after startsAt');
    if (endsAt <= now) throw problems.invalid('body.endsAt', 'must be in the future');
    const row: SilencesTable = {
      id: newId(), matchers_json: JSON.stringify(input.matchers), starts_at: startsAt, ends_at: endsAt, comment: input.comment,
      created_by: actor.userId, created_at: now, expired_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('silences').values(row).execute();
      await recordAudit(trx, actor, { action: 'silence.create', targetType: 'silence', targetId: row.id, after: input });
    });
    return (await this.silencesOut([row]))[0]!;
  }

  async expireSilence(actor: Actor, id: string) {
    const row = await this.db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw problems.notFound('Silence', id);
      if (!r.expired_at) {
        r.expired_at = nowIso();
        await trx.updateTable('silences').set({ expired_at: r.expired_at }).where('id', '=', id).execute();
        await recordAudit(trx, actor, { action: 'silence.expire', targetType: 'silence', targetId: id });
      }
      return r;
    });
    return (await this.silencesOut([row]))[0]!;
  }

  // ---- maintenance windows ----

  async listWindows() {
    const rows = await this.db.selectFrom('maintenance_windows').selectAll().orderBy('starts_at', 'desc').limit(1000).execute();
    return this.windowsOut(rows);
  }

  private async windowsOut(rows: MaintenanceWindowsTable[]) {
    const now = nowIso();
    const names = await this.users.userNames(rows.map((r) => r.created_by).filter((x): x is string => !!x));
    return rows.map((r) => ({
      id: r.id, title: r.title, startsAt: r.starts_at, endsAt: r.ends_at,
      integrationIds: JSON.parse(r.integration_ids_json) as string[], services: JSON.parse(r.services_json) as string[],
      createdBy: r.created_by ? { id: r.created_by, name: names.get(r.created_by) ?? r.created_by } : null,
      createdAt: r.created_at, cancelledAt: r.cancelled_at, state: windowState(r, now),
    }));
  }

  async createWindow(actor: Actor, input: MaintenanceCreate) {
    const startsAt = new Date(input.startsAt).toISOString();
    const endsAt = new Date(input.endsAt).toISOString();
    if (endsAt <= startsAt) throw problems.invalid('body.endsAt', 'must be after startsAt');
    if (endsAt <= nowIso()) throw problems.invalid('body.endsAt', 'must be in the future');
    if (!input.integrationIds.length && !input.services.length) throw problems.invalid('body.integrationIds', 'name at least one integration or service');
    if (input.integrationIds.length) {
      const found = await this.db.selectFrom('integrations').select('id').where('id', 'in', input.integrationIds).execute();
      const unknown = input.integrationIds.find((i) => !found.some((f) => f.id === i));
      if (unknown) throw problems.invalid('body.integrationIds', `no integration with id ${unknown}`);
    }
    const row: MaintenanceWindowsTable = {
      id: newId(), title: input.title, starts_at: startsAt, ends_at: endsAt, integration_ids_json: JSON.stringify(input.integrationIds),
      services_json: JSON.stringify(input.services), created_by: actor.userId, created_at: nowIso(), cancelled_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('maintenance_windows').values(row).execute();
      await recordAudit(trx, actor, { action: 'maintenance.create', targetType: 'maintenance_window', targetId: row.id, after: input });
    });
    return (await this.windowsOut([row]))[0]!;
  }

  async cancelWindow(actor: Actor, id: string) {
    const row = await this.db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw problems.notFound('Maintenance window', id);
      if (!r.cancelled_at) {
        r.cancelled_at = nowIso();
        await trx.updateTable('maintenance_windows').set({ cancelled_at: r.cancelled_at }).where('id', '=', id).execute();
        await recordAudit(trx, actor, { action: 'maintenance.cancel', targetType: 'maintenance_window', targetId: id });
      }
      return r;
    });
    return (await this.windowsOut([row]))[0]!;
  }
}
