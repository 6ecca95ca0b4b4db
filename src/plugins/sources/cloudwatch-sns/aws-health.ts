import type { AlertSeverity, NormalizedAlert } from '../../source.js';
import { boundedKey, clip, finishAlert, LIMITS, readLabels } from '../alert.js';
import { at, invalid, isObject, type Json, needObject, needString, optString, own } from '../input.js';
import { parseTime } from '../time.js';

const BASE = at('Message', 'detail');

/** How much an AWS Health category matters when nobody says otherwise. */
const CATEGORY_SEVERITY: Record<string, AlertSeverity> = {
  issue: 'error',
  investigation: 'warning',
  scheduledChange: 'info',
  accountNotification: 'info',
};

/** True when an SNS Message is an AWS Health event forwarded by EventBridge. */
export function isHealthEvent(message: unknown): message is Json {
  return isObject(message) && message.source === 'aws.health' && typeof message['detail-type'] === 'string' && message['detail-type'].startsWith('AWS Health');
}

/** The English latestDescription, or the first one in any language. */
function latestDescription(detail: Json): string {
  const list = Array.isArray(detail.eventDescription) ? detail.eventDescription.filter(isObject) : [];
  const chosen = list.find((d) => d.language === 'en_US') ?? list[0];
  return typeof chosen?.latestDescription === 'string' ? chosen.latestDescription : '';
}

/** `i-123, i-456` from affectedEntities[].entityValue. */
function affectedEntities(detail: Json): string | undefined {
  const list = Array.isArray(detail.affectedEntities) ? detail.affectedEntities : [];
  const values = list.map((e) => (isObject(e) && typeof e.entityValue === 'string' ? e.entityValue : null)).filter((v): v is string => v !== null);
  return values.length > 0 ? clip(values.join(', '), LIMITS.annotationValue) : undefined;
}

/**
 * An AWS Health event (EventBridge → SNS). open is firing, closed resolved; upcoming (scheduled
 * maintenance) is firing at `info`. Severity otherwise follows the category: issue → error,
 * investigation → warning, scheduledChange and accountNotification → info. Old events without
 * statusCode are resolved once their endTime has passed.
 */
export function healthAlert(message: Json, receivedAt: Date): NormalizedAlert {
  const detail = needObject(message.detail, BASE);
  const eventArn = needString(detail.eventArn, at(BASE, 'eventArn'), { nonEmpty: true });
  const service = optString(detail.service, at(BASE, 'service'));
  const eventType = optString(detail.eventTypeCode, at(BASE, 'eventTypeCode'));
  const category = optString(detail.eventTypeCategory, at(BASE, 'eventTypeCategory'));
  const statusCode = optString(detail.statusCode, at(BASE, 'statusCode'));
  if (statusCode !== undefined && !['open', 'closed', 'upcoming'].includes(statusCode)) throw invalid(at(BASE, 'statusCode'), 'must be open, closed or upcoming');
  const startsAt = parseTime(detail.startTime, at(BASE, 'startTime'), { httpDate: true });
  const endsAt = parseTime(detail.endTime, at(BASE, 'endTime'), { httpDate: true });
  const region = optString(detail.eventRegion, at(BASE, 'eventRegion')) ?? optString(message.region, 'Message.region');
  const account = optString(detail.affectedAccount, at(BASE, 'affectedAccount')) ?? optString(message.account, 'Message.account');

  const resolved = statusCode === 'closed' || (statusCode === undefined && endsAt !== null && Date.parse(endsAt) <= receivedAt.getTime());
  const severity = statusCode === 'upcoming' ? 'info' : (own(CATEGORY_SEVERITY, category ?? '') ?? 'warning');
  const labels = readLabels({ service, region, event_type: eventType, category, account }, 'Message.detail', { dropEmpty: true });

  const annotations: Record<string, string> = {};
  const entities = affectedEntities(detail);
  if (entities) annotations.affected_entities = entities;
  if (statusCode) annotations.status_code = statusCode;
  if (typeof detail.eventScopeCode === 'string') annotations.event_scope = detail.eventScopeCode;
  if (typeof message['detail-type'] === 'string') annotations.detail_type = message['detail-type'];

  return finishAlert({
    dedupKey: boundedKey(eventArn),
    status: resolved ? 'resolved' : 'firing',
    severity,
    title: `AWS Health: ${eventType ?? 'event'}${region ? ` in ${region}` : ''}`,
    description: latestDescription(detail),
    labels,
    annotations,
    links: [],
    startsAt,
    endsAt: resolved ? endsAt : null,
    raw: message,
  });
}
