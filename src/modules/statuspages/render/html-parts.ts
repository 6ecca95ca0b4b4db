// Pieces more than one HTML page shows: a status as icon and text, an incident's or a
// maintenance's public updates, and the summary card of either.
import { PHASE_PREFIX } from '../../../shared/phases.js';
import type { ComponentStatus, PublicIncident, PublicMaintenance } from '../model.js';
import { componentNames } from './derive.js';
import { esc, escLines } from './escape.js';
import { type HtmlContext, timeTag } from './html-layout.js';
import { relativeHref } from './paths.js';
import { displayClock, displayTime, isoInZone, localDate } from './time.js';

/** A shape per status, so the status never depends on colour alone (the text says it too). */
const ICON: Record<ComponentStatus, string> = {
  operational: '✓', degraded_performance: '◐', partial_outage: '▲', major_outage: '✕', under_maintenance: '⚙',
};

/** "✓ Operational" in the status's colour; the icon is decoration, the text is the status. */
export function statusText(ctx: HtmlContext, status: ComponentStatus): string {
  return `<span class="st s-${status}"><span aria-hidden="true">${ICON[status]} </span>${esc(ctx.t.componentStatus[status])}</span>`;
}

/** A label in the page language's bracket style: "[Completed]" or "【完了】". */
function bracket(ctx: HtmlContext, label: string): string {
  return ctx.locale === 'ja' ? `【${label}】` : `[${label}]`;
}

/** One update: bold prefix, the body with its line breaks, and when it was posted. */
function updateItem(ctx: HtmlContext, prefix: string, body: string, at: string): string {
  const gap = ctx.locale === 'ja' ? '' : ' ';
  return `<li><p><strong>${esc(prefix)}</strong>${gap}${escLines(body)}</p><p class="meta">${timeTag(at, ctx.state.page.timeZone)}</p></li>`;
}

/** An incident's public updates, newest first, each with its phase prefix in the page's language. */
export function incidentUpdates(ctx: HtmlContext, incident: PublicIncident): string {
  if (incident.updates.length === 0) return `<p class="muted">${esc(ctx.t.noUpdatesYet)}</p>`;
  const items = incident.updates.map((u) => updateItem(ctx, PHASE_PREFIX[ctx.locale][u.phase], u.body, u.createdAt));
  return `<ol class="updates">${items.join('')}</ol>`;
}

/** A maintenance's updates, newest first, each with its state as prefix. */
export function maintenanceUpdates(ctx: HtmlContext, m: PublicMaintenance): string {
  if (m.updates.length === 0) return `<p class="muted">${esc(ctx.t.noUpdatesYet)}</p>`;
  const items = m.updates.map((u) => updateItem(ctx, bracket(ctx, ctx.t.maintenanceStatus[u.status]), u.body, u.createdAt));
  return `<ol class="updates">${items.join('')}</ol>`;
}

/** "Scheduled for 2026-11-23 02:00 JST – 04:00 JST" (the date is written once when both ends share it). */
export function maintenanceWindow(ctx: HtmlContext, m: PublicMaintenance): string {
  const tz = ctx.state.page.timeZone;
  const sameDay = localDate(Date.parse(m.scheduledFor), tz) === localDate(Date.parse(m.scheduledUntil), tz);
  const from = timeTag(m.scheduledFor, tz);
  const untilText = sameDay ? displayClock(m.scheduledUntil, tz) : displayTime(m.scheduledUntil, tz);
  const until = `<time datetime="${esc(isoInZone(m.scheduledUntil, tz))}">${esc(untilText)}</time>`;
  return ctx.t.scheduledWindow(from, until);
}

/** "Affects: API, Web" (nothing when no listed component exists on the page). */
function affects(ctx: HtmlContext, ids: string[]): string {
  const names = componentNames(ctx.state, ids);
  return names.length ? `<p class="meta">${esc(ctx.t.affects(names.join(ctx.locale === 'ja' ? '、' : ', ')))}</p>` : '';
}

/** An incident as a card: linked title, impact, its updates and what it affects. */
export function incidentCard(ctx: HtmlContext, from: string, incident: PublicIncident, heading: 'h3' | 'h4'): string {
  const href = esc(relativeHref(from, ctx.paths.incident(incident.id)));
  const impact = ctx.t.impactLine(ctx.t.impact[incident.impact]);
  return `<article class="card i-${incident.impact}"><${heading}><a href="${href}">${esc(incident.title)}</a></${heading}>`
    + `<p class="meta">${esc(impact)}</p>${incidentUpdates(ctx, incident)}${affects(ctx, incident.components.map((c) => c.id))}</article>`;
}

/** A maintenance as a card: linked title, state and window, its updates and what it affects. */
export function maintenanceCard(ctx: HtmlContext, from: string, m: PublicMaintenance, heading: 'h3' | 'h4'): string {
  const href = esc(relativeHref(from, ctx.paths.maintenance(m.id)));
  const state = ctx.t.statusLine(ctx.t.maintenanceStatus[m.status]);
  return `<article class="card i-maintenance"><${heading}><a href="${href}">${esc(m.title)}</a></${heading}>`
    + `<p class="meta">${esc(state)} · ${maintenanceWindow(ctx, m)}</p>${maintenanceUpdates(ctx, m)}${affects(ctx, m.componentIds)}</article>`;
}
