import type { z } from 'zod';
import type { EventBus } from '../../server/event-bus.js';
import { HttpProblem } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import { recordAudit } from '../audit/audit.service.js';
import type { IncidentsService, PhaseChange } from '../incidents/incidents.service.js';
import { publishChanged } from './events.js';
import { invalidField, refuseDuplicates } from './guards.js';
import type { ImpactStatus } from './model.js';
import type { IncidentFace, IncidentLinksSchema } from './statuspages.schema.js';

type Links = z.output<typeof IncidentLinksSchema>;

/**
 * An incident's current links with their component's and page's names: its open segments, or once
 * it is resolved, the segments its resolution closed (what it affected when it ended).
 */
function currentLinks(db: Db, incidentId: string, resolvedAt: string | null) {
  return db.selectFrom('status_incident_components as s')
    .innerJoin('status_components as c', 'c.id', 's.component_id')
    .innerJoin('status_pages as p', 'p.id', 'c.page_id')
    .select(['s.id', 's.component_id', 's.status', 's.from_at', 's.to_at', 'c.name', 'c.page_id', 'p.name as page_name', 'p.slug as page_slug'])
    .where('s.incident_id', '=', incidentId)
    .where((eb) => (resolvedAt ? eb.or([eb('s.to_at', 'is', null), eb('s.to_at', '=', resolvedAt)]) : eb('s.to_at', 'is', null)))
    .orderBy('p.name').orderBy('c.position').orderBy('c.id').execute();
}

/**
 * Which status page components an incident affects, and how badly, as segments in time: changing a
 * component's impact closes its open segment and opens another, so history keeps every step. Also
 * the incident's public title. The incident's own mutation frame (lock, timeline, one transaction)
 * carries each change.
 */
export class IncidentLinksService {
  constructor(private readonly storage: Storage, private readonly bus: EventBus, private readonly incidents: IncidentsService) {}

  private get db(): Db {
    return this.storage.db;
  }

  /** The incident's public title, linked components and whether the public has heard from it yet. */
  async get(ref: string): Promise<IncidentFace> {
    const incident = await this.incidents.get(ref);
    const face = await this.db.selectFrom('status_incidents').select('public_title').where('incident_id', '=', incident.id).executeTakeFirst();
    const links = await currentLinks(this.db, incident.id, incident.metrics.resolvedAt);
    return {
      incidentId: incident.id, ref: incident.ref, drill: incident.drill, title: incident.title, publicTitle: face?.public_title ?? null,
      publicUpdates: incident.updates.filter((u) => u.audience === 'public').length, firstPublicUpdateAt: incident.metrics.firstPublicUpdateAt,
      components: links.map((l) => ({
        componentId: l.component_id, name: l.name, pageId: l.page_id, pageName: l.page_name, pageSlug: l.page_slug, status: l.status as ImpactStatus, since: l.from_at,
      })),
    };
  }

  /**
   * Keeps the segments in step with the incident's phase (its phase-change listener, in that
   * transaction): resolving closes the open segments; reopening opens new ones like those the
   * resolution closed, so the resolved time stays a gap in availability history.
   */
  async followPhase(trx: Db, change: PhaseChange): Promise<void> {
    const segments = () => trx.updateTable('status_incident_components').where('incident_id', '=', change.incidentId).where('to_at', 'is', null);
    if (change.to === 'resolved') {
      await segments().set({ to_at: change.now }).execute();
      return;
    }
    const resolvedAt = change.previousResolvedAt;
    if (change.from !== 'resolved' || !resolvedAt) return;
    // Segments an older version left open at the resolution end there, as they always counted.
    await segments().set({ to_at: resolvedAt }).where('from_at', '<=', resolvedAt).execute();
    const closed = await trx.selectFrom('status_incident_components').select(['component_id', 'status'])
      .where('incident_id', '=', change.incidentId).where('to_at', '=', resolvedAt).orderBy('id').execute();
    const open = new Set((await trx.selectFrom('status_incident_components').select('component_id')
      .where('incident_id', '=', change.incidentId).where('to_at', 'is', null).execute()).map((r) => r.component_id));
    const again = new Map(closed.filter((c) => !open.has(c.component_id)).map((c) => [c.component_id, c.status]));
    if (again.size === 0) return;
    await trx.insertInto('status_incident_components').values([...again].map(([componentId, status]) => ({
      id: newId(), incident_id: change.incidentId, component_id: componentId, status, from_at: change.now, to_at: null,
    }))).execute();
  }

  /** Replaces the incident's links with `input.components` (and its public title when given). */
  async replace(actor: Actor, ref: string, input: Links): Promise<IncidentFace> {
    const ids = input.components.map((c) => c.componentId);
    refuseDuplicates(ids, (i) => `body.components.${i}.componentId`);
    const known = ids.length
      ? await this.db.selectFrom('status_components as c').innerJoin('status_pages as p', 'p.id', 'c.page_id')
        .select(['c.id', 'c.name', 'c.page_id', 'p.name as page_name']).where('c.id', 'in', ids).execute()
      : [];
    const bad = ids.findIndex((id) => !known.some((k) => k.id === id));
    if (bad >= 0) throw invalidField(`body.components.${bad}.componentId`, 'no such status page component');

    const pageIds = await this.incidents.changeStatusPageLinks(actor, ref, async (trx, incident, now) => {
      const open = await currentLinks(trx, incident.id, incident.resolved_at);
      const wanted = new Map(input.components.map((c) => [c.componentId, c.status]));
      const differs = open.some((l) => wanted.get(l.component_id) !== l.status) || open.length !== wanted.size;
      if (incident.resolved_at && differs) {
        // A resolved incident affects nothing now, and what it affected until then is history.
        throw new HttpProblem(409, 'Conflict', `INC-${incident.number} is resolved; reopen it before changing the components it affects`,
          [{ field: 'body.components', message: 'incident resolved' }], `INC-${incident.number} は復旧済みです。影響するコンポーネントを変えるには先に再開してください`);
      }
      const name = (c: { name: string; page_name: string }) => ({ component: c.name, page: c.page_name });
      const added: Record<string, unknown>[] = [];
      const changed: Record<string, unknown>[] = [];
      const removed: Record<string, unknown>[] = [];
      const pages = new Set<string>();
      for (const l of open) {
        const to = wanted.get(l.component_id);
        if (to === l.status) continue;
        await trx.updateTable('status_incident_components').set({ to_at: now }).where('id', '=', l.id).execute();
        pages.add(l.page_id);
        if (to) changed.push({ ...name(l), from: l.status, to });
        else removed.push(name(l));
      }
      for (const c of input.components) {
        const was = open.find((l) => l.component_id === c.componentId);
        if (was?.status === c.status) continue;
        await trx.insertInto('status_incident_components').values({ id: newId(), incident_id: incident.id, component_id: c.componentId, status: c.status, from_at: now, to_at: null }).execute();
        const k = known.find((x) => x.id === c.componentId)!;
        pages.add(k.page_id);
        if (!was) added.push({ ...name(k), status: c.status });
      }

      // The public title is stored only when someone wrote one; otherwise the page shows the incident's own title.
      const face = await trx.selectFrom('status_incidents').selectAll().where('incident_id', '=', incident.id).executeTakeFirst();
      const before = face?.public_title ?? null;
      const title = input.publicTitle === undefined ? before : input.publicTitle;
      const titleChanged = title !== before;
      if (!titleChanged && added.length + changed.length + removed.length === 0) return { result: [], changed: null };
      if (titleChanged && title === null) await trx.deleteFrom('status_incidents').where('incident_id', '=', incident.id).execute();
      else if (titleChanged && face) await trx.updateTable('status_incidents').set({ public_title: title!, updated_at: now }).where('incident_id', '=', incident.id).execute();
      else if (titleChanged) await trx.insertInto('status_incidents').values({ incident_id: incident.id, public_title: title!, created_at: now, updated_at: now }).execute();
      if (titleChanged) {
        // The title shows on every page the incident ever touched.
        const everywhere = await trx.selectFrom('status_incident_components as s').innerJoin('status_components as c', 'c.id', 's.component_id')
          .select('c.page_id').distinct().where('s.incident_id', '=', incident.id).execute();
        for (const p of everywhere) pages.add(p.page_id);
      }
      await recordAudit(trx, actor, {
        action: 'incident.status_page', targetType: 'incident', targetId: incident.id,
        before: { publicTitle: before, components: open.map((l) => ({ componentId: l.component_id, status: l.status })) },
        after: { publicTitle: title, components: input.components },
      });
      return {
        result: [...pages],
        // A timeline entry (which also bumps incidents.updated_at, the public pages' revision).
        changed: { added, changed, removed, ...(titleChanged ? { publicTitle: title ?? incident.title } : {}) },
      };
    });
    publishChanged(this.bus, pageIds);
    return this.get(ref);
  }
}
