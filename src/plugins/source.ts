import type { z } from 'zod';

/** The alert sources Hikeshi accepts; each is a folder under src/plugins/sources/. */
export const SOURCE_IDS = ['alertmanager', 'cloudwatch-sns', 'grafana', 'pagerduty-events-v2', 'prometheus', 'webhook'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

/** How bad an alert says it is, from the source's own words (critical, P1, error, warning…). */
export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** One signal as every source is reduced to it. */
export interface NormalizedAlert {
  /** Identifies the alert within its integration (fingerprint / dedup_key / alarm ARN); 1–255 chars. */
  dedupKey: string;
  /** `firing` includes PagerDuty's trigger; `resolved` includes CloudWatch's OK. */
  status: 'firing' | 'resolved';
  /** The source acknowledged it (PagerDuty `acknowledge`): the group stops paging but stays open. */
  acknowledge?: boolean;
  /**
   * Only the status means anything (PagerDuty acknowledge / resolve carry no payload): title,
   * severity, labels and the rest are placeholders and must not overwrite what the trigger said.
   */
  partial?: boolean;
  severity: AlertSeverity;
  /** One line, ≤ 500 chars. */
  title: string;
  /** Longer text (annotations.description, NewStateReason…), ≤ 10,000 chars; may be empty. */
  description: string;
  /** What grouping, routing and silences match on. String values only. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  links: { href: string; text: string }[];
  /** ISO-8601 UTC, or null when the source does not say (or says 0001-01-01T00:00:00Z). */
  startsAt: string | null;
  endsAt: string | null;
  /** The part of the request this alert came from, kept for people to read. */
  raw: unknown;
}

/** What a source plugin sees of a request (already authenticated; the body is at most 512 KB). */
export interface InboundRequest {
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body. */
  body: unknown;
  /** The body as sent, for signatures computed over exact bytes. */
  rawBody: string;
  receivedAt: Date;
}

/** What a plugin may ask of the server while parsing. */
export interface SourceContext<C> {
  /** The integration's validated config. */
  config: C;
  /** The integration's id (for generated dedup keys and the like). */
  integrationId: string;
  /**
   * GETs an https URL that the server allows (e.g. SNS signing certificates, SubscribeURL) and
   * returns the body. Rejects other hosts. Implemented by the server so tests can supply their CA.
   */
  fetchText(url: string): Promise<string>;
}

/** A request the plugin turned into alerts. */
export interface AlertsOutcome {
  kind: 'alerts';
  alerts: NormalizedAlert[];
  /**
   * A sender's message id (SNS MessageId): a request whose id was already accepted is answered 2xx
   * again and stores nothing new.
   */
  messageId?: string;
  /** The 2xx answer once the alerts are stored; defaults to 202 `{ status: "success", accepted: n }`. */
  reply?: (stored: { dedupKeys: string[] }) => { status: number; body: unknown };
}

/** A request that carries no alerts but needs an answer (SNS SubscriptionConfirmation handled). */
export interface ReplyOutcome {
  kind: 'reply';
  status: number;
  body: unknown;
  /** Shown on the integration page (e.g. "SNS subscription confirmed for topic …"). */
  note?: string;
}

export type ParseOutcome = AlertsOutcome | ReplyOutcome;

/**
 * A request the sender got wrong. The server answers 400 application/problem+json naming `field`
 * (a JSON path like `alerts[3].labels`); `extra` adds members a sender's own format expects
 * (PagerDuty: `{ status: "invalid event", message, errors: [...] }`). `status` may be 401 when a
 * signature does not verify (the server then leaks no detail).
 */
export class SourceInputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly status: 400 | 401 = 400,
    readonly extra?: Record<string, unknown>,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** Where the sender is pointed, for the integration page's paste-ready snippet. */
export interface SnippetInput {
  /** e.g. https://hikeshi.example.com (no trailing slash) */
  baseUrl: string;
  /** The integration key; the page shows it once, later a placeholder. */
  key: string;
  integrationId: string;
}

/** A snippet to paste, with one sentence on where. */
export interface Snippet {
  /** Where it goes: "prometheus.yml", "alertmanager.yml", "AWS CLI", "Grafana contact point"… */
  target: string;
  language: 'yaml' | 'shell' | 'json' | 'text';
  code: string;
  hint: { en: string; ja: string };
}

/** An alert source: how its requests become normalized alerts. */
export interface SourcePlugin<C = unknown> {
  id: SourceId;
  name: { en: string; ja: string };
  /** Per-integration settings (validated on create/update; drives the UI form). */
  configSchema: z.ZodType<C>;
  /** Labels alerts are grouped by when the integration does not say (like Alertmanager's group_by). */
  defaultGroupBy: string[];
  /**
   * The request paths under the server root this source answers, e.g. `/ingest/prometheus/api/v2/alerts`.
   * The first is the one snippets use.
   */
  paths: string[];
  /** Content types accepted (the server answers 415 to others). SNS sends text/plain. */
  contentTypes: string[];
  /**
   * Where the integration key is, if not in the usual places (Authorization: Bearer, Basic password,
   * `?key=`): PagerDuty's is `routing_key` in the body.
   */
  keyFromBody?(body: unknown): string | undefined;
  /**
   * parse() calls ctx.fetchText (or keeps a cache the server fills): it runs on the server's event
   * loop, never in a parse worker.
   */
  needsServer?: boolean;
  /** Turns a request into alerts, or throws SourceInputError. Pure except for ctx.fetchText. */
  parse(req: InboundRequest, ctx: SourceContext<C>): Promise<ParseOutcome>;
  /** Paste-ready configuration for the sender. */
  snippets(input: SnippetInput, config: C): Snippet[];
}

/** Declares a source plugin (keeps the config type attached). */
export function defineSource<C>(plugin: SourcePlugin<C>): SourcePlugin<C> {
  return plugin;
}
