// Pure rendering of status updates: used by the server when storing and by the web composer's
// live preview, so what people preview is exactly what is sent. No Node or browser APIs here.
import { type Audience, type Locale, PHASE_PREFIX, type Phase } from './phases.js';

/** The placeholders a template may use. */
export const TEMPLATE_FIELDS = [
  'prefix', 'title', 'severity', 'body', 'impact', 'eta', 'decisionsNeeded', 'commander', 'number', 'drill',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export type Templates = Record<Audience, Record<Locale, string>>;

/** The templates a new installation starts with; admins can change them in settings. */
export const DEFAULT_TEMPLATES: Templates = {
  internal: {
    en: '{{drill}}{{prefix}} INC-{{number}} [{{severity}}] {{title}}\n{{body}}\nCommander: {{commander}}',
    ja: '{{drill}}{{prefix}}INC-{{number}} [{{severity}}] {{title}}\n{{body}}\n指揮官: {{commander}}',
  },
  stakeholder: {
    en: '{{drill}}{{prefix}} {{title}}\nImpact: {{impact}}\nETA: {{eta}}\nDecisions needed: {{decisionsNeeded}}\n\n{{body}}',
    ja: '{{drill}}{{prefix}}{{title}}\n影響: {{impact}}\n復旧見込み: {{eta}}\n必要な判断: {{decisionsNeeded}}\n\n{{body}}',
  },
  public: {
    en: '{{drill}}{{prefix}} {{body}}',
    ja: '{{drill}}{{prefix}}{{body}}',
  },
};

const NOT_KNOWN: Record<Locale, string> = { en: 'not known yet', ja: '未定' };
const NONE: Record<Locale, string> = { en: 'none', ja: 'なし' };
const DRILL: Record<Locale, string> = { en: '[DRILL] ', ja: '【訓練】' };

/** Placeholders in a template that are not known; empty when the template is fine. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(TEMPLATE_FIELDS);
  return [...template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1] ?? '').filter((name) => !known.has(name));
}

/** What an update says, before it is put into words for an audience. */
export interface UpdateContent {
  phase: Phase;
  body: string;
  impact?: string | null;
  eta?: string | null;
  decisionsNeeded?: string | null;
}

/** The incident facts a rendering may mention. */
export interface IncidentFacts {
  number: number;
  title: string;
  severity: string;
  commander: string | null;
  drill: boolean;
}

/** Renders one update for one audience in one language. */
export function renderUpdate(templates: Templates, audience: Audience, locale: Locale, incident: IncidentFacts, update: UpdateContent): string {
  const values: Record<TemplateField, string> = {
    prefix: PHASE_PREFIX[locale][update.phase],
    title: incident.title,
    severity: incident.severity,
    body: update.body.trim(),
    impact: update.impact?.trim() || NOT_KNOWN[locale],
    eta: update.eta?.trim() || NOT_KNOWN[locale],
    decisionsNeeded: update.decisionsNeeded?.trim() || NONE[locale],
    commander: incident.commander ?? NOT_KNOWN[locale],
    number: String(incident.number),
    drill: incident.drill ? DRILL[locale] : '',
  };
  return templates[audience][locale].replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => values[name as TemplateField] ?? '');
}
