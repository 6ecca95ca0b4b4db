// The shell every public HTML file shares: one small inline stylesheet, header (logo, name,
// language switch), the stale-data banner, main, and a footer with history, feeds, API and the
// build time. No scripts, no external requests apart from the page's own logo.
import type { Locale } from '../../../shared/phases.js';
import type { PageState, PublicComponent } from '../model.js';
import type { Availability } from './availability.js';
import { esc, safeLinkUrl, safeLogoUrl } from './escape.js';
import { STRINGS, type Strings } from './i18n.js';
import { API_PATHS, FEED_PATHS, type LocalePaths, relativeHref } from './paths.js';
import { displayTime, isoInZone } from './time.js';

/** What every HTML renderer needs to know about the language and page it renders. */
export interface HtmlContext {
  state: PageState;
  locale: Locale;
  t: Strings;
  /** This language's file paths. */
  paths: LocalePaths;
  /** Every language's file paths, default language first. */
  all: LocalePaths[];
  staleSince?: string;
  /** A component's 90 days, computed once per render and shared by both languages. */
  availability: (component: PublicComponent) => Availability;
}

/** One HTML file to wrap. */
export interface PageShell {
  /** This file's path, to make every link relative to it. */
  path: string;
  /** The same page in each language (for hreflang alternates and the language switch). */
  alternates: (p: LocalePaths) => string;
  title: string;
  /** The header's page name is the h1 only on the home page; elsewhere the page's own title is. */
  brandIsHeading: boolean;
  body: string;
}

/** WCAG relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two #rrggbb colours (1–21). */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

const DEFAULT_ACCENT = '#0969da';

/**
 * The brand colour where contrast allows: as link and accent text colour only when it reaches
 * 4.5:1 on white (AA for text), as the header's top rule when it reaches 3:1 (AA for graphics).
 */
export function accentColors(brandColor: string): { text: string; rule: string } {
  const brand = /^#[0-9a-f]{6}$/i.test(brandColor) ? brandColor.toLowerCase() : DEFAULT_ACCENT;
  const ratio = contrastRatio(brand, '#ffffff');
  return { text: ratio >= 4.5 ? brand : DEFAULT_ACCENT, rule: ratio >= 3 ? brand : DEFAULT_ACCENT };
}

/** Status text colours; every one reaches 4.5:1 on white and carries white text on its own background. */
export const STATUS_COLORS = {
  operational: '#1a7f37', degraded_performance: '#9a6700', partial_outage: '#bc4c00', major_outage: '#cf222e', under_maintenance: '#0969da',
} as const;

function stylesheet(accent: { text: string; rule: string }): string {
  const c = STATUS_COLORS;
  return `:root{--a:${accent.text};--r:${accent.rule};--t:#1f2328;--m:#57606a;--l:#d0d7de}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;color:var(--t);background:#fff}
a{color:var(--a)}a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #1f2328;outline-offset:2px;box-shadow:0 0 0 5px #fff}
.wrap{max-width:52rem;margin:0 auto;padding:0 1rem}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
.top{border-top:4px solid var(--r);border-bottom:1px solid var(--l)}.top .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding:1rem}
.brand{display:flex;align-items:center;gap:.75rem;margin:0;font-size:1.5rem;font-weight:700}.brand a{color:var(--t);text-decoration:none;display:flex;align-items:center;gap:.75rem}.brand img{max-height:2.5rem;max-width:12rem}
h1{font-size:1.6rem;line-height:1.3}h2{font-size:1.25rem;margin:2rem 0 .75rem}h3{font-size:1.05rem;margin:1.25rem 0 .5rem}h4{font-size:1rem;margin:.75rem 0 .25rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.stale{border:2px solid ${c.degraded_performance};background:#fff8c5;padding:.75rem 1rem;margin:1rem 0;font-weight:600}
.banner{color:#fff;padding:1rem 1.25rem;border-radius:6px;margin:1.5rem 0}.b-none{background:${c.operational}}.b-minor{background:${c.degraded_performance}}.b-major{background:${c.partial_outage}}.b-critical{background:${c.major_outage}}.b-maintenance{background:${c.under_maintenance}}
.s-operational{color:${c.operational}}.s-degraded_performance{color:${c.degraded_performance}}.s-partial_outage{color:${c.partial_outage}}.s-major_outage{color:${c.major_outage}}.s-under_maintenance{color:${c.under_maintenance}}
.st{font-weight:600;white-space:nowrap}.muted,.meta,.desc{color:var(--m);font-size:.9rem}.desc{margin:0}
.card{border:1px solid var(--l);border-left:6px solid var(--m);border-radius:6px;padding:.25rem 1rem .75rem;margin:0 0 1rem}.i-minor{border-left-color:${c.degraded_performance}}.i-major{border-left-color:${c.partial_outage}}.i-critical{border-left-color:${c.major_outage}}.i-maintenance{border-left-color:${c.under_maintenance}}
.updates{list-style:none;padding:0;margin:0}.updates li{margin:.5rem 0}.updates p{margin:0}
.comps{list-style:none;padding:0;margin:0;border:1px solid var(--l);border-radius:6px}.comps>li{padding:.75rem 1rem;border-top:1px solid var(--l)}.comps>li:first-child{border-top:0}.comps ul{list-style:none;padding:0 0 0 1rem;margin:.5rem 0 0}.comps ul li{padding:.5rem 0}
.row{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}summary{cursor:pointer}summary .row{display:inline-flex;width:calc(100% - 1.5rem)}
.bar{display:flex;gap:1px;height:2rem;margin:.5rem 0 .25rem}.bar i{flex:1 1 0;min-width:1px;border-radius:1px;background:${c.operational}}.bar .d{background:${c.degraded_performance}}.bar .p{background:${c.partial_outage}}.bar .m{background:${c.major_outage}}.bar .u{background:${c.under_maintenance}}.bar .n{background:#8c959f}
.legend{display:flex;justify-content:space-between;color:var(--m);font-size:.8rem}
form{display:grid;gap:.75rem;max-width:30rem}input[type=email]{font:inherit;padding:.5rem;border:1px solid #6e7781;border-radius:4px;width:100%}fieldset{border:1px solid var(--l);border-radius:6px}fieldset label{display:block}
button{font:inherit;font-weight:600;padding:.5rem 1rem;border:0;border-radius:4px;background:#1f2328;color:#fff;cursor:pointer;justify-self:start}
footer{border-top:1px solid var(--l);margin-top:3rem;padding:1rem;color:var(--m);font-size:.9rem}footer ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem}
@media (max-width:600px){.bar{height:1.75rem;gap:0}h1{font-size:1.35rem}}`;
}

/** A `<time>` for an instant, shown in the page's time zone ("2026-11-23 14:05 JST"). */
export function timeTag(iso: string, timeZone: string): string {
  return `<time datetime="${esc(isoInZone(iso, timeZone))}">${esc(displayTime(iso, timeZone))}</time>`;
}

function brand(ctx: HtmlContext, path: string, heading: boolean): string {
  const { page } = ctx.state;
  const logo = safeLogoUrl(page.logoUrl);
  // With a logo the image carries the name (alt) and the visible name is not read a second time.
  const inner = logo
    ? `<img src="${esc(logo)}" alt="${esc(page.name)}"><span aria-hidden="true">${esc(page.name)}</span>`
    : esc(page.name);
  const tag = heading ? 'h1' : 'p';
  return `<${tag} class="brand"><a href="${esc(relativeHref(path, ctx.paths.home))}">${inner}</a></${tag}>`;
}

/** Wraps a page body into a complete HTML document. */
export function layout(ctx: HtmlContext, shell: PageShell): string {
  const { state, t, locale } = ctx;
  const tz = state.page.timeZone;
  const rel = (to: string) => esc(relativeHref(shell.path, to));
  const accent = accentColors(state.page.brandColor);
  const others = ctx.all.filter((p) => p.locale !== locale);
  const alternates = [
    ...ctx.all.map((p) => `<link rel="alternate" hreflang="${p.locale}" href="${rel(shell.alternates(p))}">`),
    `<link rel="alternate" hreflang="x-default" href="${rel(shell.alternates(ctx.all[0]!))}">`,
  ].join('');
  const switcher = others
    .map((p) => `<a href="${rel(shell.alternates(p))}" hreflang="${p.locale}" lang="${p.locale}">${esc(STRINGS[p.locale].languageName)}</a>`)
    .join(' ');
  const stale = ctx.staleSince
    ? `<p class="stale" role="status">${t.stale(timeTag(ctx.staleSince, tz), timeTag(state.builtAt, tz))}</p>`
    : '';
  const support = safeLinkUrl(state.page.supportUrl);
  const links = [
    `<li><a href="${rel(ctx.paths.history)}">${esc(t.incidentHistory)}</a></li>`,
    `<li><a href="${rel(FEED_PATHS.atom)}" type="application/atom+xml">${esc(t.atomFeed)}</a></li>`,
    `<li><a href="${rel(FEED_PATHS.rss)}" type="application/rss+xml">${esc(t.rssFeed)}</a></li>`,
    `<li><a href="${rel(API_PATHS.summary)}" type="application/json">${esc(t.jsonApi)}</a></li>`,
    support ? `<li><a href="${esc(support)}" rel="noopener">${esc(t.support)}</a></li>` : '',
  ].join('');
  const description = state.page.description ? `<meta name="description" content="${esc(state.page.description)}">` : '';
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(shell.title)}</title>
${description}${alternates}
<link rel="alternate" type="application/atom+xml" title="${esc(t.atomFeed)}" href="${rel(FEED_PATHS.atom)}">
<link rel="alternate" type="application/rss+xml" title="${esc(t.rssFeed)}" href="${rel(FEED_PATHS.rss)}">
<style>${stylesheet(accent)}</style>
</head>
<body>
<a class="skip" href="#main">${esc(t.skipToContent)}</a>
<header class="top"><div class="wrap">${brand(ctx, shell.path, shell.brandIsHeading)}${switcher ? `<nav aria-label="${esc(t.languageSwitch)}">${switcher}</nav>` : ''}</div></header>
<main id="main" class="wrap">
${stale}${shell.body}
</main>
<footer class="wrap"><nav aria-label="${esc(t.feedsAndApi)}"><ul>${links}</ul></nav><p>${t.lastUpdated(timeTag(state.builtAt, tz))}</p></footer>
</body>
</html>
`;
}
