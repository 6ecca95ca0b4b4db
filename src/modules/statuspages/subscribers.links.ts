// The absolute links that go into subscriber messages. E-mail needs absolute URLs, so they come from
// config publicUrl; without it, from http://localhost:<port> (fine on one machine, wrong for
// customers: set publicUrl). A page with a host of its own is linked there, as the renderer does.
import type { Locale } from '../../shared/phases.js';
import { localePaths } from './render/paths.js';
import { SubscriberTokens } from './subscribers.tokens.js';

/** What links need of a page. */
export interface LinkPage {
  id: string;
  slug: string;
  host: string | null;
  locale: string;
}

/** Builds the page, incident, confirmation and unsubscribe links of subscriber messages. */
export class SubscriberLinks {
  private fallbackOrigin: string;

  constructor(private readonly publicUrl: string | undefined, readonly tokens: SubscriberTokens, port = 8080) {
    this.fallbackOrigin = `http://localhost:${port}`;
  }

  /** Called once the server listens, with the URL people would type (http://localhost:<port>). */
  setFallbackOrigin(origin: string): void {
    this.fallbackOrigin = origin.replace(/\/+$/, '');
  }

  /** The server's origin for links: publicUrl, else the fallback. */
  origin(): string {
    return (this.publicUrl ?? this.fallbackOrigin).replace(/\/+$/, '');
  }

  /** The page's root with a trailing slash: https://<host>/ or <origin>/status/<slug>/. */
  pageRoot(page: LinkPage): string {
    return page.host ? `https://${page.host}/` : `${this.origin()}/status/${encodeURIComponent(page.slug)}/`;
  }

  /** The page in `locale` (the page's own language at its root, the other under ja/ or en/). */
  pageUrl(page: LinkPage, locale: Locale): string {
    return this.pageRoot(page) + localePaths(locale, page.locale as Locale).home.replace(/index\.html$/, '');
  }

  incidentUrl(page: LinkPage, locale: Locale, incidentId: string): string {
    return this.pageRoot(page) + localePaths(locale, page.locale as Locale).incident(incidentId);
  }

  maintenanceUrl(page: LinkPage, locale: Locale, maintenanceId: string): string {
    return this.pageRoot(page) + localePaths(locale, page.locale as Locale).maintenance(maintenanceId);
  }

  confirmUrl(page: LinkPage, subscriberId: string, now = Date.now()): string {
    return `${this.pageRoot(page)}subscriptions/confirm?token=${encodeURIComponent(this.tokens.issue('confirm', page.id, subscriberId, now))}`;
  }

  /** Also the RFC 8058 one-click target: a POST to it unsubscribes, without cookies or a CSRF token. */
  unsubscribeUrl(page: LinkPage, subscriberId: string): string {
    return `${this.pageRoot(page)}unsubscribe?token=${encodeURIComponent(this.tokens.issue('unsubscribe', page.id, subscriberId))}`;
  }
}
