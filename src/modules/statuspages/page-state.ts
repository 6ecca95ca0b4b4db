// Builds the plain-data picture of one public page (model.ts PageState) from the database: what the
// renderer, the Statuspage-shaped JSON and the static export all show. Only public words get in:
// public status updates, public titles; never drills, never internal or stakeholder text.
import type { Locale, Phase } from '../../shared/phases.js';
import type { Db } from '../../storage/db.js';
import type { StatusComponentGroupsTable, StatusComponentsTable, StatusPagesTable } from '../../storage/schema.js';
import {
  type ComponentStatus, type ImpactStatus, impactOf, type MaintenanceStatus, type PageState, type PublicComponent,
  type PublicIncident, type PublicMaintenance, type PublicPage, worseStatus,
} from './model.js';
import { STRINGS } from './render/i18n.js';
import * as repo from './statuspages.repo.js';
import { componentHistory, componentStatusNow, HISTORY_DAYS, maintenanceStatus } from './status-history.js';

const DAY_MS = 86_400_000;
/** Incidents and maintenance stay on the page this long after they end. */
export const PAST_DAYS = 365;

/**
 * The title the public sees of an incident: the one written for them, else a neutral one in the
 * reader's language. The incident's own title is internal and never leaves the server.
 */
export function publicTitleOf(row: { public_title: string | null }, locale: Locale): string {
  return row.public_title ?? (STRINGS[locale] ?? STRINGS.en).untitledIncident;
}

/** The page's own fields as readers see them. */
export function publicPage(p: StatusPagesTable): PublicPage {
  return {
    id: p.id, slug: p.slug, name: p.name, description: p.description, host: p.host, logoUrl: p.logo_url, brandColor: p.brand_color,
    locale: p.locale as PublicPage['locale'], timeZone: p.time_zone, supportUrl: p.support_url, updatedAt: p.updated_at,
  };
}

/**
 * Display order: groups and ungrouped components share one order by position; a group's components
 * follow in their own order. Components of a group that is gone are shown ungrouped.
 */
export function displayOrder<C extends Pick<StatusComponentsTable, 'id' | 'group_id' | 'position'>>(groups: Pick<StatusComponentGroupsTable, 'id' | 'position'>[], components: C[]): C[] {
  const byPos = <T extends { id: string; position: number }>(a: T, b: T) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const groupIds = new Set(groups.map((g) => g.id));
  const top: ({ kind: 'group'; id: string; position: number } | { kind: 'component'; id: string; position: number; c: C })[] = [
    ...groups.map((g) => ({ kind: 'group' as const, id: g.id, position: g.position })),
    ...components.filter((c) => !c.group_id || !groupIds.has(c.group_id)).map((c) => ({ kind: 'component' as const, id: c.id, position: c.position, c })),
  ].sort(byPos);
  return top.flatMap((t) => (t.kind === 'component' ? [t.c] : components.filter((c) => c.group_id === t.id).sort(byPos)));
}

/** Builds a page's PageState as of `now`. */
export async function loadPageState(db: Db, page: StatusPagesTable, now: number, opts: { baseUrl: string; subscribeAction: string | null }): Promise<PageState> {
  const pastSince = new Date(now - PAST_DAYS * DAY_MS).toISOString();
  const historySince = new Date(now - HISTORY_DAYS * DAY_MS).toISOString();
  const groups = await repo.groupsOf(db, page.id);
  const ordered = displayOrder(groups, await repo.componentsOf(db, page.id));
  const ids = ordered.map((c) => c.id);
  const segments = await repo.segmentsOf(db, ids, pastSince);
  const inputs = await repo.historyInputs(db, ids, historySince, segments);

  const components: PublicComponent[] = ordered.map((c) => {
    const input = inputs.get(c.id)!;
    return {
      id: c.id, name: c.name, description: c.description, groupId: c.group_id, position: c.position,
      status: componentStatusNow(input, now), createdAt: c.created_at, updatedAt: c.updated_at,
      history: componentHistory(input, now),
    };
  });
  const groupsOut = groups.map((g) => ({
    id: g.id, name: g.name, description: g.description, position: g.position, createdAt: g.created_at, updatedAt: g.updated_at,
    componentIds: ordered.filter((c) => c.group_id === g.id).map((c) => c.id),
  }));

  return {
    page: publicPage(page), baseUrl: opts.baseUrl, subscribeAction: opts.subscribeAction, builtAt: new Date(now).toISOString(),
    components, groups: groupsOut,
    incidents: await publicIncidents(db, segments, ids, pastSince, publicPage(page).locale),
    maintenances: await publicMaintenances(db, page.id, pastSince, now),
  };
}

/** Incidents (not drills) with a public update, that affected a component of the page in the period; newest first. */
async function publicIncidents(db: Db, segments: repo.SegmentRow[], componentOrder: string[], since: string, locale: Locale): Promise<PublicIncident[]> {
  const byIncident = new Map<string, repo.SegmentRow[]>();
  for (const s of segments) {
    if (s.drill) continue;
    if (s.resolved_at && s.resolved_at < since && s.declared_at < since) continue;
    byIncident.set(s.incident_id, [...(byIncident.get(s.incident_id) ?? []), s]);
  }
  const updates = await repo.publicUpdatesOf(db, [...byIncident.keys()]);
  const updatesOf = new Map<string, typeof updates>();
  for (const u of updates) updatesOf.set(u.incident_id, [...(updatesOf.get(u.incident_id) ?? []), u]);

  const out: PublicIncident[] = [];
  for (const [incidentId, segs] of byIncident) {
    const said = updatesOf.get(incidentId);
    if (!said?.length) continue; // no public word yet: nothing to show
    const first = segs[0]!;
    const newest = said.at(-1)!;
    // When customers were told it entered monitoring / was resolved (reset when a later update went back).
    let monitoringAt: string | null = null;
    let resolvedAt: string | null = null;
    for (const u of said) {
      if (u.phase === 'monitoring') monitoringAt ??= u.created_at;
      else if (u.phase !== 'resolved') monitoringAt = null;
      resolvedAt = u.phase === 'resolved' ? (resolvedAt ?? u.created_at) : null;
    }
    // Resolving the incident ends it in public too, even when nobody posted a public "resolved";
    // reopened (resolved_at cleared), it shows what the newest public update said again.
    const phase: Phase = first.resolved_at ? 'resolved' : newest.phase as Phase;
    if (first.resolved_at) resolvedAt = first.resolved_at;
    let worst: ComponentStatus = 'operational';
    const statusNow = new Map<string, ComponentStatus>();
    let changedAt = newest.created_at;
    for (const s of segs) {
      worst = worseStatus(worst, s.status as ImpactStatus);
      const open = s.to_at === null && s.resolved_at === null;
      const before = statusNow.get(s.component_id) ?? 'operational';
      statusNow.set(s.component_id, open ? worseStatus(before, s.status as ImpactStatus) : before);
      for (const t of [s.from_at, s.to_at]) if (t && t > changedAt) changedAt = t;
    }
    if (first.resolved_at && first.resolved_at > changedAt) changedAt = first.resolved_at;
    out.push({
      id: incidentId, number: Number(first.number), title: publicTitleOf(first, locale), phase, impact: impactOf(worst),
      createdAt: first.declared_at, updatedAt: changedAt, monitoringAt, resolvedAt,
      updates: said.map((u) => ({ id: u.id, phase: u.phase as Phase, body: u.body, createdAt: u.created_at })).reverse(),
      components: componentOrder.filter((id) => statusNow.has(id)).map((id) => ({ id, status: statusNow.get(id)! })),
    });
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
}

/** Upcoming, active and past maintenance (cancelled included); the renderer sorts them into sections. */
async function publicMaintenances(db: Db, pageId: string, since: string, now: number): Promise<PublicMaintenance[]> {
  const rows = await repo.maintenancesOf(db, pageId, since, new Date(now).toISOString());
  const parts = await repo.maintenanceParts(db, rows);
  return rows.map((m) => {
    const updates = parts.updates.get(m.id) ?? [];
    const status = maintenanceStatus(m, updates[0]?.status ?? null, now);
    const started = !m.cancelled_at ? now >= Date.parse(m.starts_at) : m.cancelled_at > m.starts_at;
    return {
      id: m.id, title: m.title, status, scheduledFor: m.starts_at, scheduledUntil: m.ends_at,
      startedAt: started ? m.starts_at : null,
      completedAt: status === 'completed' ? (m.completed_at && m.completed_at < m.ends_at ? m.completed_at : m.ends_at) : null,
      createdAt: m.created_at, updatedAt: m.updated_at,
      updates: updates.map((u) => ({ id: u.id, status: u.status as MaintenanceStatus, body: u.body, createdAt: u.created_at })),
      componentIds: parts.components.get(m.id) ?? [],
    };
  });
}
