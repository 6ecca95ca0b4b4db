import type { Matcher } from './alerts.schema.js';

const compiled = new Map<string, RegExp | null>();

/** Alertmanager anchors matcher regexes: `=~"db.*"` must match the whole value. */
function regexFor(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = null;
    }
    if (compiled.size > 5000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

/** Whether a regex matcher's pattern compiles (refused at input otherwise). */
export function validPattern(pattern: string): boolean {
  return regexFor(pattern) !== null;
}

/** Whether one matcher matches a label set (a missing label is the empty string, as in Alertmanager). */
export function matcherMatches(m: Matcher, labels: Record<string, string>): boolean {
  const value = labels[m.name] ?? '';
  const hit = m.isRegex ? (regexFor(m.value)?.test(value) ?? false) : value === m.value;
  return m.isEqual ? hit : !hit;
}

/** Whether every matcher matches (an empty list matches everything). */
export function allMatch(matchers: Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matcherMatches(m, labels));
}

/** `name="value"`, `name!~"re"`: how Alertmanager writes matchers, for text and logs. */
export function formatMatcher(m: Matcher): string {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}
