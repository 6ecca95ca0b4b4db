// Where each rendered file lives and how one file links to another. Links are always relative, so
// the same files work under /status/<slug>/, at the root of a custom host, and from any static host.
import { LOCALES, type Locale } from '../../../shared/phases.js';
import { pathSegment } from './escape.js';

/** The files of one language: the page's default language at the root, the other under "<locale>/". */
export interface LocalePaths {
  locale: Locale;
  home: string;
  history: string;
  incident: (id: string) => string;
  maintenance: (id: string) => string;
}

/** The paths of `locale`'s files when `defaultLocale` is the page's language. */
export function localePaths(locale: Locale, defaultLocale: Locale): LocalePaths {
  const p = locale === defaultLocale ? '' : `${locale}/`;
  return {
    locale,
    home: `${p}index.html`,
    history: `${p}history.html`,
    incident: (id) => `${p}incidents/${pathSegment(id)}.html`,
    maintenance: (id) => `${p}maintenance/${pathSegment(id)}.html`,
  };
}

/** The page's languages, default first. */
export function pageLocales(defaultLocale: Locale): Locale[] {
  return [defaultLocale, ...LOCALES.filter((l) => l !== defaultLocale)];
}

/** The Statuspage-v2 JSON files, at the root whatever the language. */
export const API_PATHS = {
  summary: 'api/v2/summary.json',
  status: 'api/v2/status.json',
  components: 'api/v2/components.json',
  incidents: 'api/v2/incidents.json',
  unresolved: 'api/v2/incidents/unresolved.json',
  maintenances: 'api/v2/scheduled-maintenances.json',
  upcoming: 'api/v2/scheduled-maintenances/upcoming.json',
  active: 'api/v2/scheduled-maintenances/active.json',
} as const;
/** The feeds, at the root, in the page's default language. */
export const FEED_PATHS = { atom: 'history.atom', rss: 'history.rss' } as const;

/** The relative link from the file at `from` to the file at `to` (both relative to the page root). */
export function relativeHref(from: string, to: string): string {
  const fromDir = from.split('/').slice(0, -1);
  const target = to.split('/');
  let common = 0;
  while (common < fromDir.length && common < target.length - 1 && fromDir[common] === target[common]) common++;
  return '../'.repeat(fromDir.length - common) + target.slice(common).join('/');
}

/** The page root as seen from the file at `from`: "" at the root, "../../" two folders down. */
export function rootFrom(from: string): string {
  return '../'.repeat(from.split('/').length - 1);
}

/** An absolute URL for `path` when the page's base URL is known, else null. */
export function absoluteUrl(baseUrl: string, path: string): string | null {
  return baseUrl ? baseUrl.replace(/\/?$/, '/') + path : null;
}
