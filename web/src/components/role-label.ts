// Incident role ids (from settings) in words; custom roles show as they are named.
import { en, type MessageKey } from '../i18n/en.js';
import type { Translate } from '../i18n/index.js';

/** "communications" → "Communications" / "広報". */
export function roleLabel(t: Translate, role: string): string {
  const key = `incidentRole.${role}`;
  return key in en ? t(key as MessageKey) : role;
}
