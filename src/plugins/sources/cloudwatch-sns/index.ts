import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity, defineSource, type NormalizedAlert, type SnippetInput, SourceInputError, type SourcePlugin } from '../../source.js';
import { checkDedupKey, finishAlert } from '../alert.js';
import { invalid, isObject, type Json, needObject, needString, own, refuseNul } from '../input.js';
import { parseTime } from '../time.js';
import { healthAlert, isHealthEvent } from './aws-health.js';
import { alarmAlert, isCloudWatchAlarm } from './cloudwatch-alarm.js';
import { CertificateCache, checkAwsUrl, DEFAULT_CERT_HOST_PATTERN, SIGNED_FIELDS, type SnsType, verifySnsSignature } from './sns-signature.js';

const PATH = '/ingest/cloudwatch-sns';
/** SNS retries for a while; older messages are refused as replays. */
const MAX_AGE_MS = 60 * 60 * 1000;
const MAX_FUTURE_MS = 5 * 60 * 1000;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

const configSchema = z.strictObject({
  topicArns: z.array(z.string().regex(TOPIC_ARN, 'must be an SNS topic ARN')).max(100).optional()
    .describe('Topics this integration accepts; messages from others are refused. Unset accepts any topic.'),
  severity: z.enum(ALERT_SEVERITIES).optional().describe('Severity of CloudWatch alarms and plain notifications, which carry none (default warning)'),
});
type Config = z.output<typeof configSchema>;

/** How the server builds this plugin. */
export interface CloudwatchSnsOptions {
  /** Hosts signing certificates and SubscribeURLs may come from; tests and private endpoints use their own. */
  certHostPattern?: RegExp;
}

/** A notification that is neither an alarm nor a Health event: one firing alert per message, never resolved. */
function plainAlert(msg: Json, parsed: unknown, severity: AlertSeverity): NormalizedAlert {
  const text = msg.Message as string;
  const subject = typeof msg.Subject === 'string' && msg.Subject.trim() !== '' ? msg.Subject : undefined;
  const detailType = isObject(parsed) && typeof parsed['detail-type'] === 'string' ? parsed['detail-type'] : undefined;
  return finishAlert({
    dedupKey: checkDedupKey(msg.MessageId as string, 'MessageId'),
    status: 'firing',
    severity,
    title: subject ?? detailType ?? text.split('\n').find((l) => l.trim() !== '') ?? 'Amazon SNS notification',
    description: text,
    labels: {},
    annotations: {},
    links: [],
    startsAt: parseTime(msg.Timestamp, 'Timestamp'),
    endsAt: null,
    raw: parsed ?? text,
  });
}

function notificationAlert(msg: Json, config: Config, receivedAt: Date): NormalizedAlert {
  let parsed: unknown;
  try {
    parsed = JSON.parse(msg.Message as string);
  } catch {
    parsed = undefined; // plain text: a message published by hand or by a script
  }
  // The envelope had "\u0000" as six characters; the message it carries can decode to a real NUL.
  if (parsed !== undefined) refuseNul(parsed, 'Message');
  const severity = config.severity ?? 'warning';
  const alert = isCloudWatchAlarm(parsed) ? alarmAlert(parsed, severity)
    : isHealthEvent(parsed) ? healthAlert(parsed, receivedAt)
    : plainAlert(msg, parsed, severity);
  // The topic is the one thing every SNS alert has in common: route on it.
  return { ...alert, labels: { ...alert.labels, topic: msg.TopicArn as string } };
}

function awsCli(input: SnippetInput, config: Config): string {
  const endpoint = `${input.baseUrl}${PATH}?key=${encodeURIComponent(input.key)}`;
  const topics = config.topicArns?.length ? config.topicArns : ['arn:aws:sns:<region>:<account-id>:<topic>'];
  return topics.flatMap((arn) => [
    `aws sns subscribe --topic-arn '${arn}' --protocol https \\\n  --notification-endpoint '${endpoint}'`,
    `aws sns set-topic-attributes --topic-arn '${arn}' --attribute-name SignatureVersion --attribute-value 2`,
  ]).join('\n') + '\n';
}

/** Builds the Amazon SNS source (CloudWatch alarms, AWS Health events, plain notifications). */
export function createCloudwatchSnsSource(options: CloudwatchSnsOptions = {}): SourcePlugin<Config> {
  const hostPattern = options.certHostPattern ?? DEFAULT_CERT_HOST_PATTERN;
  const cache = new CertificateCache();

  return defineSource({
    id: 'cloudwatch-sns',
    name: { en: 'Amazon CloudWatch (SNS)', ja: 'Amazon CloudWatch（SNS）' },
    configSchema,
    defaultGroupBy: ['alarm_name', 'event_type'],
    paths: [PATH],
    contentTypes: ['text/plain', 'application/json'],
    // Signing certificates are fetched by the server and cached here.
    needsServer: true,

    async parse(req, ctx) {
      refuseNul(req.body);
      const msg = needObject(req.body, 'body');
      if (typeof msg.Type !== 'string' || !own(SIGNED_FIELDS as Record<string, unknown>, msg.Type)) {
        throw invalid('Type', 'must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation (turn raw message delivery off)');
      }
      const type = msg.Type as SnsType;
      for (const field of SIGNED_FIELDS[type]) if (field !== 'Subject') needString(msg[field], field);
      if (ctx.config.topicArns && !ctx.config.topicArns.includes(msg.TopicArn as string)) {
        throw new SourceInputError('TopicArn', 'is not one of the topics this integration accepts', 401);
      }
      const sentAt = Date.parse(parseTime(msg.Timestamp, 'Timestamp') ?? '');
      const age = req.receivedAt.getTime() - sentAt;
      if (!(age <= MAX_AGE_MS && age >= -MAX_FUTURE_MS)) throw new SourceInputError('Timestamp', 'is more than an hour old or in the future (replayed, or a clock is wrong)', 401);
      await verifySnsSignature(msg, type, { hostPattern, fetchText: ctx.fetchText, cache });

      const topic = msg.TopicArn as string;
      if (type === 'SubscriptionConfirmation') {
        await ctx.fetchText(checkAwsUrl(msg.SubscribeURL as string, 'SubscribeURL', hostPattern, false));
        return { kind: 'reply', status: 200, body: { status: 'success', message: 'Subscription confirmed' }, note: `confirmed subscription to ${topic}` };
      }
      if (type === 'UnsubscribeConfirmation') {
        return { kind: 'reply', status: 200, body: { status: 'success' }, note: `unsubscribed from ${topic}` };
      }
      return { kind: 'alerts', alerts: [notificationAlert(msg, ctx.config, req.receivedAt)], messageId: msg.MessageId as string };
    },

    snippets(input, config) {
      return [{
        target: 'AWS CLI',
        language: 'shell',
        code: awsCli(input, config),
        hint: {
          en: 'Subscribe the topic your CloudWatch alarms (or an EventBridge rule for AWS Health) notify; Hikeshi confirms the subscription itself. SignatureVersion 2 (SHA-256) is recommended.',
          ja: 'CloudWatch アラーム（または AWS Health 用の EventBridge ルール）の通知先トピックをサブスクライブしてください。サブスクリプションの確認は Hikeshi が自動で行います。SignatureVersion 2（SHA-256）を推奨します。',
        },
      }];
    },
  });
}

/** The SNS source with the default certificate host pattern (sns.<region>.amazonaws.com[.cn]). */
export default createCloudwatchSnsSource();
