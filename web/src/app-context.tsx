// What every signed-in page needs: me, the incident settings, the people, language and formatting.
import { createContext, useContext } from 'react';
import type { Formatters } from './format.js';
import type { Translate } from './i18n/index.js';
import type { IncidentSettings, Locale, User } from './types.js';

/** The signed-in app's shared state. */
export interface AppContextValue {
  user: User;
  settings: IncidentSettings;
  users: User[];
  locale: Locale;
  t: Translate;
  fmt: Formatters;
  setUser(user: User): void;
  setLocale(locale: Locale): void;
  reloadUsers(): void;
  /** Replaces the cached incident settings (after an admin saved them). */
  setSettings(settings: IncidentSettings): void;
  signOut(): void;
  /** Whether I may act on incidents (responders and admins); viewers only read. */
  canAct: boolean;
}

export const AppContext = createContext<AppContextValue | null>(null);

/** The shared state; only inside the signed-in shell. */
export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside AppContext');
  return ctx;
}

/** Guess a language before anyone signs in. */
export function browserLocale(): Locale {
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** The browser's time zone, as the default for new accounts. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
