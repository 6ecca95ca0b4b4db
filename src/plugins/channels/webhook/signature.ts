// The signature Hikeshi puts on every webhook it sends, and the check a receiver makes. Kept free of
// everything else in Hikeshi so a receiver can copy this file as it is.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old (or how far in the future) a signed timestamp may be before a receiver refuses it. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** The signature header's value for `body` sent at `timestamp` (unix seconds): `v1=<hex HMAC-SHA256>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Why a signature was refused, or null when it verified. */
export type WebhookVerifyFailure = 'missing headers' | 'bad timestamp' | 'too old or in the future' | 'signature mismatch';

/**
 * Checks X-Hikeshi-Timestamp and X-Hikeshi-Signature against the exact body bytes received: the
 * timestamp must be within 5 minutes of `now` (replays of an old capture are refused) and one of the
 * `v1=` signatures must match, compared in constant time. Header names are matched case-insensitively.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now: number = Date.now(),
): { ok: true } | { ok: false; reason: WebhookVerifyFailure } {
  const header = (name: string): string | undefined => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const v = key === undefined ? undefined : headers[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const ts = header('x-hikeshi-timestamp');
  const sig = header('x-hikeshi-signature');
  if (!ts || !sig) return { ok: false, reason: 'missing headers' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad timestamp' };
  if (Math.abs(now / 1000 - Number(ts)) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, reason: 'too old or in the future' };
  const expected = Buffer.from(signWebhook(secret, Number(ts), body));
  // Several signatures may be sent (comma-separated) while a secret is being rotated: any one will do.
  for (const candidate of sig.split(',').map((s) => Buffer.from(s.trim()))) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { ok: true };
  }
  return { ok: false, reason: 'signature mismatch' };
}
