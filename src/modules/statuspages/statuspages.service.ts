import type { z } from 'zod';
import { JobQueue } from '../../jobs/queue.js';
import type { EventBus } from '../../server/event-bus.js';
import { HttpProblem } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { StatusComponentGroupsTable, StatusComponentsTable, StatusPagesTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import type { IncidentsService } from '../incidents/incidents.service.js';
import { publishChanged } from './events.js';
import { invalidField, requirePage } from './guards.js';
import { IncidentLinksService } from './incident-links.service.js';
import { MaintenancesService, type UserNames } from './maintenances.service.js';
import type { ComponentStatus, ImpactStatus, PageState } from './model.js';
import { displayOrder, loadPageState } from './page-state.js';
import type {
  Component, ComponentCreateSchema, ComponentUpdateSchema, GroupCreateSchema, GroupUpdateSchema, Page, PageCreateSchema, PageDetail, PageUpdateSchema,
} from './statuspages.schema.js';
import * as repo from './statuspages.repo.js';
import { componentStatusNow } from './status-history.js';

type PageCreate = z.output<typeof PageCreateSchema>;
type PageUpdate = z.output<typeof PageUpdateSchema>;

const RECENT_MAINTENANCE_MS = 7 * 86_400_000;

/** What a page is made of that `edit` changes: its table and its name in the audit log. */
const EDITABLE = {
  group: { table: 'status_component_groups', audit: 'status_component_group' },
  component: { table: 'status_components', audit: 'status_component' },
} as const;
interface Editable {
  group: StatusComponentGroupsTable;
  component: StatusComponentsTable;
}

function pageOf(p: StatusPagesTable): Page {
  return {
    id: p.id, slug: p.slug, name: p.name, description: p.description, host: p.host, logoUrl: p.logo_url, brandColor: p.brand_color,
    locale: p.locale as Page['locale'], timeZone: p.time_zone, supportUrl: p.support_url, createdAt: p.created_at, updatedAt: p.updated_at,
  };
}

/** A page for the audit log: an inline logo is summarised, not copied (it can be 200 kB). */
function auditPage(p: Page | Partial<PageUpdate>): Record<string, unknown> {
  const logo = p.logoUrl;
  return { ...p, ...(logo?.startsWith('data:') ? { logoUrl: `${logo.slice(0, logo.indexOf(',') + 1)}… (${logo.length} characters)` } : {}) };
}

function groupOf(g: StatusComponentGroupsTable, components: StatusComponentsTable[]) {
  return {
    id: g.id, name: g.name, description: g.description, position: g.position, createdAt: g.created_at, updatedAt: g.updated_at,
    componentIds: components.filter((c) => c.group_id === g.id).map((c) => c.id),
  };
}

/**
 * Status pages: the pages, their component groups and components (admin), manual component status
 * (responders), and the reads the public renderer builds from. Maintenance and incident links are
 * its two helpers. Every change commits with its audit event, then announces `statuspage.changed`.
 */
export class StatusPagesService {
  readonly maintenances: MaintenancesService;
  readonly incidentLinks: IncidentLinksService;

  constructor(private readonly storage: Storage, private readonly bus: EventBus, incidents: IncidentsService, users: UserNames) {
    this.maintenances = new MaintenancesService(storage, bus, users, new JobQueue(storage));
    this.incidentLinks = new IncidentLinksService(storage, bus, incidents);
    // Resolving ends an incident's segments and reopening starts new ones, in the phase change's transaction.
    incidents.onPhaseChange((trx, change) => this.incidentLinks.followPhase(trx, change));
  }

  private get db(): Db {
    return this.storage.db;
  }

  /** One transaction; the pages it names are announced once it committed. */
  private async change<T>(fn: (trx: Db, now: string) => Promise<{ result: T; pageIds: string[] }>): Promise<T> {
    const out = await this.db.transaction().execute((trx) => fn(trx, nowIso()));
    publishChanged(this.bus, out.pageIds);
    return out.result;
  }

  // ---- reads for the public renderer ----

  /** The plain-data picture of one page as of `now` (see model.ts). */
  async pageState(pageRef: string, now: number, opts: { baseUrl: string; subscribeAction: string | null }): Promise<PageState> {
    return loadPageState(this.db, await requirePage(this.db, pageRef), now, opts);
  }

  /** Every page the public server serves, by slug and host. */
  servingIndex(): Promise<{ id: string; slug: string; host: string | null }[]> {
    return repo.servingIndex(this.db);
  }

  /** A fingerprint that changes whenever anything a public page shows may have changed (one query; other nodes poll it). */
  revision(): Promise<string> {
    return repo.revision(this.db, nowIso());
  }

  // ---- pages ----

  async list() {
    return (await repo.listPages(this.db)).map((p) => ({ ...pageOf(p), componentCount: Number(p.component_count ?? 0) }));
  }

  /** A page with its groups, components (manual and effective status), maintenance and open incidents. */
  async detail(ref: string): Promise<PageDetail> {
    const page = await requirePage(this.db, ref);
    const now = Date.now();
    const groups = await repo.groupsOf(this.db, page.id);
    const components = displayOrder(groups, await repo.componentsOf(this.db, page.id));
    const maintenances = await this.maintenances.listOf(page.id, nowIso(now - RECENT_MAINTENANCE_MS));
    const segments = await repo.segmentsOf(this.db, components.map((c) => c.id), nowIso(now));
    const open = new Map<string, repo.SegmentRow[]>();
    for (const s of segments) if (!s.drill && s.to_at === null && s.resolved_at === null) open.set(s.incident_id, [...(open.get(s.incident_id) ?? []), s]);
    return {
      ...pageOf(page),
      groups: groups.map((g) => groupOf(g, components)),
      components: await this.componentsOut(this.db, components, now, segments),
      maintenances,
      incidents: [...open.values()].map((segs) => {
        const i = segs[0]!;
        return {
          id: i.incident_id, number: Number(i.number), ref: `INC-${i.number}`, title: i.title, publicTitle: i.public_title,
          severity: i.severity as PageDetail['incidents'][number]['severity'], phase: i.phase as PageDetail['incidents'][number]['phase'],
          declaredAt: i.declared_at, firstPublicUpdateAt: i.first_public_update_at,
          minutesSinceDeclared: Math.max(0, Math.floor((now - Date.parse(i.declared_at)) / 60_000)),
          components: segs.map((s) => ({ componentId: s.component_id, status: s.status as ImpactStatus })),
        };
      }).sort((a, b) => b.number - a.number),
    };
  }

  private async componentsOut(db: Db, rows: StatusComponentsTable[], now: number, segments?: repo.SegmentRow[]): Promise<Component[]> {
    const inputs = await repo.historyInputs(db, rows.map((c) => c.id), nowIso(now), segments);
    return rows.map((c) => ({
      id: c.id, pageId: c.page_id, groupId: c.group_id, name: c.name, description: c.description, position: c.position,
      manualStatus: c.status as ComponentStatus, status: componentStatusNow(inputs.get(c.id)!, now), createdAt: c.created_at, updatedAt: c.updated_at,
    }));
  }

  /** 409 naming the field when another page already has this slug or host. */
  private async checkUnique(db: Db, input: { slug?: string; host?: string | null }, exceptId: string | null): Promise<void> {
    for (const field of ['slug', 'host'] as const) {
      const value = input[field];
      if (value === undefined || value === null) continue;
      const other = await db.selectFrom('status_pages').select('id').where(field, '=', value).executeTakeFirst();
      if (other && other.id !== exceptId) {
        throw new HttpProblem(409, 'Conflict', `Another status page already has ${field} ${value}`, [{ field: `body.${field}`, message: 'already in use' }], `${field} ${value} は別のステータスページで使われています`);
      }
    }
  }

  /** Runs a page write; a unique violation (two requests racing for one slug) becomes the same 409 as the check. */
  private async uniquely<T>(input: { slug?: string; host?: string | null }, exceptId: string | null, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!this.storage.isUniqueViolation(err)) throw err;
      await this.checkUnique(this.db, input, exceptId);
      throw err;
    }
  }

  async create(actor: Actor, input: PageCreate): Promise<Page> {
    return this.uniquely(input, null, () => this.change(async (trx, now) => {
      await this.checkUnique(trx, input, null);
      const row: StatusPagesTable = {
        id: newId(), slug: input.slug, name: input.name, description: input.description, host: input.host, logo_url: input.logoUrl,
        brand_color: input.brandColor, locale: input.locale, time_zone: input.timeZone, support_url: input.supportUrl, created_at: now, updated_at: now,
      };
      await trx.insertInto('status_pages').values(row).execute();
      const page = pageOf(row);
      await recordAudit(trx, actor, { action: 'status_page.create', targetType: 'status_page', targetId: row.id, after: auditPage(page) });
      return { result: page, pageIds: [row.id] };
    }));
  }

  async update(actor: Actor, ref: string, patch: PageUpdate): Promise<Page> {
    const { id } = await requirePage(this.db, ref);
    return this.uniquely(patch, id, () => this.change(async (trx, now) => {
      const before = await requirePage(trx, ref);
      await this.checkUnique(trx, patch, before.id);
      const set: Partial<StatusPagesTable> = {};
      if (patch.slug !== undefined) set.slug = patch.slug;
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.host !== undefined) set.host = patch.host;
      if (patch.logoUrl !== undefined) set.logo_url = patch.logoUrl;
      if (patch.brandColor !== undefined) set.brand_color = patch.brandColor;
      if (patch.locale !== undefined) set.locale = patch.locale;
      if (patch.timeZone !== undefined) set.time_zone = patch.timeZone;
      if (patch.supportUrl !== undefined) set.support_url = patch.supportUrl;
      const after = { ...before, ...set, updated_at: now };
      if (Object.keys(set).length === 0) return { result: pageOf(before), pageIds: [] };
      await trx.updateTable('status_pages').set({ ...set, updated_at: now }).where('id', '=', before.id).execute();
      await recordAudit(trx, actor, { action: 'status_page.update', targetType: 'status_page', targetId: before.id, before: auditPage(pageOf(before)), after: auditPage(patch) });
      return { result: pageOf(after), pageIds: [before.id] };
    }));
  }

  /** Deletes the page and everything on it: components and their history, groups, maintenance, subscribers, incident links. */
  async remove(actor: Actor, ref: string): Promise<void> {
    await this.change(async (trx) => {
      const page = await requirePage(trx, ref);
      const components = trx.selectFrom('status_components').select('id').where('page_id', '=', page.id);
      const maintenances = trx.selectFrom('status_maintenances').select('id').where('page_id', '=', page.id);
      await trx.deleteFrom('status_incident_components').where('component_id', 'in', components).execute();
      await trx.deleteFrom('status_component_changes').where('component_id', 'in', components).execute();
      await trx.deleteFrom('status_maintenance_components').where('maintenance_id', 'in', maintenances).execute();
      await trx.deleteFrom('status_maintenance_updates').where('maintenance_id', 'in', maintenances).execute();
      await trx.deleteFrom('status_maintenances').where('page_id', '=', page.id).execute();
      await trx.deleteFrom('status_components').where('page_id', '=', page.id).execute();
      await trx.deleteFrom('status_component_groups').where('page_id', '=', page.id).execute();
      await trx.deleteFrom('status_subscribers').where('page_id', '=', page.id).execute();
      await trx.deleteFrom('status_pages').where('id', '=', page.id).execute();
      await recordAudit(trx, actor, { action: 'status_page.delete', targetType: 'status_page', targetId: page.id, before: auditPage(pageOf(page)) });
      return { result: undefined, pageIds: [page.id] };
    });
  }

  /**
   * Edits one group or component of a page: each field `patch` sets goes to its column (`columns`
   * maps field to column), with the audit event. A patch that sets nothing changes nothing and
   * announces nothing; `out` shapes the row, edited or not, for the reply.
   */
  private async edit<K extends keyof typeof EDITABLE, P extends object, O>(
    actor: Actor, ref: string, kind: K, id: string, patch: P, columns: { [F in keyof P]?: keyof Editable[K] & string },
    out: (trx: Db, row: Editable[K], now: string) => Promise<O>, check?: (trx: Db, pageId: string) => Promise<void>,
  ): Promise<O> {
    const { table, audit } = EDITABLE[kind];
    return this.change(async (trx, now) => {
      const page = await requirePage(trx, ref);
      const before = (kind === 'group' ? await this.requireGroup(trx, page.id, id) : await this.requireComponent(trx, page.id, id)) as Editable[K];
      await check?.(trx, page.id);
      const set: Record<string, unknown> = {};
      for (const [field, column] of Object.entries(columns) as [keyof P, string][]) if (patch[field] !== undefined) set[column] = patch[field];
      const changed = Object.keys(set).length > 0;
      if (changed) {
        await trx.updateTable(table).set({ ...set, updated_at: now }).where('id', '=', id).execute();
        await recordAudit(trx, actor, { action: `${audit}.update`, targetType: audit, targetId: id, before, after: patch });
      }
      const row = changed ? { ...before, ...set, updated_at: now } : before;
      return { result: await out(trx, row, now), pageIds: changed ? [page.id] : [] };
    });
  }

  // ---- groups ----

  private async requireGroup(trx: Db, pageId: string, id: string): Promise<StatusComponentGroupsTable> {
    const g = await trx.selectFrom('status_component_groups').selectAll().where('page_id', '=', pageId).where('id', '=', id).executeTakeFirst();
    if (!g) throw new HttpProblem(404, 'Not found', `Component group ${id} does not exist on this status page`, undefined, `コンポーネントグループ ${id} はこのステータスページにありません`);
    return g;
  }

  async createGroup(actor: Actor, ref: string, input: z.output<typeof GroupCreateSchema>) {
    return this.change(async (trx, now) => {
      const page = await requirePage(trx, ref);
      const row: StatusComponentGroupsTable = {
        id: newId(), page_id: page.id, name: input.name, description: input.description,
        position: input.position ?? await repo.nextPosition(trx, page.id), created_at: now, updated_at: now,
      };
      await trx.insertInto('status_component_groups').values(row).execute();
      await recordAudit(trx, actor, { action: 'status_component_group.create', targetType: 'status_component_group', targetId: row.id, after: { pageId: page.id, ...input } });
      return { result: groupOf(row, []), pageIds: [page.id] };
    });
  }

  async updateGroup(actor: Actor, ref: string, id: string, patch: z.output<typeof GroupUpdateSchema>) {
    return this.edit(actor, ref, 'group', id, patch, { name: 'name', description: 'description', position: 'position' },
      async (trx, row) => groupOf(row, await repo.componentsOf(trx, row.page_id)));
  }

  /** Deletes a group; its components stay, ungrouped. */
  async removeGroup(actor: Actor, ref: string, id: string): Promise<void> {
    await this.change(async (trx, now) => {
      const page = await requirePage(trx, ref);
      const before = await this.requireGroup(trx, page.id, id);
      await trx.updateTable('status_components').set({ group_id: null, updated_at: now }).where('group_id', '=', id).execute();
      await trx.deleteFrom('status_component_groups').where('id', '=', id).execute();
      await recordAudit(trx, actor, { action: 'status_component_group.delete', targetType: 'status_component_group', targetId: id, before });
      return { result: undefined, pageIds: [page.id] };
    });
  }

  // ---- components ----

  private async requireComponent(trx: Db, pageId: string, id: string): Promise<StatusComponentsTable> {
    const c = await trx.selectFrom('status_components').selectAll().where('page_id', '=', pageId).where('id', '=', id).executeTakeFirst();
    if (!c) throw new HttpProblem(404, 'Not found', `Component ${id} does not exist on this status page`, undefined, `コンポーネント ${id} はこのステータスページにありません`);
    return c;
  }

  private async checkGroup(trx: Db, pageId: string, groupId: string | null | undefined): Promise<void> {
    if (!groupId) return;
    const g = await trx.selectFrom('status_component_groups').select('id').where('page_id', '=', pageId).where('id', '=', groupId).executeTakeFirst();
    if (!g) throw invalidField('body.groupId', 'not a group of this status page');
  }

  async createComponent(actor: Actor, ref: string, input: z.output<typeof ComponentCreateSchema>): Promise<Component> {
    return this.change(async (trx, now) => {
      const page = await requirePage(trx, ref);
      await this.checkGroup(trx, page.id, input.groupId);
      const row: StatusComponentsTable = {
        id: newId(), page_id: page.id, group_id: input.groupId, name: input.name, description: input.description,
        position: input.position ?? await repo.nextPosition(trx, page.id), status: input.status, created_at: now, updated_at: now,
      };
      await trx.insertInto('status_components').values(row).execute();
      // The first change row: history can tell the status from the component's first moment.
      await trx.insertInto('status_component_changes').values({ id: newId(), component_id: row.id, status: input.status, at: now, actor_id: actor.userId }).execute();
      await recordAudit(trx, actor, { action: 'status_component.create', targetType: 'status_component', targetId: row.id, after: { pageId: page.id, ...input } });
      return { result: (await this.componentsOut(trx, [row], Date.parse(now)))[0]!, pageIds: [page.id] };
    });
  }

  async updateComponent(actor: Actor, ref: string, id: string, patch: z.output<typeof ComponentUpdateSchema>): Promise<Component> {
    return this.edit(actor, ref, 'component', id, patch, { name: 'name', description: 'description', groupId: 'group_id', position: 'position' },
      async (trx, row, now) => (await this.componentsOut(trx, [row], Date.parse(now)))[0]!,
      (trx, pageId) => this.checkGroup(trx, pageId, patch.groupId));
  }

  /** Deletes a component with its history, its incident links and its place in maintenance. */
  async removeComponent(actor: Actor, ref: string, id: string): Promise<void> {
    await this.change(async (trx) => {
      const page = await requirePage(trx, ref);
      const before = await this.requireComponent(trx, page.id, id);
      await trx.deleteFrom('status_incident_components').where('component_id', '=', id).execute();
      await trx.deleteFrom('status_component_changes').where('component_id', '=', id).execute();
      await trx.deleteFrom('status_maintenance_components').where('component_id', '=', id).execute();
      await trx.deleteFrom('status_components').where('id', '=', id).execute();
      await recordAudit(trx, actor, { action: 'status_component.delete', targetType: 'status_component', targetId: id, before });
      return { result: undefined, pageIds: [page.id] };
    });
  }

  /** Sets a component's manual status (kept as history); setting the same status again changes nothing. */
  async setComponentStatus(actor: Actor, ref: string, id: string, status: ComponentStatus): Promise<Component> {
    return this.change(async (trx, now) => {
      const page = await requirePage(trx, ref);
      // Two people setting one component at once take turns, so history and the column agree.
      await this.storage.lockForTransaction(trx, `statuspage.component:${id}`);
      const before = await this.requireComponent(trx, page.id, id);
      if (before.status === status) return { result: (await this.componentsOut(trx, [before], Date.parse(now)))[0]!, pageIds: [] };
      await trx.insertInto('status_component_changes').values({ id: newId(), component_id: id, status, at: now, actor_id: actor.userId }).execute();
      await trx.updateTable('status_components').set({ status, updated_at: now }).where('id', '=', id).execute();
      await recordAudit(trx, actor, { action: 'status_component.status', targetType: 'status_component', targetId: id, before: { status: before.status }, after: { status } });
      return { result: (await this.componentsOut(trx, [{ ...before, status, updated_at: now }], Date.parse(now)))[0]!, pageIds: [page.id] };
    });
  }
}
