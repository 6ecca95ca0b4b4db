import { describe, expect, it } from 'vitest';
import type { StatusSegment } from '../model.js';
import { dailyAvailability, formatPercent } from './availability.js';
import { displayTime, isoInZone, startOfLocalDay, wallClock } from './time.js';

const LONG_AGO = '2020-01-01T00:00:00.000Z';

function day(history: StatusSegment[], timeZone: string, builtAt: string, date: string, createdAt = LONG_AGO) {
  const a = dailyAvailability({ history, createdAt, timeZone, builtAt });
  const d = a.days.find((x) => x.date === date);
  if (!d) throw new Error(`no ${date} in ${a.days[0]?.date}..${a.days.at(-1)?.date}`);
  return d;
}

describe('dailyAvailability', () => {
  it('gives 90 local days ending with the day of builtAt', () => {
    const a = dailyAvailability({ history: [], createdAt: LONG_AGO, timeZone: 'Asia/Tokyo', builtAt: '2026-11-22T16:00:00.000Z' });
    expect(a.days).toHaveLength(90);
    // 01:00 on the 23rd in Tokyo, though still the 22nd in UTC.
    expect(a.days.at(-1)!.date).toBe('2026-11-23');
    expect(a.days[0]!.date).toBe('2026-08-26');
    expect(a.uptime).toBe(1);
  });

  it('cuts days at midnight in Tokyo, not in UTC', () => {
    // 23:30–00:30 JST: half an hour on each local day.
    const seg: StatusSegment[] = [{ status: 'major_outage', from: '2026-11-19T14:30:00.000Z', to: '2026-11-19T15:30:00.000Z' }];
    const built = '2026-11-23T05:05:00.000Z';
    expect(day(seg, 'Asia/Tokyo', built, '2026-11-19').minutes.major_outage).toBe(30);
    expect(day(seg, 'Asia/Tokyo', built, '2026-11-20').minutes.major_outage).toBe(30);
    expect(day(seg, 'Asia/Tokyo', built, '2026-11-20').uptime).toBeCloseTo(1 - 30 / 1440, 10);
  });

  it('counts the 23-hour spring-forward day in Europe/London', () => {
    // The whole local 29 March 2026: 00:00 GMT to 00:00 BST the next day is 23 hours.
    const seg: StatusSegment[] = [{ status: 'major_outage', from: '2026-03-29T00:00:00.000Z', to: '2026-03-29T23:00:00.000Z' }];
    const built = '2026-04-01T12:00:00.000Z';
    const d = day(seg, 'Europe/London', built, '2026-03-29');
    expect(d.minutes.major_outage).toBe(23 * 60);
    expect(d.uptime).toBe(0);
    expect(day(seg, 'Europe/London', built, '2026-03-28').uptime).toBe(1);
    expect(day(seg, 'Europe/London', built, '2026-03-30').uptime).toBe(1);
  });

  it('counts the 25-hour fall-back day in Europe/London', () => {
    const seg: StatusSegment[] = [{ status: 'partial_outage', from: '2026-10-24T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' }];
    const built = '2026-10-30T12:00:00.000Z';
    const d = day(seg, 'Europe/London', built, '2026-10-25');
    expect(d.minutes.partial_outage).toBe(25 * 60);
    expect(d.uptime).toBeCloseTo(0.7, 10);
    expect(day(seg, 'Europe/London', built, '2026-10-24').minutes.partial_outage).toBe(0);
    expect(day(seg, 'Europe/London', built, '2026-10-26').minutes.partial_outage).toBe(0);
  });

  it('weighs an hour of outage against the 23 hours of spring-forward day in America/New_York', () => {
    const seg: StatusSegment[] = [{ status: 'major_outage', from: '2026-03-08T12:00:00.000Z', to: '2026-03-08T13:00:00.000Z' }];
    const d = day(seg, 'America/New_York', '2026-03-20T12:00:00.000Z', '2026-03-08');
    expect(d.uptime).toBeCloseTo(1 - 60 / (23 * 60), 10);
  });

  it('splits an outage across midnight of the fall-back day in America/New_York', () => {
    // 23:30 EDT on 31 Oct to 00:30 EDT on 1 Nov; 1 Nov has 25 hours.
    const seg: StatusSegment[] = [{ status: 'major_outage', from: '2026-11-01T03:30:00.000Z', to: '2026-11-01T04:30:00.000Z' }];
    const built = '2026-11-05T12:00:00.000Z';
    expect(day(seg, 'America/New_York', built, '2026-10-31').minutes.major_outage).toBe(30);
    const nov1 = day(seg, 'America/New_York', built, '2026-11-01');
    expect(nov1.minutes.major_outage).toBe(30);
    expect(nov1.uptime).toBeCloseTo(1 - 30 / (25 * 60), 10);
  });

  it('counts a partial outage as 30 % downtime and degraded performance or maintenance as none', () => {
    const built = '2026-11-23T05:05:00.000Z';
    const partial = day([{ status: 'partial_outage', from: '2026-11-20T01:00:00.000Z', to: '2026-11-20T02:40:00.000Z' }], 'UTC', built, '2026-11-20');
    expect(partial.minutes.partial_outage).toBe(100);
    expect(partial.uptime).toBeCloseTo(1 - 30 / 1440, 10);
    expect(partial.worst).toBe('partial_outage');
    const degraded = day([{ status: 'degraded_performance', from: '2026-11-20T01:00:00.000Z', to: '2026-11-20T05:00:00.000Z' }], 'UTC', built, '2026-11-20');
    expect(degraded.uptime).toBe(1);
    expect(degraded.worst).toBe('degraded_performance');
    expect(degraded.minutes.degraded_performance).toBe(240);
    const maintenance = day([{ status: 'under_maintenance', from: '2026-11-20T01:00:00.000Z', to: '2026-11-20T05:00:00.000Z' }], 'UTC', built, '2026-11-20');
    expect(maintenance.uptime).toBe(1);
  });

  it('leaves days before the component existed without data and counts its first day whole', () => {
    const a = dailyAvailability({
      history: [{ status: 'major_outage', from: '2026-11-21T04:00:00.000Z', to: '2026-11-21T05:00:00.000Z' }],
      createdAt: '2026-11-21T03:00:00.000Z', timeZone: 'Asia/Tokyo', builtAt: '2026-11-23T05:05:00.000Z',
    });
    expect(a.days.filter((d) => d.uptime === null).map((d) => d.date).at(-1)).toBe('2026-11-20');
    expect(a.days.filter((d) => d.uptime !== null)).toHaveLength(3);
    // Created at 12:00 JST, counted from that day's midnight (Statuspage's start_date): 24 hours, one of them down.
    expect(a.days.find((d) => d.date === '2026-11-21')!.uptime).toBeCloseTo(1 - 60 / 1440, 10);
    // The 90-day figure covers only the days it existed: 24 h + 24 h + 14 h 05 min.
    expect(a.uptime).toBeCloseTo(1 - 60 / (1440 + 1440 + 845), 10);
  });

  it('counts today only up to builtAt and runs an open segment until then', () => {
    const d = day([{ status: 'major_outage', from: '2026-11-23T03:05:00.000Z', to: null }], 'Asia/Tokyo', '2026-11-23T05:05:00.000Z', '2026-11-23');
    expect(d.minutes.major_outage).toBe(120);
    // 00:00–14:05 JST observed.
    expect(d.uptime).toBeCloseTo(1 - 120 / 845, 10);
  });

  it('takes the worse status where segments overlap', () => {
    const d = day([
      { status: 'degraded_performance', from: '2026-11-20T01:00:00.000Z', to: '2026-11-20T03:00:00.000Z' },
      { status: 'major_outage', from: '2026-11-20T02:00:00.000Z', to: '2026-11-20T02:30:00.000Z' },
    ], 'UTC', '2026-11-23T00:00:00.000Z', '2026-11-20');
    expect(d.minutes).toEqual({ major_outage: 30, partial_outage: 0, degraded_performance: 90, under_maintenance: 0 });
    expect(d.worst).toBe('major_outage');
  });
});

describe('time helpers', () => {
  it('starts a day at its first existing minute when midnight is skipped (America/Santiago)', () => {
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(wallClock(start, 'America/Santiago')).toMatchObject({ day: 6, hour: 1, minute: 0 });
    expect(startOfLocalDay('2026-09-07', 'America/Santiago') - start).toBe(23 * 3_600_000);
  });

  it('finds midnight when the offset at UTC midnight is already the new one (Australia/Sydney)', () => {
    // DST starts at 02:00 local on 4 Oct 2026, i.e. 16:00 UTC on the 3rd, before UTC midnight of the 4th.
    const start = startOfLocalDay('2026-10-04', 'Australia/Sydney');
    expect(new Date(start).toISOString()).toBe('2026-10-03T14:00:00.000Z');
    expect(startOfLocalDay('2026-10-05', 'Australia/Sydney') - start).toBe(23 * 3_600_000);
  });

  it('writes times like Statuspage and people expect', () => {
    expect(isoInZone('2026-11-23T05:05:00.000Z', 'Asia/Tokyo')).toBe('2026-11-23T14:05:00.000+09:00');
    expect(isoInZone('2026-11-01T12:00:00.000Z', 'America/New_York')).toBe('2026-11-01T07:00:00.000-05:00');
    expect(isoInZone('2026-11-23T05:05:00.123Z', 'Etc/UTC')).toBe('2026-11-23T05:05:00.123Z');
    expect(displayTime('2026-11-23T05:05:00.000Z', 'Asia/Tokyo')).toBe('2026-11-23 14:05 JST');
    expect(displayTime('2026-07-01T12:00:00.000Z', 'Europe/London')).toBe('2026-07-01 13:00 BST');
    expect(displayTime('2026-07-01T12:00:00.000Z', 'America/New_York')).toBe('2026-07-01 08:00 EDT');
  });

  it('never rounds a day with downtime up to 100 %', () => {
    expect(formatPercent(1)).toBe('100');
    expect(formatPercent(0.99996)).toBe('99.99');
    expect(formatPercent(1 - 12 / 1440)).toBe('99.16');
    expect(formatPercent(0.995)).toBe('99.5');
  });
});
