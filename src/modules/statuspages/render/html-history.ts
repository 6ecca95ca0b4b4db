// history.html: every incident and every maintenance that has begun (or was called off), grouped by
// the local month it started in, newest first, each linking to its own page.
import { esc } from './escape.js';
import { type HtmlContext, layout, timeTag } from './html-layout.js';
import { relativeHref } from './paths.js';
import { displayMonth, localDate } from './time.js';

interface Entry { start: string; html: string }

/** The history page of one language. */
export function renderHistory(ctx: HtmlContext): string {
  const { state, t, paths } = ctx;
  const path = paths.history;
  const tz = state.page.timeZone;
  const sep = ' · ';
  const entries: Entry[] = [
    ...state.incidents.map((i) => {
      const end = i.resolvedAt ? ` – ${timeTag(i.resolvedAt, tz)}` : '';
      const meta = [esc(t.incidentLabel), esc(t.impactLine(t.impact[i.impact])), esc(t.statusLine(t.phase[i.phase])), `${timeTag(i.createdAt, tz)}${end}`].join(sep);
      return { start: i.createdAt, html: `<li><a href="${esc(relativeHref(path, paths.incident(i.id)))}">${esc(i.title)}</a><br><span class="meta">${meta}</span></li>` };
    }),
    ...state.maintenances.filter((m) => m.status !== 'scheduled').map((m) => {
      const start = m.startedAt ?? m.scheduledFor;
      const end = m.completedAt ? ` – ${timeTag(m.completedAt, tz)}` : '';
      const meta = [esc(t.maintenanceLabel), esc(t.statusLine(t.maintenanceStatus[m.status])), `${timeTag(start, tz)}${end}`].join(sep);
      return { start, html: `<li><a href="${esc(relativeHref(path, paths.maintenance(m.id)))}">${esc(m.title)}</a><br><span class="meta">${meta}</span></li>` };
    }),
  ].sort((a, b) => Date.parse(b.start) - Date.parse(a.start));

  const months = new Map<string, string[]>();
  for (const e of entries) {
    const month = localDate(Date.parse(e.start), tz).slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), e.html]);
  }
  const sections = [...months].map(([month, items]) =>
    `<section aria-labelledby="m-${month}"><h2 id="m-${month}"><time datetime="${month}">${esc(displayMonth(month, ctx.locale))}</time></h2><ul class="updates">${items.join('')}</ul></section>`);
  const body = `<h1>${esc(t.incidentHistory)}</h1>`
    + `<p><a href="${esc(relativeHref(path, paths.home))}">${esc(t.backToStatus)}</a></p>`
    + (sections.length ? sections.join('') : `<p class="muted">${esc(t.noIncidentsReported)}</p>`);
  return layout(ctx, {
    path, alternates: (p) => p.history, title: `${t.incidentHistory} · ${t.documentTitle(state.page.name)}`, brandIsHeading: false, body,
  });
}
