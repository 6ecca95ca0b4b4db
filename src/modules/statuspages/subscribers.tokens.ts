// The links in subscriber e-mails: stateless, HMAC-signed tokens. Nothing is stored per token, so a
// link works on every node and after a restart; the key is derived from the server's secret key.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token lets its holder do. */
export type TokenPurpose = 'confirm' | 'unsubscribe';

/** A confirmation link is good for 48 hours; an unsubscribe link for ever (RFC 8058 mail clients keep it). */
export const CONFIRM_TTL_MS = 48 * 3600_000;

const PURPOSE_CODE: Record<TokenPurpose, string> = { confirm: 'c', unsubscribe: 'u' };
const TOKEN = /^([cu])\.([0-9a-z]{1,64})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

/** Issues and checks subscriber tokens: `<purpose>.<subscriber id>.<expiry, unix s; 0 = never>.<HMAC-SHA256, base64url>`. */
export class SubscriberTokens {
  constructor(private readonly key: Buffer) {}

  // The page id is signed too: a token for one page's subscriber is refused on another page's URL.
  private mac(purpose: string, pageId: string, subscriberId: string, exp: string): Buffer {
    return createHmac('sha256', this.key).update(`hikeshi-subscriber:v1:${purpose}:${pageId}:${subscriberId}:${exp}`).digest();
  }

  /** A token for `purpose` on this subscriber. */
  issue(purpose: TokenPurpose, pageId: string, subscriberId: string, now = Date.now()): string {
    const code = PURPOSE_CODE[purpose];
    const exp = purpose === 'confirm' ? String(Math.floor((now + CONFIRM_TTL_MS) / 1000)) : '0';
    return `${code}.${subscriberId}.${exp}.${this.mac(code, pageId, subscriberId, exp).toString('base64url')}`;
  }

  /**
   * The subscriber id a token for `purpose` claims, unverified: who to look up to learn the page the
   * token must then be verified for (links outlive a page's slug and host, so the URL cannot say).
   */
  claimedSubscriber(purpose: TokenPurpose, token: unknown): string | null {
    if (typeof token !== 'string' || token.length > 200) return null;
    const m = TOKEN.exec(token);
    return m && m[1] === PURPOSE_CODE[purpose] ? m[2]! : null;
  }

  /** The subscriber id when `token` is a genuine, unexpired token for `purpose` on this page; null otherwise. */
  verify(purpose: TokenPurpose, pageId: string, token: unknown, now = Date.now()): string | null {
    if (typeof token !== 'string' || token.length > 200) return null;
    const m = TOKEN.exec(token);
    if (!m || m[1] !== PURPOSE_CODE[purpose]) return null;
    const [, code, id, exp, sig] = m as unknown as [string, string, string, string, string];
    const expected = this.mac(code, pageId, id, exp);
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (exp !== '0' && Number(exp) * 1000 < now) return null;
    if (exp === '0' && purpose === 'confirm') return null;
    return id;
  }
}
