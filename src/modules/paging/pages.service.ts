// Pages: the part that makes the phone ring. A page walks its policy's snapshot level by level.
// Entering a level works out who is on call *then*, and enqueues one notification job per person
// and notification rule (run when the rule's delay is up) and one escalation job (run when the
// level's timeout is up). Everything is a row in the database, written in one transaction with the
// change that causes it, so a crash loses nothing: after a restart the jobs are still there, and a
// notification sent again carries the same delivery id. Jobs check the page when they run: an
// acknowledged page sends nothing more and escalates no further.
import { DeliveryError } from '../../plugins/channel.js';
import type { EventBus } from '../../server/event-bus.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { PageNotificationsTable, PagesTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { ContactsService, PagingPeople } from './contacts.service.js';
import type { PageLinks } from './page-links.js';
import { pageMessage } from './page-messages.js';
import { bulkInsert, keyChunks, keyIn } from '../../storage/bulk.js';
import { pageIntoIncident, remindOwner } from './page-incidents.js';
import { escalationDue, type OnCallLookup, prepareLevel, type Prepared, type TeamMembers } from './page-levels.js';
import { listPages, pageDetail, type PageListFilter } from './pages.read.js';
import type { PoliciesService, PolicySnapshot, Target } from './policies.service.js';

export { PAGE_FOR_GROUP } from '../alerts/grouper.js';
export const PAGE_ESCALATE = 'page.escalate';
export const PAGE_NOTIFY = 'page.notify';

/** The alert group a page is for, from the alerts room. */
export interface PagedGroups {
  pagingFacts(id: string): Promise<{ title: string; severity: string; status: string; escalationPolicy: string | null; suppressedBy: string | null; incidentId: string | null } | null>;
  acknowledge(actor: Actor, id: string): Promise<unknown>;
  resolve(actor: Actor, id: string): Promise<unknown>;
}

/** An incident as paging needs it: who is named in it (a drill pages only them) and its timeline. */
export interface PagedIncidents {
  get(idOrRef: string): Promise<{
    id: string; number: number; title: string; severity: string; phase: string; drill: boolean;
    commander: { id: string | null; name: string } | null;
    roles: { role: string; user: { id: string | null; name: string } | null }[];
    responders: { user: { id: string | null; name: string } }[];
  }>;
  recordAlertActivity(trx: Db, incidentId: string, kind: `page.${string}`, data: Record<string, unknown>, actor?: Actor | null): Promise<void>;
  announceAlertActivity(incidentId: string): void;
}

export interface PagesDeps {
  storage: Storage;
  queue: JobQueue;
  bus: EventBus;
  policies: PoliciesService;
  contacts: ContactsService;
  people: PagingPeople & { userNames(ids: string[], db?: Db): Promise<Map<string, string>> };
  oncall: OnCallLookup;
  teams: TeamMembers;
  links: PageLinks;
  clock?: () => number;
}

const MINUTE = 60_000;
/** Page changes other nodes' live views hear of at once (the rest they see at their next poll). */
const RELAYED_KINDS = new Set(['acknowledged', 'resolved']);

/** What starts a page by hand: a title, a severity and who to wake. */
export interface PageInput {
  title: string;
  severity: string;
  target: Target | { type: 'policy'; id: string };
}

export class PagesService {
  /** Set once the alerts room exists (it is built after this one). */
  groups: PagedGroups | null = null;
  /** The incidents room: pages for an incident land on its timeline. */
  incidents: PagedIncidents | null = null;
  private readonly clock: () => number;

  constructor(private readonly deps: PagesDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  private get db(): Db {
    return this.deps.storage.db;
  }

  /** The page row, locked for this transaction on PostgreSQL (SQLite transactions are serial already). */
  private async lockPage(trx: Db, id: string): Promise<PagesTable | undefined> {
    const q = trx.selectFrom('pages').selectAll().where('id', '=', id);
    return (this.deps.storage.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
  }

  private async event(trx: Db, pageId: string, kind: string, actorId: string | null, data: Record<string, unknown>, at = nowIso(this.clock())): Promise<void> {
    await trx.insertInto('page_events').values({ id: newId(), page_id: pageId, at, kind, actor_id: actorId, data_json: JSON.stringify(data) }).execute();
  }

  private publish(pageId: string, kind: string): void {
    const at = nowIso(this.clock());
    // Live views of pages (GET /pages/events). What paging does by itself (start, notify, escalate)
    // stays on this node: on PostgreSQL a relayed event is one more query per page, on the path a page
    // waits on; views also poll, which shows other nodes' pages. What people do (acknowledge,
    // resolve) is rare and goes to every node. Wakes are for this node's worker; other nodes' poll.
    this.deps.bus.publish({ type: 'pages.changed', at, data: { pageId, kind }, local: !RELAYED_KINDS.has(kind) });
    // Notification and escalation jobs were enqueued: the paging worker looks now rather than at its next poll.
    if (kind === 'triggered' || kind === 'escalated') this.deps.bus.publish({ type: 'jobs.wake', at, data: {}, local: true });
  }

  // ---- starting ----

  /**
   * Starts a page in the caller's transaction; the first level is entered at once. `first` is
   * prepareLevel(snapshot.levels[0]), worked out before the transaction (it reads other rooms,
   * and SQLite's one connection is the transaction's until it ends).
   */
  async startIn(trx: Db, actor: Actor, input: { title: string; severity: string; snapshot: PolicySnapshot; alertGroupId?: string | null; incidentId?: string | null; drill?: boolean; dedupKey?: string }, first: Prepared): Promise<string> {
    const now = first.at;
    const page: PagesTable = {
      id: newId(now), title: input.title, severity: input.severity, status: 'triggered', policy_id: input.snapshot.policyId,
      snapshot_json: JSON.stringify(input.snapshot), alert_group_id: input.alertGroupId ?? null, incident_id: input.incidentId ?? null,
      drill: input.drill ? 1 : 0, dedup_key: input.dedupKey ?? null, level: 0, cycle: 0, escalates_at: nowIso(escalationDue(first)), exhausted_at: null, created_by: actor.userId,
      created_at: nowIso(now), acknowledged_at: null, acknowledged_by: null, resolved_at: null, resolved_by: null, updated_at: nowIso(now),
    };
    await trx.insertInto('pages').values(page).execute();
    await this.enterLevel(trx, page, 0, 0, first, { kind: 'triggered', actorId: actor.userId, data: { policy: input.snapshot.name } }, true);
    if (page.incident_id) {
      await this.incidents?.recordAlertActivity(trx, page.incident_id, 'page.started', { pageId: page.id, title: page.title, target: input.snapshot.name, users: first.people.length }, actor);
    }
    return page.id;
  }

  /** Job: a new (or reopened) alert group routed to a policy, after its group wait. */
  async startForGroup(groupId: string, firedAt?: string): Promise<string | null> {
    const g = await this.groups?.pagingFacts(groupId);
    // Acknowledged or resolved during the group wait, or silenced: nobody needs waking.
    if (!g || g.status !== 'triggered' || g.suppressedBy || !g.escalationPolicy) return null;
    const snapshot = await this.deps.policies.snapshot(g.escalationPolicy);
    const first = snapshot ? await prepareLevel(this.deps, snapshot.levels[0]!, this.clock(), snapshot.onlyUsers) : null;
    const facts = await this.deps.storage.db.transaction().execute(async (trx) => {
      // One page per group at a time: a retried job finds the page it started, and two jobs for one
      // group (created, resolved and reopened in one batch) take turns (PostgreSQL runs them at once).
      await this.deps.storage.lockForTransaction(trx, `paging.group:${groupId}`);
      const open = await trx.selectFrom('pages').selectAll().where('alert_group_id', '=', groupId).where('status', '!=', 'resolved').executeTakeFirst();
      // A page older than this firing belongs to an earlier one the group resolved since (its ending
      // was missed, e.g. a crash right after the grouping commit): it ends, and this firing pages anew.
      if (open && firedAt && open.created_at < firedAt) await this.followIn(trx, open, 'resolved');
      else if (open) return null;
      if (!snapshot) return { missing: g.escalationPolicy! };
      const id = await this.startIn(trx, { type: 'system', userId: null, name: 'Hikeshi', role: 'admin' }, { title: g.title, severity: g.severity, snapshot, alertGroupId: groupId, incidentId: g.incidentId }, first!);
      return { id };
    });
    if (facts && 'missing' in facts) throw DeliveryError.permanent(`alert group ${groupId}: escalation policy ${facts.missing} does not exist`);
    if (facts) this.publish(facts.id, 'triggered');
    return facts?.id ?? null;
  }

  /** A page someone starts by hand: a person, a schedule's on-call, a team, or a policy. */
  async create(actor: Actor, input: PageInput, extra: { incidentId?: string | null; drill?: boolean; named?: Set<string> } = {}) {
    return this.get((await this.start(actor, input, extra))!);
  }

  /** Starts a page; null when a page with `dedupKey` exists already. */
  async start(actor: Actor, input: PageInput, extra: { incidentId?: string | null; drill?: boolean; named?: Set<string>; repeat?: number; dedupKey?: string }): Promise<string | null> {
    let snapshot: PolicySnapshot | null;
    if (input.target.type === 'policy') {
      snapshot = await this.deps.policies.snapshot(input.target.id);
      if (!snapshot) throw new HttpProblem(400, 'Invalid request', 'body.target.id: no such escalation policy', [{ field: 'body.target.id', message: 'no such escalation policy' }]);
    } else {
      const target = input.target as Target;
      const name = await this.deps.policies.targetName(target);
      if (name === null) throw new HttpProblem(400, 'Invalid request', `body.target.id: no such ${target.type}`, [{ field: 'body.target.id', message: `no such ${target.type}` }]);
      // A direct page is a one-level policy that repeats twice, so an unanswered page rings again.
      snapshot = { policyId: null, name, repeat: extra.repeat ?? 2, levels: [{ targets: [target], timeoutMinutes: 15 }] };
    }
    // A drill pages only the people named in it: the snapshot says so, and every level is filtered.
    if (extra.named) snapshot = { ...snapshot, onlyUsers: [...extra.named] };
    const first = await prepareLevel(this.deps, snapshot.levels[0]!, this.clock(), snapshot.onlyUsers);
    const id = await this.db.transaction().execute(async (trx) => {
      if (extra.dedupKey && (await trx.selectFrom('pages').select('id').where('dedup_key', '=', extra.dedupKey).executeTakeFirst())) return null;
      const pageId = await this.startIn(trx, actor, { title: input.title, severity: input.severity, snapshot, incidentId: extra.incidentId, drill: extra.drill, dedupKey: extra.dedupKey }, first);
      await recordAudit(trx, actor, { action: 'page.create', targetType: 'page', targetId: pageId, after: { title: input.title, target: input.target, incidentId: extra.incidentId ?? null } });
      return pageId;
    });
    if (id === null) return null;
    this.publish(id, 'triggered');
    if (extra.incidentId) this.incidents?.announceAlertActivity(extra.incidentId);
    return id;
  }

  /** Pages responders into an incident (page-incidents.ts). */
  async pageForIncident(actor: Actor, incidentRef: string, input: { target: Target | { type: 'policy'; id: string }; message?: string }) {
    return pageIntoIncident(this, this.incidentRoom(), actor, incidentRef, input);
  }

  /** Reminds whoever owns an overdue update (page-incidents.ts); null when nobody was paged. */
  async remind(incidentId: string, clock: string, dueAt: string): Promise<string | null> {
    return remindOwner(this, this.incidentRoom(), this.deps.people, incidentId, clock, dueAt);
  }

  private incidentRoom(): PagedIncidents {
    if (!this.incidents) throw new Error('paging is not connected to the incidents room');
    return this.incidents;
  }

  // ---- escalating ----

  /**
   * Enters a level: notifications for whoever it means now, and the escalation when its timeout is up.
   * `inserted`: the page row was just written with this level (a page's start), so it needs no update.
   * Each kind of row is written in one statement, whatever the number of people: on PostgreSQL every
   * statement is a round trip, and a page waits for them.
   */
  private async enterLevel(trx: Db, page: PagesTable, level: number, cycle: number, prepared: Prepared, before?: { kind: string; actorId: string | null; data: Record<string, unknown> }, inserted = false): Promise<void> {
    const { at: now, people } = prepared;
    const notifications: PageNotificationsTable[] = [];
    for (const userId of people) {
      for (const step of prepared.plans.get(userId) ?? []) {
        notifications.push({
          id: newId(now), page_id: page.id, user_id: userId, contact_method_id: step.contactMethodId, kind: step.kind, level, cycle,
          status: 'scheduled', attempts: 0, error: null, due_at: nowIso(now + step.delayMinutes * MINUTE), sent_at: null, created_at: nowIso(now),
        });
      }
    }
    await bulkInsert(trx, this.deps.storage.dialect, 'page_notifications', notifications);
    const escalatesAt = escalationDue(prepared);
    if (!inserted) await trx.updateTable('pages').set({ level, cycle, escalates_at: nowIso(escalatesAt), updated_at: nowIso(now) }).where('id', '=', page.id).execute();
    await this.deps.queue.enqueueMany([
      ...notifications.map((n) => ({ kind: PAGE_NOTIFY, dedupKey: `${PAGE_NOTIFY}:${n.id}`, payload: { notificationId: n.id }, runAt: Date.parse(n.due_at) })),
      { kind: PAGE_ESCALATE, dedupKey: `${PAGE_ESCALATE}:${page.id}:${cycle}:${level}`, payload: { pageId: page.id, cycle, level }, runAt: escalatesAt },
    ], trx);
    // The page's own start (when entering its first level) and this level's entry, in one statement.
    const at = nowIso(now);
    const kind = level === 0 && cycle === 0 ? 'notified' : level === 0 ? 'repeated' : 'escalated';
    await trx.insertInto('page_events').values([
      ...(before ? [{ id: newId(now), page_id: page.id, at, kind: before.kind, actor_id: before.actorId, data_json: JSON.stringify(before.data) }] : []),
      { id: newId(now), page_id: page.id, at, kind, actor_id: null, data_json: JSON.stringify({ level, cycle, users: people, notifications: notifications.length }) },
    ]).execute();
  }

  /** Job: a level's timeout is up. Stale jobs (the page moved on, or someone acknowledged) do nothing. */
  async escalate(payload: { pageId: string; cycle: number; level: number }): Promise<void> {
    const stale = (p: PagesTable | undefined): p is undefined => !p || p.status !== 'triggered' || p.level !== payload.level || p.cycle !== payload.cycle || !!p.exhausted_at;
    const seen = await this.db.selectFrom('pages').selectAll().where('id', '=', payload.pageId).executeTakeFirst();
    if (stale(seen)) return;
    const now = this.clock();
    const snapshot = JSON.parse(seen.snapshot_json) as PolicySnapshot;
    const next = seen.level + 1 < snapshot.levels.length ? { level: seen.level + 1, cycle: seen.cycle }
      : seen.cycle < snapshot.repeat ? { level: 0, cycle: seen.cycle + 1 } : null;
    // The group was acknowledged or resolved (by its source, or in the UI) and the page missed it.
    const group = await this.groupState(seen);
    const prepared = next && group === 'triggered' ? await prepareLevel(this.deps, snapshot.levels[next.level]!, now, snapshot.onlyUsers) : null;
    const changed = await this.db.transaction().execute(async (trx) => {
      const page = await this.lockPage(trx, payload.pageId);
      // Someone acknowledged, or another node escalated, while this one looked.
      if (stale(page)) return false;
      if (group !== 'triggered') {
        await this.followIn(trx, page, group);
        return group;
      }
      if (next) await this.enterLevel(trx, page, next.level, next.cycle, prepared!);
      else {
        await trx.updateTable('pages').set({ exhausted_at: nowIso(now), escalates_at: null, updated_at: nowIso(now) }).where('id', '=', page.id).execute();
        await this.event(trx, page.id, 'exhausted', null, { level: page.level, cycle: page.cycle });
        // Nobody answered: the incident's people should know, not only the page's.
        if (page.incident_id) await this.incidents?.recordAlertActivity(trx, page.incident_id, 'page.exhausted', { pageId: page.id, title: page.title });
      }
      return true;
    });
    if (changed) this.publish(payload.pageId, changed === true ? 'escalated' : changed);
  }

  /** The state of the page's alert group: 'triggered' when the page has none (nothing to follow). */
  private async groupState(page: PagesTable): Promise<'triggered' | 'acknowledged' | 'resolved'> {
    if (!page.alert_group_id || !this.groups) return 'triggered';
    const g = await this.groups.pagingFacts(page.alert_group_id);
    return !g ? 'resolved' : g.status === 'acknowledged' ? 'acknowledged' : g.status === 'resolved' ? 'resolved' : 'triggered';
  }

  /** The page takes its alert group's state (escalation stops either way). */
  private async followIn(trx: Db, page: PagesTable, to: 'acknowledged' | 'resolved'): Promise<void> {
    const now = nowIso(this.clock());
    await trx.updateTable('pages').set(to === 'resolved'
      ? { status: 'resolved', resolved_at: now, escalates_at: null, updated_at: now }
      : { status: 'acknowledged', acknowledged_at: now, escalates_at: null, updated_at: now }).where('id', '=', page.id).execute();
    await this.event(trx, page.id, to, null, { reason: `alert_group_${to}` });
  }

  // ---- notifying ----

  /** Job: send one notification. Throws the channel's DeliveryError so the queue retries it. */
  async notify(payload: { notificationId: string }, attempt: number): Promise<void> {
    // The notification with its page, in one query.
    const row = await this.db.selectFrom('page_notifications as n').innerJoin('pages as p', 'p.id', 'n.page_id')
      .select(['n.id', 'n.page_id', 'n.user_id', 'n.contact_method_id', 'n.level', 'n.status',
        'p.title', 'p.severity', 'p.status as page_status', 'p.snapshot_json', 'p.created_at', 'p.drill', 'p.alert_group_id', 'p.incident_id'])
      .where('n.id', '=', payload.notificationId).executeTakeFirst();
    if (!row || row.status === 'sent' || row.status === 'skipped' || row.status === 'failed') return;
    const n = row;
    const page = { id: row.page_id, title: row.title, severity: row.severity, status: row.page_status, snapshot_json: row.snapshot_json, created_at: row.created_at, drill: row.drill, alert_group_id: row.alert_group_id, incident_id: row.incident_id };
    // "After 5 minutes if still unacknowledged": an acknowledged or resolved page sends nothing more.
    // (A group its source resolved has ended its page already, after the grouping commit; should that
    // have failed, the level's escalation job ends it. Asking the alerts room here too would be one more
    // query per notification, which on PostgreSQL is what pages wait for under load.)
    if (page.status !== 'triggered') {
      await this.db.updateTable('page_notifications').set({ status: 'skipped' }).where('id', '=', n.id).execute();
      return;
    }
    const user = await this.deps.people.person(n.user_id).catch(() => null);
    const contact = user && !user.disabled ? await this.deps.contacts.open(n.user_id, n.contact_method_id) : null;
    if (!contact) {
      await this.db.updateTable('page_notifications').set({ status: 'skipped', error: 'the person or contact method no longer exists' }).where('id', '=', n.id).execute();
      return;
    }
    const snapshot = JSON.parse(page.snapshot_json) as PolicySnapshot;
    const now = this.clock();
    const message = pageMessage({
      page: {
        id: page.id, title: page.title, severity: page.severity, status: page.status, policyName: snapshot.name, level: n.level,
        createdAt: page.created_at, drill: page.drill === 1, alertGroupId: page.alert_group_id, incidentId: page.incident_id,
      },
      locale: user!.locale === 'ja' ? 'ja' : 'en', timeZone: user!.timeZone,
      ackUrl: this.deps.links.url('ack', page.id, n.user_id, now), resolveUrl: this.deps.links.url('resolve', page.id, n.user_id, now),
      pageUrl: this.deps.links.pageUrl(page.id), deliveryId: n.id,
    });
    try {
      await this.deps.contacts.send(contact, message, n.id);
    } catch (err) {
      await this.db.updateTable('page_notifications').set({ status: 'retrying', attempts: attempt, error: String((err as Error).message ?? err).slice(0, 500) }).where('id', '=', n.id).execute();
      throw err;
    }
    await this.db.updateTable('page_notifications').set({ status: 'sent', attempts: attempt, error: null, sent_at: nowIso(this.clock()) }).where('id', '=', n.id).execute();
    this.publish(page.id, 'notified');
  }

  /** The queue gave up on a notification (permanent failure, or about an hour of retries): it shows on the page. */
  async notifyFailed(payload: { notificationId: string }, error: unknown): Promise<void> {
    const n = await this.db.selectFrom('page_notifications').selectAll().where('id', '=', payload.notificationId).executeTakeFirst();
    if (!n) return;
    const message = String((error as Error)?.message ?? error).slice(0, 500);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('page_notifications').set({ status: 'failed', error: message }).where('id', '=', n.id).execute();
      await this.event(trx, n.page_id, 'delivery_failed', null, { notificationId: n.id, userId: n.user_id, kind: n.kind, error: message });
      const page = await trx.selectFrom('pages').select(['incident_id', 'title']).where('id', '=', n.page_id).executeTakeFirst();
      if (page?.incident_id) {
        const name = (await this.deps.people.userNames([n.user_id], trx)).get(n.user_id) ?? n.user_id;
        await this.incidents?.recordAlertActivity(trx, page.incident_id, 'page.delivery_failed', { pageId: n.page_id, title: page.title, user: name, kind: n.kind, error: message });
      }
    });
    this.publish(n.page_id, 'delivery_failed');
  }

  // ---- acknowledging and resolving ----

  /** Acknowledge: someone is on it; escalation stops. Also acknowledges the page's alert group. */
  async acknowledge(actor: Actor, id: string) {
    const groupId = await this.transition(actor, id, 'acknowledged');
    if (groupId) await this.groups?.acknowledge(actor, groupId).catch(() => undefined);
    return this.get(id);
  }

  /** Resolve: the page ends. Also resolves the page's alert group. */
  async resolve(actor: Actor, id: string) {
    const groupId = await this.transition(actor, id, 'resolved');
    if (groupId) await this.groups?.resolve(actor, groupId).catch(() => undefined);
    return this.get(id);
  }

  /** Applies a status change; returns the alert group to follow, when the page changed and has one. */
  private async transition(actor: Actor, id: string, to: 'acknowledged' | 'resolved'): Promise<string | null> {
    const groupId = await this.db.transaction().execute(async (trx): Promise<{ group: string; incident: string | null } | null> => {
      const page = await this.lockPage(trx, id);
      if (!page) throw problems.notFound('Page', id);
      if (page.status === 'resolved' || page.status === to) return null;
      const now = nowIso(this.clock());
      await trx.updateTable('pages').set(to === 'acknowledged'
        ? { status: to, acknowledged_at: now, acknowledged_by: actor.userId, escalates_at: null, updated_at: now }
        : { status: to, resolved_at: now, resolved_by: actor.userId, escalates_at: null, updated_at: now }).where('id', '=', id).execute();
      await this.event(trx, id, to, actor.userId, {});
      await recordAudit(trx, actor, { action: to === 'acknowledged' ? 'page.acknowledge' : 'page.resolve', targetType: 'page', targetId: id });
      if (page.incident_id) await this.incidents?.recordAlertActivity(trx, page.incident_id, `page.${to}`, { pageId: id, title: page.title, by: actor.name }, actor);
      return { group: page.alert_group_id ?? '', incident: page.incident_id };
    });
    if (groupId === null) return null;
    this.publish(id, to);
    if (groupId.incident) this.incidents?.announceAlertActivity(groupId.incident);
    return groupId.group || null;
  }

  /** The alert group was acknowledged or resolved (in the UI, the API, or by its source): its page follows. */
  async followGroups(actor: Actor, groupIds: string[], to: 'acknowledged' | 'resolved'): Promise<void> {
    // A storm resolves thousands of groups at once, few of which paged: one lookup per chunk, not per group.
    for (const ids of keyChunks(this.deps.storage.dialect, groupIds)) {
      const open = await this.db.selectFrom('pages').select(['id', 'status']).where(keyIn(this.deps.storage.dialect, 'alert_group_id', ids)).where('status', '!=', 'resolved').execute();
      for (const p of open) if (p.status !== to) await this.transition(actor, p.id, to);
    }
  }

  // ---- reading (pages.read.ts) ----

  async list(actor: Actor, q: PageListFilter) {
    return listPages(this.db, this.deps.people, actor, q);
  }

  async get(id: string) {
    return pageDetail(this.db, this.deps.people, this.deps.policies, id);
  }
}
