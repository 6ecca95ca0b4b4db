// Form building blocks: a labelled field with its server error, the form-level problem, an action hook.
import { type ReactNode, useCallback, useState } from 'react';
import { ApiError } from '../api.js';

/** A label, the control, an optional hint and the server's message for this field. */
export function Field({ id, label, hint, error, children, className }: {
  id: string; label: ReactNode; hint?: ReactNode; error?: string | undefined; children: ReactNode; className?: string;
}) {
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <p className="hint" id={`${id}-hint`}>{hint}</p> : null}
      {error ? <p className="field-error" id={`${id}-error`} role="alert" data-testid={`error-${id}`}>{error}</p> : null}
    </div>
  );
}

/**
 * The problem, above a form. When `fields` names the fields the form shows beside their controls,
 * only the other field errors are repeated here (so nothing the server said is lost, nothing is said twice).
 */
export function FormError({ error, fields }: { error: ApiError | null; fields?: string[] }) {
  if (!error) return null;
  const errors = error.problem.errors ?? [];
  const shownBeside = (field: string) => fields?.some((f) => field === f || field.endsWith(`.${f}`)) ?? false;
  const rest = errors.filter((e) => !shownBeside(e.field));
  const detail = fields && errors.length ? rest.map((e) => `${e.field.replace(/^body\./, '')}: ${e.message}`).join('; ') : error.problem.detail;
  return (
    <div className="form-error" role="alert" data-testid="form-error">
      <strong>{error.problem.title}</strong>
      {detail ? <span> — {detail}</span> : null}
    </div>
  );
}

/** Runs one request at a time, remembering its problem for the form to show. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ type: 'about:blank', title: 'Error', status: 0, detail: String(e) }));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}

/** Props that connect a control to its hint and error for screen readers. */
export function describedBy(id: string, error?: string, hint?: boolean): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { ...(error ? { 'aria-invalid': true as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
}

/** The server's messages for one exact field path ("matchers.0.name" is "body.matchers.0.name"), joined. */
export function problemAt(error: ApiError | null, path: string): string | undefined {
  const messages = (error?.problem.errors ?? []).filter((e) => e.field === `body.${path}` || e.field === path).map((e) => e.message);
  return messages.length ? messages.join(' · ') : undefined;
}

/** A set of chosen ids, with a toggle for checkboxes. */
export function useChosen(initial: Iterable<string> = []) {
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(initial));
  const toggle = useCallback((id: string, on: boolean) => setChosen((s) => {
    const next = new Set(s);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  }), []);
  return { chosen, setChosen, toggle };
}

/** A grid of checkboxes, one per item. */
export function CheckGrid({ items, chosen, toggle }: { items: { id: string; name: string }[]; chosen: Set<string>; toggle: (id: string, on: boolean) => void }) {
  return (
    <div className="check-grid">
      {items.map((item) => (
        <label key={item.id} className="check">
          <input type="checkbox" checked={chosen.has(item.id)} onChange={(e) => toggle(item.id, e.target.checked)} />
          {item.name}
        </label>
      ))}
    </div>
  );
}
