import type { z } from 'zod';
import type { EventBus } from '../../server/event-bus.js';
import type { Actor } from '../../shared/actor.js';
import { newId } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import { recordAudit } from '../audit/audit.service.js';
import type { IncidentsService } from '../incidents/incidents.service.js';
import { publishChanged } from './events.js';
import { invalidField } from './guards.js';
import type { ImpactStatus } from './model.js';
import type { IncidentFace, IncidentLinksSchema } from './statuspages.schema.js';

type Links = z.output<typeof IncidentLinksSchema>;

/** Open segments of an incident with their component's and page's names. */
function openLinks(db: Db, incidentId: string) {
  return db.selectFrom('status_incident_components as s')
    .innerJoin('status_components as c', 'c.id', 's.component_id')
    .innerJoin('status_pages as p', 'p.id', 'c.page_id')
    .select(['s.id', 's.component_id', 's.status', 's.from_at', 'c.name', 'c.page_id', 'p.name as page_name', 'p.slug as page_slug'])
    .where('s.incident_id', '=', incidentId).where('s.to_at', 'is', null)
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
    const links = await openLinks(this.db, incident.id);
    return {
      incidentId: incident.id, ref: incident.ref, drill: incident.drill, title: incident.title, publicTitle: face?.public_title ?? null,
      publicUpdates: incident.updates.filter((u) => u.audience === 'public').length, firstPublicUpdateAt: incident.metrics.firstPublicUpdateAt,
      components: links.map((l) => ({
        componentId: l.component_id, name: l.name, pageId: l.page_id, pageName: l.page_name, pageSlug: l.page_slug, status: l.status as ImpactStatus, since: l.from_at,
      })),
    };
  }

  /** Replaces the incident's links with `input.components` (and its public title when given). */
  async replace(actor: Actor, ref: string, input: Links): Promise<IncidentFace> {
    const ids = input.components.map((c) => c.componentId);
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) throw invalidField(`body.components.${i}.componentId`, 'listed twice');
      seen.add(id);
    });
    const known = ids.length
      ? await this.db.selectFrom('status_components as c').innerJoin('status_pages as p', 'p.id', 'c.page_id')
        .select(['c.id', 'c.name', 'c.page_id', 'p.name as page_name']).where('c.id', 'in', ids).execute()
      : [];
    const bad = ids.findIndex((id) => !known.some((k) => k.id === id));
    if (bad >= 0) throw invalidField(`body.components.${bad}.componentId`, 'no such status page component');

    const pageIds = await this.incidents.changeStatusPageLinks(actor, ref, async (trx, incident, now) => {
      const open = await openLinks(trx, incident.id);
      const wanted = new Map(input.components.map((c) => [c.componentId, c.status]));
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
