// Rows → API shapes for alerts and alert groups, with the names and numbers they refer to.
import type { AlertSeverity, SourceId } from '../../plugins/source.js';
import type { Db } from '../../storage/db.js';
import type { AlertGroupEventsTable, AlertGroupsTable, AlertsTable } from '../../storage/schema.js';
import type { Alert, AlertGroupSummary } from './alerts.schema.js';

/** Looks up user names (the accounts room). */
export interface UserNames {
  userNames(ids: string[], db?: Db): Promise<Map<string, string>>;
}

/** "silence:<id>" → { kind, id }. */
export function suppressionOf(value: string | null): AlertGroupSummary['suppressedBy'] {
  if (!value) return null;
  const [kind, id] = value.split(':', 2);
  return (kind === 'silence' || kind === 'maintenance') && id ? { kind, id } : null;
}

/** One alert row as the API shows it. */
export function alertOf(r: AlertsTable): Alert {
  return {
    id: r.id, groupId: r.group_id, dedupKey: r.dedup_key, status: r.status as Alert['status'], severity: r.severity as AlertSeverity,
    title: r.title, description: r.description, labels: JSON.parse(r.labels_json), annotations: JSON.parse(r.annotations_json),
    links: JSON.parse(r.links_json), startsAt: r.starts_at, endsAt: r.ends_at, firstReceivedAt: r.first_received_at,
    lastReceivedAt: r.last_received_at, resolvedAt: r.resolved_at, receiveCount: Number(r.receive_count), silencedBy: r.silenced_by,
  };
}

/** Group rows as the API shows them (one query per referenced table, not per row). */
export async function groupSummaries(db: Db, users: UserNames, rows: AlertGroupsTable[]): Promise<AlertGroupSummary[]> {
  if (rows.length === 0) return [];
  const integrationIds = [...new Set(rows.map((r) => r.integration_id))];
  const integrations = new Map((await db.selectFrom('integrations').select(['id', 'name', 'source']).where('id', 'in', integrationIds).execute()).map((i) => [i.id, i]));
  const incidentIds = [...new Set(rows.map((r) => r.incident_id).filter((x): x is string => !!x))];
  const incidents = new Map(incidentIds.length
    ? (await db.selectFrom('incidents').select(['id', 'number', 'title']).where('id', 'in', incidentIds).execute()).map((i) => [i.id, { id: i.id, number: Number(i.number), title: i.title }])
    : []);
  const names = await users.userNames(rows.flatMap((r) => [r.acknowledged_by].filter((x): x is string => !!x)), db);
  return rows.map((r) => {
    const integration = integrations.get(r.integration_id);
    return {
      id: r.id, integrationId: r.integration_id, integrationName: integration?.name ?? '', source: (integration?.source ?? 'webhook') as SourceId,
      title: r.title, status: r.status as AlertGroupSummary['status'], severity: r.severity as AlertSeverity,
      groupLabels: JSON.parse(r.group_labels_json), service: r.service, escalationPolicy: r.escalation_policy, routeId: r.route_id,
      incident: r.incident_id ? (incidents.get(r.incident_id) ?? null) : null,
      suppressedBy: r.status === 'resolved' ? null : suppressionOf(r.suppressed_by), flapping: r.flapping === 1,
      alertCount: Number(r.alert_count), firingCount: Number(r.firing_count), createdAt: r.created_at, lastAlertAt: r.last_alert_at,
      acknowledgedAt: r.acknowledged_at,
      acknowledgedBy: r.acknowledged_at ? { id: r.acknowledged_by, name: r.acknowledged_by ? (names.get(r.acknowledged_by) ?? r.acknowledged_by) : 'source' } : null,
      resolvedAt: r.resolved_at,
    };
  });
}

/** A group's history as the API shows it. */
export async function groupEvents(db: Db, users: UserNames, rows: AlertGroupEventsTable[]) {
  const names = await users.userNames(rows.map((r) => r.actor_id).filter((x): x is string => !!x), db);
  return rows.map((r) => ({
    id: r.id, at: r.at, kind: r.kind,
    actor: r.actor_id ? { id: r.actor_id, name: names.get(r.actor_id) ?? r.actor_id } : null,
    data: r.data_json ? (JSON.parse(r.data_json) as Record<string, unknown>) : null,
  }));
}
