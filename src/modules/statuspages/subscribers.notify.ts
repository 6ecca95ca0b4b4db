// Telling subscribers: the job handlers behind statuspage.incident_update, statuspage.maintenance
// (fan-out: one delivery job per subscriber) and statuspage.deliver (render in the subscriber's
// language, send by e-mail or signed webhook). Every handler re-reads what it announces, so a job that
// runs late, twice, or after things changed sends the right thing or nothing.
import { JobQueue, type Job } from '../../jobs/queue.js';
import { type ChannelMessage, DeliveryError } from '../../plugins/channel.js';
import type { Channels } from '../../plugins/registry.js';
import type { SecretBox } from '../../server/secret-box.js';
import { nowIso } from '../../shared/ids.js';
import type { Locale, Phase } from '../../shared/phases.js';
import type { Storage } from '../../storage/db.js';
import type { StatusMaintenancesTable, StatusPagesTable, StatusSubscribersTable } from '../../storage/schema.js';
import type { MaintenanceStatus, PageState } from './model.js';
import { loadPageState, publicTitleOf } from './page-state.js';
import { pageIndicator } from './render/derive.js';
import type { SubscriberLinks } from './subscribers.links.js';
import {
  confirmMessage, incidentMessage, maintenanceMessage, type MessagePage, type MessageRecipient, testMessage,
} from './subscribers.messages.js';
import { incidentPayload, maintenancePayload, type PayloadPage, testPayload } from './subscribers.payloads.js';
import * as repo from './subscribers.repo.js';
import { PageStateCache } from './subscribers.state-cache.js';
import {
  type DeliverEvent, type DeliverJob, type IncidentUpdateJob, type MaintenanceEvent, type MaintenanceJobPayload, STATUSPAGE_DELIVER,
} from './subscribers.jobs.js';

/** How deliveries are retried: exponential back-off with jitter (or the receiver's Retry-After), for about an hour. */
export const DELIVERY_RETRY = { maxAttempts: 30, maxAgeMs: 3600_000, capMs: 15 * 60_000, jitter: true } as const;

/** The state a maintenance message announces, by event. */
const ANNOUNCES: Record<Exclude<MaintenanceEvent, 'update'>, MaintenanceStatus> = {
  scheduled: 'scheduled', started: 'in_progress', completed: 'completed', cancelled: 'cancelled',
};

/**
 * Whether a maintenance job no longer describes the maintenance: it was called off (anything but
 * `cancelled`), rescheduled (a `started` or `completed` job for an old time), ended early (the
 * clock's `completed` after the early end was announced), or already under way when `scheduled`
 * runs (`started` tells). `startedByUpdate`: the start was set by a posted update, which announces it.
 */
export function maintenanceJobIsStale(m: StatusMaintenancesTable, p: MaintenanceJobPayload, now = Date.now(), startedByUpdate = false): boolean {
  if (p.event === 'cancelled') return !m.cancelled_at;
  if (m.cancelled_at) return true;
  switch (p.event) {
    case 'scheduled':
      return !!m.completed_at || Date.parse(m.starts_at) <= now;
    case 'started':
      return (p.at !== undefined && p.at !== m.starts_at) || (!!m.completed_at && m.completed_at <= m.starts_at) || startedByUpdate;
    case 'completed':
      if (p.at === undefined) return false;
      return m.completed_at ? p.at !== m.completed_at : p.at !== m.ends_at;
    default:
      return !p.updateId;
  }
}

/** Whether a subscriber's component filter (JSON ids, null = all) covers any of `components`. */
function follows(filterJson: string | null, components: Set<string>): boolean {
  if (filterJson === null) return true;
  return (JSON.parse(filterJson) as string[]).some((id) => components.has(id));
}

/** Runs the subscriber jobs. */
export class SubscriberNotifier {
  private readonly queue: JobQueue;
  /** Page states for webhook payloads, shared for a few seconds by the deliveries of one event. */
  private readonly states = new PageStateCache();

  constructor(
    private readonly storage: Storage,
    private readonly channels: Channels,
    private readonly box: SecretBox,
    private readonly links: SubscriberLinks,
  ) {
    this.queue = new JobQueue(storage);
  }

  private get db() {
    return this.storage.db;
  }

  /** statuspage.incident_update: one delivery per subscriber of every page the incident shows on. */
  async onIncidentUpdate(job: Job): Promise<number> {
    const { updateId } = JSON.parse(job.payload_json) as IncidentUpdateJob;
    const u = await repo.statusUpdateWithIncident(this.db, updateId);
    if (!u || u.audience !== 'public' || u.drill === 1) return 0;
    const components = await repo.incidentComponents(this.db, u.incident_id);
    return this.fanOut(components, null, `update:${updateId}`, { type: 'incident_update', updateId });
  }

  /** statuspage.maintenance: skips stale jobs, else one delivery per subscriber following the maintenance's components. */
  async onMaintenance(job: Job): Promise<number> {
    const p = JSON.parse(job.payload_json) as MaintenanceJobPayload;
    const m = await repo.findMaintenance(this.db, p.maintenanceId);
    if (!m) return 0;
    // Started early by an update ("in progress" posted before the window): that update is the announcement.
    const startedByUpdate = p.event === 'started' && (await repo.maintenanceUpdates(this.db, m.id)).some((u) => u.created_at === m.starts_at && u.status !== 'scheduled');
    if (maintenanceJobIsStale(m, p, Date.now(), startedByUpdate)) return 0;
    const components = await repo.maintenanceComponents(this.db, m.id);
    const event: DeliverEvent = { type: 'maintenance', maintenanceId: m.id, event: p.event, ...(p.updateId ? { updateId: p.updateId } : {}) };
    // A maintenance without components concerns the whole page: everyone hears of it.
    return this.fanOut(components, components.length ? null : m.page_id, `maintenance:${job.id}`, event);
  }

  /**
   * Enqueues one delivery per confirmed subscriber whose filter covers the components, in one
   * transaction. The dedup key names the event and the subscriber, so a fan-out that runs again
   * (a retry, an expired lease) adds nothing.
   */
  private async fanOut(components: { id: string; page_id: string }[], wholePage: string | null, eventKey: string, event: DeliverEvent): Promise<number> {
    const byPage = new Map<string, Set<string>>();
    for (const c of components) byPage.set(c.page_id, (byPage.get(c.page_id) ?? new Set()).add(c.id));
    if (wholePage) byPage.set(wholePage, new Set());
    let added = 0;
    await this.db.transaction().execute(async (trx) => {
      for (const [pageId, ids] of byPage) {
        for (const s of await repo.activeSubscribers(trx, pageId)) {
          if (pageId !== wholePage && !follows(s.component_ids_json, ids)) continue;
          const payload: DeliverJob = { subscriberId: s.id, event };
          if (await this.queue.enqueue({ kind: STATUSPAGE_DELIVER, payload, dedupKey: `${STATUSPAGE_DELIVER}:${eventKey}:${s.id}` }, trx)) added++;
        }
      }
    });
    return added;
  }

  /** statuspage.deliver: one message to one subscriber; the job id is the delivery id. Throws a DeliveryError to retry or give up. */
  async deliver(job: Job): Promise<void> {
    const { subscriberId, event } = JSON.parse(job.payload_json) as DeliverJob;
    const sub = await repo.findSubscriber(this.db, subscriberId);
    // Deleted, unsubscribed, or (double opt-in) not confirmed: nothing but the confirmation goes out.
    if (!sub || sub.unsubscribed_at) return;
    if (event.type === 'confirm' ? sub.confirmed_at !== null || sub.kind !== 'email' : sub.confirmed_at === null) return;
    const page = await repo.findPageById(this.db, sub.page_id);
    if (!page) return;
    const built = await this.build(page, sub, event);
    if (!built) return;
    if (sub.kind === 'email') {
      await this.channels.email.send(built.message, { address: sub.target }, job.id);
    } else {
      let secret: string;
      try {
        secret = this.box.open(sub.secret_sealed ?? '');
      } catch {
        throw DeliveryError.permanent('the signing secret cannot be opened (was secretKey changed?)');
      }
      await this.channels.webhook.send({ ...built.message, json: await built.json() }, { url: sub.target, secret }, job.id);
    }
  }

  /** The message for one subscriber, or null when what it announces is gone (a deleted update, an incident now a drill). */
  private async build(page: StatusPagesTable, sub: StatusSubscribersTable, event: DeliverEvent): Promise<{ message: ChannelMessage; json: () => Promise<unknown> } | null> {
    const locale = sub.locale as Locale;
    const all = await repo.pageComponents(this.db, page.id);
    const followed = sub.component_ids_json ? new Set(JSON.parse(sub.component_ids_json) as string[]) : null;
    const recipient: MessageRecipient = {
      locale, unsubscribeUrl: this.links.unsubscribeUrl(page, sub.id),
      componentNames: followed ? all.filter((c) => followed.has(c.id)).map((c) => c.name) : null,
    };
    const mpage: MessagePage = { name: page.name, url: this.links.pageUrl(page, locale), brandColor: page.brand_color, timeZone: page.time_zone };
    const names = (ids: { id: string; name: string }[]) => ids.filter((c) => !followed || followed.has(c.id)).map((c) => c.name);
    const now = nowIso();
    // Loaded only for a webhook's payload; the deliveries of one event (eventKey) share one load.
    const state = (eventKey?: string) => {
      const load = () => loadPageState(this.db, page, Date.now(), { baseUrl: this.links.pageRoot(page), subscribeAction: null });
      return eventKey ? this.states.get(page.id, eventKey, load) : load();
    };
    const payloadPage = (s: PageState): PayloadPage => ({ id: page.id, name: page.name, url: this.links.pageRoot(page), indicator: pageIndicator(s) });
    const nameOf = new Map(all.map((c) => [c.id, c.name]));

    switch (event.type) {
      case 'confirm':
        return { message: confirmMessage(locale, mpage, this.links.confirmUrl(page, sub.id)), json: async () => null };
      case 'test':
        return { message: testMessage(mpage, recipient), json: async () => testPayload(payloadPage(await state()), recipient.unsubscribeUrl, now) };
      case 'incident_update': {
        const u = await repo.statusUpdateWithIncident(this.db, event.updateId);
        if (!u || u.audience !== 'public' || u.drill === 1) return null;
        const linked = (await repo.incidentComponents(this.db, u.incident_id)).filter((c) => c.page_id === page.id);
        const title = publicTitleOf(u, locale);
        const url = this.links.incidentUrl(page, locale, u.incident_id);
        const message = incidentMessage(mpage, recipient, { title, phase: u.phase as Phase, body: u.body, postedAt: u.created_at, url, components: names(linked) });
        return {
          message,
          json: async () => {
            const s = await state(`update:${u.id}`);
            const pi = s.incidents.find((i) => i.id === u.incident_id);
            return incidentPayload(payloadPage(s), recipient.unsubscribeUrl, now, {
              id: u.incident_id, name: title, status: u.phase as Phase, impact: pi?.impact ?? 'none',
              createdAt: pi?.createdAt ?? u.created_at, updatedAt: pi?.updatedAt ?? u.created_at,
              monitoringAt: pi?.monitoringAt ?? null, resolvedAt: pi?.resolvedAt ?? null, shortlink: url,
              updates: (pi?.updates ?? [{ id: u.id, phase: u.phase as Phase, body: u.body, createdAt: u.created_at }])
                .filter((x) => x.createdAt <= u.created_at).map((x) => ({ id: x.id, status: x.phase, body: x.body, createdAt: x.createdAt })),
              components: (pi?.components ?? linked.map((c) => ({ id: c.id, status: 'operational' as const })))
                .map((c) => ({ id: c.id, name: nameOf.get(c.id) ?? '', status: c.status })),
            });
          },
        };
      }
      case 'maintenance': {
        const m = await repo.findMaintenance(this.db, event.maintenanceId);
        if (!m || (m.cancelled_at && event.event !== 'cancelled')) return null;
        // A new maintenance is announced with its first update's words (what is done, what customers notice).
        const update = event.updateId ? await repo.findMaintenanceUpdate(this.db, event.updateId)
          : event.event === 'scheduled' ? (await repo.maintenanceUpdates(this.db, m.id))[0] : undefined;
        if (event.event === 'update' && (!update || update.maintenance_id !== m.id)) return null;
        const status = update && event.event === 'update' ? (update.status as MaintenanceStatus) : ANNOUNCES[event.event as keyof typeof ANNOUNCES];
        const comps = await repo.maintenanceComponents(this.db, m.id);
        const url = this.links.maintenanceUrl(page, locale, m.id);
        const message = maintenanceMessage(mpage, recipient, {
          title: m.title, status, body: update?.body ?? null, startsAt: m.starts_at, endsAt: m.ends_at, url, components: names(comps),
        });
        return {
          message,
          json: async () => {
            const s = await state(`maintenance:${m.id}:${event.event}:${event.updateId ?? ''}`);
            const pm = s.maintenances.find((x) => x.id === m.id);
            const cutoff = update?.created_at ?? now;
            return maintenancePayload(payloadPage(s), recipient.unsubscribeUrl, now, {
              id: m.id, name: m.title, status, event: event.event, createdAt: m.created_at, updatedAt: m.updated_at,
              scheduledFor: m.starts_at, scheduledUntil: m.ends_at, shortlink: url,
              updates: (pm?.updates ?? []).filter((x) => x.createdAt <= cutoff).map((x) => ({ id: x.id, status: x.status, body: x.body, createdAt: x.createdAt })),
              components: comps.map((c) => ({ id: c.id, name: c.name, status: s.components.find((x) => x.id === c.id)?.status ?? 'operational' })),
            });
          },
        };
      }
    }
  }
}
