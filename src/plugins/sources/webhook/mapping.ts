import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity, type NormalizedAlert } from '../../source.js';
import { checkDedupKey, finishAlert, LIMITS, link, severityFromWord } from '../alert.js';
import { invalid, typeName } from '../input.js';
import { formatPath, getPath, isValidPath, parsePath } from './json-path.js';

const path = z.string().min(1).max(200).refine(isValidPath, 'must be a path like alerts[0].title or $ (see the webhook README)');
const words = z.array(z.string().min(1).max(100)).min(1).max(50);

/** Where each part of an alert is in the sender's JSON. */
export const mappingSchema = z.strictObject({
  alerts: path.optional().describe('Path to the array of alerts; default: the body if it is an array, else the body as one alert'),
  title: path.describe('Path to the title (required in every alert)'),
  dedupKey: path.optional().describe('Path to a stable id of the alert; default: a hash of the title and labels'),
  status: z.strictObject({
    path: path.describe('Path to the status'),
    firing: words.optional().describe('Values meaning firing; when set, values in neither list are refused'),
    resolved: words.optional().describe('Values meaning resolved (default: resolved, resolve, ok, closed, recovered, normal)'),
  }).optional().describe('Without it every alert is firing'),
  severity: z.strictObject({
    path: path.describe('Path to the severity'),
    map: z.record(z.string().min(1).max(100), z.enum(ALERT_SEVERITIES)).optional().describe("The sender's words → critical / error / warning / info"),
  }).optional().describe('Without it (or for unknown words) severity is warning; words like P1, high, minor are understood'),
  description: path.optional().describe('Path to a longer text'),
  labels: z.record(z.string().min(1).max(LIMITS.labelName), path).optional()
    .refine((l) => !l || Object.keys(l).length <= LIMITS.labels, `at most ${LIMITS.labels} labels`)
    .describe('Label name → path to its value'),
  links: path.optional().describe('Path to a URL, or to an array of URLs'),
});

/** A validated mapping. */
export type Mapping = z.output<typeof mappingSchema>;

const DEFAULT_RESOLVED = ['resolved', 'resolve', 'ok', 'closed', 'recovered', 'normal'];

/** A string from a scalar (numbers and booleans are written as JSON writes them); undefined when absent. */
function scalar(value: unknown, field: string, opts: { required?: boolean; json?: boolean } = {}): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (opts.required) throw invalid(field, 'is required by the mapping but missing or empty');
    return undefined;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (opts.json) return JSON.stringify(value, null, 2);
  throw invalid(field, `must be a string, number or boolean, not ${typeName(value)}`);
}

function statusOf(item: unknown, base: string, m: NonNullable<Mapping['status']>): NormalizedAlert['status'] {
  const segs = parsePath(m.path);
  const field = formatPath(segs, base);
  const value = scalar(getPath(item, segs), field, { required: true })!.trim().toLowerCase();
  const has = (list: string[]): boolean => list.some((w) => w.trim().toLowerCase() === value);
  if (has(m.resolved ?? DEFAULT_RESOLVED)) return 'resolved';
  if (!m.firing || has(m.firing)) return 'firing';
  throw invalid(field, `is ${JSON.stringify(value)}, which the mapping lists neither as firing nor as resolved`);
}

function severityOf(item: unknown, base: string, m: Mapping['severity']): AlertSeverity {
  if (!m) return 'warning';
  const segs = parsePath(m.path);
  const value = scalar(getPath(item, segs), formatPath(segs, base));
  if (value === undefined) return 'warning';
  const mapped = Object.entries(m.map ?? {}).find(([word]) => word.trim().toLowerCase() === value.trim().toLowerCase());
  return mapped ? mapped[1] : severityFromWord(value);
}

function linksOf(item: unknown, base: string, source: string | undefined): ReturnType<typeof link>[] {
  if (!source) return [];
  const segs = parsePath(source);
  const value = getPath(item, segs);
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((href, i) => {
    const field = Array.isArray(value) ? formatPath([...segs, i], base) : formatPath(segs, base);
    const made = typeof href === 'string' ? link(href, 'Link') : null;
    if (!made) throw invalid(field, 'must be an absolute http(s) URL');
    return made;
  });
}

/** One alert of the sender's JSON, read through the mapping; `base` is where it is in the body. */
export function mapAlert(item: unknown, base: string, m: Mapping): NormalizedAlert {
  const read = (source: string, opts: { required?: boolean; json?: boolean } = {}): string | undefined => {
    const segs = parsePath(source);
    return scalar(getPath(item, segs), formatPath(segs, base), opts);
  };
  const title = read(m.title, { required: true })!;
  const entries: [string, string][] = [];
  for (const [name, source] of Object.entries(m.labels ?? {})) {
    const value = read(source);
    if (value === undefined) continue;
    if (value.length > LIMITS.labelValue) throw invalid(formatPath(parsePath(source), base), `must be at most ${LIMITS.labelValue} characters (it is label ${name})`);
    entries.push([name, value]);
  }
  const labels = Object.fromEntries(entries);
  const given = m.dedupKey ? read(m.dedupKey, { required: true }) : undefined;
  const dedupKey = given !== undefined
    ? checkDedupKey(given, formatPath(parsePath(m.dedupKey!), base))
    : createHash('sha256').update(JSON.stringify([title, Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))])).digest('hex');
  return finishAlert({
    dedupKey,
    status: m.status ? statusOf(item, base, m.status) : 'firing',
    severity: severityOf(item, base, m.severity),
    title,
    description: m.description ? read(m.description, { json: true }) ?? '' : '',
    labels,
    annotations: {},
    links: linksOf(item, base, m.links),
    startsAt: null,
    endsAt: null,
    raw: item,
  });
}
