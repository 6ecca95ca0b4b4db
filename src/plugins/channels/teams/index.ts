// Microsoft Teams through a Power Automate "Workflows" webhook, which replaced the retired Office 365
// connectors: one JSON POST per message, an Adaptive Card (card.ts), answered 202 Accepted once the
// flow has started. Sent, paced and classified like Slack's (../slack/chat-webhook.ts).
import { type ChannelPlugin, DeliveryError } from '../../channel.js';
import { chatUrlProblem, postChatWebhook, WebhookThrottle } from '../slack/chat-webhook.js';
import { privateTargetProblem } from '../webhook/address.js';
import { teamsPayload } from './card.js';

export { TEAMS_LIMITS, teamsPayload } from './card.js';

/** Where a Teams message goes: a Workflows webhook's URL (its `sig` parameter is a secret: stored sealed, never logged). */
export interface TeamsTarget {
  url: string;
}

export interface TeamsChannelOptions {
  /** How long the webhook has to answer (default 10 s). */
  timeoutMs?: number;
  /** Allow plain http and loopback / private receivers (config webhookAllowPrivate; tests). Default false. */
  allowPrivate?: boolean;
  /** Least time between two posts to one webhook (default 250 ms: four per second). */
  minIntervalMs?: number;
  /** The longest a send waits for its webhook's slot before handing the retry to the queue (default 2000 ms). */
  maxWaitMs?: number;
}

/** The Teams channel, which can also say whether a URL may receive its messages. */
export interface TeamsChannel extends ChannelPlugin<TeamsTarget> {
  /** Why Teams messages may not go to `url`, or null. */
  targetProblem(url: string): Promise<string | null>;
}

/**
 * A URL's problem as a Workflows webhook, or null: any https URL. Workflows URLs live on several hosts
 * (prod-NN.<region>.logic.azure.com, <environment>.environment.api.powerplatform.com, …) and Microsoft
 * has moved them before, so the host is not checked; the private-address guard still applies.
 */
export function teamsUrlProblem(raw: string, allowPrivate = false): string | null {
  return chatUrlProblem(raw, allowPrivate);
}

/**
 * Four posts per second per webhook, where Slack gets one. The retired Teams connectors were
 * documented at four requests per second per webhook; Workflows publish no per-webhook figure (each
 * post starts a flow run, counted against its owner's Power Platform request limits), so the
 * connectors' pace is kept. Pacing Teams at Slack's rate would delay the last of a burst of pages
 * (several people on call in one channel) by seconds for no limit of Teams'.
 */
const DEFAULT_INTERVAL_MS = 250;

/** Power Automate answers errors as JSON ({"error":{"code":"WorkflowNotFound",…}}): its code is enough. */
function errorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    if (typeof code === 'string') return code.slice(0, 100);
  } catch {
    // Not JSON: the start of the body.
  }
  return body.slice(0, 100);
}

/** Builds the Teams channel. */
export function createTeamsChannel(options: TeamsChannelOptions = {}): TeamsChannel {
  const post = { label: 'teams', timeoutMs: options.timeoutMs ?? 10_000, allowPrivate: options.allowPrivate ?? false };
  const throttle = new WebhookThrottle(options.minIntervalMs ?? DEFAULT_INTERVAL_MS, options.maxWaitMs ?? 2000);
  return {
    id: 'teams',
    name: { en: 'Microsoft Teams', ja: 'Microsoft Teams' },
    enabled: true,
    async targetProblem(url) {
      return teamsUrlProblem(url, post.allowPrivate) ?? (post.allowPrivate ? null : privateTargetProblem(url));
    },
    async send(message, target, deliveryId) {
      const problem = teamsUrlProblem(target.url, post.allowPrivate);
      if (problem) throw DeliveryError.permanent(`teams URL ${problem}`);
      return postChatWebhook(target.url, teamsPayload(message), deliveryId, throttle, post, errorCode);
    },
  };
}
