// "On call only then": windows of the week a layer is on call in (days it opens on, from and to).
import { useMemo } from 'react';
import type { ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { describedBy, Field, problemAt } from './form.js';
import { newRestriction, problemsUnder, type RestrictionDraft } from './layer-draft.js';

const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** The restriction windows of one layer; `path` is the layer's place in the body ("layers.0"). */
export function RestrictionsEditor({ id, layer, path, restrictions, onChange, error }: {
  id: string; layer: string; path: string; restrictions: RestrictionDraft[]; onChange: (r: RestrictionDraft[]) => void; error: ApiError | null;
}) {
  const { t, locale } = useApp();
  // ISO weekday 1 is Monday; 1 January 2024 was one.
  const dayNames = useMemo(() => {
    const f = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { weekday: 'short', timeZone: 'UTC' });
    return DAYS.map((d) => f.format(Date.UTC(2024, 0, d)));
  }, [locale]);
  const set = (key: number, patch: Partial<RestrictionDraft>) => onChange(restrictions.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const own = problemAt(error, `${path}.restrictions`);

  return (
    <fieldset className="restrictions">
      <legend>{t('oncall.restrictions')}</legend>
      <p className="hint">{t('oncall.restrictionsHint')}</p>
      {restrictions.map((r, j) => {
        const rid = `${id}-r${r.key}`;
        const err = (f: string) => problemsUnder(error, `${path}.restrictions.${j}.${f}`);
        return (
          <div key={r.key} className="restriction" role="group" aria-label={t('oncall.windowOf', { n: j + 1, layer })}>
            <div className={`restriction-days${err('days') ? ' has-error' : ''}`} role="group" aria-label={t('oncall.windowDays', { n: j + 1 })}>
              {DAYS.map((d, k) => (
                <label key={d} className="check">
                  <input type="checkbox" checked={r.days.includes(d)}
                    onChange={(e) => set(r.key, { days: e.target.checked ? [...r.days, d] : r.days.filter((x) => x !== d) })} />
                  {dayNames[k]}
                </label>
              ))}
              {err('days') ? <p className="field-error" role="alert">{err('days')}</p> : null}
            </div>
            <Field id={`${rid}-from`} label={t('oncall.windowFrom')} error={err('from')} className="narrow">
              <input id={`${rid}-from`} type="time" value={r.from} onChange={(e) => set(r.key, { from: e.target.value })} {...describedBy(`${rid}-from`, err('from'))} />
            </Field>
            <Field id={`${rid}-to`} label={t('oncall.windowTo')} error={err('to')} className="narrow">
              <input id={`${rid}-to`} type="time" value={r.to} onChange={(e) => set(r.key, { to: e.target.value })} {...describedBy(`${rid}-to`, err('to'))} />
            </Field>
            <button type="button" className="small-button danger" onClick={() => onChange(restrictions.filter((x) => x.key !== r.key))}
              aria-label={t('oncall.removeWindow', { n: j + 1, layer })}>✕</button>
          </div>
        );
      })}
      {own ? <p className="field-error" role="alert">{own}</p> : null}
      <button type="button" className="small-button" onClick={() => onChange([...restrictions, newRestriction()])}
        aria-label={t('oncall.addWindowTo', { layer })}>+ {t('oncall.addWindow')}</button>
    </fieldset>
  );
}
