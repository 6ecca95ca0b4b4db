// The subscriber API contract (admin: zod Create / Read schemas) and the public sign-up's checks,
// which are hand-written because the same rules answer a no-JS HTML form and JSON.
import { z } from 'zod';
import { emailAddressProblem, normalizeEmail } from '../../plugins/channels/email/index.js';
import { webhookUrlProblem } from '../../plugins/channels/webhook/index.js';
import type { FieldError } from '../../server/problem.js';
import { LOCALES, type Locale } from '../../shared/phases.js';

/** The most components one subscription may name. */
export const MAX_COMPONENTS = 100;

const ComponentIds = z.array(z.string().min(1).max(128)).max(MAX_COMPONENTS, 'at most 100 components')
  .describe('Only these components (ids of this page); omit or null for every component');

export const SubscriberSchema = z.object({
  id: z.string(),
  kind: z.enum(['email', 'webhook']),
  /** The e-mail address or webhook URL. */
  target: z.string(),
  locale: z.enum(LOCALES),
  componentIds: z.array(z.string()).nullable(),
  state: z.enum(['pending', 'active', 'unsubscribed']).describe('pending: e-mail not confirmed yet; active: receives messages'),
  confirmedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Subscriber = z.infer<typeof SubscriberSchema>;

export const SubscriberWithSecretSchema = SubscriberSchema.extend({
  secret: z.string().describe('The webhook signing secret: shown this once, stored sealed'),
});

export const SubscriberCreateSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('webhook'),
    url: z.string().max(2000).superRefine((v, ctx) => {
      const problem = webhookUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    componentIds: ComponentIds.nullable().optional(),
    locale: z.enum(LOCALES).optional(),
  }),
  z.strictObject({
    kind: z.literal('email'),
    email: z.string().superRefine((v, ctx) => {
      const problem = emailAddressProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }).transform(normalizeEmail),
    componentIds: ComponentIds.nullable().optional(),
    locale: z.enum(LOCALES).optional(),
  }),
]);

export const SubscriberListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(128).optional().describe('The last id of the previous page (nextBefore)'),
  kind: z.enum(['email', 'webhook']).optional(),
  state: z.enum(['pending', 'active', 'unsubscribed']).optional(),
});

export const SubscriberListSchema = z.object({
  subscribers: z.array(SubscriberSchema),
  nextBefore: z.string().nullable(),
  counts: z.object({ pending: z.number(), active: z.number(), unsubscribed: z.number() }),
});

export const PageSubscriberParams = z.strictObject({ page: z.string().min(1).max(128), id: z.string().min(1).max(128) });
export const PageParams = z.strictObject({ page: z.string().min(1).max(128) });

/** A sign-up as the public route reads it, before any check. */
export interface RawSignUp {
  email: unknown[];
  components: unknown[];
  locale: unknown[];
  /** Fields that are not sign-up fields (JSON refuses them; a form's extra fields are ignored). */
  unknown: string[];
}

/** What the field names are called in the answer: form field names, or `body.<json field>`. */
export interface SignUpFieldNames {
  email: string;
  component: string;
  locale: string;
  prefix: string;
}

export const FORM_FIELDS: SignUpFieldNames = { email: 'email', component: 'component', locale: 'locale', prefix: '' };
export const JSON_FIELDS: SignUpFieldNames = { email: 'body.email', component: 'body.componentIds', locale: 'body.locale', prefix: 'body.' };

/** A checked sign-up. */
export interface SignUp {
  email: string;
  componentIds: string[] | null;
  locale: Locale;
}

/** A form body (URLSearchParams) as a RawSignUp. */
export function rawFromForm(params: URLSearchParams): RawSignUp {
  return { email: params.getAll('email'), components: params.getAll('component'), locale: params.getAll('locale'), unknown: [] };
}

/** A JSON body as a RawSignUp: `{ email, componentIds?, locale? }`. */
export function rawFromJson(body: unknown): RawSignUp {
  const o = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const ids = o.componentIds;
  return {
    email: 'email' in o ? [o.email] : [],
    components: ids === undefined || ids === null ? [] : Array.isArray(ids) ? ids : [ids],
    locale: o.locale === undefined ? [] : [o.locale],
    unknown: Object.keys(o).filter((k) => !['email', 'componentIds', 'locale'].includes(k)),
  };
}

/**
 * Checks a sign-up against the page's components: one plain e-mail address, known component ids of
 * this page (none means all), en or ja. Every problem is reported, each naming its field.
 */
export function checkSignUp(raw: RawSignUp, pageComponentIds: Set<string>, defaultLocale: Locale, names: SignUpFieldNames): { ok: true; value: SignUp } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = raw.unknown.map((k) => ({ field: names.prefix + k, message: 'unknown field' }));
  let email = '';
  if (raw.email.length === 0) errors.push({ field: names.email, message: 'must not be empty' });
  else if (raw.email.length > 1) errors.push({ field: names.email, message: 'give it once' });
  else if (typeof raw.email[0] !== 'string') errors.push({ field: names.email, message: 'must be text' });
  else {
    // Spaces around the address are forgiven (pasted text); a line break anywhere is refused, never trimmed away.
    email = raw.email[0].replace(/^ +| +$/g, '');
    const problem = emailAddressProblem(email);
    if (problem) errors.push({ field: names.email, message: problem });
  }
  const ids = new Set<string>();
  if (raw.components.length > MAX_COMPONENTS) errors.push({ field: names.component, message: 'at most 100 components' });
  else {
    raw.components.forEach((c, i) => {
      const field = names.prefix ? `${names.component}.${i}` : names.component;
      if (typeof c !== 'string') errors.push({ field, message: 'must be text' });
      else if (!pageComponentIds.has(c)) errors.push({ field, message: 'is not a component of this page' });
      else ids.add(c);
    });
  }
  let locale = defaultLocale;
  if (raw.locale.length > 1) errors.push({ field: names.locale, message: 'give it once' });
  else if (raw.locale.length === 1 && raw.locale[0] !== '') {
    if (!LOCALES.includes(raw.locale[0] as Locale)) errors.push({ field: names.locale, message: 'must be en or ja' });
    else locale = raw.locale[0] as Locale;
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { email: normalizeEmail(email), componentIds: ids.size ? [...ids].sort() : null, locale } };
}
