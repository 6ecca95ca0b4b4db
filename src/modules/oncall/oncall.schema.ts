import { DateTime } from 'luxon';
import { z } from 'zod';
import { isTimeZone } from '../../shared/time-zone.js';

const id = z.string().min(1).max(128);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-23T14:00:00Z' });
const timeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Asia/Tokyo');

/** A wall-clock date and time in the schedule's time zone, without an offset. */
export const localDateTime = z.string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/, 'must be a local date and time such as 2026-11-23T09:00')
  // 2026-02-30 has the right shape and no day: a layer starting then would never have anyone on call.
  .refine((v) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) || DateTime.fromISO(v, { zone: 'utc' }).isValid, 'is not a date on the calendar');
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 09:00');

export const TURN_UNITS = ['hours', 'days', 'weeks'] as const;

/** A window of the week in which a layer is on call, e.g. weekdays 09:00–18:00. */
export const RestrictionSchema = z.strictObject({
  days: z.array(z.number().int().min(1).max(7)).min(1, 'name at least one day').max(7)
    .describe('ISO weekdays the window starts on: 1 = Monday … 7 = Sunday'),
  from: timeOfDay.describe('Local time the window opens'),
  to: timeOfDay.describe('Local time it closes; at or before `from` means the next day (equal: 24 hours)'),
});
export type Restriction = z.output<typeof RestrictionSchema>;

export const TurnSchema = z.strictObject({
  length: z.number().int().min(1).max(8784),
  unit: z.enum(TURN_UNITS).describe('Turns are counted in wall-clock time: a daily turn hands off at the same local time across DST'),
});

export const LayerInputSchema = z.strictObject({
  id: id.optional().describe('Keep an existing layer’s id (its history stays one layer)'),
  name: text(120),
  start: localDateTime.describe('The first hand-off, in the schedule’s time zone; its time of day (and weekday, for weekly turns) is the hand-off time'),
  turn: TurnSchema,
  participants: z.array(id).min(1, 'a layer needs at least one participant').max(100).describe('User ids in rotation order'),
  restrictions: z.array(RestrictionSchema).max(50).default([]).describe('On call only inside these windows; none: all the time'),
  end: localDateTime.nullable().default(null).describe('When the layer stops, in the schedule’s time zone'),
});
export type LayerInput = z.output<typeof LayerInputSchema>;

const layers = z.array(LayerInputSchema).max(20).describe('Later layers are on top: where a later layer has someone on call, it wins');

export const ScheduleCreateSchema = z.strictObject({
  name: text(120),
  description: z.string().trim().max(2000).default(''),
  timeZone,
  teamId: id.nullable().default(null),
  layers: layers.default([]),
});

export const ScheduleUpdateSchema = z.strictObject({
  name: text(120).optional(),
  description: z.string().trim().max(2000).optional(),
  timeZone: timeZone.optional(),
  teamId: id.nullable().optional(),
  layers: layers.optional().describe('Replaces the layers from `effectiveFrom` on; the time before keeps the layers it had'),
  effectiveFrom: isoTime.optional().describe('When new layers take over (default now); a later scheduled change is dropped'),
});

const person = z.object({ id: z.string(), name: z.string() });

export const LayerSchema = z.object({
  id: z.string(),
  name: z.string(),
  start: z.string(),
  turn: z.object({ length: z.number(), unit: z.enum(TURN_UNITS) }),
  participants: z.array(person),
  restrictions: z.array(z.object({ days: z.array(z.number()), from: z.string(), to: z.string() })),
  end: z.string().nullable(),
});

/** A stretch of time one person is on call. */
export const ShiftSchema = z.object({
  user: person,
  start: z.string(),
  end: z.string(),
  layerId: z.string().nullable(),
  overrideId: z.string().nullable(),
});
export type Shift = z.output<typeof ShiftSchema>;

/** True when the person hands over to nobody else in the next 100 days (one person in the rotation): `end` is then only where the look ahead stopped. */
const OpenEnded = z.boolean().describe('No hand-off to someone else within the next 100 days; `end` is then only how far the schedule was read');

export const ScheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  timeZone: z.string(),
  team: person.nullable(),
  layers: z.array(LayerSchema).describe('The layers in effect now'),
  scheduledChange: z.object({ effectiveFrom: z.string(), layers: z.array(LayerSchema) }).nullable()
    .describe('Layers saved to take over later'),
  onCallNow: z.array(ShiftSchema.extend({ openEnded: OpenEnded })).describe('Who is on call now, with when their shift started and ends'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ShiftsQuery = z.strictObject({
  from: isoTime.optional().describe('Default: now'),
  to: isoTime.optional().describe('Default: 14 days after `from`; at most 366 days after it'),
});

export const ScheduleShiftsSchema = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  layers: z.array(z.object({ id: z.string(), name: z.string(), shifts: z.array(ShiftSchema) })),
  overrides: z.array(z.lazy(() => OverrideSchema)),
  final: z.array(ShiftSchema).describe('Who is on call: the top layer with someone on call, overrides above all'),
});

export const OverrideCreateSchema = z.strictObject({
  userId: id,
  start: isoTime,
  end: isoTime,
  note: z.string().trim().max(500).default(''),
});

export const OverrideSchema = z.object({
  id: z.string(),
  user: person,
  start: z.string(),
  end: z.string(),
  note: z.string(),
  createdBy: person.nullable(),
  createdAt: z.string(),
});

export const OnCallQuery = z.strictObject({
  at: isoTime.optional().describe('Default: now'),
  scheduleId: id.optional(),
  teamId: id.optional(),
  userId: id.optional(),
});

export const OnCallSchema = z.object({
  at: z.string(),
  entries: z.array(z.object({
    schedule: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
    user: person,
    start: z.string().describe('When this person’s shift began'),
    end: z.string().describe('When it ends'),
    openEnded: OpenEnded,
    overrideId: z.string().nullable(),
  })),
});

export const UserShiftsQuery = z.strictObject({
  from: isoTime.optional(),
  to: isoTime.optional(),
});

export const UserShiftsSchema = z.object({
  from: z.string(),
  to: z.string(),
  shifts: z.array(ShiftSchema.extend({ schedule: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }) })),
});

export const CalendarFeedCreateSchema = z.union([
  z.strictObject({ scheduleId: id.describe('Every shift of this schedule') }),
  z.strictObject({ userId: id.describe('This user’s shifts in every schedule (your own, unless you are an admin)') }),
]);

export const CalendarFeedSchema = z.object({
  id: z.string(),
  schedule: z.object({ id: z.string(), name: z.string() }).nullable(),
  user: person.nullable(),
  prefix: z.string().describe('The start of the feed’s secret, to tell feeds apart'),
  createdBy: person.nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const CalendarFeedWithUrlSchema = CalendarFeedSchema.extend({
  url: z.string().describe('The iCalendar address to subscribe to; shown once'),
});
