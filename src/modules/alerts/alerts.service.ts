import { sql } from 'kysely';
import type { z } from 'zod';
import { JobQueue } from '../../jobs/queue.js';
import type { EventBus } from '../../server/event-bus.js';
import { problems } from '../../server/problem.js';
import { type Actor, SYSTEM_ACTOR } from '../../shared/actor.js';
import { idFloor, newId, nowIso } from '../../shared/ids.js';
import type { Severity } from '../../shared/phases.js';
import type { Db, Storage } from '../../storage/db.js';
import type { AlertGroupsTable, AlertRoutesTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import type { IncidentsService } from '../incidents/incidents.service.js';
import { alertOf, groupEvents, groupSummaries, type UserNames } from './alerts.read.js';
import type {
  AlertGroupDetail, AlertGroupListQuery, AlertGroupSummary, GroupIncidentSchema, Matcher, RoutesReplaceSchema, StormSchema,
} from './alerts.schema.js';
import type { BatchOutcome, PipelineEnv, RouteRule } from './pipeline.js';
import { DECLARE_FROM_GROUP, INGEST_LOCK, PAGE_FOR_GROUP } from './grouper.js';
import { checkMatchers, type SilencesService } from './silences.service.js';

type ListQuery = z.output<typeof AlertGroupListQuery>;
type Storm = z.output<typeof StormSchema>;

/** Storms: more than this many new groups or alerts in five minutes is more than people can read one by one. */
const STORM_NEW_GROUPS = 50;
const STORM_ALERTS = 1000;
const FIVE_MIN = 5 * 60_000;
/** How long a storm's counts and shared labels are reused (see AlertsService.storm). */
const STORM_TTL_MS = 5000;
const ROUTES_CACHE_MS = 5000;

function routeOf(r: AlertRoutesTable): RouteRule & { name: string } {
  return {
    id: r.id, name: r.name, integrationId: r.integration_id, matchers: JSON.parse(r.matchers_json), service: r.service,
    escalationPolicy: r.escalation_policy, declareSeverity: r.declare_severity,
  };
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** Alert groups: reading them, acting on them, linking them to incidents; routing rules. */
/** What paging wants to hear of alert groups (set once the paging room exists). */
export interface GroupPaging {
  followGroups(actor: Actor, groupIds: string[], to: 'acknowledged' | 'resolved'): Promise<void>;
  policyExists(id: string): Promise<boolean>;
}

export class AlertsService {
  /** Pages follow their groups: acknowledged or resolved here, the page is too. */
  paging: GroupPaging | null = null;
  private routesCache: { routes: RouteRule[]; until: number } | null = null;
  private stormCache: { storm: Promise<Storm>; until: number } | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly bus: EventBus,
    private readonly incidents: IncidentsService,
    private readonly users: UserNames,
    readonly silences: SilencesService,
  ) {}

  private get db(): Db {
    return this.storage.db;
  }

  /** What the ingest pipeline needs: routes and suppression, from short-lived caches. */
  async pipelineEnv(): Promise<PipelineEnv> {
    if (!this.routesCache || this.routesCache.until < Date.now()) {
      const rows = await this.db.selectFrom('alert_routes').selectAll().orderBy('position').execute();
      this.routesCache = { routes: rows.map(routeOf), until: Date.now() + ROUTES_CACHE_MS };
    }
    await this.silences.load();
    return {
      routes: this.routesCache.routes,
      suppression: (labels, integrationId, service, at) => this.silences.suppression(labels, integrationId, service, at),
      incidentActivity: (trx, incidentId, kind, data) => this.incidents.recordAlertActivity(trx, incidentId, kind as 'alerts.activity', data),
    };
  }

  /** After an ingest batch committed: tell linked incidents' live views. */
  afterIngest(outcome: BatchOutcome): void {
    for (const id of outcome.incidents) this.incidents.announceAlertActivity(id);
    // A group its source acknowledged or resolved does the same to its page now; should this not
    // happen (a crash right after the commit), the page's escalation finds the group's state.
    if (outcome.acknowledged.length) void this.paging?.followGroups(SYSTEM_ACTOR, outcome.acknowledged, 'acknowledged').catch(() => undefined);
    if (outcome.resolved.length) void this.paging?.followGroups(SYSTEM_ACTOR, outcome.resolved, 'resolved').catch(() => undefined);
    // Page jobs were enqueued: the paging worker looks now rather than at its next poll.
    if (outcome.page.length) this.bus.publish({ type: 'jobs.wake', at: nowIso(), data: {}, local: true });
  }

  /** A group could not page (the job gave up): its history says why, where whoever looks at it will see. */
  async recordPagingFailed(groupId: string, error: unknown): Promise<void> {
    const message = String((error as Error)?.message ?? error).slice(0, 500);
    await this.db.insertInto('alert_group_events').values({ id: newId(), group_id: groupId, at: nowIso(), kind: 'paging_failed', actor_id: null, data_json: JSON.stringify({ error: message }) }).execute();
    this.bus.publish({ type: 'alerts.changed', at: nowIso(), data: { groupIds: [groupId], count: 1 } });
  }

  /** How many open groups page through this escalation policy (it cannot be deleted while any does). */
  async openGroupsUsing(policyId: string): Promise<number> {
    const row = await this.db.selectFrom('alert_groups').select((eb) => eb.fn.countAll().as('n')).where('escalation_policy', '=', policyId).where('status', '!=', 'resolved').executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** What paging needs of a group to decide whether to page for it. */
  async pagingFacts(id: string) {
    const g = await this.db.selectFrom('alert_groups').select(['title', 'severity', 'status', 'escalation_policy', 'suppressed_by', 'incident_id']).where('id', '=', id).executeTakeFirst();
    return g ? { title: g.title, severity: g.severity, status: g.status, escalationPolicy: g.escalation_policy, suppressedBy: g.suppressed_by, incidentId: g.incident_id } : null;
  }

  /** Silences or windows changed, or time passed: re-mark open groups and tell live views. */
  async refreshSuppression(): Promise<void> {
    // A silence or window that ends while its groups still fire: what it held back happens now. A
    // group routed to a policy pages (its group wait is long past; one with an open page keeps it),
    // and one whose route declares an incident declares it (once per group, as at its creation).
    const routes = new Map((await this.routes()).map((r) => [r.id, r]));
    let lifted = 0;
    const changed = await this.silences.refreshOpenGroups(async (trx, groups) => {
      const at = nowIso();
      lifted = await new JobQueue(this.storage).enqueueMany(groups.flatMap((g) => {
        const severity = g.routeId ? routes.get(g.routeId)?.declareSeverity : null;
        return [
          ...(g.escalationPolicy ? [{ kind: PAGE_FOR_GROUP, dedupKey: `${PAGE_FOR_GROUP}:${g.id}:lifted:${at}`, payload: { groupId: g.id } }] : []),
          ...(severity ? [{ kind: DECLARE_FROM_GROUP, dedupKey: `${DECLARE_FROM_GROUP}:${g.id}`, payload: { groupId: g.id, severity } }] : []),
        ];
      }), trx);
    });
    if (changed.length) this.bus.publish({ type: 'alerts.changed', at: nowIso(), data: { groupIds: changed.slice(0, 100), count: changed.length } });
    if (lifted) this.bus.publish({ type: 'jobs.wake', at: nowIso(), data: {}, local: true });
  }

  /** How many open groups these matchers cover, and the 20 most recently active of them. */
  async previewSilence(matchers: Matcher[]): Promise<{ matchingGroups: number; groups: AlertGroupSummary[] }> {
    const ids = await this.silences.preview(matchers);
    const rows = ids.length ? await this.db.selectFrom('alert_groups').selectAll().where('id', 'in', ids.slice(0, 20)).orderBy('last_alert_at', 'desc').execute() : [];
    return { matchingGroups: ids.length, groups: await groupSummaries(this.db, this.users, rows) };
  }

  // ---- reads ----

  async list(q: ListQuery): Promise<{ groups: AlertGroupSummary[]; total: number; next: string | null }> {
    let base = this.db.selectFrom('alert_groups');
    if (q.status === 'open') base = base.where('status', '!=', 'resolved');
    else if (q.status !== 'all') base = base.where('status', '=', q.status);
    if (q.integrationId) base = base.where('integration_id', '=', q.integrationId);
    if (q.service) base = base.where('service', '=', q.service);
    if (q.severity) base = base.where('severity', '=', q.severity);
    if (q.incidentId) {
      const incident = await this.incidents.get(q.incidentId).catch(() => null);
      base = base.where('incident_id', '=', incident?.id ?? q.incidentId);
    }
    if (q.q) {
      const pattern = `%${likeEscape(q.q.toLowerCase())}%`;
      base = base.where((eb) => eb.or([
        eb(sql`lower(title)`, 'like', sql`${pattern} ESCAPE '\\'`),
        eb(sql`lower(labels_json)`, 'like', sql`${pattern} ESCAPE '\\'`),
      ]));
    }
    if (q.label) {
      const eq = q.label.indexOf('=');
      // Labels are stored as JSON text: `"name":"value"` appears in it exactly when the label has that value.
      const needle = `%${likeEscape(JSON.stringify(q.label.slice(0, eq)) + ':' + JSON.stringify(q.label.slice(eq + 1)))}%`;
      base = base.where(sql<boolean>`labels_json LIKE ${needle} ESCAPE '\\'`);
    }
    const total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
    let page = base.selectAll();
    if (q.before) {
      const [lastAt = '', lastId = ''] = q.before.split('|');
      page = page.where((eb) => eb.or([eb('last_alert_at', '<', lastAt), eb.and([eb('last_alert_at', '=', lastAt), eb('id', '<', lastId)])]));
    }
    const rows = await page.orderBy('last_alert_at', 'desc').orderBy('id', 'desc').limit(q.limit + 1).execute();
    const more = rows.length > q.limit;
    const shown = rows.slice(0, q.limit);
    const last = shown.at(-1);
    return { groups: await groupSummaries(this.db, this.users, shown), total, next: more && last ? `${last.last_alert_at}|${last.id}` : null };
  }

  async get(id: string): Promise<AlertGroupDetail> {
    return this.detailIn(this.db, id);
  }

  private async detailIn(db: Db, id: string): Promise<AlertGroupDetail> {
    const row = await db.selectFrom('alert_groups').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw problems.notFound('Alert group', id);
    const [summary] = await groupSummaries(db, this.users, [row]);
    const alerts = await db.selectFrom('alerts').selectAll().where('group_id', '=', id)
      .orderBy(sql`CASE WHEN status = 'firing' THEN 0 ELSE 1 END`).orderBy('last_received_at', 'desc').limit(500).execute();
    const total = Number((await db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).where('group_id', '=', id).executeTakeFirst())?.n ?? 0);
    const events = await db.selectFrom('alert_group_events').selectAll().where('group_id', '=', id).orderBy('at').orderBy('id').limit(500).execute();
    return { ...summary!, alerts: alerts.map(alertOf), alertsTotal: total, events: await groupEvents(db, this.users, events) };
  }

  async alert(id: string) {
    const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw problems.notFound('Alert', id);
    return { ...alertOf(row), raw: JSON.parse(row.raw_json) as unknown };
  }

  /** Counts for the alerts page, and whether a storm is on (`now`: the clock, for tests). */
  async overview(now = Date.now()) {
    const byStatus = await this.db.selectFrom('alert_groups').select(['status', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.sum('firing_count').as('firing')])
      .where('status', '!=', 'resolved').groupBy('status').execute();
    const count = (s: string) => Number(byStatus.find((r) => r.status === s)?.n ?? 0);
    const firingAlerts = byStatus.reduce((n, r) => n + Number(r.firing ?? 0), 0);
    const flags = await this.db.selectFrom('alert_groups')
      .select([(eb) => eb.fn.count('suppressed_by').as('suppressed'), (eb) => eb.fn.sum('flapping').as('flapping')])
      .where('status', '!=', 'resolved').executeTakeFirst();
    return {
      open: count('triggered') + count('acknowledged'), triggered: count('triggered'), acknowledged: count('acknowledged'), firingAlerts,
      suppressed: Number(flags?.suppressed ?? 0), flapping: Number(flags?.flapping ?? 0),
      storm: await this.storm(now),
    };
  }

  /**
   * Whether a storm is on, its counts over the last five minutes and what its groups share. During
   * a storm this is reused for STORM_TTL_MS: counting a storm's alerts and reading the labels of up
   * to 20,000 open groups took tens of milliseconds (hundreds on PostgreSQL with 200k alerts), and
   * every open alerts page asks every 2 s.
   */
  private async storm(now: number): Promise<Storm> {
    if (this.stormCache && now < this.stormCache.until) return this.stormCache.storm;
    // Callers that come while it is worked out share it.
    const storm = this.workOutStorm(now);
    this.stormCache = { storm, until: now + STORM_TTL_MS };
    try {
      const s = await storm;
      if (!s.active && this.stormCache?.storm === storm) this.stormCache = null;
      return s;
    } catch (err) {
      if (this.stormCache?.storm === storm) this.stormCache = null;
      throw err;
    }
  }

  private async workOutStorm(now: number): Promise<Storm> {
    // New alerts: ids sort by creation time, so the primary key finds them (no index on a column every repeat rewrites).
    const alertsLast5m = Number((await this.db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).where('id', '>=', idFloor(now - FIVE_MIN)).executeTakeFirst())?.n ?? 0);
    const recent = await this.db.selectFrom('alert_groups').select([(eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.min('created_at').as('first')])
      .where('created_at', '>=', new Date(now - FIVE_MIN).toISOString()).executeTakeFirst();
    const newGroupsLast5m = Number(recent?.n ?? 0);
    const active = newGroupsLast5m >= STORM_NEW_GROUPS || alertsLast5m >= STORM_ALERTS;
    return {
      active, since: active ? ((recent?.first as string | null) ?? null) : null, alertsLast5m, newGroupsLast5m,
      top: active ? await this.sharedLabels() : [],
    };
  }

  /** What a storm has in common: the label values most of the (20,000 latest) open groups share (a region, a service…). */
  private async sharedLabels(): Promise<Storm['top']> {
    const rows = await this.db.selectFrom('alert_groups').select('labels_json').where('status', '!=', 'resolved')
      .orderBy('last_alert_at', 'desc').limit(20_000).execute();
    const tally = new Map<string, number>();
    for (const r of rows) {
      for (const [k, v] of Object.entries(JSON.parse(r.labels_json) as Record<string, string>)) {
        if (!v) continue;
        const key = `${k}\u0000${v}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
    }
    return [...tally.entries()].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]).slice(0, 6)
      .map(([key, n]) => { const [label = '', value = ''] = key.split('\u0000'); return { label, value, groups: n }; });
  }

  // ---- acting on a group ----

  /** One locked group, changed in one transaction with its history and audit event; then announced. */
  private async mutate(actor: Actor, id: string, fn: (trx: Db, g: AlertGroupsTable, now: string) => Promise<string | null>): Promise<AlertGroupDetail> {
    const detail = await this.db.transaction().execute(async (trx) => {
      await this.storage.lockForTransaction(trx, INGEST_LOCK);
      const g = await trx.selectFrom('alert_groups').selectAll().where('id', '=', id).executeTakeFirst();
      if (!g) throw problems.notFound('Alert group', id);
      const now = nowIso();
      const kind = await fn(trx, g, now);
      if (kind) {
        await trx.insertInto('alert_group_events').values({ id: newId(), group_id: id, at: now, kind, actor_id: actor.userId, data_json: null }).execute();
        await recordAudit(trx, actor, { action: `alert_group.${kind}`, targetType: 'alert_group', targetId: id, before: { status: g.status, incidentId: g.incident_id } });
      }
      return this.detailIn(trx, id);
    });
    this.bus.publish({ type: 'alerts.changed', at: nowIso(), data: { groupIds: [id], count: 1 } });
    if (detail.incident) this.incidents.announceAlertActivity(detail.incident.id);
    return detail;
  }

  /** Someone is on it: the group stops paging (acknowledging twice changes nothing). */
  async acknowledge(actor: Actor, id: string): Promise<AlertGroupDetail> {
    const detail = await this.mutate(actor, id, async (trx, g, now) => {
      if (g.status === 'resolved') throw problems.conflict('The alert group is resolved; there is nothing to acknowledge', 'アラートグループは復旧済みのため、確認する対象がありません');
      if (g.status === 'acknowledged') return null;
      await trx.updateTable('alert_groups').set({ status: 'acknowledged', acknowledged_at: now, acknowledged_by: actor.userId, updated_at: now }).where('id', '=', g.id).execute();
      return 'acknowledged';
    });
    await this.paging?.followGroups(actor, [id], 'acknowledged');
    return detail;
  }

  /**
   * Resolves the group and its firing alerts by hand. As with PagerDuty, if the source still says an
   * alert fires, its next message opens the group again.
   */
  async resolve(actor: Actor, id: string): Promise<AlertGroupDetail> {
    const detail = await this.mutate(actor, id, async (trx, g, now) => {
      if (g.status === 'resolved') return null;
      await trx.updateTable('alerts').set({ status: 'resolved', resolved_at: now }).where('group_id', '=', g.id).where('status', '=', 'firing').execute();
      const transitions = [...(JSON.parse(g.transitions_json) as string[]), now].slice(-20);
      await trx.updateTable('alert_groups').set({ status: 'resolved', resolved_at: now, resolved_by: actor.userId, firing_count: 0, transitions_json: JSON.stringify(transitions), updated_at: now })
        .where('id', '=', g.id).execute();
      if (g.incident_id) await this.incidents.recordAlertActivity(trx, g.incident_id, 'alerts.activity', { groupId: g.id, title: g.title, fired: 0, resolved: g.firing_count, firing: 0, status: 'resolved' }, actor);
      return 'resolved';
    });
    await this.paging?.followGroups(actor, [id], 'resolved');
    return detail;
  }

  /** Links the group to an open incident, or declares one for it. */
  async attachIncident(actor: Actor, id: string, body: z.output<typeof GroupIncidentSchema>): Promise<AlertGroupDetail> {
    if ('declare' in body) {
      const g = await this.db.selectFrom('alert_groups').selectAll().where('id', '=', id).executeTakeFirst();
      if (!g) throw problems.notFound('Alert group', id);
      if (g.incident_id) throw problems.conflict('The alert group already belongs to an incident', 'このアラートグループはすでにインシデントに紐付いています');
      await this.declareFor(actor, g, body.declare.severity, body.declare.title, body.declare.summary);
      return this.get(id);
    }
    const incident = await this.incidents.get(body.incidentId);
    if (incident.phase === 'resolved') throw problems.conflict(`INC-${incident.number} is resolved; reopen it first`, `INC-${incident.number} は解決済みです。先に再開してください`);
    return this.mutate(actor, id, async (trx, g) => {
      if (g.incident_id === incident.id) return null;
      if (g.incident_id) throw problems.conflict('The alert group already belongs to another incident; unlink it first', 'このアラートグループは別のインシデントに紐付いています。先に解除してください');
      await this.link(trx, actor, g, incident.id);
      return 'linked_incident';
    });
  }

  async detachIncident(actor: Actor, id: string): Promise<AlertGroupDetail> {
    let was: string | null = null;
    const detail = await this.mutate(actor, id, async (trx, g) => {
      if (!g.incident_id) return null;
      was = g.incident_id;
      await trx.updateTable('alert_groups').set({ incident_id: null, updated_at: nowIso() }).where('id', '=', g.id).execute();
      await this.incidents.recordAlertActivity(trx, g.incident_id, 'alerts.unlinked', { groupId: g.id, title: g.title }, actor);
      return 'unlinked_incident';
    });
    if (was) this.incidents.announceAlertActivity(was);
    return detail;
  }

  private async link(trx: Db, actor: Actor, g: AlertGroupsTable, incidentId: string): Promise<void> {
    await trx.updateTable('alert_groups').set({ incident_id: incidentId, updated_at: nowIso() }).where('id', '=', g.id).execute();
    await this.incidents.recordAlertActivity(trx, incidentId, 'alerts.linked', { groupId: g.id, title: g.title, alerts: g.alert_count, firing: g.firing_count }, actor);
  }

  private async declareFor(actor: Actor, g: AlertGroupsTable, severity: Severity, title?: string, summary?: string): Promise<void> {
    const first = await this.db.selectFrom('alerts').select('description').where('group_id', '=', g.id).orderBy('id').executeTakeFirst();
    await this.incidents.declare(actor, {
      title: (title ?? g.title).slice(0, 200), severity, summary: (summary ?? first?.description ?? '').slice(0, 5000),
      services: g.service ? [g.service] : [], drill: false,
    }, async (trx, incidentId) => {
      const fresh = await trx.selectFrom('alert_groups').selectAll().where('id', '=', g.id).executeTakeFirstOrThrow();
      if (fresh.incident_id) throw problems.conflict('The alert group already belongs to an incident', 'このアラートグループはすでにインシデントに紐付いています');
      await this.link(trx, actor, fresh, incidentId);
      await trx.insertInto('alert_group_events').values({ id: newId(), group_id: g.id, at: nowIso(), kind: 'declared_incident', actor_id: actor.userId, data_json: JSON.stringify({ incidentId, severity }) }).execute();
    });
    this.bus.publish({ type: 'alerts.changed', at: nowIso(), data: { groupIds: [g.id], count: 1 } });
  }

  /** The job a route's "declare" starts: declares once per group, whatever retries happen. */
  async declareFromRoute(actor: Actor, groupId: string, severity: Severity): Promise<void> {
    const g = await this.db.selectFrom('alert_groups').selectAll().where('id', '=', groupId).executeTakeFirst();
    if (!g || g.incident_id) return;
    await this.declareFor(actor, g, severity).catch((err: unknown) => {
      if ((err as { status?: number }).status === 409) return; // linked meanwhile (by a person or another node)
      throw err;
    });
  }

  // ---- routing ----

  async routes() {
    const rows = await this.db.selectFrom('alert_routes').selectAll().orderBy('position').execute();
    return rows.map((r) => {
      const { id, name, integrationId, matchers, service, escalationPolicy, declareSeverity } = routeOf(r);
      return { id, name, integrationId, matchers, service, escalationPolicy, declareSeverity: declareSeverity as Severity | null };
    });
  }

  /** Replaces the ordered route list (first match wins); applies to groups created from now on. */
  async replaceRoutes(actor: Actor, input: z.output<typeof RoutesReplaceSchema>) {
    input.routes.forEach((r, i) => checkMatchers(r.matchers, `body.routes.${i}.matchers`));
    const integrationIds = [...new Set(input.routes.map((r) => r.integrationId).filter((x): x is string => !!x))];
    if (integrationIds.length) {
      const found = new Set((await this.db.selectFrom('integrations').select('id').where('id', 'in', integrationIds).execute()).map((r) => r.id));
      const bad = input.routes.findIndex((r) => r.integrationId && !found.has(r.integrationId));
      if (bad >= 0) throw problems.invalid(`body.routes.${bad}.integrationId`, `no integration with id ${input.routes[bad]!.integrationId}`);
    }
    for (const [i, r] of input.routes.entries()) {
      if (r.escalationPolicy && !(await this.paging?.policyExists(r.escalationPolicy))) {
        throw problems.invalid(`body.routes.${i}.escalationPolicy`, `no escalation policy with id ${r.escalationPolicy}`);
      }
    }
    await this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('alert_routes').selectAll().orderBy('position').execute();
      await trx.deleteFrom('alert_routes').execute();
      const now = nowIso();
      if (input.routes.length) {
        await trx.insertInto('alert_routes').values(input.routes.map((r, position) => ({
          id: newId(), position, name: r.name, integration_id: r.integrationId, matchers_json: JSON.stringify(r.matchers), service: r.service,
          escalation_policy: r.escalationPolicy, declare_severity: r.declareSeverity, created_at: now, updated_at: now,
        }))).execute();
      }
      await recordAudit(trx, actor, { action: 'alert_routes.replace', targetType: 'alert_routes', targetId: null, before: before.map(routeOf), after: input.routes });
    });
    this.routesCache = null;
    return this.routes();
  }
}
