import type { AlertSeverity, NormalizedAlert } from '../../source.js';
import { boundedKey, clip, finishAlert, LIMITS, link, readLabels } from '../alert.js';
import { at, invalid, isObject, type Json, needString, optString } from '../input.js';
import { parseTime } from '../time.js';
import { regionCode, regionFromArn } from './regions.js';

const BASE = 'Message';
const STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'] as const;

/** True when an SNS Message is a CloudWatch alarm state change. */
export function isCloudWatchAlarm(message: unknown): message is Json {
  return isObject(message) && typeof message.AlarmName === 'string' && 'NewStateValue' in message;
}

/** The metric the alarm watches: Trigger's own, or the first of a metric-math alarm's Metrics. */
function metricOf(trigger: Json): Json {
  if (typeof trigger.MetricName === 'string') return trigger;
  const first = Array.isArray(trigger.Metrics) ? trigger.Metrics.find((m) => isObject(m) && isObject(m.MetricStat)) : undefined;
  return isObject(first) && isObject(first.MetricStat) && isObject(first.MetricStat.Metric) ? first.MetricStat.Metric : {};
}

function consoleLink(region: string | undefined, alarmName: string): ReturnType<typeof link> {
  if (!region) return null;
  const host = region.startsWith('cn-') ? `console.amazonaws.cn` : `${region}.console.aws.amazon.com`;
  return link(`https://${host}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`, 'CloudWatch console');
}

/**
 * A CloudWatch alarm notification. ALARM is firing, OK resolved. INSUFFICIENT_DATA is firing at
 * `info`: missing data is worth seeing (a dead host stops reporting) but not paging on by default;
 * route on the `state` annotation to page on it.
 */
export function alarmAlert(message: Json, severity: AlertSeverity): NormalizedAlert {
  const alarmName = needString(message.AlarmName, at(BASE, 'AlarmName'), { nonEmpty: true });
  const state = message.NewStateValue;
  if (!STATES.includes(state as never)) throw invalid(at(BASE, 'NewStateValue'), 'must be ALARM, OK or INSUFFICIENT_DATA');
  const arn = optString(message.AlarmArn, at(BASE, 'AlarmArn'), { emptyIsAbsent: true });
  const account = optString(message.AWSAccountId, at(BASE, 'AWSAccountId'), { emptyIsAbsent: true });
  const regionName = optString(message.Region, at(BASE, 'Region'), { emptyIsAbsent: true });
  const region = regionFromArn(arn) ?? regionCode(regionName);
  const changedAt = parseTime(message.StateChangeTime, at(BASE, 'StateChangeTime'));
  const reason = optString(message.NewStateReason, at(BASE, 'NewStateReason')) ?? '';
  const alarmDescription = optString(message.AlarmDescription, at(BASE, 'AlarmDescription'), { emptyIsAbsent: true });

  const labels: Record<string, unknown> = { alarm_name: alarmName, account, region: region ?? regionName };
  const trigger = isObject(message.Trigger) ? message.Trigger : {};
  const metric = metricOf(trigger);
  labels.namespace = metric.Namespace;
  labels.metric = metric.MetricName;
  const dimensions = Array.isArray(metric.Dimensions) ? metric.Dimensions : [];
  dimensions.forEach((d, i) => {
    const field = at(at(at(BASE, 'Trigger'), 'Dimensions'), i);
    if (!isObject(d)) throw invalid(field, 'must be an object with name and value');
    labels[`dim_${needString(d.name, at(field, 'name'), { nonEmpty: true })}`] = needString(d.value, at(field, 'value'));
  });
  const cleanLabels = readLabels(labels, at(BASE, 'labels'), { dropEmpty: true, coerce: true });

  const annotations: Record<string, string> = { state: String(state) };
  const extra: [string, unknown][] = [
    ['old_state', message.OldStateValue], ['region_name', regionName], ['alarm_description', alarmDescription],
    ['comparison_operator', trigger.ComparisonOperator], ['threshold', trigger.Threshold],
  ];
  for (const [name, value] of extra) {
    if (typeof value === 'string' && value !== '') annotations[name] = clip(value, LIMITS.annotationValue);
    else if (typeof value === 'number') annotations[name] = String(value);
  }

  return finishAlert({
    // An alarm's ARN names it for good; account:region:name when an old message has no ARN.
    dedupKey: boundedKey(arn ?? `${account ?? ''}:${region ?? regionName ?? ''}:${alarmName}`),
    status: state === 'OK' ? 'resolved' : 'firing',
    severity: state === 'INSUFFICIENT_DATA' ? 'info' : severity,
    title: alarmName,
    description: [alarmDescription, reason].filter(Boolean).join('\n\n'),
    labels: cleanLabels,
    annotations,
    links: [consoleLink(region, alarmName)],
    startsAt: state === 'OK' ? null : changedAt,
    endsAt: state === 'OK' ? changedAt : null,
    raw: message,
  });
}
