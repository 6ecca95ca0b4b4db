import { createHash } from 'node:crypto';
import type { AlertSeverity } from '../../plugins/source.js';

/** `groupBy: ["..."]` groups by every label, as in Alertmanager: each label set is its own group. */
export const GROUP_BY_ALL = '...';

/** The labels a group is keyed on: the alert's values of `groupBy` (a missing label counts as empty). */
export function groupLabels(labels: Record<string, string>, groupBy: string[]): Record<string, string> {
  if (groupBy.includes(GROUP_BY_ALL)) return { ...labels };
  const out: Record<string, string> = {};
  for (const name of groupBy) out[name] = labels[name] ?? '';
  return out;
}

/** A stable key for a set of group labels. */
export function groupKey(grouped: Record<string, string>): string {
  const pairs = Object.keys(grouped).sort().map((k) => [k, grouped[k]]);
  return createHash('sha256').update(JSON.stringify(pairs)).digest('hex').slice(0, 32);
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

/** The worse of two severities. */
export function worse(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return RANK[b] > RANK[a] ? b : a;
}

/** A resolved group that fires again within this time reopens (and may be flapping) instead of starting anew. */
export const REOPEN_WINDOW_MS = 60 * 60_000;
/** This many trigger/resolve transitions within REOPEN_WINDOW_MS make a group flapping: it stops paging again. */
export const FLAP_TRANSITIONS = 4;

/** Adds a transition and drops those older than the window; returns the new list and whether it flaps. */
export function recordTransition(transitions: string[], at: string): { transitions: string[]; flapping: boolean } {
  const since = Date.parse(at) - REOPEN_WINDOW_MS;
  // Sorted: a request applied late (a retry, another node's clock) may be older than the last transition.
  const kept = [...transitions.filter((t) => Date.parse(t) >= since), at].sort().slice(-20);
  return { transitions: kept, flapping: kept.length >= FLAP_TRANSITIONS };
}
