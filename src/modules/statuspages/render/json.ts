// The page as Atlassian Statuspage's public v2 JSON API, field for field, so widgets, dashboards and
// "is it down?" tools that read Statuspage pages read ours unchanged. Shapes and values follow the
// API documentation every Statuspage page publishes at /api (e.g. https://www.githubstatus.com/api,
// https://confluence.status.atlassian.com/api); ../fixtures/statuspage-v2/ holds the examples we test against.
import type { PageState, PublicComponent, PublicGroup, PublicIncident, PublicMaintenance, SnapshotFile } from '../model.js';
import { activeMaintenances, byScheduledForDesc, displayTree, lastChange, pageIndicator, unresolvedIncidents, upcomingMaintenances } from './derive.js';
import { API_PATHS, absoluteUrl, localePaths, rootFrom } from './paths.js';
import { isoInZone, localDate } from './time.js';

/** Statuspage's `status.description` for each indicator (English, as Statuspage writes it whatever the page's language). */
export const INDICATOR_DESCRIPTION = {
  none: 'All Systems Operational', minor: 'Minor Service Outage', major: 'Partial System Outage',
  critical: 'Major Service Outage', maintenance: 'Service Under Maintenance',
} as const;

/** Statuspage returns at most this many incidents or maintenances from the list endpoints. */
export const LIST_LIMIT = 50;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Everything the JSON builders share for one output file. */
interface JsonContext {
  state: PageState;
  /** The file being written, so relative page URLs resolve from it when there is no base URL. */
  file: string;
  time: (iso: string | null) => string | null;
}

/**
 * `page.url`: the base URL without its trailing slash (as Statuspage writes it); when the server has
 * no public URL, a relative reference ("../../") that resolves against the JSON file's own URL to the
 * page root, which is right wherever the files are served.
 */
function pageUrl(ctx: JsonContext): string {
  return ctx.state.baseUrl ? ctx.state.baseUrl.replace(/\/+$/, '') : rootFrom(ctx.file);
}

/** A link to a page file: absolute with a base URL, else relative to the JSON file. */
function link(ctx: JsonContext, path: string): string {
  return absoluteUrl(ctx.state.baseUrl, path) ?? rootFrom(ctx.file) + path;
}

function pageJson(ctx: JsonContext): Json {
  const { page } = ctx.state;
  return { id: page.id, name: page.name, url: pageUrl(ctx), time_zone: page.timeZone, updated_at: ctx.time(lastChange(ctx.state)) };
}

function componentJson(ctx: JsonContext, c: PublicComponent, groupExists: boolean): Json {
  return {
    id: c.id, name: c.name, status: c.status, created_at: ctx.time(c.createdAt), updated_at: ctx.time(c.updatedAt),
    position: c.position, description: c.description || null,
    // Every component shows its 90-day bar; the bar starts the day the component was created.
    showcase: true, start_date: localDate(Date.parse(c.createdAt), ctx.state.page.timeZone),
    group_id: groupExists ? c.groupId : null, page_id: ctx.state.page.id, group: false, only_show_if_degraded: false,
  };
}

function groupJson(ctx: JsonContext, g: PublicGroup, status: PublicComponent['status'], members: PublicComponent[]): Json {
  return {
    id: g.id, name: g.name, status, created_at: ctx.time(g.createdAt), updated_at: ctx.time(g.updatedAt),
    position: g.position, description: g.description || null, showcase: false, start_date: null,
    group_id: null, page_id: ctx.state.page.id, group: true, only_show_if_degraded: false, components: members.map((c) => c.id),
  };
}

/** Groups and components in display order, each group before its members, as Statuspage lists them. */
function componentsJson(ctx: JsonContext): Json[] {
  return displayTree(ctx.state).flatMap((item) => item.kind === 'component'
    ? [componentJson(ctx, item.component, false)]
    : [groupJson(ctx, item.group, item.status, item.components), ...item.components.map((c) => componentJson(ctx, c, true))]);
}

/** The page's component objects for the given ids (Statuspage embeds them, with their status now). */
function embeddedComponents(ctx: JsonContext, ids: string[]): Json[] {
  const wanted = new Set(ids);
  const groups = new Set(ctx.state.groups.map((g) => g.id));
  return ctx.state.components.filter((c) => wanted.has(c.id)).map((c) => componentJson(ctx, c, !!c.groupId && groups.has(c.groupId)));
}

/**
 * One update as Statuspage writes it. `body` is the public text alone: Statuspage keeps the state in
 * `status` and never writes it into the body, so the phase prefix is left to whoever displays it.
 */
function updateJson(ctx: JsonContext, parentId: string, u: { id: string; status: string; body: string; createdAt: string }): Json {
  const at = ctx.time(u.createdAt);
  return {
    id: u.id, status: u.status, body: u.body, incident_id: parentId, created_at: at, updated_at: at, display_at: at,
    affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null,
  };
}

function incidentJson(ctx: JsonContext, i: PublicIncident): Json {
  const paths = localePaths(ctx.state.page.locale, ctx.state.page.locale);
  return {
    id: i.id, name: i.title, status: i.phase, created_at: ctx.time(i.createdAt), updated_at: ctx.time(i.updatedAt),
    monitoring_at: ctx.time(i.monitoringAt), resolved_at: ctx.time(i.resolvedAt), impact: i.impact,
    shortlink: link(ctx, paths.incident(i.id)), started_at: ctx.time(i.createdAt), page_id: ctx.state.page.id,
    incident_updates: i.updates.map((u) => updateJson(ctx, i.id, { id: u.id, status: u.phase, body: u.body, createdAt: u.createdAt })),
    components: embeddedComponents(ctx, i.components.map((c) => c.id)),
  };
}

function maintenanceJson(ctx: JsonContext, m: PublicMaintenance): Json {
  const paths = localePaths(ctx.state.page.locale, ctx.state.page.locale);
  return {
    id: m.id, name: m.title, status: m.status, created_at: ctx.time(m.createdAt), updated_at: ctx.time(m.updatedAt),
    monitoring_at: null, resolved_at: m.status === 'completed' ? ctx.time(m.completedAt ?? m.scheduledUntil) : null,
    impact: 'maintenance', shortlink: link(ctx, paths.maintenance(m.id)), started_at: ctx.time(m.startedAt ?? m.scheduledFor),
    page_id: ctx.state.page.id,
    incident_updates: m.updates.filter((u) => u.status !== 'cancelled').map((u) => updateJson(ctx, m.id, u)),
    components: embeddedComponents(ctx, m.componentIds),
    scheduled_for: ctx.time(m.scheduledFor), scheduled_until: ctx.time(m.scheduledUntil),
  };
}

/**
 * Maintenance the API lists. Statuspage has no "cancelled" state — a maintenance that is called off
 * is deleted and disappears from every endpoint — so cancelled maintenance is left out of the JSON
 * (the HTML history still shows it, marked cancelled, for people who were told it was coming).
 */
function listedMaintenances(state: PageState): PublicMaintenance[] {
  return byScheduledForDesc(state.maintenances.filter((m) => m.status !== 'cancelled'));
}

/** The eight Statuspage v2 endpoints as files. */
export function renderJson(state: PageState): SnapshotFile[] {
  const tz = state.page.timeZone;
  const files: SnapshotFile[] = [];
  const write = (file: string, build: (ctx: JsonContext) => Record<string, Json>) => {
    const ctx: JsonContext = { state, file, time: (iso) => (iso === null ? null : isoInZone(iso, tz)) };
    files.push({ path: file, contentType: 'application/json; charset=utf-8', body: JSON.stringify(build(ctx)) });
  };
  const indicator = pageIndicator(state);
  const status = { indicator, description: INDICATOR_DESCRIPTION[indicator] };
  const newestIncidents = [...state.incidents].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));

  write(API_PATHS.summary, (ctx) => ({
    page: pageJson(ctx), status, components: componentsJson(ctx),
    incidents: unresolvedIncidents(state).map((i) => incidentJson(ctx, i)),
    scheduled_maintenances: byScheduledForDesc([...activeMaintenances(state), ...upcomingMaintenances(state)]).map((m) => maintenanceJson(ctx, m)),
  }));
  write(API_PATHS.status, (ctx) => ({ page: pageJson(ctx), status }));
  write(API_PATHS.components, (ctx) => ({ page: pageJson(ctx), components: componentsJson(ctx) }));
  write(API_PATHS.incidents, (ctx) => ({ page: pageJson(ctx), incidents: newestIncidents.slice(0, LIST_LIMIT).map((i) => incidentJson(ctx, i)) }));
  write(API_PATHS.unresolved, (ctx) => ({
    page: pageJson(ctx), incidents: newestIncidents.filter((i) => i.phase !== 'resolved').map((i) => incidentJson(ctx, i)),
  }));
  write(API_PATHS.maintenances, (ctx) => ({
    page: pageJson(ctx), scheduled_maintenances: listedMaintenances(state).slice(0, LIST_LIMIT).map((m) => maintenanceJson(ctx, m)),
  }));
  write(API_PATHS.upcoming, (ctx) => ({ page: pageJson(ctx), scheduled_maintenances: upcomingMaintenances(state).map((m) => maintenanceJson(ctx, m)) }));
  write(API_PATHS.active, (ctx) => ({ page: pageJson(ctx), scheduled_maintenances: activeMaintenances(state).map((m) => maintenanceJson(ctx, m)) }));
  return files;
}
