// A component's status now and over 90 days, from manual changes, incident segments and maintenance.
import { describe, expect, it } from 'vitest';
import type { ComponentHistoryInput, IncidentSegment, MaintenanceWindow } from './status-history.js';
import { componentHistory, componentStatusNow, maintenanceStatus } from './status-history.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const H = 3600_000;
const D = 24 * H;
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

const input = (over: Partial<ComponentHistoryInput> = {}): ComponentHistoryInput => ({ changes: [], incidents: [], maintenances: [], ...over });
const segment = (status: string, from: number, to: number | null, more: Partial<IncidentSegment> = {}): IncidentSegment =>
  ({ status, from_at: at(from), to_at: to === null ? null : at(to), resolved_at: null, drill: 0, ...more });
const window = (starts: number, ends: number, more: Partial<MaintenanceWindow> = {}): MaintenanceWindow =>
  ({ starts_at: at(starts), ends_at: at(ends), completed_at: null, cancelled_at: null, ...more });

describe('status now', () => {
  it('is operational with nothing recorded, else the latest manual status', () => {
    expect(componentStatusNow(input(), NOW)).toBe('operational');
    const changes = [{ status: 'partial_outage', at: at(-2 * H) }, { status: 'degraded_performance', at: at(-H) }];
    expect(componentStatusNow(input({ changes }), NOW)).toBe('degraded_performance');
  });

  it('puts the worst open incident above maintenance, and maintenance above the manual status', () => {
    const changes = [{ status: 'degraded_performance', at: at(-D) }];
    const maintenances = [window(-H, H)];
    expect(componentStatusNow(input({ changes, maintenances }), NOW)).toBe('under_maintenance');
    const incidents = [segment('degraded_performance', -30 * 60_000, null), segment('major_outage', -10 * 60_000, null), segment('partial_outage', -5 * 60_000, null)];
    expect(componentStatusNow(input({ changes, maintenances, incidents }), NOW)).toBe('major_outage');
  });

  it('drops incidents once resolved or closed, and never counts drills', () => {
    const incidents = [
      segment('major_outage', -2 * H, null, { resolved_at: at(-H) }),
      segment('partial_outage', -2 * H, -H),
      segment('major_outage', -H, null, { drill: 1 }),
    ];
    expect(componentStatusNow(input({ incidents }), NOW)).toBe('operational');
  });

  it('counts a reopened incident (its resolution cleared) as open again', () => {
    expect(componentStatusNow(input({ incidents: [segment('partial_outage', -3 * H, null, { resolved_at: null })] }), NOW)).toBe('partial_outage');
  });

  it('ends maintenance when it is completed early or cancelled, and before it starts there is none', () => {
    expect(componentStatusNow(input({ maintenances: [window(-H, H, { completed_at: at(-1) })] }), NOW)).toBe('operational');
    expect(componentStatusNow(input({ maintenances: [window(-H, H, { cancelled_at: at(-30 * 60_000) })] }), NOW)).toBe('operational');
    expect(componentStatusNow(input({ maintenances: [window(H, 2 * H)] }), NOW)).toBe('operational');
    expect(componentStatusNow(input({ maintenances: [window(-H, 0)] }), NOW)).toBe('operational');
  });
});

describe('90-day history', () => {
  it('is empty for a component that was always operational', () => {
    expect(componentHistory(input({ changes: [{ status: 'operational', at: at(-200 * D) }] }), NOW)).toEqual([]);
  });

  it('lists manual non-operational intervals oldest first, the current one open', () => {
    const changes = [
      { status: 'degraded_performance', at: at(-3 * D) },
      { status: 'operational', at: at(-2 * D) },
      { status: 'partial_outage', at: at(-H) },
    ];
    expect(componentHistory(input({ changes }), NOW)).toEqual([
      { status: 'degraded_performance', from: at(-3 * D), to: at(-2 * D) },
      { status: 'partial_outage', from: at(-H), to: null },
    ]);
  });

  it('merges overlaps by priority: incident impact over maintenance over manual', () => {
    const changes = [{ status: 'degraded_performance', at: at(-10 * H) }, { status: 'operational', at: at(-H) }];
    const maintenances = [window(-8 * H, -4 * H)];
    const incidents = [segment('partial_outage', -6 * H, -5 * H), segment('major_outage', -5.5 * H, -5 * H)];
    expect(componentHistory(input({ changes, maintenances, incidents }), NOW)).toEqual([
      { status: 'degraded_performance', from: at(-10 * H), to: at(-8 * H) },
      { status: 'under_maintenance', from: at(-8 * H), to: at(-6 * H) },
      { status: 'partial_outage', from: at(-6 * H), to: at(-5.5 * H) },
      { status: 'major_outage', from: at(-5.5 * H), to: at(-5 * H) },
      { status: 'under_maintenance', from: at(-5 * H), to: at(-4 * H) },
      { status: 'degraded_performance', from: at(-4 * H), to: at(-H) },
    ]);
  });

  it('joins adjacent intervals of the same status from different sources', () => {
    const incidents = [segment('partial_outage', -4 * H, -2 * H), segment('partial_outage', -3 * H, -H)];
    const changes = [{ status: 'partial_outage', at: at(-H) }];
    expect(componentHistory(input({ incidents, changes }), NOW)).toEqual([{ status: 'partial_outage', from: at(-4 * H), to: null }]);
  });

  it('ends an incident segment at the incident’s resolution when that comes first', () => {
    const incidents = [segment('major_outage', -5 * H, null, { resolved_at: at(-3 * H) }), segment('partial_outage', -5 * H, -4 * H, { resolved_at: at(-H) })];
    expect(componentHistory(input({ incidents }), NOW)).toEqual([{ status: 'major_outage', from: at(-5 * H), to: at(-3 * H) }]);
  });

  it('shows a reopened incident’s segment as one interval still going', () => {
    // Reopening clears resolved_at: the segment counts from its start again, without the gap.
    expect(componentHistory(input({ incidents: [segment('partial_outage', -5 * H, null, { resolved_at: null })] }), NOW))
      .toEqual([{ status: 'partial_outage', from: at(-5 * H), to: null }]);
  });

  it('ends maintenance when it was completed early, and ignores cancelled windows that never started', () => {
    const maintenances = [window(-5 * H, -H, { completed_at: at(-3 * H) }), window(-2 * H, H, { cancelled_at: at(-3 * H) })];
    expect(componentHistory(input({ maintenances }), NOW)).toEqual([{ status: 'under_maintenance', from: at(-5 * H), to: at(-3 * H) }]);
    expect(componentHistory(input({ maintenances: [window(-H, H)] }), NOW)).toEqual([{ status: 'under_maintenance', from: at(-H), to: null }]);
  });

  it('never counts drills', () => {
    expect(componentHistory(input({ incidents: [segment('major_outage', -5 * H, -H, { drill: 1 })] }), NOW)).toEqual([]);
  });

  it('clips what began before the 90 days and drops what ended before them', () => {
    const changes = [{ status: 'partial_outage', at: at(-100 * D) }, { status: 'operational', at: at(-80 * D) }];
    const incidents = [segment('major_outage', -120 * D, -95 * D)];
    expect(componentHistory(input({ changes, incidents }), NOW)).toEqual([{ status: 'partial_outage', from: at(-90 * D), to: at(-80 * D) }]);
    expect(componentHistory(input({ changes }), NOW, 7)).toEqual([]);
  });
});

describe('maintenance status', () => {
  const row = window(H, 3 * H);
  it('follows the clock: scheduled, in progress, completed', () => {
    expect(maintenanceStatus(row, 'scheduled', NOW)).toBe('scheduled');
    expect(maintenanceStatus(row, 'scheduled', NOW + H)).toBe('in_progress');
    expect(maintenanceStatus(row, 'in_progress', NOW + 3 * H)).toBe('completed');
  });
  it('is verifying when the latest update says so, but only while in progress', () => {
    expect(maintenanceStatus(row, 'verifying', NOW + 2 * H)).toBe('verifying');
    expect(maintenanceStatus(row, 'verifying', NOW)).toBe('scheduled');
  });
  it('ends early when completed, and cancelled wins over everything', () => {
    expect(maintenanceStatus({ ...row, completed_at: at(2 * H) }, 'completed', NOW + 2 * H)).toBe('completed');
    expect(maintenanceStatus({ ...row, cancelled_at: at(0), completed_at: at(2 * H) }, null, NOW + 2 * H)).toBe('cancelled');
  });
});
