// Label matchers as Alertmanager writes them (name, =, !=, =~, !~, value), one row each.
import type { ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import type { Matcher } from '../types.js';
import { matcherOperator } from './alert-badges.js';
import { problemAt } from './form.js';

export const OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type Operator = (typeof OPERATORS)[number];

/** One row being edited; `key` keeps React's rows apart when one is removed. */
export interface MatcherDraft { key: number; name: string; op: Operator; value: string }

let nextKey = 1;
/** A new row. */
export function draftMatcher(name = '', value = '', op: Operator = '='): MatcherDraft {
  return { key: nextKey++, name, op, value };
}

/** Drafts from matchers. */
export function toDrafts(matchers: Matcher[]): MatcherDraft[] {
  return matchers.map((m) => draftMatcher(m.name, m.value, matcherOperator(m)));
}

/** Matchers from drafts (rows with no name are left out). */
export function fromDrafts(drafts: MatcherDraft[]): Matcher[] {
  return drafts.filter((d) => d.name.trim()).map((d) => ({
    name: d.name.trim(), value: d.value, isEqual: d.op === '=' || d.op === '=~', isRegex: d.op === '=~' || d.op === '!~',
  }));
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What is wrong with a row before the server is asked (null when nothing is). */
export function draftProblem(d: MatcherDraft, t: ReturnType<typeof useApp>['t']): string | null {
  if (!d.name.trim()) return d.value ? t('matchers.nameMissing') : null;
  if (!LABEL_NAME.test(d.name.trim())) return t('matchers.nameBad');
  if (d.op === '=~' || d.op === '!~') {
    try {
      new RegExp(`^(?:${d.value})$`, 'u');
    } catch {
      return t('matchers.regexBad');
    }
  }
  return null;
}

/** The rows, with add and remove; `path` is where the server reports their errors ("matchers", "routes.2.matchers"). */
export function MatchersEditor({ id, drafts, onChange, error, path, emptyHint }: {
  id: string; drafts: MatcherDraft[]; onChange: (d: MatcherDraft[]) => void; error: ApiError | null; path: string; emptyHint?: string;
}) {
  const { t } = useApp();
  const set = (key: number, patch: Partial<MatcherDraft>) => onChange(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const listError = problemAt(error, path);
  return (
    <fieldset className="matchers" data-testid={`${id}-matchers`}>
      <legend>{t('matchers.title')}</legend>
      <p className="hint">{t('matchers.hint')}</p>
      {drafts.length === 0 && emptyHint ? <p className="muted small">{emptyHint}</p> : null}
      <ol className="matcher-rows">
        {drafts.map((d, i) => {
          const n = i + 1;
          const server = [problemAt(error, `${path}.${i}.name`), problemAt(error, `${path}.${i}.value`), problemAt(error, `${path}.${i}`)].filter(Boolean).join(' · ');
          const problem = draftProblem(d, t) ?? (server || null);
          const errId = `${id}-m${d.key}-error`;
          return (
            <li key={d.key} className={`matcher-row${problem ? ' has-error' : ''}`}>
              <input className="mono" value={d.name} placeholder="alertname" aria-label={t('matchers.name', { n })}
                onChange={(e) => set(d.key, { name: e.target.value })} aria-invalid={problem ? true : undefined} aria-describedby={problem ? errId : undefined} />
              <select value={d.op} aria-label={t('matchers.operator', { n })} onChange={(e) => set(d.key, { op: e.target.value as Operator })}>
                {OPERATORS.map((op) => <option key={op} value={op}>{op} {t(`matchers.op.${op}`)}</option>)}
              </select>
              <input className="mono" value={d.value} aria-label={t('matchers.value', { n })} onChange={(e) => set(d.key, { value: e.target.value })} />
              <button type="button" className="icon-button" aria-label={t('matchers.remove', { n })} title={t('matchers.remove', { n })}
                onClick={() => onChange(drafts.filter((x) => x.key !== d.key))}>✕</button>
              {problem ? <p className="field-error" id={errId}>{problem}</p> : null}
            </li>
          );
        })}
      </ol>
      {listError ? <p className="field-error" role="alert">{listError}</p> : null}
      <button type="button" className="small-button" onClick={() => onChange([...drafts, draftMatcher()])}>+ {t('matchers.add')}</button>
    </fieldset>
  );
}
