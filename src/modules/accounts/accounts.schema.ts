import { z } from 'zod';
import { ROLES } from '../../shared/actor.js';
import { isTimeZone } from '../../shared/time-zone.js';

export const RoleSchema = z.enum(ROLES);
export const LocaleSchema = z.enum(['en', 'ja']);

const email = z.email('must be an e-mail address').max(254).transform((e) => e.toLowerCase());
const password = z.string().min(10, 'must be at least 10 characters').max(256);
const timeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Asia/Tokyo');

/** A user as the API returns it. */
export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  locale: LocaleSchema,
  timeZone: z.string(),
  createdAt: z.string(),
  disabled: z.boolean(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type User = z.infer<typeof UserSchema>;

export const UserCreateSchema = z.strictObject({
  email,
  name: z.string().trim().min(1).max(120),
  role: RoleSchema.default('responder'),
  password,
  locale: LocaleSchema.default('en'),
  timeZone: timeZone.default('UTC'),
});

export const UserUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  role: RoleSchema.optional(),
  locale: LocaleSchema.optional(),
  timeZone: timeZone.optional(),
  disabled: z.boolean().optional(),
});

export const MeUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  locale: LocaleSchema.optional(),
  timeZone: timeZone.optional(),
  currentPassword: z.string().max(256).optional(),
  newPassword: password.optional(),
});

export const SignInSchema = z.strictObject({ email, password: z.string().min(1).max(256) });

export const SetupSchema = z.strictObject({
  token: z.string().min(10).max(200),
  email,
  name: z.string().trim().min(1).max(120),
  password,
  locale: LocaleSchema.default('en'),
  timeZone: timeZone.default('UTC'),
});

export const SessionSchema = z.object({
  user: UserSchema,
  csrfToken: z.string().describe('Send back as the X-CSRF-Token header on every mutating request'),
  expiresAt: z.string(),
});

export const SetupStatusSchema = z.object({ needsSetup: z.boolean() });

export const TokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  userId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Token = z.infer<typeof TokenSchema>;

export const TokenCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const TokenCreatedSchema = TokenSchema.extend({
  token: z.string().describe('The secret: shown this once, stored only as a hash'),
});

export const TeamSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), memberIds: z.array(z.string()) });
export type Team = z.infer<typeof TeamSchema>;
export const TeamCreateSchema = z.strictObject({ name: z.string().trim().min(1).max(120) });

export const IdParams = z.strictObject({ id: z.string().min(1).max(128) });
export const TeamMemberParams = z.strictObject({ id: z.string().min(1).max(128), userId: z.string().min(1).max(128) });
