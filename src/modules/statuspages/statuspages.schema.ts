import { z } from 'zod';
import { LOCALES, PHASES, SEVERITIES } from '../../shared/phases.js';
import { isTimeZone } from '../../shared/time-zone.js';
import { COMPONENT_STATUSES, IMPACT_STATUSES, MAINTENANCE_STATUSES } from './model.js';

export const ComponentStatusSchema = z.enum(COMPONENT_STATUSES);
export const ImpactStatusSchema = z.enum(IMPACT_STATUSES);
export const MaintenanceStatusSchema = z.enum(MAINTENANCE_STATUSES);
/** What a maintenance update can announce (cancelling has its own route). */
export const MAINTENANCE_UPDATE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-23T14:00:00Z' });
const id = z.string().min(1).max(128);
const description = z.string().trim().max(1000);
const position = z.number().int().min(0).max(1_000_000).describe('Display order: lower first; groups and ungrouped components share one order');

const SLUG = /^[a-z0-9](?:-?[a-z0-9])*$/;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|svg\+xml);base64,([A-Za-z0-9+/]+={0,2})$/;
/** A data: logo may hold an image of at most this many bytes. */
export const MAX_LOGO_BYTES = 200 * 1024;

const slug = z.string().max(64).regex(SLUG, 'must be lowercase letters and digits, with single hyphens between them (e.g. acme-cloud)')
  .describe('In the page’s address (/status/<slug>/); lowercase letters, digits and single hyphens');

/**
 * A lowercase DNS host name of its own: status.example.com. Not a single label (localhost, a
 * machine's name), nor an IP address: the page would take over the server's own address.
 */
function isHostName(s: string): boolean {
  if (s.length > 253) return false;
  const labels = s.split('.');
  return labels.length >= 2 && labels.every((l) => HOST_LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!);
}
const host = z.string().max(253).refine(isHostName, 'must be a host name of its own such as status.example.com (lowercase, with a dot, not an IP address)')
  .describe('A host name of its own (status.example.com): requests for it are served this page at "/"');

/** An https URL, or a base64 data: URI of a PNG, JPEG, GIF, WebP or SVG image of at most 200 kB. */
function isLogo(s: string): boolean {
  if (s.startsWith('data:')) {
    const m = DATA_IMAGE.exec(s);
    return !!m && m[1]!.length % 4 === 0 && Math.floor((m[1]!.length * 3) / 4) - (m[1]!.match(/=+$/)?.[0].length ?? 0) <= MAX_LOGO_BYTES;
  }
  return s.length <= 2000 && isUrl(s, ['https:']);
}
function isUrl(s: string, protocols: string[]): boolean {
  if (!URL.canParse(s)) return false;
  const u = new URL(s);
  return protocols.includes(u.protocol) && u.hostname !== '';
}
const logoUrl = z.string().max(300_000).refine(isLogo, 'must be an https URL (at most 2000 characters) or a data:image/…;base64 URI of a PNG, JPEG, GIF, WebP or SVG image up to 200 kB')
  .describe('https URL, or data:image/(png|jpeg|gif|webp|svg+xml);base64,… up to 200 kB');
const supportUrl = z.string().max(2000).refine((s) => isUrl(s, ['http:', 'https:']), 'must be an http(s) URL')
  .describe('Where customers ask for help');
const brandColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb').transform((c) => c.toLowerCase());
const timeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Asia/Tokyo');
const locale = z.enum(LOCALES);

// ---- pages ----

export const PageCreateSchema = z.strictObject({
  slug,
  name: text(100),
  description: description.default(''),
  host: host.nullable().default(null),
  logoUrl: logoUrl.nullable().default(null),
  brandColor: brandColor.default('#b91c1c'),
  locale: locale.default('en').describe('The language readers get unless their browser asks for the other'),
  timeZone: timeZone.default('UTC').describe('Times on the page are shown in this IANA zone'),
  supportUrl: supportUrl.nullable().default(null),
});

export const PageUpdateSchema = z.strictObject({
  slug: slug.optional(),
  name: text(100).optional(),
  description: description.optional(),
  host: host.nullable().optional(),
  logoUrl: logoUrl.nullable().optional(),
  brandColor: brandColor.optional(),
  locale: locale.optional(),
  timeZone: timeZone.optional(),
  supportUrl: supportUrl.nullable().optional(),
});

export const PageSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  host: z.string().nullable(),
  logoUrl: z.string().nullable(),
  brandColor: z.string(),
  locale: locale,
  timeZone: z.string(),
  supportUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Page = z.output<typeof PageSchema>;

export const PageListItemSchema = PageSchema.extend({ componentCount: z.number() });

// ---- groups and components ----

export const GroupCreateSchema = z.strictObject({
  name: text(100),
  description: description.default(''),
  position: position.optional().describe('Defaults to after everything else'),
});

export const GroupUpdateSchema = z.strictObject({
  name: text(100).optional(),
  description: description.optional(),
  position: position.optional(),
});

export const GroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  position: z.number(),
  componentIds: z.array(z.string()).describe('In display order'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ComponentCreateSchema = z.strictObject({
  name: text(100),
  description: description.default(''),
  groupId: id.nullable().default(null).describe('A group of this page; null for none'),
  position: position.optional().describe('Defaults to after everything else'),
  status: ComponentStatusSchema.default('operational').describe('The manual status to start with'),
});

export const ComponentUpdateSchema = z.strictObject({
  name: text(100).optional(),
  description: description.optional(),
  groupId: id.nullable().optional(),
  position: position.optional(),
});

export const ComponentStatusChangeSchema = z.strictObject({
  status: ComponentStatusSchema.describe('The manual status; an open incident or a maintenance window outranks it on the page'),
});

export const ComponentSchema = z.object({
  id: z.string(),
  pageId: z.string(),
  groupId: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  position: z.number(),
  manualStatus: ComponentStatusSchema.describe('As last set by hand'),
  status: ComponentStatusSchema.describe('What the public page shows now: the worst open incident impact, else maintenance, else the manual status'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Component = z.output<typeof ComponentSchema>;

// ---- maintenance ----

export const MaintenanceCreateSchema = z.strictObject({
  title: text(200),
  startsAt: isoTime,
  endsAt: isoTime.describe('Must be after startsAt and in the future'),
  componentIds: z.array(id).min(1, 'name at least one component').max(200).describe('Components of this page shown under maintenance during the window'),
  body: text(5000).describe('The first update: what is done and what customers will notice'),
});

export const MaintenanceUpdateSchema = z.strictObject({
  title: text(200).optional(),
  startsAt: isoTime.optional(),
  endsAt: isoTime.optional(),
  componentIds: z.array(id).min(1, 'name at least one component').max(200).optional(),
});

export const MaintenanceUpdatePostSchema = z.strictObject({
  status: z.enum(MAINTENANCE_UPDATE_STATUSES).describe('in_progress before the start starts it early; completed ends it now'),
  body: text(5000),
});

const UserRef = z.object({ id: z.string(), name: z.string() });

export const MaintenanceUpdateReadSchema = z.object({
  id: z.string(),
  status: MaintenanceStatusSchema,
  body: z.string(),
  author: UserRef.nullable(),
  createdAt: z.string(),
});

export const MaintenanceSchema = z.object({
  id: z.string(),
  pageId: z.string(),
  title: z.string(),
  status: MaintenanceStatusSchema.describe('By the clock unless ended early (completed) or called off (cancelled)'),
  startsAt: z.string(),
  endsAt: z.string(),
  completedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  componentIds: z.array(z.string()),
  createdBy: UserRef.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updates: z.array(MaintenanceUpdateReadSchema).describe('Newest first'),
});
export type Maintenance = z.output<typeof MaintenanceSchema>;

// ---- incidents on status pages ----

export const IncidentLinksSchema = z.strictObject({
  publicTitle: text(200).nullable().optional().describe('The title customers see; null: a neutral one (“Service disruption”), never the incident’s own title; absent keeps it'),
  components: z.array(z.strictObject({ componentId: id, status: ImpactStatusSchema })).max(200)
    .describe('Every component the incident affects now, with how badly; components left out are no longer affected'),
});

export const IncidentFaceSchema = z.object({
  incidentId: z.string(),
  ref: z.string(),
  drill: z.boolean().describe('Drills never appear on a status page'),
  title: z.string(),
  publicTitle: z.string().nullable().describe('null: the page shows a neutral title (“Service disruption”), never the incident’s own'),
  publicUpdates: z.number().describe('Public status updates posted; an incident appears on a page from its first'),
  firstPublicUpdateAt: z.string().nullable(),
  components: z.array(z.object({
    componentId: z.string(),
    name: z.string(),
    pageId: z.string(),
    pageName: z.string(),
    pageSlug: z.string(),
    status: ImpactStatusSchema,
    since: z.string(),
  })),
});
export type IncidentFace = z.output<typeof IncidentFaceSchema>;

/** An open incident on the admin view of a page, with whether the public has heard a word yet. */
export const PageIncidentSchema = z.object({
  id: z.string(),
  number: z.number(),
  ref: z.string(),
  title: z.string(),
  publicTitle: z.string().nullable(),
  severity: z.enum(SEVERITIES),
  phase: z.enum(PHASES),
  declaredAt: z.string(),
  firstPublicUpdateAt: z.string().nullable().describe('null: no public word yet'),
  minutesSinceDeclared: z.number(),
  components: z.array(z.object({ componentId: z.string(), status: ImpactStatusSchema })),
});

export const PageDetailSchema = PageSchema.extend({
  groups: z.array(GroupSchema),
  components: z.array(ComponentSchema).describe('Display order: groups’ components in place of the group'),
  maintenances: z.array(MaintenanceSchema).describe('Upcoming and active, and those that ended in the last 7 days'),
  incidents: z.array(PageIncidentSchema).describe('Open incidents (not drills) that affect a component of this page'),
});
export type PageDetail = z.output<typeof PageDetailSchema>;

// ---- parameters ----

export const PageParams = z.strictObject({ page: z.string().min(1).max(128).describe('Page id or slug') });
export const PageItemParams = PageParams.extend({ id });
export const IncidentParams = z.strictObject({ id: z.string().min(1).max(128).describe('Incident id, number (12) or reference (INC-12)') });
