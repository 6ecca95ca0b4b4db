// Generic signed webhooks: one JSON POST per message, signed with the endpoint's own secret.
import { type ChannelPlugin, DeliveryError, hasControlChars } from '../../channel.js';
import { signWebhook } from './signature.js';

export { signWebhook, verifyWebhookSignature, WEBHOOK_TOLERANCE_SECONDS } from './signature.js';

/** Where a webhook goes and the secret it is signed with (stored sealed; opened just to send). */
export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookChannelOptions {
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs?: number;
}

/** Statuses that mean "try again later" although they are 4xx (RFC 9110 / RFC 8470 / RFC 6585). */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);
/** The longest pause a receiver may ask for that is honoured as asked. */
const MAX_RETRY_AFTER_MS = 6 * 3600_000;

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(at - now, 0), MAX_RETRY_AFTER_MS);
}

/** A URL a webhook may be sent to (http or https, no credentials in the URL), or a reason it may not. */
export function webhookUrlProblem(raw: string): string | null {
  if (raw.length > 2000) return 'must be at most 2000 characters';
  if (hasControlChars(raw)) return 'must not contain control characters';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry a user name or password; the signature authenticates the sender';
  return null;
}

/** Builds the webhook channel. */
export function createWebhookChannel(options: WebhookChannelOptions = {}): ChannelPlugin<WebhookTarget> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    id: 'webhook',
    name: { en: 'Webhook', ja: 'Webhook' },
    enabled: true,
    async send(message, target, deliveryId) {
      const problem = webhookUrlProblem(target.url);
      if (problem) throw DeliveryError.permanent(`webhook URL ${problem}`);
      const body = JSON.stringify(message.json ?? { subject: message.subject, text: message.text });
      const timestamp = Math.floor(Date.now() / 1000);
      let res: Response;
      try {
        res = await fetch(target.url, {
          method: 'POST',
          // Redirects are not followed: a signed body must not be replayed to wherever a 3xx points.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Hikeshi',
            'x-hikeshi-delivery': deliveryId,
            'x-hikeshi-timestamp': String(timestamp),
            'x-hikeshi-signature': signWebhook(target.secret, timestamp, body),
          },
          body,
        });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.message);
        throw new DeliveryError(`webhook: ${why}`);
      }
      // Only the status matters; the body is dropped so the connection can be reused.
      await res.body?.cancel().catch(() => {});
      const status = res.status;
      if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
      if (retryAfterMs !== undefined) throw new DeliveryError(`webhook: HTTP ${status}, retry after ${Math.round(retryAfterMs / 1000)} s`, { retryAfterMs });
      if (status >= 300 && status < 400) throw DeliveryError.permanent(`webhook: HTTP ${status} redirect (not followed; use the final URL)`);
      if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) throw DeliveryError.permanent(`webhook: HTTP ${status}`);
      throw new DeliveryError(`webhook: HTTP ${status}`);
    },
  };
}
