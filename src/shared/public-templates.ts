// Ready words for the public, one per phase and language (seed 001: the first public notice came
// 36 minutes in; the goal was 10). The war room fills them in so the first public update is one
// action; the commander may still edit the text before posting. Pure: used by the server and the UI.
import type { Locale, Phase } from './phases.js';

export const PUBLIC_TEMPLATES: Record<Locale, Record<Phase, string>> = {
  en: {
    investigating: 'We are investigating reports of problems with {{components}}. We will post the next update within {{minutes}} minutes.',
    identified: 'We have identified the cause of the problems with {{components}} and are working on a fix. Next update within {{minutes}} minutes.',
    monitoring: 'A fix for {{components}} is in place and we are monitoring the results.',
    resolved: 'The problems with {{components}} have been resolved. We apologise for the inconvenience.',
  },
  ja: {
    investigating: '{{components}}で問題が発生しており、現在調査しています。{{minutes}}分以内に続報をお知らせします。',
    identified: '{{components}}の問題の原因を特定し、復旧作業を進めています。{{minutes}}分以内に続報をお知らせします。',
    monitoring: '{{components}}の復旧対応を実施しました。現在、経過を観察しています。',
    resolved: '{{components}}の問題は復旧しました。ご迷惑をおかけしましたことをお詫び申し上げます。',
  },
};

/** Words for "some of our services" when no component is linked yet. */
const SOME_SERVICES: Record<Locale, string> = { en: 'some of our services', ja: '一部のサービス' };

/** Joins names the way each language lists them: "A, B and C" / 「A、B、C」. */
export function listNames(locale: Locale, names: string[]): string {
  if (names.length === 0) return SOME_SERVICES[locale];
  if (locale === 'ja') return names.join('、');
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The template for a phase, filled in with the affected components and the public cadence. */
export function publicTemplate(locale: Locale, phase: Phase, components: string[], minutes: number): string {
  return PUBLIC_TEMPLATES[locale][phase].replace('{{components}}', listNames(locale, components)).replace('{{minutes}}', String(minutes));
}
