import type { NormalizedAlert } from '../source.js';
import { type AlertDraft, checkDedupKey, finishAlert, link, readAnnotations, readLabels, severityFromWord } from './alert.js';
import { labelsFingerprint } from './fingerprint.js';
import { at, invalid, needObject, optString } from './input.js';
import { parseTime } from './time.js';

/** How one of the Alertmanager-shaped senders (Prometheus, Alertmanager, Grafana) differs. */
export interface AmAlertOptions {
  /**
   * `field`: the payload says `status` (webhooks). `endsAt`: resolved once endsAt has passed
   * (Prometheus's POST /api/v2/alerts, which has no status field).
   */
  statusFrom: 'field' | 'endsAt';
  receivedAt: Date;
  /** Label names allowed (Prometheus's API refuses others); any non-empty name when absent. */
  labelNames?: RegExp;
  /** Use the payload's `fingerprint` as the dedup key when present (webhooks). */
  fingerprintField?: boolean;
  /** Refuse endsAt before startsAt, as Alertmanager's API does. */
  checkOrder?: boolean;
  /** The link text for generatorURL (default "Source"). */
  generatorText?: string;
  /** Extra URL fields of the alert, shown as links: [field, link text]. */
  urlFields?: [string, string][];
}

/** `HighErrorRate on api-1:9100`, or the label set `{a="b"}` when there is no alertname. */
function fallbackTitle(labels: Record<string, string>): string {
  const name = labels.alertname;
  if (name) return labels.instance ? `${name} on ${labels.instance}` : name;
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

/** One Alertmanager-shaped alert (`{labels, annotations, startsAt, endsAt, generatorURL…}`) as a draft. */
export function readAmAlert(item: unknown, path: string, opts: AmAlertOptions): AlertDraft {
  const alert = needObject(item, path);
  const labels = readLabels(alert.labels, at(path, 'labels'), { names: opts.labelNames, dropEmpty: true });
  if (Object.keys(labels).length === 0) throw invalid(at(path, 'labels'), 'must have at least one non-empty label (e.g. alertname)');
  const annotations = readAnnotations(alert.annotations, at(path, 'annotations'));
  const startsAt = parseTime(alert.startsAt, at(path, 'startsAt'));
  const endsAt = parseTime(alert.endsAt, at(path, 'endsAt'));
  if (opts.checkOrder && startsAt && endsAt && endsAt < startsAt) throw invalid(at(path, 'endsAt'), 'must not be before startsAt');

  let status: NormalizedAlert['status'];
  if (opts.statusFrom === 'field') {
    if (alert.status !== 'firing' && alert.status !== 'resolved') throw invalid(at(path, 'status'), 'must be "firing" or "resolved"');
    status = alert.status;
  } else {
    status = endsAt !== null && Date.parse(endsAt) <= opts.receivedAt.getTime() ? 'resolved' : 'firing';
  }

  let dedupKey = labelsFingerprint(labels);
  if (opts.fingerprintField) {
    const given = optString(alert.fingerprint, at(path, 'fingerprint'), { emptyIsAbsent: true });
    if (given !== undefined) dedupKey = checkDedupKey(given, at(path, 'fingerprint'));
  }

  const links = [link(optString(alert.generatorURL, at(path, 'generatorURL')), opts.generatorText ?? 'Source')];
  for (const [field, text] of opts.urlFields ?? []) links.push(link(optString(alert[field], at(path, field)), text));
  links.push(link(annotations.runbook_url, 'Runbook'), link(annotations.dashboard_url, 'Dashboard'));

  return {
    dedupKey,
    status,
    severity: severityFromWord(labels.severity),
    title: annotations.summary || annotations.title || fallbackTitle(labels),
    description: annotations.description ?? '',
    labels,
    annotations,
    links,
    startsAt,
    endsAt,
    raw: item,
  };
}

/** `readAmAlert` with the display limits applied. */
export function parseAmAlert(item: unknown, path: string, opts: AmAlertOptions): NormalizedAlert {
  return finishAlert(readAmAlert(item, path, opts));
}
