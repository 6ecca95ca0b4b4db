// What the Slack and Teams channels share: each POSTs one JSON document to a webhook URL that is
// itself the credential (whoever holds it can post), hears back little more than an HTTP status, and
// must not post to one webhook faster than its chat service allows. Teams imports this from here:
// the two differ only in the document and the pace, and a third folder would be a plugin that is none.
// The connection goes through the webhook channel's private-address guard (../webhook/address.ts),
// for the same reason: URLs are typed by admins and failures are shown back to them.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryError, type DeliveryResult, hasControlChars } from '../../channel.js';
import { guardedLookup, isPrivateAddress, PRIVATE_ADDRESS_CODE, PRIVATE_ADDRESS_PROBLEM } from '../webhook/address.js';
import { parseRetryAfter, webhookUrlProblem } from '../webhook/index.js';

/** How a chat channel sends: its name in errors, the answer timeout, and whether private receivers are allowed. */
export interface ChatPostOptions {
  label: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** Statuses that mean "try again later" although they are 4xx (RFC 9110 / RFC 8470 / RFC 6585), as for webhooks. */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);
/** How much of an answer's body is kept: Slack answers one word (`no_service`), Power Automate a short JSON error. */
const MAX_ANSWER_BYTES = 1024;

/**
 * A chat webhook URL's problem, or null: https (http only when private receivers are allowed, i.e.
 * test receivers on loopback), no credentials, no control characters, at most 2000 characters.
 * Problems never repeat the URL: it is a secret.
 */
export function chatUrlProblem(raw: string, allowPrivate: boolean): string | null {
  const problem = webhookUrlProblem(raw);
  if (problem?.startsWith('must be an http or https URL')) return 'must be an https URL';
  if (problem?.startsWith('must not carry a user name')) return 'must not carry a user name or password';
  if (problem) return problem;
  if (new URL(raw).protocol !== 'https:' && !allowPrivate) return 'must be an https URL';
  return null;
}

/** `text` cut to at most `max` UTF-16 units, ending in "…" when cut; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Whitespace runs (line breaks included) as one space, trimmed: for one-line titles and labels. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Paces posts per webhook: at most one every `intervalMs`. A post that would come sooner waits for
 * its slot when that is at most `maxWaitMs` away; otherwise it fails with `retryAfterMs`, and the job
 * queue tries again then (a queue worker is not held for long). Webhooks are keyed by a hash of their
 * URL, so the secret URLs are not kept in memory longer than a send. Per process: each node paces its
 * own posts, and the service's 429 with Retry-After covers the rest.
 */
export class WebhookThrottle {
  /** Hash of the URL → the monotonic time (performance.now()) its next post may go. */
  private readonly nextAt = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxWaitMs: number,
  ) {}

  private static key(url: string): string {
    return createHash('sha256').update(url).digest('base64url');
  }

  /** Waits for `url`'s next slot and takes it, or throws a DeliveryError with retryAfterMs. */
  async take(url: string, label: string): Promise<void> {
    if (this.intervalMs <= 0) return;
    const key = WebhookThrottle.key(url);
    const now = performance.now();
    const at = Math.max(now, this.nextAt.get(key) ?? 0);
    const waitMs = Math.ceil(at - now);
    if (waitMs > this.maxWaitMs) {
      throw new DeliveryError(`${label}: this webhook takes one message every ${this.intervalMs} ms; next slot in ${waitMs} ms`, { retryAfterMs: waitMs });
    }
    // Taken before waiting, so concurrent sends to one webhook line up one interval apart.
    this.nextAt.set(key, at + this.intervalMs);
    this.prune(now);
    if (waitMs > 0) await sleep(waitMs);
  }

  /** Holds back `url` for `ms` (the service answered 429 with Retry-After): later sends fail fast instead of adding to it. */
  pause(url: string, ms: number): void {
    if (this.intervalMs <= 0) return;
    const key = WebhookThrottle.key(url);
    this.nextAt.set(key, Math.max(this.nextAt.get(key) ?? 0, performance.now() + ms));
  }

  /** Forgets webhooks whose slot has passed, once there are many (the map lives as long as the server). */
  private prune(now: number): void {
    if (this.nextAt.size < 1000) return;
    for (const [key, at] of this.nextAt) if (at <= now) this.nextAt.delete(key);
  }
}

/** What a chat service answered, as far as the delivery cares. */
interface Answer {
  status: number;
  retryAfter: string | null;
  /** The start of the body, printable characters only (for the delivery's detail or error). */
  body: string;
}

/** One POST; resolves once the answer's body has ended (it is short), or fails on timeout or connection error. */
function post(url: URL, headers: Record<string, string>, body: string, options: ChatPostOptions): Promise<Answer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // Redirects are never followed (node:http does not): a webhook's payload goes only where it was checked.
    const req = request(url, { method: 'POST', headers, ...(options.allowPrivate ? {} : { lookup: guardedLookup }) }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < MAX_ANSWER_BYTES) chunks.push(chunk);
        kept += chunk.length;
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: retryAfter ?? null, body: oneLine(text.replace(/[\u0000-\u001f\u007f]/g, ' ')) });
      });
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), options.timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}

/**
 * POSTs `payload` to the webhook at `raw` (already checked with chatUrlProblem), paced by `throttle`.
 * Resolves when the service took it (2xx); otherwise throws a DeliveryError classified as for
 * webhooks: 429 / 503 with Retry-After → retryAfterMs; 408, 409, 425, 429, 5xx, timeouts and
 * connection errors → retry with back-off; redirects and other 4xx → permanent. `reason` names the
 * service's own error code from the answer's body (Slack: the body itself).
 */
export async function postChatWebhook(
  raw: string,
  payload: unknown,
  deliveryId: string,
  throttle: WebhookThrottle,
  options: ChatPostOptions,
  reason: (body: string) => string = (body) => body.slice(0, 200),
): Promise<DeliveryResult> {
  const { label, timeoutMs } = options;
  if (hasControlChars(deliveryId)) throw DeliveryError.permanent(`${label}: the delivery id must not contain control characters`);
  const url = new URL(raw);
  // A literal private IP is never looked up, so the guarded lookup would not see it: checked here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) && isPrivateAddress(host)) throw DeliveryError.permanent(`${label} URL ${PRIVATE_ADDRESS_PROBLEM}`);
  const body = JSON.stringify(payload);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'Hikeshi',
    // Neither Slack nor Teams reads it; a receiver of our own (or a proxy's log) can tell a retry by it.
    'x-hikeshi-delivery': deliveryId,
  };
  await throttle.take(url.href, label);
  let res: Answer;
  try {
    res = await post(url, headers, body, options);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === PRIVATE_ADDRESS_CODE) throw DeliveryError.permanent(`${label} URL ${PRIVATE_ADDRESS_PROBLEM}: ${e.message}`);
    throw new DeliveryError(`${label}: ${e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.code ?? e.message)}`);
  }
  const { status } = res;
  const said = reason(res.body);
  const answer = `HTTP ${status}${said ? ` ${said}` : ''}`;
  if (status >= 200 && status < 300) return { ok: true, detail: answer };
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.retryAfter) : undefined;
  if (retryAfterMs !== undefined) {
    throttle.pause(url.href, retryAfterMs);
    throw new DeliveryError(`${label}: ${answer}, retry after ${Math.round(retryAfterMs / 1000)} s`, { retryAfterMs });
  }
  if (status >= 300 && status < 400) throw DeliveryError.permanent(`${label}: HTTP ${status} redirect (not followed; use the final URL)`);
  if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) throw DeliveryError.permanent(`${label}: ${answer}`);
  throw new DeliveryError(`${label}: ${answer}`);
}
