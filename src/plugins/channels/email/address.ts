// What an e-mail address must look like to be accepted anywhere in Hikeshi: a bare addr-spec, ASCII,
// no display name, no quoted local part, no comments, nothing a mail header could be forged with.
import { hasControlChars } from '../../channel.js';

/** RFC 5321's limit for a forward path. */
export const MAX_EMAIL_LENGTH = 254;

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** The field messages an address can be refused with (translated in subscribers.pages.ts / problem-i18n.ts). */
export const EMAIL_PROBLEMS = {
  empty: 'must not be empty',
  tooLong: `must be at most ${MAX_EMAIL_LENGTH} characters`,
  control: 'must not contain line breaks or control characters',
  displayName: 'must be a plain address such as name@example.com, without a name or brackets',
  syntax: 'must be an e-mail address such as name@example.com',
} as const;

/** Why `value` is not an acceptable address, or null when it is. */
export function emailAddressProblem(value: string): string | null {
  if (value.length === 0) return EMAIL_PROBLEMS.empty;
  if (value.length > MAX_EMAIL_LENGTH) return EMAIL_PROBLEMS.tooLong;
  if (hasControlChars(value)) return EMAIL_PROBLEMS.control;
  if (/[<>"()\s,;]/.test(value)) return EMAIL_PROBLEMS.displayName;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at > 64) return EMAIL_PROBLEMS.syntax;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!LOCAL.test(local) || domain.length > 253 || !DOMAIN.test(domain)) return EMAIL_PROBLEMS.syntax;
  return null;
}

/** The stored form of an acceptable address: the domain lower-cased (it is case-insensitive), the local part as given. */
export function normalizeEmail(value: string): string {
  const at = value.lastIndexOf('@');
  return value.slice(0, at) + '@' + value.slice(at + 1).toLowerCase();
}

/** A sender as `mailFrom` gives it: `alerts@example.com` or `Example Status <status@example.com>`; null when unusable. */
export function parseMailFrom(value: string): { name: string; address: string } | null {
  if (hasControlChars(value)) return null;
  const m = /^\s*(?:(.*?)\s*<([^<>]+)>|([^<>\s]+))\s*$/.exec(value);
  if (!m) return null;
  const address = (m[2] ?? m[3] ?? '').trim();
  const name = (m[1] ?? '').replace(/^"(.*)"$/, '$1').trim();
  if (emailAddressProblem(address) || /["\\]/.test(name)) return null;
  return { name, address };
}
