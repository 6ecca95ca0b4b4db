import { createHash } from 'node:crypto';
import type { AlertSeverity, NormalizedAlert } from '../source.js';
import { at, invalid, isObject, own, typeName } from './input.js';

/** The sizes every normalized alert keeps to (see NormalizedAlert). */
export const LIMITS = {
  title: 500,
  description: 10_000,
  labels: 64,
  labelName: 100,
  labelValue: 1000,
  annotations: 64,
  annotationValue: 10_000,
  dedupKey: 255,
  links: 20,
} as const;

/**
 * Cuts `text` to `max` characters with a trailing "…", never splitting a surrogate pair.
 * Used for display text only (title, description, annotation values): refusing a whole batch
 * over a long summary would lose the page, because Alertmanager and Grafana do not retry a 4xx.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut + '…';
}

/** The same text on one line (titles are shown in lists). */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const SEVERITY_WORDS: Record<string, AlertSeverity> = {
  critical: 'critical', page: 'critical', p1: 'critical',
  error: 'error', high: 'error', major: 'error', p2: 'error',
  warning: 'warning', warn: 'warning', minor: 'warning', p3: 'warning',
  info: 'info', low: 'info', none: 'info', p4: 'info', p5: 'info',
};

/** A severity from a sender's word for it (`severity="page"`, `P1`, `Major`…); `fallback` when unknown or absent. */
export function severityFromWord(word: string | undefined, fallback: AlertSeverity = 'warning'): AlertSeverity {
  if (!word) return fallback;
  return own(SEVERITY_WORDS, word.trim().toLowerCase()) ?? fallback;
}

/** A link when `href` is an absolute http(s) URL; anything else (javascript:, relative, junk) is dropped. */
export function link(href: string | undefined, text: string): { href: string; text: string } | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? { href, text } : null;
  } catch {
    return null;
  }
}

/** Checks a sender-supplied dedup key (1–255 characters). */
export function checkDedupKey(key: string, field: string): string {
  if (key.length === 0) throw invalid(field, 'must not be empty');
  if (key.length > LIMITS.dedupKey) throw invalid(field, `must be at most ${LIMITS.dedupKey} characters (got ${key.length})`);
  return key;
}

/**
 * A dedup key built from an identifier that can outgrow 255 characters (a CloudWatch alarm ARN with
 * a 255-character name): kept as is when it fits, else `sha256:` and its hex digest, still stable.
 */
export function boundedKey(key: string): string {
  return key.length <= LIMITS.dedupKey ? key : `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

interface MapOptions {
  /** Allowed names (Prometheus: `[a-zA-Z_][a-zA-Z0-9_]*`). */
  names?: RegExp;
  /** Drop empty values, as Prometheus and Alertmanager do (an empty label is no label). */
  dropEmpty?: boolean;
  /** Turn numbers and booleans into strings, where the sender's format allows them. */
  coerce?: boolean;
}

function readMap(value: unknown, field: string, kind: 'labels' | 'annotations', opts: MapOptions): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid(field, `must be an object of ${kind === 'labels' ? 'label' : 'annotation'} names to strings, not ${typeName(value)}`);
  const out: Record<string, string> = {};
  const max = kind === 'labels' ? LIMITS.labels : LIMITS.annotations;
  let n = 0;
  // Runs for every label of every alert of a storm: the field path is built only for an error.
  for (const name in value) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
    const raw = (value as Record<string, unknown>)[name];
    if (raw === undefined) continue; // never in JSON; lets parsers pass optional fields straight in
    let v: string;
    if (typeof raw === 'string') v = raw;
    else if (opts.coerce && (typeof raw === 'number' || typeof raw === 'boolean')) v = String(raw);
    else throw invalid(at(field, name), `must be a string, not ${typeName(raw)}`);
    if (opts.dropEmpty && v === '') continue;
    if (name === '') throw invalid(at(field, name), 'name must not be empty');
    if (name.length > LIMITS.labelName) throw invalid(at(field, name), `name must be at most ${LIMITS.labelName} characters`);
    if (opts.names && !opts.names.test(name)) throw invalid(at(field, name), `is not a valid name (must match ${opts.names.source})`);
    if (kind === 'labels' && v.length > LIMITS.labelValue) throw invalid(at(field, name), `must be at most ${LIMITS.labelValue} characters`);
    const kept = kind === 'labels' ? v : clip(v, LIMITS.annotationValue);
    // defineProperty for "__proto__" only: it stays an ordinary key instead of vanishing.
    if (name === '__proto__') Object.defineProperty(out, name, { value: kept, enumerable: true, writable: true, configurable: true });
    else out[name] = kept;
    n++;
  }
  if (n > max) throw invalid(field, `must have at most ${max} entries (got ${n})`);
  return out;
}

/** Labels: name → string, at most 64, names ≤ 100 and values ≤ 1,000 characters (refused beyond: they are identity). */
export function readLabels(value: unknown, field: string, opts: MapOptions = {}): Record<string, string> {
  return readMap(value, field, 'labels', opts);
}

/** Annotations: name → string, at most 64; values past 10,000 characters are clipped (they are display text). */
export function readAnnotations(value: unknown, field: string, opts: MapOptions = {}): Record<string, string> {
  return readMap(value, field, 'annotations', opts);
}

/** What a parser builds before `finishAlert` applies the display limits. */
export type AlertDraft = Omit<NormalizedAlert, 'links'> & { links: ({ href: string; text: string } | null)[] };

/** Applies the display limits: a one-line title ≤ 500 (the dedup key when empty), description ≤ 10,000, ≤ 20 links. */
export function finishAlert(draft: AlertDraft): NormalizedAlert {
  const title = oneLine(draft.title) || draft.dedupKey;
  const links = draft.links.filter((l): l is { href: string; text: string } => l !== null).slice(0, LIMITS.links);
  const out: NormalizedAlert = {
    dedupKey: draft.dedupKey,
    status: draft.status,
    severity: draft.severity,
    title: clip(title, LIMITS.title),
    description: clip(draft.description, LIMITS.description),
    labels: draft.labels,
    annotations: draft.annotations,
    links,
    startsAt: draft.startsAt,
    endsAt: draft.endsAt,
    raw: draft.raw,
  };
  if (draft.acknowledge) out.acknowledge = true;
  if (draft.partial) out.partial = true;
  return out;
}
