// The severity radio group of every declare dialog: SEV1–SEV4 with the organisation's descriptions.
import { useApp } from '../app-context.js';
import { SEVERITIES } from '../../../src/shared/phases.js';
import type { Severity } from '../types.js';

/** Pick a severity; each option shows its description in the reader's language. */
export function SeverityPick({ name, value, onChange }: { name: string; value: Severity; onChange: (s: Severity) => void }) {
  const { t, settings, locale } = useApp();
  return (
    <fieldset className="severity-pick">
      <legend>{t('declare.severity')}</legend>
      {SEVERITIES.map((s) => (
        <label key={s} className="sev-option">
          <input type="radio" name={name} value={s} checked={value === s} onChange={() => onChange(s)} />
          <span className={`badge sev sev-${s.toLowerCase()}`}>{s}</span>
          <span className="sev-desc">{settings.severities[s].description[locale]}</span>
        </label>
      ))}
    </fieldset>
  );
}
