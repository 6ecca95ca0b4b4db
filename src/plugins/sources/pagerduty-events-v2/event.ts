import { randomBytes } from 'node:crypto';
import { type AlertSeverity, type NormalizedAlert, SourceInputError } from '../../source.js';
import { clip, finishAlert, LIMITS, link } from '../alert.js';
import { at, isObject, type Json, typeName } from '../input.js';
import { parseTime } from '../time.js';

const ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
const SEVERITIES: readonly AlertSeverity[] = ['critical', 'error', 'warning', 'info'];
const MAX_SUMMARY = 1024;
/** The payload fields that become labels (PD-CEF's "where and what"). */
const LABEL_FIELDS = ['source', 'component', 'group', 'class'] as const;

/** What PagerDuty answers a bad event with, so existing senders log something familiar. */
export function pagerDutyError(problems: { field: string; problem: string }[]): SourceInputError {
  const first = problems[0]!;
  return new SourceInputError(first.field, first.problem, 400, {
    status: 'invalid event',
    message: 'Event object is invalid',
    errors: problems.map((p) => `'${p.field}' ${p.problem}`),
  });
}

/** Collects every problem with an event, as PagerDuty lists them all at once. */
class Problems {
  readonly list: { field: string; problem: string }[] = [];
  add(field: string, problem: string): void {
    this.list.push({ field, problem });
  }
  /** A string field: undefined when absent; notes a problem when it is not a non-blank string ≤ max. */
  text(obj: Json, key: string, base: string, opts: { required?: boolean; max: number }): string | undefined {
    const field = at(base, key);
    const value = obj[key];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (opts.required) this.add(field, 'is missing or blank');
      return undefined;
    }
    if (typeof value !== 'string') return void this.add(field, `must be a string, not ${typeName(value)}`);
    if (value.length > opts.max) return void this.add(field, `is too long (maximum ${opts.max} characters)`);
    return value;
  }
}

/** `custom_details` as annotations: one per key when they fit, else the whole object as JSON. */
function detailAnnotations(details: unknown): Record<string, string> {
  if (details === undefined || details === null) return {};
  const asText = (v: unknown): string => clip(typeof v === 'string' ? v : JSON.stringify(v), LIMITS.annotationValue);
  if (isObject(details)) {
    const entries = Object.entries(details);
    if (entries.length <= LIMITS.annotations && entries.every(([k]) => k !== '' && k.length <= LIMITS.labelName)) {
      return Object.fromEntries(entries.map(([k, v]) => [k, asText(v)]));
    }
  }
  return { custom_details: asText(details) };
}

/** A PagerDuty-style dedup key for a trigger that came without one: 32 random hex characters. */
export function generatedDedupKey(): string {
  return randomBytes(16).toString('hex');
}

/** One Events API v2 event as an alert, or a PagerDuty-shaped 400 listing every problem. */
export function parseEvent(body: unknown): NormalizedAlert {
  const p = new Problems();
  if (!isObject(body)) throw pagerDutyError([{ field: 'body', problem: `must be a JSON object, not ${typeName(body)}` }]);
  const action = body.event_action;
  if (action === undefined || action === null || action === '') p.add('event_action', 'is missing or blank');
  else if (!ACTIONS.includes(action as never)) p.add('event_action', 'is invalid (must be trigger, acknowledge or resolve)');
  const trigger = action === 'trigger';
  let dedupKey = p.text(body, 'dedup_key', '', { required: !trigger && ACTIONS.includes(action as never), max: LIMITS.dedupKey });

  const payload = isObject(body.payload) ? body.payload : {};
  if (trigger && !isObject(body.payload)) p.add('payload', body.payload === undefined ? 'is missing or blank' : 'must be an object');
  const summary = p.text(payload, 'summary', 'payload', { required: trigger, max: MAX_SUMMARY });
  const labels: Record<string, string> = {};
  for (const key of LABEL_FIELDS) {
    const value = p.text(payload, key, 'payload', { required: trigger && key === 'source', max: LIMITS.labelValue });
    if (value !== undefined) labels[key] = value;
  }
  const severity = payload.severity;
  if (trigger && (severity === undefined || severity === null || severity === '')) p.add('payload.severity', 'is missing or blank');
  else if (severity !== undefined && !SEVERITIES.includes(severity as AlertSeverity)) p.add('payload.severity', 'is invalid (must be critical, error, warning or info)');
  let startsAt: string | null = null;
  try {
    startsAt = trigger ? parseTime(payload.timestamp, 'payload.timestamp') : null;
  } catch {
    p.add('payload.timestamp', 'is invalid (must be an ISO 8601 timestamp)');
  }

  const links: ReturnType<typeof link>[] = [];
  if (body.links !== undefined && body.links !== null) {
    if (!Array.isArray(body.links)) p.add('links', 'must be an array');
    else body.links.forEach((l, i) => {
      const href = isObject(l) ? l.href : undefined;
      if (typeof href !== 'string' || href === '') return p.add(at(at('links', i), 'href'), 'is missing or blank');
      links.push(link(href, typeof l.text === 'string' && l.text !== '' ? l.text : href));
    });
  }
  const client = p.text(body, 'client', '', { max: LIMITS.labelValue });
  const clientUrl = p.text(body, 'client_url', '', { max: 2048 });
  links.push(link(clientUrl, client ?? 'Client'));
  if (p.list.length > 0) throw pagerDutyError(p.list);

  dedupKey ??= generatedDedupKey();
  const title = summary ?? dedupKey;
  return finishAlert({
    dedupKey,
    // PagerDuty's acknowledge stops the paging but leaves the alert open.
    status: action === 'resolve' ? 'resolved' : 'firing',
    acknowledge: action === 'acknowledge',
    ...(action === 'trigger' ? {} : { partial: true }),
    severity: (severity as AlertSeverity | undefined) ?? 'warning',
    title,
    // The title is clipped to 500 characters; keep a longer summary whole here.
    description: title.length > LIMITS.title ? title : '',
    labels,
    annotations: detailAnnotations(payload.custom_details),
    links,
    startsAt,
    endsAt: null,
    raw: body,
  });
}
