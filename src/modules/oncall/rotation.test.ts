import { DateTime, Settings } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeSchedule, instant, type LayerSpec, layerShifts, onCallAt, restrictionWindows, type Span } from './rotation.js';

const ms = (iso: string) => Date.parse(iso);
/** Shifts as readable local times in `zone`: "Mon 2026-03-09 09:00 → Tue 2026-03-10 09:00 alice". */
function show(spans: Span[], zone: string): string[] {
  const f = (t: number) => DateTime.fromMillis(t, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');
  return spans.map((s) => `${f(s.start)} → ${f(s.end)} ${s.userId}`);
}
const hours = (s: Span) => (s.end - s.start) / 3_600_000;

function layer(over: Partial<LayerSpec>): LayerSpec {
  return { id: 'l1', start: '2026-01-05T09:00', turn: { length: 1, unit: 'weeks' }, participants: ['alice', 'bob'], restrictions: [], end: null, ...over };
}

describe('rotations', () => {
  it('hands a weekly turn over at the same local time and weekday, in order, repeating', () => {
    const zone = 'Asia/Tokyo';
    const shifts = layerShifts(layer({ participants: ['alice', 'bob', 'carol'] }), zone, ms('2026-01-05T00:00:00Z'), ms('2026-02-02T00:00:00Z'));
    expect(show(shifts, zone)).toEqual([
      'Mon 2026-01-05 09:00 → Mon 2026-01-12 09:00 alice',
      'Mon 2026-01-12 09:00 → Mon 2026-01-19 09:00 bob',
      'Mon 2026-01-19 09:00 → Mon 2026-01-26 09:00 carol',
      'Mon 2026-01-26 09:00 → Mon 2026-02-02 09:00 alice',
    ]);
  });

  it('has nobody before the layer starts and after it ends, and clips turns to the interval asked', () => {
    const zone = 'Asia/Tokyo';
    const l = layer({ start: '2026-01-05T09:00', turn: { length: 1, unit: 'days' }, end: '2026-01-07T21:00' });
    const shifts = layerShifts(l, zone, ms('2026-01-01T00:00:00Z'), ms('2026-01-31T00:00:00Z'));
    expect(show(shifts, zone)).toEqual([
      'Mon 2026-01-05 09:00 → Tue 2026-01-06 09:00 alice',
      'Tue 2026-01-06 09:00 → Wed 2026-01-07 09:00 bob',
      'Wed 2026-01-07 09:00 → Wed 2026-01-07 21:00 alice',
    ]);
    // Asked from the middle of a turn, far from the start: the right person, cut at the interval.
    const later = layerShifts(layer({ turn: { length: 1, unit: 'days' } }), zone, ms('2026-06-10T06:00:00Z'), ms('2026-06-10T12:00:00Z'));
    // 2026-01-05 09:00 JST + 156 days = 2026-06-10 09:00 JST = 00:00Z, so 06:00Z is in turn 156 (alice).
    expect(later.map((s) => [s.userId, new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      ['alice', '2026-06-10T06:00:00.000Z', '2026-06-10T12:00:00.000Z'],
    ]);
  });

  it('hands off at midnight: a daily turn starting 00:00 in Tokyo covers each calendar day', () => {
    const zone = 'Asia/Tokyo';
    const shifts = layerShifts(layer({ start: '2026-12-31T00:00', turn: { length: 1, unit: 'days' } }), zone, ms('2026-12-30T15:00:00Z'), ms('2027-01-02T15:00:00Z'));
    expect(show(shifts, zone)).toEqual([
      'Thu 2026-12-31 00:00 → Fri 2027-01-01 00:00 alice',
      'Fri 2027-01-01 00:00 → Sat 2027-01-02 00:00 bob',
      'Sat 2027-01-02 00:00 → Sun 2027-01-03 00:00 alice',
    ]);
    expect(shifts.map(hours)).toEqual([24, 24, 24]);
  });

  describe('across DST', () => {
    it('New York, spring forward (2026-03-08): the daily 09:00 hand-off stays at 09:00; that turn is 23 hours', () => {
      const zone = 'America/New_York';
      const shifts = layerShifts(layer({ start: '2026-03-06T09:00', turn: { length: 1, unit: 'days' } }), zone, ms('2026-03-06T14:00:00Z'), ms('2026-03-09T13:00:00Z'));
      expect(show(shifts, zone)).toEqual([
        'Fri 2026-03-06 09:00 → Sat 2026-03-07 09:00 alice',
        'Sat 2026-03-07 09:00 → Sun 2026-03-08 09:00 bob',
        'Sun 2026-03-08 09:00 → Mon 2026-03-09 09:00 alice',
      ]);
      expect(shifts.map(hours)).toEqual([24, 23, 24]);
    });

    it('New York, fall back (2026-11-01): the turn holding the repeated hour is 25 hours', () => {
      const zone = 'America/New_York';
      const shifts = layerShifts(layer({ start: '2026-10-31T09:00', turn: { length: 1, unit: 'days' } }), zone, ms('2026-10-31T13:00:00Z'), ms('2026-11-02T14:00:00Z'));
      expect(show(shifts, zone)).toEqual([
        'Sat 2026-10-31 09:00 → Sun 2026-11-01 09:00 alice',
        'Sun 2026-11-01 09:00 → Mon 2026-11-02 09:00 bob',
      ]);
      expect(shifts.map(hours)).toEqual([25, 24]);
    });

    it('New York: a hand-off at a time the clocks skip happens right after the gap, and the next turn is back on time', () => {
      const zone = 'America/New_York';
      const shifts = layerShifts(layer({ start: '2026-03-07T02:30', turn: { length: 1, unit: 'days' } }), zone, ms('2026-03-07T07:30:00Z'), ms('2026-03-09T06:30:00Z'));
      expect(show(shifts, zone)).toEqual([
        'Sat 2026-03-07 02:30 → Sun 2026-03-08 03:30 alice',
        'Sun 2026-03-08 03:30 → Mon 2026-03-09 02:30 bob',
      ]);
      expect(shifts.map(hours)).toEqual([24, 23]);
    });

    it('London, spring forward (2026-03-29) and fall back (2026-10-25): 12-hour turns keep handing off at 08:00 and 20:00', () => {
      const zone = 'Europe/London';
      const spring = layerShifts(layer({ start: '2026-03-28T08:00', turn: { length: 12, unit: 'hours' } }), zone, ms('2026-03-28T08:00:00Z'), ms('2026-03-29T19:00:00Z'));
      expect(show(spring, zone)).toEqual([
        'Sat 2026-03-28 08:00 → Sat 2026-03-28 20:00 alice',
        'Sat 2026-03-28 20:00 → Sun 2026-03-29 08:00 bob',
        'Sun 2026-03-29 08:00 → Sun 2026-03-29 20:00 alice',
      ]);
      expect(spring.map(hours)).toEqual([12, 11, 12]);
      const fall = layerShifts(layer({ start: '2026-10-24T20:00', turn: { length: 12, unit: 'hours' } }), zone, ms('2026-10-24T19:00:00Z'), ms('2026-10-25T20:00:00Z'));
      expect(show(fall, zone)).toEqual([
        'Sat 2026-10-24 20:00 → Sun 2026-10-25 08:00 alice',
        'Sun 2026-10-25 08:00 → Sun 2026-10-25 20:00 bob',
      ]);
      expect(fall.map(hours)).toEqual([13, 12]);
    });

    it('London: a weekly turn across the change is 167 hours in spring and 169 in autumn', () => {
      const zone = 'Europe/London';
      const l = layer({ start: '2026-03-23T10:00' });
      expect(layerShifts(l, zone, ms('2026-03-23T10:00:00Z'), ms('2026-03-30T09:00:00Z')).map(hours)).toEqual([167]);
      expect(layerShifts(layer({ start: '2026-10-19T10:00' }), zone, ms('2026-10-19T09:00:00Z'), ms('2026-10-26T10:00:00Z')).map(hours)).toEqual([169]);
    });

    it('a turn handing off at midnight in London stays at local midnight across the spring change', () => {
      const zone = 'Europe/London';
      const shifts = layerShifts(layer({ start: '2026-03-28T00:00', turn: { length: 1, unit: 'days' } }), zone, ms('2026-03-28T00:00:00Z'), ms('2026-03-29T23:00:00Z'));
      expect(show(shifts, zone)).toEqual([
        'Sat 2026-03-28 00:00 → Sun 2026-03-29 00:00 alice',
        'Sun 2026-03-29 00:00 → Mon 2026-03-30 00:00 bob',
      ]);
      expect(shifts.map(hours)).toEqual([24, 23]);
    });
  });
});

describe('restrictions', () => {
  it('a business-hours layer is on call weekdays 09:00–18:00 only, in its zone', () => {
    const zone = 'Asia/Tokyo';
    const l = layer({ restrictions: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] });
    const shifts = layerShifts(l, zone, ms('2026-01-09T00:00:00Z'), ms('2026-01-13T00:00:00Z'));
    expect(show(shifts, zone)).toEqual([
      'Fri 2026-01-09 09:00 → Fri 2026-01-09 18:00 alice',
      'Mon 2026-01-12 09:00 → Mon 2026-01-12 18:00 bob',
    ]);
  });

  it('an overnight window (22:00–06:00) runs into the next morning, also across DST in New York', () => {
    const zone = 'America/New_York';
    const windows = restrictionWindows([{ days: [6], from: '22:00', to: '06:00' }], zone, ms('2026-03-07T00:00:00Z'), ms('2026-03-10T00:00:00Z'));
    expect(windows.map(([a, b]) => show([{ userId: '', start: a, end: b, layerId: null, overrideId: null }], zone)[0]!.trim())).toEqual([
      'Sat 2026-03-07 22:00 → Sun 2026-03-08 06:00',
    ]);
    expect((windows[0]![1] - windows[0]![0]) / 3_600_000).toBe(7);
  });

  it('a window whose end equals its start lasts 24 hours; touching windows merge (a weekend layer)', () => {
    const zone = 'Europe/London';
    const windows = restrictionWindows([{ days: [6, 7], from: '00:00', to: '00:00' }], zone, ms('2026-01-01T00:00:00Z'), ms('2026-01-20T00:00:00Z'));
    expect(windows.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()])).toEqual([
      ['2026-01-03T00:00:00.000Z', '2026-01-05T00:00:00.000Z'],
      ['2026-01-10T00:00:00.000Z', '2026-01-12T00:00:00.000Z'],
      ['2026-01-17T00:00:00.000Z', '2026-01-19T00:00:00.000Z'],
    ]);
  });
});

describe('the final schedule', () => {
  const zone = 'Asia/Tokyo';
  const base = layer({ id: 'base', participants: ['alice', 'bob'] });
  const days = layer({ id: 'days', participants: ['carol'], restrictions: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] });

  it('a later layer wins where it has someone; its gaps show the layer below', () => {
    const { final, layers } = computeSchedule([{ effectiveFrom: 0, zone, layers: [base, days] }], [], ms('2026-01-05T00:00:00Z'), ms('2026-01-06T15:00:00Z'));
    expect(show(final, zone)).toEqual([
      'Mon 2026-01-05 09:00 → Mon 2026-01-05 18:00 carol',
      'Mon 2026-01-05 18:00 → Tue 2026-01-06 09:00 alice',
      'Tue 2026-01-06 09:00 → Tue 2026-01-06 18:00 carol',
      'Tue 2026-01-06 18:00 → Wed 2026-01-07 00:00 alice',
    ]);
    expect(layers.get('base')).toHaveLength(1);
    expect(layers.get('days')).toHaveLength(2);
  });

  it('an override replaces whoever is on call, only for its time; the newest of overlapping overrides wins', () => {
    const overrides = [
      { id: 'o1', userId: 'dave', start: ms('2026-01-05T12:00:00Z'), end: ms('2026-01-05T20:00:00Z'), createdAt: '2026-01-01T00:00:00Z' },
      { id: 'o2', userId: 'erin', start: ms('2026-01-05T14:00:00Z'), end: ms('2026-01-05T16:00:00Z'), createdAt: '2026-01-02T00:00:00Z' },
    ];
    const { final } = computeSchedule([{ effectiveFrom: 0, zone, layers: [base] }], overrides, ms('2026-01-05T00:00:00Z'), ms('2026-01-06T00:00:00Z'));
    expect(show(final, zone)).toEqual([
      'Mon 2026-01-05 09:00 → Mon 2026-01-05 21:00 alice',
      'Mon 2026-01-05 21:00 → Mon 2026-01-05 23:00 dave',
      'Mon 2026-01-05 23:00 → Tue 2026-01-06 01:00 erin',
      'Tue 2026-01-06 01:00 → Tue 2026-01-06 05:00 dave',
      'Tue 2026-01-06 05:00 → Tue 2026-01-06 09:00 alice',
    ]);
    expect(final.find((s) => s.userId === 'erin')!.overrideId).toBe('o2');
  });

  it('a new version of the layers applies from its time on; the time before keeps the old layers', () => {
    const changed = { ...base, participants: ['bob', 'alice'] };
    const { final } = computeSchedule(
      [{ effectiveFrom: 0, zone, layers: [base] }, { effectiveFrom: ms('2026-01-07T03:00:00Z'), zone, layers: [changed] }],
      [], ms('2026-01-05T00:00:00Z'), ms('2026-01-08T00:00:00Z'));
    expect(show(final, zone)).toEqual([
      'Mon 2026-01-05 09:00 → Wed 2026-01-07 12:00 alice',
      'Wed 2026-01-07 12:00 → Thu 2026-01-08 09:00 bob',
    ]);
  });

  it('on call at a time: the person with their whole stretch, across layers and touching pieces', () => {
    const { final } = computeSchedule([{ effectiveFrom: 0, zone, layers: [base, days] }], [], ms('2026-01-01T00:00:00Z'), ms('2026-01-20T00:00:00Z'));
    const [now] = onCallAt(final, ms('2026-01-05T12:00:00Z'));
    expect(now!.userId).toBe('alice');
    expect(show([now!], zone)).toEqual(['Mon 2026-01-05 18:00 → Tue 2026-01-06 09:00 alice']);
    expect(onCallAt(final, ms('2025-12-01T00:00:00Z'))).toEqual([]);
  });
});

describe('versions in different zones', () => {
  it('a schedule moved from Tokyo to London hands off at London’s 09:00 from the move on', () => {
    const l = layer({ start: '2026-01-05T09:00', turn: { length: 1, unit: 'days' } });
    const { final } = computeSchedule(
      [{ effectiveFrom: 0, zone: 'Asia/Tokyo', layers: [l] }, { effectiveFrom: ms('2026-01-07T00:00:00Z'), zone: 'Europe/London', layers: [l] }],
      [], ms('2026-01-06T00:00:00Z'), ms('2026-01-08T12:00:00Z'));
    expect(final.map((s) => [s.userId, new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      // Tokyo: 2026-01-06 09:00 JST = 00:00Z, bob's turn until the move; in London the turn that
      // began 2026-01-06 09:00 GMT is bob's too, so his stretch runs on to 09:00 GMT.
      ['bob', '2026-01-06T00:00:00.000Z', '2026-01-07T09:00:00.000Z'],
      ['alice', '2026-01-07T09:00:00.000Z', '2026-01-08T09:00:00.000Z'],
      ['bob', '2026-01-08T09:00:00.000Z', '2026-01-08T12:00:00.000Z'],
    ]);
  });
});

describe('local times the clocks skip or repeat', () => {
  it('a repeated time is its first occurrence and a skipped one moves forward by the gap, whatever today’s date is', () => {
    const now = Settings.now;
    try {
      for (const today of [Date.parse('2026-07-01T12:00:00Z'), Date.parse('2026-12-01T12:00:00Z')]) {
        Settings.now = () => today;
        // New York falls back at 02:00 EDT on 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
        expect(new Date(instant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
        // It springs forward at 02:00 EST on 2026-03-08: 02:30 does not happen; it is read as 03:30 EDT (07:30Z).
        expect(new Date(instant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
        expect(new Date(instant({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, 'Europe/London')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
        expect(new Date(instant({ year: 2026, month: 6, day: 1, hour: 9, minute: 0 }, 'Asia/Tokyo')).toISOString()).toBe('2026-06-01T00:00:00.000Z');
      }
    } finally {
      Settings.now = now;
    }
  });
});
