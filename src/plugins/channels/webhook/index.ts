// Generic signed webhooks: one JSON POST per message, signed with the endpoint's own secret.
// Sent with node:http(s) rather than fetch: only there can the connection be made to go through a
// lookup that refuses private addresses (address.ts), so DNS cannot point a checked name elsewhere.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { type ChannelPlugin, DeliveryError, hasControlChars } from '../../channel.js';
import { guardedLookup, isPrivateAddress, PRIVATE_ADDRESS_CODE, PRIVATE_ADDRESS_PROBLEM, privateTargetProblem } from './address.js';
import { signWebhook } from './signature.js';

export { isPrivateAddress, PRIVATE_ADDRESS_PROBLEM } from './address.js';
export { signWebhook, verifyWebhookSignature, WEBHOOK_TOLERANCE_SECONDS } from './signature.js';

/** Where a webhook goes and the secret it is signed with (stored sealed; opened just to send). */
export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookChannelOptions {
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs?: number;
  /** Allow loopback, private and link-local receivers (config webhookAllowPrivate; default false). */
  allowPrivate?: boolean;
}

/** The webhook channel, which can also say whether a URL may receive webhooks at all. */
export interface WebhookChannel extends ChannelPlugin<WebhookTarget> {
  /** Why webhooks may not go to `url` (malformed, or a private address now), or null. */
  targetProblem(url: string): Promise<string | null>;
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

/** What a receiver answered, as far as retries care. */
interface Answer {
  status: number;
  retryAfter: string | null;
}

/** One POST; resolves with the status as soon as it arrives (the body is drained, so the connection can be reused). */
function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, allowPrivate: boolean): Promise<Answer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // Redirects are never followed (node:http does not): a signed body must not be replayed to wherever a 3xx points.
    const req = request(url, { method: 'POST', headers, ...(allowPrivate ? {} : { lookup: guardedLookup }) }, (res) => {
      clearTimeout(timer);
      res.on('error', () => {});
      res.resume();
      const retryAfter: IncomingHttpHeaders['retry-after'] = res.headers['retry-after'];
      resolve({ status: res.statusCode ?? 0, retryAfter: retryAfter ?? null });
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}

/** Builds the webhook channel. */
export function createWebhookChannel(options: WebhookChannelOptions = {}): WebhookChannel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const allowPrivate = options.allowPrivate ?? false;
  /** A literal private IP (which no lookup sees), checked before anything is sent. */
  const literalProblem = (url: URL): string | null => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return !allowPrivate && isIP(host) && isPrivateAddress(host) ? PRIVATE_ADDRESS_PROBLEM : null;
  };
  return {
    id: 'webhook',
    name: { en: 'Webhook', ja: 'Webhook' },
    enabled: true,
    async targetProblem(url) {
      return webhookUrlProblem(url) ?? (allowPrivate ? null : privateTargetProblem(url));
    },
    async send(message, target, deliveryId) {
      const problem = webhookUrlProblem(target.url);
      if (problem) throw DeliveryError.permanent(`webhook URL ${problem}`);
      const url = new URL(target.url);
      const refused = literalProblem(url);
      if (refused) throw DeliveryError.permanent(`webhook URL ${refused}`);
      const body = JSON.stringify(message.json ?? { subject: message.subject, text: message.text });
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Hikeshi',
        'x-hikeshi-delivery': deliveryId,
        'x-hikeshi-timestamp': String(timestamp),
        'x-hikeshi-signature': signWebhook(target.secret, timestamp, body),
      };
      let res: Answer;
      try {
        res = await post(url, headers, body, timeoutMs, allowPrivate);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        // The name now resolves to a private address: retrying will not make it acceptable.
        if (e.code === PRIVATE_ADDRESS_CODE) throw DeliveryError.permanent(`webhook URL ${PRIVATE_ADDRESS_PROBLEM}: ${e.message}`);
        throw new DeliveryError(`webhook: ${e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.code ?? e.message)}`);
      }
      const status = res.status;
      if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.retryAfter) : undefined;
      if (retryAfterMs !== undefined) throw new DeliveryError(`webhook: HTTP ${status}, retry after ${Math.round(retryAfterMs / 1000)} s`, { retryAfterMs });
      if (status >= 300 && status < 400) throw DeliveryError.permanent(`webhook: HTTP ${status} redirect (not followed; use the final URL)`);
      if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) throw DeliveryError.permanent(`webhook: HTTP ${status}`);
      throw new DeliveryError(`webhook: HTTP ${status}`);
    },
  };
}
