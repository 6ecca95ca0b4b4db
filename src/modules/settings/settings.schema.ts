import { z } from 'zod';
import { AUDIENCES, LOCALES, SEVERITIES } from '../../shared/phases.js';
import { DEFAULT_TEMPLATES, TEMPLATE_FIELDS, unknownPlaceholders } from '../../shared/render.js';

const minutes = z.number().int().min(1).max(7 * 24 * 60);
const template = z.string().min(1).max(4000).superRefine((t, ctx) => {
  const bad = unknownPlaceholders(t);
  if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown placeholder ${bad.map((b) => `{{${b}}}`).join(', ')}; known: ${TEMPLATE_FIELDS.join(', ')}` });
});
const perLocale = z.strictObject(Object.fromEntries(LOCALES.map((l) => [l, template])) as Record<(typeof LOCALES)[number], typeof template>);
const cadence = z.strictObject({ internal: minutes, stakeholder: minutes, public: minutes });
const description = z.string().trim().min(1).max(500);
const severityText = z.strictObject({ en: description, ja: description });

/** How this organisation runs incidents: severities, roles, clocks and message templates. */
export const IncidentSettingsSchema = z.strictObject({
  severities: z.strictObject(Object.fromEntries(SEVERITIES.map((s) => [s, z.strictObject({ description: severityText })])) as Record<(typeof SEVERITIES)[number], z.ZodObject<{ description: typeof severityText }>>)
    .describe('What each severity means, in each language, shown when declaring'),
  roles: z.array(z.string().trim().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be lowercase letters, digits, - or _')).min(1).max(20)
    .refine((r) => r.includes('commander'), 'must include commander')
    .refine((r) => new Set(r).size === r.length, 'must not repeat a role'),
  firstPublicUpdateMinutes: minutes.describe('Target from declaration to the first public update (seed 001: 10 minutes)'),
  cadenceMinutes: z.strictObject(Object.fromEntries(SEVERITIES.map((s) => [s, cadence])) as Record<(typeof SEVERITIES)[number], typeof cadence>)
    .describe('How often each audience should hear from us, per severity'),
  templates: z.strictObject(Object.fromEntries(AUDIENCES.map((a) => [a, perLocale])) as Record<(typeof AUDIENCES)[number], typeof perLocale>),
});
export type IncidentSettings = z.infer<typeof IncidentSettingsSchema>;

/** What a new installation starts with. */
export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = {
  severities: {
    SEV1: { description: { en: 'Critical: the service is down or data is at risk for many customers', ja: '致命的: サービスが停止している、または多くの顧客のデータが危険にさらされている' } },
    SEV2: { description: { en: 'Major: a core feature is broken or badly degraded for many customers', ja: '重大: 主要な機能が壊れている、または多くの顧客で大きく劣化している' } },
    SEV3: { description: { en: 'Minor: a non-core feature is degraded, or few customers are affected', ja: '軽微: 主要でない機能が劣化している、または影響を受ける顧客が少ない' } },
    SEV4: { description: { en: 'Low: no customer impact yet; a risk worth tracking', ja: '低: まだ顧客への影響はないが、追うべきリスクがある' } },
  },
  roles: ['commander', 'communications', 'operations', 'scribe'],
  firstPublicUpdateMinutes: 10,
  cadenceMinutes: {
    SEV1: { internal: 15, stakeholder: 30, public: 30 },
    SEV2: { internal: 30, stakeholder: 60, public: 60 },
    SEV3: { internal: 60, stakeholder: 120, public: 120 },
    SEV4: { internal: 240, stakeholder: 480, public: 480 },
  },
  templates: DEFAULT_TEMPLATES,
};
