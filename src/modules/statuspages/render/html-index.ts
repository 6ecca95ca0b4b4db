// The home page, laid out like Statuspage's: overall banner, open incidents, maintenance, components
// with 90-day bars, the last 14 days of incidents, and the subscribe form.
import type { PublicComponent } from '../model.js';
import { type DayAvailability, NON_OPERATIONAL, formatPercent } from './availability.js';
import { activeMaintenances, displayTree, pageIndicator, unresolvedIncidents, upcomingMaintenances } from './derive.js';
import { esc, safeFormAction } from './escape.js';
import { type HtmlContext, layout } from './html-layout.js';
import { incidentCard, maintenanceCard, statusText } from './html-parts.js';
import { relativeHref } from './paths.js';
import { addDays, displayDate, localDate } from './time.js';

/** How many days of past incidents the home page lists, as Statuspage does. */
export const PAST_DAYS = 14;

/** The form fields the subscribe endpoint reads (application/x-www-form-urlencoded; the same names as FORM_FIELDS in subscribers.schema.ts). */
export const SUBSCRIBE_FIELDS = { email: 'email', component: 'component', locale: 'locale' } as const;

const DAY_CLASS = { operational: '', degraded_performance: 'd', partial_outage: 'p', major_outage: 'm', under_maintenance: 'u' } as const;

/** The hover text of one day: "2026-11-20: 99.75% — partial outage 12 min". */
function dayTitle(ctx: HtmlContext, day: DayAvailability): string {
  const { t } = ctx;
  if (day.uptime === null) return t.dayNoData(day.date);
  const pct = formatPercent(day.uptime);
  const parts = NON_OPERATIONAL.filter((s) => day.minutes[s] >= 0.5).map((s) => t.minutesIn(t.componentStatus[s], Math.round(day.minutes[s])));
  return parts.length ? t.dayIssues(day.date, pct, parts.join(ctx.locale === 'ja' ? '、' : ', ')) : t.dayClean(day.date, pct);
}

/** A component's row: name, status as text and icon, description, and its 90-day bar with uptime. */
function componentRow(ctx: HtmlContext, c: PublicComponent): string {
  const { t } = ctx;
  const a = ctx.availability(c);
  const bars = a.days
    .map((d) => {
      // Operational days take the bar's default colour: 90 days × every component adds up.
      const cls = d.uptime === null ? 'n' : DAY_CLASS[d.worst];
      return `<i${cls ? ` class="${cls}"` : ''} title="${esc(dayTitle(ctx, d))}"></i>`;
    })
    .join('');
  const pct = a.uptime === null ? null : formatPercent(a.uptime);
  // Screen readers get one sentence and the days that had trouble instead of 90 unlabeled bars.
  const troubled = a.days.filter((d) => d.uptime !== null && d.worst !== 'operational').map((d) => dayTitle(ctx, d));
  const summary = [
    pct === null ? t.availabilityUnknown(c.name) : t.availabilityOf(c.name, pct),
    troubled.length ? `${t.daysWithIssues} ${troubled.join(ctx.locale === 'ja' ? '、' : '; ')}` : t.noIssues(a.days.length),
  ].join(ctx.locale === 'ja' ? '' : ' ');
  const desc = c.description ? `<p class="desc">${esc(c.description)}</p>` : '';
  return `<li><div class="row"><span>${esc(c.name)}</span>${statusText(ctx, c.status)}</div>${desc}`
    + `<div class="bar" aria-hidden="true">${bars}</div>`
    + `<div class="legend" aria-hidden="true"><span>${esc(t.daysAgo(a.days.length))}</span><span>${pct === null ? '' : esc(t.uptime(pct))}</span><span>${esc(t.today)}</span></div>`
    + `<p class="sr">${esc(summary)}</p></li>`;
}

function componentsSection(ctx: HtmlContext): string {
  const items = displayTree(ctx.state).map((item) => {
    if (item.kind === 'component') return componentRow(ctx, item.component);
    const { group, components, status } = item;
    const desc = group.description ? `<p class="desc">${esc(group.description)}</p>` : '';
    // Groups are <details>: collapsible without JavaScript, open while something in them is wrong.
    return `<li><details${status === 'operational' ? '' : ' open'}><summary><span class="row"><span>${esc(group.name)}</span>${statusText(ctx, status)}</span></summary>`
      + `${desc}<ul>${components.map((c) => componentRow(ctx, c)).join('')}</ul></details></li>`;
  });
  if (items.length === 0) return '';
  return `<section aria-labelledby="components"><h2 id="components">${esc(ctx.t.components)}</h2><ul class="comps">${items.join('')}</ul></section>`;
}

/** Incidents and maintenance by the local day they started, for the last 14 days (newest first). */
function pastSection(ctx: HtmlContext, from: string): string {
  const { state, t } = ctx;
  const tz = state.page.timeZone;
  const today = localDate(Date.parse(state.builtAt), tz);
  const days: string[] = [];
  for (let i = 0; i < PAST_DAYS; i++) {
    const day = addDays(today, -i);
    const incidents = state.incidents.filter((x) => localDate(Date.parse(x.createdAt), tz) === day);
    const maintenances = state.maintenances.filter(
      (m) => m.status !== 'scheduled' && m.status !== 'cancelled' && localDate(Date.parse(m.startedAt ?? m.scheduledFor), tz) === day,
    );
    const cards = [...incidents.map((x) => incidentCard(ctx, from, x, 'h4')), ...maintenances.map((m) => maintenanceCard(ctx, from, m, 'h4'))];
    days.push(`<h3><time datetime="${day}">${esc(displayDate(day, ctx.locale))}</time></h3>${cards.length ? cards.join('') : `<p class="muted">${esc(t.noIncidentsReported)}</p>`}`);
  }
  return `<section aria-labelledby="past"><h2 id="past">${esc(t.pastIncidents)}</h2>${days.join('')}`
    + `<p><a href="${esc(relativeHref(from, ctx.paths.history))}">${esc(t.viewHistory)}</a></p></section>`;
}

function subscribeSection(ctx: HtmlContext): string {
  const { state, t } = ctx;
  const action = safeFormAction(state.subscribeAction);
  if (!action) return '';
  const f = SUBSCRIBE_FIELDS;
  const boxes = state.components
    .map((c) => `<label><input type="checkbox" name="${f.component}" value="${esc(c.id)}"> ${esc(c.name)}</label>`)
    .join('');
  const components = state.components.length > 1 ? `<fieldset><legend>${esc(t.subscribeComponents)}</legend>${boxes}</fieldset>` : '';
  return `<section aria-labelledby="subscribe"><h2 id="subscribe">${esc(t.subscribe)}</h2><p>${esc(t.subscribeHelp)}</p>`
    + `<form method="post" action="${esc(action)}"><input type="hidden" name="${f.locale}" value="${ctx.locale}">`
    + `<label for="subscribe-email">${esc(t.email)}</label><input id="subscribe-email" type="email" name="${f.email}" required autocomplete="email" inputmode="email">`
    + `${components}<button type="submit">${esc(t.subscribeButton)}</button></form></section>`;
}

/** The home page of one language. */
export function renderIndex(ctx: HtmlContext): string {
  const { state, t, paths } = ctx;
  const path = paths.home;
  const indicator = pageIndicator(state);
  const open = unresolvedIncidents(state);
  const active = activeMaintenances(state);
  const upcoming = upcomingMaintenances(state);
  const section = (id: string, title: string, cards: string[]) =>
    cards.length ? `<section aria-labelledby="${id}"><h2 id="${id}">${esc(title)}</h2>${cards.join('')}</section>` : '';
  const body = [
    `<h2 class="banner b-${indicator}">${esc(t.indicator[indicator])}</h2>`,
    section('incidents', t.activeIncidents, open.map((i) => incidentCard(ctx, path, i, 'h3'))),
    section('maintenance', t.activeMaintenance, active.map((m) => maintenanceCard(ctx, path, m, 'h3'))),
    section('upcoming', t.upcomingMaintenance, upcoming.map((m) => maintenanceCard(ctx, path, m, 'h3'))),
    componentsSection(ctx),
    pastSection(ctx, path),
    subscribeSection(ctx),
  ].join('\n');
  return layout(ctx, { path, alternates: (p) => p.home, title: t.documentTitle(state.page.name), brandIsHeading: true, body });
}
