// The ingest pipeline's write side: a batch of accepted requests becomes alerts, deduplicated into
// alert groups, routed, and recorded, in ONE transaction (group commit). Everything is computed in
// memory from the rows the batch touches, then written in bulk.
import type { AlertSeverity, NormalizedAlert } from '../../plugins/source.js';
import { newId } from '../../shared/ids.js';
import { bulkInsert, bulkUpdate, keyChunks, keyIn } from '../../storage/bulk.js';
import type { Db, Storage } from '../../storage/db.js';
import type { AlertGroupEventsTable, AlertGroupsTable, AlertsTable } from '../../storage/schema.js';
import type { Matcher } from './alerts.schema.js';
import { groupKey, groupLabels, recordTransition, REOPEN_WINDOW_MS, worse } from './grouping.js';
import type { IntegrationRuntime } from './integrations.service.js';
import { allMatch } from './matchers.js';

/** What grouping needs of an integration. */
export type GroupingIntegration = Pick<IntegrationRuntime, 'id' | 'groupBy'> & { groupWaitSeconds?: number };

/** One accepted request, on its way through the inbox to grouping. */
export interface IngestItem {
  integration: GroupingIntegration;
  alerts: NormalizedAlert[];
  messageId?: string;
  receivedAt: string;
}

/** A routing rule, parsed. */
export interface RouteRule {
  id: string;
  integrationId: string | null;
  matchers: Matcher[];
  service: string | null;
  escalationPolicy: string | null;
  declareSeverity: string | null;
}

/** What the pipeline asks of the rest of the room. */
export interface PipelineEnv {
  routes: RouteRule[];
  /** The silence or maintenance window that keeps these labels from paging now ("silence:<id>"), or null. */
  suppression(labels: Record<string, string>, integrationId: string, service: string | null, at: string): string | null;
  /** Puts alert activity on a linked incident's timeline, in the same transaction (the incidents room does it). */
  incidentActivity(trx: Db, incidentId: string, kind: string, data: Record<string, unknown>): Promise<void>;
}

/** The history entries grouping writes, one of each kind per group per batch at most. */
type ActivityKind = 'created' | 'reopened' | 'flapping' | 'alerts_fired' | 'acknowledged' | 'alerts_resolved' | 'resolved';

/** Per-group activity within one batch (feeds group events and incident timelines). */
interface Activity {
  /** What happened to the group in the batch, each at the accepting time of the last request it came from. */
  times: Partial<Record<ActivityKind, string>>;
  fired: number;
  resolved: number;
  titles: string[];
}

/** What a batch did, for the caller to publish once it committed. */
export interface BatchOutcome {
  changedGroups: string[];
  /** Incidents whose timeline got alert activity. */
  incidents: string[];
  /** Groups that a route says to declare an incident for: [groupId, severity]. */
  declare: [string, string][];
  /** Groups that resolved in this batch (their pages end). */
  resolved: string[];
  /** Groups their source acknowledged in this batch (their pages stop escalating). */
  acknowledged: string[];
  /** New or reopened groups routed to an escalation policy, not silenced: page when their group wait is up (epoch ms). */
  page: { groupId: string; at: string; runAt: number }[];
  /** Rows added to the alerts and alert_groups tables. */
  inserted: number;
}

/** The later of two times (ISO strings), treating null as "never". */
const later = (a: string | null, b: string): string => (a !== null && a > b ? a : b);

/** Entries that sum up several alerts are dated by the first of them; the others by the last. */
const DATED_BY_FIRST: ReadonlySet<ActivityKind> = new Set(['alerts_fired', 'alerts_resolved']);

/** A key within its integration. */
const scoped = (key: string, integrationId: string) => `${integrationId}\u0000${key}`;

/** Applies a batch inside `trx` (the caller holds the ingest lock). */
export async function applyBatch(trx: Db, dialect: Storage['dialect'], items: IngestItem[], env: PipelineEnv, now: string): Promise<BatchOutcome> {
  const live: IngestItem[] = [];
  for (const item of items) {
    // A sender's retry (same message id, e.g. SNS) was answered 2xx like the first; it is applied once.
    if (item.messageId) {
      const res = await trx.insertInto('ingest_messages').values({ integration_id: item.integration.id, message_id: item.messageId, received_at: item.receivedAt })
        .onConflict((oc) => oc.columns(['integration_id', 'message_id']).doNothing()).executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    }
    live.push(item);
  }

  // Times are the requests' (when they were accepted), not this transaction's: during a storm
  // grouping runs minutes behind, and a group must still say when it fired, resolved and flapped.
  // Suppression is decided now, though: a silence made during a storm covers what is still waiting.
  const earliest = live.reduce((min, i) => (i.receivedAt < min ? i.receivedAt : min), now);
  const recentSince = new Date(Date.parse(earliest) - REOPEN_WINDOW_MS).toISOString();
  // ---- load what the batch touches: the current alert per dedup key, and candidate groups ----
  const current = new Map<string, AlertsTable>();
  const keysByIntegration = new Map<string, Set<string>>();
  const groupKeysByIntegration = new Map<string, Set<string>>();
  for (const item of live) {
    const keys = keysByIntegration.get(item.integration.id) ?? new Set();
    const gkeys = groupKeysByIntegration.get(item.integration.id) ?? new Set();
    for (const a of item.alerts) {
      keys.add(a.dedupKey);
      if (a.status === 'firing') gkeys.add(groupKey(groupLabels(a.labels, item.integration.groupBy)));
    }
    keysByIntegration.set(item.integration.id, keys);
    groupKeysByIntegration.set(item.integration.id, gkeys);
  }
  // Both reads go out together: on PostgreSQL the second is queued on the connection behind the
  // first instead of waiting for the event loop to get back to it.
  const [alertRows, groupRows] = await Promise.all([
    Promise.all([...keysByIntegration].flatMap(([integrationId, keys]) => keyChunks(dialect, keys).map((part) =>
      trx.selectFrom('alerts').selectAll()
        .where('integration_id', '=', integrationId).where(keyIn(dialect, 'dedup_key', part))
        .where((eb) => eb.or([eb('status', '=', 'firing'), eb('last_received_at', '>=', recentSince)]))
        .orderBy('id').execute()))),
    Promise.all([...groupKeysByIntegration].flatMap(([integrationId, gkeys]) => keyChunks(dialect, gkeys).map((part) =>
      trx.selectFrom('alert_groups').selectAll()
        .where('integration_id', '=', integrationId).where(keyIn(dialect, 'group_key', part))
        .where((eb) => eb.or([eb('status', '!=', 'resolved'), eb('resolved_at', '>=', recentSince)]))
        .orderBy('id').execute()))),
  ]);
  for (const rows of alertRows) {
    for (const r of rows) current.set(scoped(r.dedup_key, r.integration_id), r); // ordered by id: the newest wins
  }
  const groups = new Map<string, AlertGroupsTable>();
  const groupByKey = new Map<string, string>();
  for (const rows of groupRows) {
    for (const g of rows) {
      groups.set(g.id, g);
      groupByKey.set(scoped(g.group_key, g.integration_id), g.id);
    }
  }
  const missing = [...new Set([...current.values()].map((a) => a.group_id))].filter((id) => !groups.has(id));
  for (const part of keyChunks(dialect, missing)) {
    for (const g of await trx.selectFrom('alert_groups').selectAll().where(keyIn(dialect, 'id', part)).execute()) groups.set(g.id, g);
  }

  // ---- apply, in order, in memory ----
  const newGroups = new Set<string>();
  const dirtyGroups = new Set<string>();
  const newAlerts = new Map<string, AlertsTable>();
  const dirtyAlerts = new Map<string, AlertsTable>();
  const activity = new Map<string, Activity>();
  const act = (groupId: string, kind: ActivityKind, at: string): Activity => {
    let a = activity.get(groupId);
    if (!a) {
      a = { times: {}, fired: 0, resolved: 0, titles: [] };
      activity.set(groupId, a);
    }
    const prev = a.times[kind];
    if (prev === undefined || (DATED_BY_FIRST.has(kind) ? at < prev : at > prev)) a.times[kind] = at;
    return a;
  };

  const declare: [string, string][] = [];
  const page: BatchOutcome['page'] = [];
  const pageWhenDue = (g: AlertGroupsTable, integration: GroupingIntegration, at: string) => {
    if (g.escalation_policy && !g.suppressed_by) page.push({ groupId: g.id, at, runAt: Date.parse(at) + (integration.groupWaitSeconds ?? 0) * 1000 });
  };
  const openGroupFor = (integration: GroupingIntegration, alert: NormalizedAlert, at: string): AlertGroupsTable => {
    const grouped = groupLabels(alert.labels, integration.groupBy);
    const key = groupKey(grouped);
    const existingId = groupByKey.get(scoped(key, integration.id));
    const found = existingId ? groups.get(existingId) : undefined;
    // A group resolved more than the reopen window before this request stays resolved; a new one starts.
    const existing = found && (found.status !== 'resolved' || Date.parse(found.resolved_at ?? at) >= Date.parse(at) - REOPEN_WINDOW_MS) ? found : undefined;
    if (existing) {
      if (existing.status === 'resolved') {
        // Never before the resolve it undoes (a person may have resolved it after this request arrived).
        const when = later(existing.resolved_at, at);
        const t = recordTransition(JSON.parse(existing.transitions_json) as string[], when);
        act(existing.id, 'reopened', when);
        if (t.flapping && !existing.flapping) act(existing.id, 'flapping', when);
        Object.assign(existing, {
          status: 'triggered', resolved_at: null, resolved_by: null, acknowledged_at: null, acknowledged_by: null,
          transitions_json: JSON.stringify(t.transitions), flapping: t.flapping ? 1 : 0,
          suppressed_by: env.suppression(alert.labels, integration.id, existing.service, now),
        });
        dirtyGroups.add(existing.id);
        pageWhenDue(existing, integration, when);
      }
      return existing;
    }
    const route = env.routes.find((r) => (r.integrationId === null || r.integrationId === integration.id) && allMatch(r.matchers, alert.labels));
    const service = route?.service ?? alert.labels.service ?? null;
    const g: AlertGroupsTable = {
      id: newId(), integration_id: integration.id, group_key: key, group_labels_json: JSON.stringify(grouped), labels_json: JSON.stringify(alert.labels),
      title: alert.title, status: 'triggered', severity: alert.severity, route_id: route?.id ?? null, service,
      escalation_policy: route?.escalationPolicy ?? null, incident_id: null,
      suppressed_by: env.suppression(alert.labels, integration.id, service, now), flapping: 0,
      transitions_json: JSON.stringify([at]), alert_count: 0, firing_count: 0, created_at: at, last_alert_at: at,
      acknowledged_at: null, acknowledged_by: null, resolved_at: null, resolved_by: null, updated_at: now,
    };
    groups.set(g.id, g);
    groupByKey.set(scoped(key, integration.id), g.id);
    newGroups.add(g.id);
    act(g.id, 'created', at);
    if (route?.declareSeverity && !g.suppressed_by) declare.push([g.id, route.declareSeverity]);
    pageWhenDue(g, integration, at);
    return g;
  };

  for (const item of live) {
    const integration = item.integration;
    const at = item.receivedAt;
    for (const alert of item.alerts) {
      const k = scoped(alert.dedupKey, integration.id);
      const existing = current.get(k);
      const raw = JSON.stringify(alert.raw ?? null);
      if (alert.status === 'firing') {
        if (existing && existing.status === 'firing') {
          existing.last_received_at = later(existing.last_received_at, at);
          existing.receive_count++;
          if (!alert.partial) {
            Object.assign(existing, {
              ends_at: alert.endsAt, severity: alert.severity, title: alert.title, description: alert.description,
              annotations_json: JSON.stringify(alert.annotations), links_json: JSON.stringify(alert.links), raw_json: raw,
            });
          }
          if (!newAlerts.has(existing.id)) dirtyAlerts.set(existing.id, existing);
          const g = groups.get(existing.group_id);
          if (g) {
            g.last_alert_at = later(g.last_alert_at, at);
            if (!alert.partial) g.severity = worse(g.severity as AlertSeverity, alert.severity);
            if (alert.acknowledge && g.status === 'triggered') {
              Object.assign(g, { status: 'acknowledged', acknowledged_at: at, acknowledged_by: null });
              act(g.id, 'acknowledged', at);
            }
            dirtyGroups.add(g.id);
          }
          continue;
        }
        if (alert.acknowledge || alert.partial) continue; // acknowledging an alert we never saw firing: nothing to do
        const g = openGroupFor(integration, alert, at);
        const row: AlertsTable = {
          id: newId(), integration_id: integration.id, group_id: g.id, dedup_key: alert.dedupKey, status: 'firing', severity: alert.severity,
          title: alert.title, description: alert.description, labels_json: JSON.stringify(alert.labels),
          annotations_json: JSON.stringify(alert.annotations), links_json: JSON.stringify(alert.links), starts_at: alert.startsAt,
          ends_at: alert.endsAt, first_received_at: item.receivedAt, last_received_at: item.receivedAt, resolved_at: null, receive_count: 1,
          silenced_by: env.suppression(alert.labels, integration.id, g.service, now), raw_json: raw,
        };
        newAlerts.set(row.id, row);
        current.set(k, row);
        g.alert_count++;
        g.firing_count++;
        g.last_alert_at = later(g.last_alert_at, at);
        g.severity = worse(g.severity as AlertSeverity, alert.severity);
        dirtyGroups.add(g.id);
        const a = act(g.id, 'alerts_fired', at);
        a.fired++;
        if (a.titles.length < 3) a.titles.push(alert.title);
      } else {
        if (!existing) continue; // resolved before we ever saw it fire: nothing to page about, nothing to keep
        existing.last_received_at = later(existing.last_received_at, at);
        if (!newAlerts.has(existing.id)) dirtyAlerts.set(existing.id, existing);
        if (existing.status !== 'firing') continue;
        Object.assign(existing, { status: 'resolved', resolved_at: at, ends_at: alert.endsAt ?? at, receive_count: existing.receive_count + 1 });
        if (!alert.partial) existing.raw_json = raw;
        const g = groups.get(existing.group_id);
        if (!g) continue;
        g.firing_count = Math.max(0, g.firing_count - 1);
        g.last_alert_at = later(g.last_alert_at, at);
        act(g.id, 'alerts_resolved', at).resolved++;
        if (g.firing_count === 0 && g.status !== 'resolved') {
          const t = recordTransition(JSON.parse(g.transitions_json) as string[], at);
          Object.assign(g, { status: 'resolved', resolved_at: at, resolved_by: null, transitions_json: JSON.stringify(t.transitions) });
          act(g.id, 'resolved', at);
        }
        dirtyGroups.add(g.id);
      }
    }
  }

  // ---- write ----
  await bulkInsert(trx, dialect, 'alert_groups', [...newGroups].map((id) => ({ ...groups.get(id)!, updated_at: now })));
  const changedGroups = [...dirtyGroups].filter((id) => !newGroups.has(id)).map((id) => ({ ...groups.get(id)!, updated_at: now }));
  await bulkUpdate(trx, dialect, 'alert_groups', 'id', [
    'status', 'severity', 'suppressed_by', 'flapping', 'transitions_json', 'alert_count', 'firing_count',
    'last_alert_at', 'acknowledged_at', 'acknowledged_by', 'resolved_at', 'resolved_by', 'updated_at',
  ], changedGroups);
  await bulkInsert(trx, dialect, 'alerts', [...newAlerts.values()]);
  await bulkUpdate(trx, dialect, 'alerts', 'id', [
    'status', 'severity', 'title', 'description', 'annotations_json', 'links_json', 'ends_at', 'last_received_at', 'resolved_at',
    'receive_count', 'raw_json',
  ], [...dirtyAlerts.values()]);

  const events: AlertGroupEventsTable[] = [];
  const incidents = new Set<string>();
  for (const [groupId, a] of activity) {
    const g = groups.get(groupId)!;
    // The history lists entries by `at`: when the requests were accepted, not when grouping ran.
    const ev = (kind: ActivityKind, data: Record<string, unknown> | null) => {
      const at = a.times[kind];
      if (at !== undefined) events.push({ id: newId(), group_id: groupId, at, kind, actor_id: null, data_json: data ? JSON.stringify(data) : null });
    };
    ev('created', { routeId: g.route_id, service: g.service, escalationPolicy: g.escalation_policy, suppressedBy: g.suppressed_by });
    ev('reopened', { suppressedBy: g.suppressed_by });
    ev('flapping', null);
    ev('alerts_fired', { count: a.fired, titles: a.titles });
    ev('acknowledged', { by: 'source' });
    ev('alerts_resolved', { count: a.resolved });
    ev('resolved', { auto: true });
    if (g.incident_id && (a.fired || a.resolved || a.times.reopened)) {
      incidents.add(g.incident_id);
      await env.incidentActivity(trx, g.incident_id, 'alerts.activity', {
        groupId, title: g.title, fired: a.fired, resolved: a.resolved, firing: g.firing_count,
        status: a.times.resolved ? 'resolved' : a.times.reopened ? 'reopened' : g.status,
      });
    }
  }
  await bulkInsert(trx, dialect, 'alert_group_events', events);
  const lastReceived = new Map<string, string>();
  for (const i of live) lastReceived.set(i.integration.id, later(lastReceived.get(i.integration.id) ?? null, i.receivedAt));
  for (const [id, at] of lastReceived) {
    await trx.updateTable('integrations').set({ last_received_at: at }).where('id', '=', id)
      .where((eb) => eb.or([eb('last_received_at', 'is', null), eb('last_received_at', '<', at)])).execute();
  }
  return {
    changedGroups: [...activity.keys(), ...[...dirtyGroups].filter((id) => !activity.has(id))], incidents: [...incidents], declare, page,
    resolved: [...activity].filter(([, a]) => a.times.resolved !== undefined).map(([id]) => id),
    acknowledged: [...activity].filter(([, a]) => a.times.acknowledged !== undefined && a.times.resolved === undefined).map(([id]) => id),
    inserted: newAlerts.size + newGroups.size,
  };
}
