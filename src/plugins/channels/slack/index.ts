// Slack incoming webhooks: one JSON POST per message to https://hooks.slack.com/services/…, the card
// as Block Kit (blocks.ts). Slack asks for about one message per second per webhook; faster bursts
// earn a 429, so posts are paced here and the job queue carries what cannot wait (chat-webhook.ts).
import { type ChannelPlugin, DeliveryError } from '../../channel.js';
import { privateTargetProblem } from '../webhook/address.js';
import { slackPayload } from './blocks.js';
import { chatUrlProblem, postChatWebhook, WebhookThrottle } from './chat-webhook.js';

export { escapeMrkdwn, SLACK_LIMITS, slackPayload } from './blocks.js';

/** Where a Slack message goes: an incoming webhook's URL (a secret: stored sealed, never logged). */
export interface SlackTarget {
  url: string;
}

export interface SlackChannelOptions {
  /** How long Slack has to answer (default 10 s). */
  timeoutMs?: number;
  /** Allow any host, plain http and loopback / private receivers (config webhookAllowPrivate; tests). Default false. */
  allowPrivate?: boolean;
  /** Least time between two posts to one webhook (default 1000 ms: Slack's one message per second). */
  minIntervalMs?: number;
  /** The longest a send waits for its webhook's slot before handing the retry to the queue (default 2000 ms). */
  maxWaitMs?: number;
}

/** The Slack channel, which can also say whether a URL is a Slack incoming webhook it may post to. */
export interface SlackChannel extends ChannelPlugin<SlackTarget> {
  /** Why Slack messages may not go to `url`, or null. */
  targetProblem(url: string): Promise<string | null>;
}

/** Slack's incoming-webhook hosts: the commercial one and Slack for government (GovSlack). */
const SLACK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/**
 * A URL's problem as a Slack webhook, or null: an https://hooks.slack.com/services/… (or
 * hooks.slack-gov.com) URL. With allowPrivate any http(s) URL will do (receivers in tests, or a
 * Slack-compatible service inside the network). Workflow Builder's /triggers/ URLs are refused: they
 * take the workflow's own variables, not a message.
 */
export function slackUrlProblem(raw: string, allowPrivate = false): string | null {
  const problem = chatUrlProblem(raw, allowPrivate);
  if (problem || allowPrivate) return problem;
  const url = new URL(raw);
  if (!SLACK_HOSTS.has(url.hostname.toLowerCase()) || (url.port !== '' && url.port !== '443')) {
    return 'must be a Slack incoming webhook URL (https://hooks.slack.com/services/…)';
  }
  if (!url.pathname.startsWith('/services/')) return 'must be an incoming webhook URL (https://hooks.slack.com/services/…), not a Workflow Builder trigger';
  return null;
}

/** Builds the Slack channel. */
export function createSlackChannel(options: SlackChannelOptions = {}): SlackChannel {
  const post = { label: 'slack', timeoutMs: options.timeoutMs ?? 10_000, allowPrivate: options.allowPrivate ?? false };
  const throttle = new WebhookThrottle(options.minIntervalMs ?? 1000, options.maxWaitMs ?? 2000);
  return {
    id: 'slack',
    name: { en: 'Slack', ja: 'Slack' },
    enabled: true,
    async targetProblem(url) {
      return slackUrlProblem(url, post.allowPrivate) ?? (post.allowPrivate ? null : privateTargetProblem(url));
    },
    async send(message, target, deliveryId) {
      const problem = slackUrlProblem(target.url, post.allowPrivate);
      if (problem) throw DeliveryError.permanent(`slack URL ${problem}`);
      // Slack answers 200 with the body "ok", and with one word naming the error otherwise (no_service…).
      return postChatWebhook(target.url, slackPayload(message), deliveryId, throttle, post);
    },
  };
}
