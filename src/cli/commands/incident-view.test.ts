// How incidents read in a terminal, from the API's JSON: markers, alignment, the parts a commander scans for.
import { describe, expect, it } from 'vitest';
import type { IncidentDetail, IncidentSummary } from '../../modules/incidents/incidents.schema.js';
import { normalizeServer } from '../client.js';
import { parseDue } from './common.js';
import { formatList, formatShow } from './incident-view.js';

const NOW = Date.parse('2026-11-23T05:30:00Z');
const clock = (overdue: boolean) => ({ cadenceMinutes: 30, lastAt: null, nextDueAt: '2026-11-23T05:20:00Z', overdue });

function summary(over: Partial<IncidentSummary> & { overdue?: boolean } = {}): IncidentSummary {
  const { overdue = false, ...rest } = over;
  return {
    id: 'i1', number: 7, ref: 'INC-7', title: 'Checkout returns 500s', summary: '', severity: 'SEV2', phase: 'investigating',
    drill: false, commander: { id: 'u1', name: 'Aiko Tanaka' }, services: [], declaredAt: '2026-11-23T05:00:00Z',
    updatedAt: '2026-11-23T05:00:00Z',
    clocks: {
      firstPublicUpdate: { targetMinutes: 10, dueAt: '2026-11-23T05:10:00Z', metAt: null, overdue },
      audiences: { internal: clock(false), stakeholder: clock(false), public: clock(false) },
    },
    metrics: {
      declaredAt: '2026-11-23T05:00:00Z', acknowledgedAt: null, firstPublicUpdateAt: null, mitigatedAt: null, resolvedAt: null,
      secondsToAcknowledge: null, secondsToFirstPublicUpdate: null, secondsToMitigate: null, secondsToResolve: null,
    },
    ...rest,
  };
}

describe('incident list', () => {
  it('marks an incident whose update is overdue, and explains the mark', () => {
    const lines = formatList([summary({ overdue: true }), summary({ ref: 'INC-8', title: 'Calm one' })], 'open', NOW);
    expect(lines[1]).toMatch(/^!\s+INC-7\s+SEV2\s+investigating\s+Checkout returns 500s\s+Aiko Tanaka\s+30m$/);
    expect(lines[2]).toMatch(/^\s+INC-8/);
    expect(lines.at(-1)).toContain('! = a status update is overdue');
  });

  it('has no marker column when nothing is overdue, and marks drills', () => {
    const lines = formatList([summary({ drill: true })], 'open', NOW);
    expect(lines[0]).toMatch(/^REF\s+SEV/);
    expect(lines[1]).toContain('[DRILL] Checkout');
    expect(lines.join('\n')).not.toContain('overdue');
  });

  it('keeps columns aligned with Japanese titles (two cells per character)', () => {
    const lines = formatList([summary({ title: '決済APIで500エラー', commander: { id: 'u', name: '田中' } }), summary({ ref: 'INC-10', title: 'ASCII' })], 'open', NOW);
    const col = (line: string, text: string) => {
      const before = line.slice(0, line.indexOf(text));
      return [...before].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
    };
    expect(col(lines[1] ?? '', '田中')).toBe(col(lines[0] ?? '', 'COMMANDER'));
    expect(col(lines[2] ?? '', 'Aiko')).toBe(col(lines[0] ?? '', 'COMMANDER'));
  });

  it('says so when there is nothing', () => {
    expect(formatList([], 'open', NOW)).toEqual(['No open incidents.']);
  });
});

describe('incident show', () => {
  it('shows the overdue first public update, idle responders, overdue tasks and the newest updates', () => {
    const base = summary({ overdue: true });
    const d: IncidentDetail = {
      ...base,
      declaredBy: { id: 'u1', name: 'Aiko Tanaka' },
      roles: [{ role: 'commander', user: { id: 'u1', name: 'Aiko Tanaka' }, assignedAt: base.declaredAt }, { role: 'scribe', user: null, assignedAt: null }],
      responders: [
        { user: { id: 'u1', name: 'Aiko Tanaka' }, joinedAt: base.declaredAt, roles: ['commander'], openTaskIds: [], idle: false },
        { user: { id: 'u2', name: 'Ken Sato' }, joinedAt: base.declaredAt, roles: [], openTaskIds: [], idle: true },
      ],
      tasks: [{
        id: 't1', owner: { id: 'u1', name: 'Aiko Tanaka' }, purpose: 'find the cause', action: 'read the logs', status: 'open',
        dueAt: '2026-11-23T05:20:00Z', overdue: true, createdAt: base.declaredAt, updatedAt: base.declaredAt, doneAt: null,
      }],
      decisions: [],
      updates: ['05:01', '05:02', '05:03', '05:04'].map((t, n) => ({
        id: `s${n}`, audience: 'internal' as const, phase: 'investigating' as const, body: `update ${n}`, impact: null, eta: null,
        decisionsNeeded: null, author: null, createdAt: `2026-11-23T${t}:00Z`, rendered: { en: `[Investigating] update ${n}`, ja: '' },
      })).reverse(),
    };
    const out = formatShow(d, [], NOW).join('\n');
    expect(out).toMatch(/!\s+First public update\s+due .*\(20m ago; target 10 min\)\s+OVERDUE/);
    expect(out).toMatch(/scribe\s+\(unassigned\)/);
    expect(out).toMatch(/Ken Sato\s+idle \(may be released\)/);
    expect(out).toMatch(/! \[open\] Aiko Tanaka: read the logs\s+due .* OVERDUE/);
    expect(out).toContain('Latest updates (3 of 4)');
    expect(out).not.toContain('update 0');
    expect(out.indexOf('update 1')).toBeLessThan(out.indexOf('update 3'));
  });
});

describe('option parsing', () => {
  it('takes due times as ISO or as a delay', () => {
    expect(parseDue('30m', NOW)).toBe('2026-11-23T06:00:00.000Z');
    expect(parseDue('1h30m', NOW)).toBe('2026-11-23T07:00:00.000Z');
    expect(parseDue('2026-11-23T14:00:00+09:00', NOW)).toBe('2026-11-23T05:00:00.000Z');
    expect(() => parseDue('soon', NOW)).toThrow(/ISO time/);
  });

  it('accepts a server URL as people paste it', () => {
    expect(normalizeServer('http://localhost:8080/')).toBe('http://localhost:8080');
    expect(normalizeServer('https://hikeshi.example.com/api/v1/')).toBe('https://hikeshi.example.com');
    expect(normalizeServer('https://example.com/hikeshi')).toBe('https://example.com/hikeshi');
    expect(() => normalizeServer('localhost:8080')).toThrow(/http/);
  });
});
