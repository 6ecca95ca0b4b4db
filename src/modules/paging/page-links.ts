// The acknowledge and resolve links in a page's notifications: stateless HMAC-signed tokens naming
// the page, the person it was sent to and an expiry. Nothing is stored per link, so a link works on
// every node and after a restart; whoever holds it acts as the person it was sent to, until it expires.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type PageAction = 'ack' | 'resolve';

/** Long enough for a night and the morning after; short enough that an old e-mail cannot act. */
export const PAGE_LINK_TTL_MS = 24 * 3600_000;

const TOKEN = /^(ack|resolve)\.([0-9a-z]{1,64})\.([0-9a-z]{1,64})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

/** Issues and checks page link tokens: `<action>.<page id>.<user id>.<expiry, unix s>.<HMAC-SHA256, base64url>`. */
export class PageLinks {
  constructor(private readonly key: Buffer, private readonly baseUrl: () => string) {}

  private mac(action: string, pageId: string, userId: string, exp: string): Buffer {
    return createHmac('sha256', this.key).update(`hikeshi-page:v1:${action}:${pageId}:${userId}:${exp}`).digest();
  }

  token(action: PageAction, pageId: string, userId: string, now = Date.now()): string {
    const exp = String(Math.floor((now + PAGE_LINK_TTL_MS) / 1000));
    return `${action}.${pageId}.${userId}.${exp}.${this.mac(action, pageId, userId, exp).toString('base64url')}`;
  }

  /** The link a notification carries: GET shows a button, POST acts (mail scanners open every link). */
  url(action: PageAction, pageId: string, userId: string, now = Date.now()): string {
    return `${this.baseUrl()}/page-links/${action}?token=${encodeURIComponent(this.token(action, pageId, userId, now))}`;
  }

  /** The page's address in the web UI. */
  pageUrl(pageId: string): string {
    return `${this.baseUrl()}/pages/${pageId}`;
  }

  /** What a genuine, unexpired token for `action` allows; null otherwise. */
  verify(action: PageAction, token: unknown, now = Date.now()): { pageId: string; userId: string } | null {
    if (typeof token !== 'string' || token.length > 300) return null;
    const m = TOKEN.exec(token);
    if (!m || m[1] !== action) return null;
    const [, a, pageId, userId, exp, sig] = m as unknown as [string, string, string, string, string, string];
    const expected = this.mac(a, pageId, userId, exp);
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (Number(exp) * 1000 < now) return null;
    return { pageId, userId };
  }
}
