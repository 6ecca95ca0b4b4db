import type { ChannelPlugin } from './channel.js';
import { createEmailChannel, type EmailTarget } from './channels/email/index.js';
import { createSlackChannel, type SlackChannel } from './channels/slack/index.js';
import { createTeamsChannel, type TeamsChannel } from './channels/teams/index.js';
import { createWebhookChannel, type WebhookChannel } from './channels/webhook/index.js';
import type { SourceId, SourcePlugin } from './source.js';
import alertmanager from './sources/alertmanager/index.js';
import { createCloudwatchSnsSource } from './sources/cloudwatch-sns/index.js';
import grafana from './sources/grafana/index.js';
import pagerdutyEventsV2 from './sources/pagerduty-events-v2/index.js';
import prometheus from './sources/prometheus/index.js';
import webhook from './sources/webhook/index.js';

/** Server settings some sources need when they are built. */
export interface SourceOptions {
  /** Hosts SNS signing certificates and SubscribeURLs may come from (default sns.<region>.amazonaws.com[.cn]). */
  snsCertHostPattern?: RegExp;
}

/** The ONE list of alert sources, alphabetical; the server builds it once with its settings. */
export function buildSources(options: SourceOptions = {}): Record<SourceId, SourcePlugin<any>> {
  return {
    alertmanager,
    'cloudwatch-sns': createCloudwatchSnsSource({ certHostPattern: options.snsCertHostPattern }),
    grafana,
    'pagerduty-events-v2': pagerdutyEventsV2,
    prometheus,
    webhook,
  };
}

/** The sources with default settings (tests, docs, the CLI). */
export const SOURCES: Record<SourceId, SourcePlugin<any>> = buildSources();

/** The source with this id, or undefined for an unknown id (ids come from URLs and the database). */
export function sourceById(id: string, sources: Record<SourceId, SourcePlugin<any>> = SOURCES): SourcePlugin<any> | undefined {
  return Object.prototype.hasOwnProperty.call(sources, id) ? sources[id as SourceId] : undefined;
}

/** Server settings the outbound channels need. */
export interface ChannelOptions {
  smtpUrl?: string;
  mailFrom?: string;
  /** The server's public URL: its host names the default sender (hikeshi@status.example.com). */
  publicUrl?: string;
  /** How long a webhook, Slack or Teams has to answer. */
  webhookTimeoutMs?: number;
  /**
   * Let webhooks go to loopback, private and link-local addresses (config webhookAllowPrivate); for
   * Slack and Teams also plain http, and for Slack any host (a Slack-compatible receiver, tests).
   */
  webhookAllowPrivate?: boolean;
}

/** The outbound channels, each typed by what it sends to. */
export interface Channels {
  email: ChannelPlugin<EmailTarget>;
  slack: SlackChannel;
  teams: TeamsChannel;
  webhook: WebhookChannel;
}

/** The ONE list of outbound channels, alphabetical; the server builds it once with its settings. */
export function buildChannels(options: ChannelOptions = {}): Channels {
  const host = options.publicUrl ? new URL(options.publicUrl).hostname : '';
  const defaultFrom = /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(host) ? `Hikeshi <hikeshi@${host}>` : undefined;
  return {
    email: createEmailChannel({ smtpUrl: options.smtpUrl, mailFrom: options.mailFrom ?? defaultFrom }),
    slack: createSlackChannel({ timeoutMs: options.webhookTimeoutMs, allowPrivate: options.webhookAllowPrivate }),
    teams: createTeamsChannel({ timeoutMs: options.webhookTimeoutMs, allowPrivate: options.webhookAllowPrivate }),
    webhook: createWebhookChannel({ timeoutMs: options.webhookTimeoutMs, allowPrivate: options.webhookAllowPrivate }),
  };
}
