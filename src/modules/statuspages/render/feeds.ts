// history.atom (Atom 1.0, RFC 4287) and history.rss (RSS 2.0): one entry per incident and per
// maintenance, the 50 most recently updated, in the page's language. Entry content is the public
// updates as escaped HTML; links are absolute when the page's base URL is known.
import { PHASE_PREFIX } from '../../../shared/phases.js';
import type { PageState, PublicIncident, PublicMaintenance, SnapshotFile } from '../model.js';
import { componentNames, lastChange } from './derive.js';
import { esc, escLines, escXml } from './escape.js';
import { STRINGS } from './i18n.js';
import { FEED_PATHS, absoluteUrl, localePaths } from './paths.js';
import { displayTime, isoInZone, rfc822 } from './time.js';

/** How many entries a feed carries. */
export const FEED_LIMIT = 50;

interface FeedEntry {
  id: string;
  title: string;
  link: string;
  published: string;
  updated: string;
  /** HTML (escaped again when written into the XML). */
  html: string;
}

function updatesHtml(state: PageState, updates: { prefix: string; body: string; createdAt: string }[]): string {
  const gap = state.page.locale === 'ja' ? '' : ' ';
  return updates
    .map((u) => `<p><small>${esc(displayTime(u.createdAt, state.page.timeZone))}</small><br><strong>${esc(u.prefix)}</strong>${gap}${escLines(u.body)}</p>`)
    .join('');
}

function affectsHtml(state: PageState, ids: string[]): string {
  const names = componentNames(state, ids);
  const t = STRINGS[state.page.locale];
  return names.length ? `<p>${esc(t.affects(names.join(state.page.locale === 'ja' ? '、' : ', ')))}</p>` : '';
}

function entries(state: PageState): FeedEntry[] {
  const locale = state.page.locale;
  const t = STRINGS[locale];
  const paths = localePaths(locale, locale);
  const href = (path: string) => absoluteUrl(state.baseUrl, path) ?? path;
  const urn = `urn:hikeshi:statuspage:${state.page.id}`;
  const fromIncident = (i: PublicIncident): FeedEntry => ({
    id: `${urn}:incident:${i.id}`, title: i.title, link: href(paths.incident(i.id)), published: i.createdAt, updated: i.updatedAt,
    html: updatesHtml(state, i.updates.map((u) => ({ prefix: PHASE_PREFIX[locale][u.phase], body: u.body, createdAt: u.createdAt })))
      + affectsHtml(state, i.components.map((c) => c.id)),
  });
  const fromMaintenance = (m: PublicMaintenance): FeedEntry => {
    const window = t.scheduledWindow(displayTime(m.scheduledFor, state.page.timeZone), displayTime(m.scheduledUntil, state.page.timeZone));
    const bracket = (s: string) => (locale === 'ja' ? `【${s}】` : `[${s}]`);
    return {
      id: `${urn}:maintenance:${m.id}`, title: m.title, link: href(paths.maintenance(m.id)), published: m.createdAt, updated: m.updatedAt,
      html: `<p>${esc(t.statusLine(t.maintenanceStatus[m.status]))}<br>${esc(window)}</p>`
        + updatesHtml(state, m.updates.map((u) => ({ prefix: bracket(t.maintenanceStatus[u.status]), body: u.body, createdAt: u.createdAt })))
        + affectsHtml(state, m.componentIds),
    };
  };
  return [...state.incidents.map(fromIncident), ...state.maintenances.map(fromMaintenance)]
    .sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated))
    .slice(0, FEED_LIMIT);
}

function atom(state: PageState, list: FeedEntry[]): string {
  const tz = state.page.timeZone;
  const t = STRINGS[state.page.locale];
  const home = absoluteUrl(state.baseUrl, '') ?? 'index.html';
  const self = absoluteUrl(state.baseUrl, FEED_PATHS.atom) ?? FEED_PATHS.atom;
  const items = list.map((e) => `<entry>
<id>${escXml(e.id)}</id>
<title type="text">${escXml(e.title)}</title>
<link rel="alternate" type="text/html" href="${escXml(e.link)}"/>
<published>${isoInZone(e.published, tz)}</published>
<updated>${isoInZone(e.updated, tz)}</updated>
<content type="html">${escXml(e.html)}</content>
</entry>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${state.page.locale}">
<id>urn:hikeshi:statuspage:${escXml(state.page.id)}</id>
<title type="text">${escXml(t.feedTitle(state.page.name))}</title>
<updated>${isoInZone(lastChange(state), tz)}</updated>
<link rel="alternate" type="text/html" href="${escXml(home)}"/>
<link rel="self" type="application/atom+xml" href="${escXml(self)}"/>
<author><name>${escXml(state.page.name)}</name></author>
${items.join('\n')}
</feed>
`;
}

function rss(state: PageState, list: FeedEntry[]): string {
  const t = STRINGS[state.page.locale];
  const home = absoluteUrl(state.baseUrl, '') ?? 'index.html';
  const self = absoluteUrl(state.baseUrl, FEED_PATHS.rss);
  const items = list.map((e) => `<item>
<title>${escXml(e.title)}</title>
<link>${escXml(e.link)}</link>
<guid isPermaLink="false">${escXml(e.id)}</guid>
<pubDate>${rfc822(e.published)}</pubDate>
<description>${escXml(e.html)}</description>
</item>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${escXml(t.feedTitle(state.page.name))}</title>
<link>${escXml(home)}</link>
<description>${escXml(state.page.description || t.feedTitle(state.page.name))}</description>
<language>${state.page.locale}</language>
<lastBuildDate>${rfc822(lastChange(state))}</lastBuildDate>
${self ? `<atom:link href="${escXml(self)}" rel="self" type="application/rss+xml"/>\n` : ''}${items.join('\n')}
</channel>
</rss>
`;
}

/** The two feed files. */
export function renderFeeds(state: PageState): SnapshotFile[] {
  const list = entries(state);
  return [
    { path: FEED_PATHS.atom, contentType: 'application/atom+xml; charset=utf-8', body: atom(state, list) },
    { path: FEED_PATHS.rss, contentType: 'application/rss+xml; charset=utf-8', body: rss(state, list) },
  ];
}
