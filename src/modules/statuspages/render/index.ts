// The status page renderer: PageState in, the complete set of files out — HTML in both languages,
// Statuspage-v2 JSON and feeds. Pure: no I/O and no clock (every "now" is state.builtAt), so the
// live server and `statuspage export` produce identical bytes from the same state.
import { LOCALES } from '../../../shared/phases.js';
import type { PageState, PublicComponent, SnapshotFile } from '../model.js';
import { type Availability, dailyAvailability } from './availability.js';
import { renderFeeds } from './feeds.js';
import { renderHistory } from './html-history.js';
import { renderIncident, renderMaintenance } from './html-incident.js';
import { renderIndex } from './html-index.js';
import type { HtmlContext } from './html-layout.js';
import { STRINGS } from './i18n.js';
import { renderJson } from './json.js';
import { localePaths, pageLocales } from './paths.js';

export { type Availability, type DayAvailability, DOWNTIME_WEIGHT, dailyAvailability } from './availability.js';
export { pageIndicator } from './derive.js';
export { SUBSCRIBE_FIELDS } from './html-index.js';
export { API_PATHS, FEED_PATHS } from './paths.js';

/** Options for one render. */
export interface RenderOptions {
  /** When the page could not be refreshed since this time (ISO), every HTML page says so. */
  staleSince?: string;
}

const HTML = 'text/html; charset=utf-8';

/**
 * The state with settings the renderer cannot use replaced (an unknown time zone by UTC, an unknown
 * language by English): a bad setting must not take the status page down.
 */
function usable(state: PageState): PageState {
  let { timeZone, locale } = state.page;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    timeZone = 'UTC';
  }
  if (!(LOCALES as readonly string[]).includes(locale)) locale = 'en';
  return timeZone === state.page.timeZone && locale === state.page.locale ? state : { ...state, page: { ...state.page, timeZone, locale } };
}

/** Renders every file of one status page. */
export function renderPage(input: PageState, options: RenderOptions = {}): SnapshotFile[] {
  const state = usable(input);
  const defaultLocale = state.page.locale;
  const all = pageLocales(defaultLocale).map((l) => localePaths(l, defaultLocale));
  const computed = new Map<string, Availability>();
  const availability = (c: PublicComponent): Availability => {
    let a = computed.get(c.id);
    if (!a) {
      a = dailyAvailability({ history: c.history, createdAt: c.createdAt, timeZone: state.page.timeZone, builtAt: state.builtAt });
      computed.set(c.id, a);
    }
    return a;
  };
  const files: SnapshotFile[] = [];
  for (const paths of all) {
    const ctx: HtmlContext = { state, locale: paths.locale, t: STRINGS[paths.locale], paths, all, staleSince: options.staleSince, availability };
    files.push({ path: paths.home, contentType: HTML, body: renderIndex(ctx) });
    files.push({ path: paths.history, contentType: HTML, body: renderHistory(ctx) });
    for (const incident of state.incidents) files.push({ path: paths.incident(incident.id), contentType: HTML, body: renderIncident(ctx, incident) });
    for (const m of state.maintenances) files.push({ path: paths.maintenance(m.id), contentType: HTML, body: renderMaintenance(ctx, m) });
  }
  files.push(...renderJson(state), ...renderFeeds(state));
  return files;
}
