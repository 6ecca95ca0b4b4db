// What the API shows of pages: summaries for lists, and a page in full (its policy as it started,
// every notification and what happened). Reads only; pages.service.ts changes them.
import { problems } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import type { Db } from '../../storage/db.js';
import type { PagesTable } from '../../storage/schema.js';
import type { PolicySnapshot, PoliciesService } from './policies.service.js';

/** Display names of people, from the accounts room. */
export interface PageNames {
  userNames(ids: string[], db?: Db): Promise<Map<string, string>>;
}

/** A list query: status (open = triggered or acknowledged), only pages that notified the caller, one incident's. */
export interface PageListFilter {
  status: string;
  mine: string;
  limit: number;
  incidentId?: string;
}

/** Summaries of page rows, with who acknowledged or resolved them and how many deliveries failed. */
export async function pageSummaries(db: Db, people: PageNames, rows: PagesTable[]) {
  const failed = rows.length
    ? await db.selectFrom('page_notifications').select(['page_id', (eb) => eb.fn.countAll().as('n')]).where('page_id', 'in', rows.map((r) => r.id)).where('status', '=', 'failed').groupBy('page_id').execute()
    : [];
  const names = await people.userNames(rows.flatMap((r) => [r.acknowledged_by, r.resolved_by].filter((x): x is string => !!x)), db);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
  return rows.map((r) => {
    const snapshot = JSON.parse(r.snapshot_json) as PolicySnapshot;
    return {
      id: r.id, title: r.title, severity: r.severity, status: r.status as 'triggered' | 'acknowledged' | 'resolved',
      policy: { id: r.policy_id, name: snapshot.name }, alertGroupId: r.alert_group_id, incidentId: r.incident_id, drill: r.drill === 1,
      level: r.level, levelCount: snapshot.levels.length, cycle: r.cycle, repeat: snapshot.repeat, escalatesAt: r.status === 'triggered' ? r.escalates_at : null, exhaustedAt: r.exhausted_at,
      createdAt: r.created_at, acknowledgedAt: r.acknowledged_at, acknowledgedBy: person(r.acknowledged_by),
      resolvedAt: r.resolved_at, resolvedBy: person(r.resolved_by),
      failedDeliveries: Number(failed.find((f) => f.page_id === r.id)?.n ?? 0),
    };
  });
}

/** Pages, newest first. */
export async function listPages(db: Db, people: PageNames, actor: Actor, q: PageListFilter) {
  let base = db.selectFrom('pages').selectAll();
  if (q.incidentId) base = base.where('incident_id', '=', q.incidentId);
  if (q.status === 'open') base = base.where('status', '!=', 'resolved');
  else if (q.status !== 'all') base = base.where('status', '=', q.status);
  if (q.mine === 'true') base = base.where('id', 'in', (eb) => eb.selectFrom('page_notifications').select('page_id').where('user_id', '=', actor.userId ?? '-'));
  const rows = await base.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return pageSummaries(db, people, rows);
}

/** One page in full. */
export async function pageDetail(db: Db, people: PageNames, policies: Pick<PoliciesService, 'targetNames'>, id: string) {
  const row = await db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw problems.notFound('Page', id);
  const [summary] = await pageSummaries(db, people, [row]);
  const snapshot = JSON.parse(row.snapshot_json) as PolicySnapshot;
  const name = await policies.targetNames(snapshot.levels);
  const notifications = await db.selectFrom('page_notifications').selectAll().where('page_id', '=', id).orderBy('created_at').orderBy('id').execute();
  const events = await db.selectFrom('page_events').selectAll().where('page_id', '=', id).orderBy('id').execute();
  const eventData = events.map((e) => JSON.parse(e.data_json) as Record<string, unknown>);
  const mentioned = eventData.flatMap((d) => [...(Array.isArray(d.users) ? (d.users as string[]) : []), ...(typeof d.userId === 'string' ? [d.userId] : [])]);
  const names = await people.userNames([...notifications.map((n) => n.user_id), ...events.map((e) => e.actor_id).filter((x): x is string => !!x), ...mentioned]);
  return {
    ...summary!,
    levels: snapshot.levels.map((l) => ({ timeoutMinutes: l.timeoutMinutes, targets: l.targets.map((t) => ({ ...t, name: name(t) })) })),
    notifications: notifications.map((n) => ({
      id: n.id, user: { id: n.user_id, name: names.get(n.user_id) ?? n.user_id }, kind: n.kind, contactMethodId: n.contact_method_id,
      level: n.level, cycle: n.cycle, status: n.status as 'scheduled' | 'sent' | 'retrying' | 'failed' | 'skipped', attempts: n.attempts, error: n.error,
      dueAt: n.due_at, sentAt: n.sent_at,
    })),
    events: events.map((e, i) => {
      const data = eventData[i]!;
      // Names beside the ids, as they are now: who a level woke, whose delivery failed.
      if (Array.isArray(data.users)) data.userNames = (data.users as string[]).map((uid) => names.get(uid) ?? uid);
      if (typeof data.userId === 'string') data.userName = names.get(data.userId) ?? data.userId;
      return { id: e.id, at: e.at, kind: e.kind, actor: e.actor_id ? { id: e.actor_id, name: names.get(e.actor_id) ?? e.actor_id } : null, data };
    }),
  };
}
