// What an outbound channel is: something that takes one rendered message to one target and says
// whether it arrived. Status-page subscribers use e-mail and webhooks today; paging adds Slack and
// Teams. A channel never retries by itself: the jobs table does (src/jobs/queue.ts), so a retry
// survives a restart and another node can take it over. What a channel tells the queue is how to
// retry: not at all (permanent), not before a time the receiver asked for (Retry-After), or with back-off.

/** The outbound channels; each is a folder under src/plugins/channels/. */
export const CHANNEL_IDS = ['email', 'slack', 'teams', 'webhook'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

/**
 * What chat channels (Slack, Teams) render as a card: a title, facts and link buttons. Pages use
 * it; a channel without cards sends `text`.
 */
export interface ChannelCard {
  title: string;
  /** One line under the title, e.g. "Triggered · critical · 3 alerts". */
  summary?: string;
  facts: { label: string; value: string }[];
  /** Link buttons: acknowledge and resolve (signed, expiring links), open in Hikeshi. */
  actions: { label: string; url: string; style?: 'primary' | 'danger' }[];
  /** An accent colour for the severity, #rrggbb. */
  color?: string;
}

/** One rendered message, ready for any channel: each channel takes the parts it can carry. */
export interface ChannelMessage {
  /** One line (e-mail subject, chat title); never contains CR or LF. */
  subject: string;
  /** Plain text body. */
  text: string;
  /** The same as simple HTML (e-mail); optional. */
  html?: string;
  /** The JSON document a webhook posts (already in the receiver's expected shape). */
  json?: unknown;
  /** The same as a card, for chat channels. */
  card?: ChannelCard;
  /** Where the recipient stops these messages (e-mail List-Unsubscribe, RFC 8058 one-click). */
  unsubscribeUrl?: string;
}

/** What a delivery that went through returns; `detail` is for logs (an SMTP reply, an HTTP status). */
export interface DeliveryResult {
  ok: true;
  detail?: string;
}

/**
 * Why a delivery did not go through, and what the queue should do about it. `permanent`: retrying
 * cannot help (a 404, a refused mailbox, no SMTP configured); `retryAfterMs`: the receiver asked for
 * a pause (HTTP Retry-After); neither: retry with exponential back-off and jitter.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { permanent?: boolean; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'DeliveryError';
    this.permanent = options.permanent ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** A failure retrying cannot fix. */
  static permanent(message: string): DeliveryError {
    return new DeliveryError(message, { permanent: true });
  }
}

/** An outbound channel: `send` resolves when the receiver took the message, or throws a DeliveryError. */
export interface ChannelPlugin<Target> {
  id: ChannelId;
  name: { en: string; ja: string };
  /** False when the server lacks what the channel needs (e-mail without smtpUrl); sends then fail permanently. */
  readonly enabled: boolean;
  /**
   * Sends one message. `deliveryId` is the same on every retry of this delivery (the job id), so the
   * receiver can recognise a repeat: e-mail carries it as Message-ID, webhooks as X-Hikeshi-Delivery.
   */
  send(message: ChannelMessage, target: Target, deliveryId: string): Promise<DeliveryResult>;
}

/** True when `value` contains a character that could end or forge a header line (CR, LF, other C0 controls, DEL). */
export function hasControlChars(value: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(value);
}
