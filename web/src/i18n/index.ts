// Message lookup with {placeholder} interpolation.
import type { Locale } from '../../../src/shared/phases.js';
import { en, type MessageKey, type Messages } from './en.js';
import { ja } from './ja.js';

export type { MessageKey };

const CATALOGS: Record<Locale, Messages> = { en, ja };

/** Translates a key; {name} placeholders are filled from vars. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The translate function for one language. */
export function translator(locale: Locale): Translate {
  const messages = CATALOGS[locale];
  return (key, vars) => {
    const text = messages[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}
