// Message lookup with {placeholder} interpolation.
import type { Locale } from '../../../src/shared/phases.js';
import { en, type MessageKey, type Messages } from './en.js';
import { ja } from './ja.js';

export type { MessageKey };

const CATALOGS: Record<Locale, Messages> = { en, ja };

/**
 * Translates a key; {name} placeholders are filled from vars. `{name:one|other}` is a word that
 * agrees with the count in `name` (English: "{n} {n:group|groups}", "{n:is|are}"): `one` when it
 * is 1, else `other`. Japanese has no plural forms and does not use it.
 */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The translate function for one language. */
export function translator(locale: Locale): Translate {
  const messages = CATALOGS[locale];
  return (key, vars) => {
    const text = messages[key] ?? en[key];
    if (!vars) return text;
    return text.replace(/\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g, (m, name: string, one?: string, other?: string) => {
      if (!(name in vars)) return m;
      if (one === undefined) return String(vars[name]);
      return String(vars[name]) === '1' ? one : other!;
    });
  };
}
