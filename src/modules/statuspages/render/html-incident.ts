// incidents/<id>.html and maintenance/<id>.html: one incident or maintenance with every public
// update, newest first, and the components it affects.
import type { PublicIncident, PublicMaintenance } from '../model.js';
import { esc } from './escape.js';
import { type HtmlContext, layout } from './html-layout.js';
import { incidentUpdates, maintenanceUpdates, maintenanceWindow, statusText } from './html-parts.js';
import { relativeHref } from './paths.js';

/** The affected components with their current status (as text), in page order. */
function affectedList(ctx: HtmlContext, ids: string[]): string {
  const wanted = new Set(ids);
  const rows = ctx.state.components
    .filter((c) => wanted.has(c.id))
    .map((c) => `<li><span class="row"><span>${esc(c.name)}</span>${statusText(ctx, c.status)}</span></li>`);
  if (rows.length === 0) return '';
  return `<h2>${esc(ctx.t.affectedComponents)}</h2><ul class="comps">${rows.join('')}</ul>`;
}

function backLinks(ctx: HtmlContext, path: string): string {
  const { t, paths } = ctx;
  return `<p><a href="${esc(relativeHref(path, paths.home))}">${esc(t.backToStatus)}</a> · <a href="${esc(relativeHref(path, paths.history))}">${esc(t.incidentHistory)}</a></p>`;
}

/** One incident's page in one language. */
export function renderIncident(ctx: HtmlContext, incident: PublicIncident): string {
  const { state, t, paths } = ctx;
  const path = paths.incident(incident.id);
  const body = `<article class="card i-${incident.impact}"><h1>${esc(incident.title)}</h1>`
    + `<p class="meta">${esc(t.incidentReportFor(state.page.name))}</p>`
    + `<p>${esc(t.impactLine(t.impact[incident.impact]))} · ${esc(t.statusLine(t.phase[incident.phase]))}</p>`
    + `<h2>${esc(t.updates)}</h2>${incidentUpdates(ctx, incident)}`
    + `${affectedList(ctx, incident.components.map((c) => c.id))}</article>${backLinks(ctx, path)}`;
  return layout(ctx, {
    path, alternates: (p) => p.incident(incident.id), title: `${incident.title} · ${t.documentTitle(state.page.name)}`, brandIsHeading: false, body,
  });
}

/** One maintenance's page in one language. */
export function renderMaintenance(ctx: HtmlContext, m: PublicMaintenance): string {
  const { state, t, paths } = ctx;
  const path = paths.maintenance(m.id);
  const body = `<article class="card i-maintenance"><h1>${esc(m.title)}</h1>`
    + `<p class="meta">${esc(t.maintenanceReportFor(state.page.name))}</p>`
    + `<p>${esc(t.statusLine(t.maintenanceStatus[m.status]))}</p><p>${maintenanceWindow(ctx, m)}</p>`
    + `<h2>${esc(t.updates)}</h2>${maintenanceUpdates(ctx, m)}`
    + `${affectedList(ctx, m.componentIds)}</article>${backLinks(ctx, path)}`;
  return layout(ctx, {
    path, alternates: (p) => p.maintenance(m.id), title: `${m.title} · ${t.documentTitle(state.page.name)}`, brandIsHeading: false, body,
  });
}
