/** The phases an incident moves through, in order. */
export const PHASES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type Phase = (typeof PHASES)[number];

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const AUDIENCES = ['internal', 'stakeholder', 'public'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const LOCALES = ['en', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Which phase changes make sense. Any open phase may go back (a fix that did not hold) or forward;
 * a resolved incident only leaves `resolved` by being reopened, into investigating or identified.
 */
export function phaseChangeAllowed(from: Phase, to: Phase): boolean {
  if (from === to) return false;
  if (from === 'resolved') return to === 'investigating' || to === 'identified';
  return true;
}

/** The prefix every status update carries, in the reader's language (seed 003: 【復旧完了】…). */
export const PHASE_PREFIX: Record<Locale, Record<Phase, string>> = {
  en: { investigating: '[Investigating]', identified: '[Identified]', monitoring: '[Monitoring]', resolved: '[Resolved]' },
  ja: { investigating: '【調査中】', identified: '【原因特定】', monitoring: '【経過観察】', resolved: '【復旧完了】' },
};
