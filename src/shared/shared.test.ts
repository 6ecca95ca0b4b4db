// Pure wording shared by the server and the web UI.
import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';
import { containsNul } from './nul.js';
import { phaseChangeAllowed } from './phases.js';
import { DEFAULT_TEMPLATES, renderUpdate, unknownPlaceholders } from './render.js';
import { describeEvent } from './timeline-text.js';

const facts = { number: 7, title: 'Login fails', severity: 'SEV2', commander: 'Aki', drill: false };

describe('status update rendering', () => {
  it('puts the phase prefix in the reader’s language, with no space after Japanese brackets', () => {
    const content = { phase: 'resolved' as const, body: 'Metrics are back to normal.' };
    expect(renderUpdate(DEFAULT_TEMPLATES, 'public', 'en', facts, content)).toBe('[Resolved] Metrics are back to normal.');
    expect(renderUpdate(DEFAULT_TEMPLATES, 'public', 'ja', facts, content)).toBe('【復旧完了】Metrics are back to normal.');
  });

  it('says what is not known yet to stakeholders instead of leaving blanks', () => {
    const out = renderUpdate(DEFAULT_TEMPLATES, 'stakeholder', 'ja', facts, { phase: 'identified', body: 'DNS misconfigured.' });
    expect(out).toContain('影響: 未定');
    expect(out).toContain('必要な判断: なし');
    expect(out.startsWith('【原因特定】Login fails')).toBe(true);
  });

  it('marks drills in every rendering', () => {
    expect(renderUpdate(DEFAULT_TEMPLATES, 'internal', 'en', { ...facts, drill: true }, { phase: 'investigating', body: 'x' })).toMatch(/^\[DRILL\] \[Investigating\] INC-7/);
  });

  it('finds unknown placeholders in custom templates', () => {
    expect(unknownPlaceholders('{{prefix}} {{ body }} {{colour}}')).toEqual(['colour']);
  });
});

describe('phases', () => {
  it('only leaves resolved by reopening', () => {
    expect(phaseChangeAllowed('resolved', 'monitoring')).toBe(false);
    expect(phaseChangeAllowed('resolved', 'investigating')).toBe(true);
    expect(phaseChangeAllowed('monitoring', 'investigating')).toBe(true);
    expect(phaseChangeAllowed('identified', 'identified')).toBe(false);
  });
});

describe('timeline wording', () => {
  it('tells an overdue clock’s due time on the reader’s wall clock', () => {
    const data = { clock: 'firstPublicUpdate', dueAt: '2026-11-23T05:10:00.000Z' };
    expect(describeEvent('clock.overdue', data, '', 'en', 'UTC')).toBe('First public update is overdue (was due 05:10 UTC)');
    expect(describeEvent('clock.overdue', data, '', 'ja', 'Asia/Tokyo')).toBe('最初の公開報告の期限切れ（期限 14:10 JST）');
  });

  it('appends the note, and shows a plain note as itself', () => {
    expect(describeEvent('phase.changed', { from: 'monitoring', to: 'resolved' }, 'back to baseline', 'en')).toBe('Phase [Monitoring] → [Resolved] — back to baseline');
    expect(describeEvent('note', null, 'p99 doubled', 'ja')).toBe('p99 doubled');
  });
});

describe('containsNul', () => {
  it('finds U+0000 in strings and keys at any depth, and nothing where there is none', () => {
    expect(containsNul({ a: [1, 'x', { b: null, c: true }], d: 'plain' })).toBe(false);
    expect(containsNul('a\u0000b')).toBe(true);
    expect(containsNul({ a: [{ b: ['ok', 'bad\u0000'] }] })).toBe(true);
    expect(containsNul({ a: { ['k\u0000']: 1 } })).toBe(true);
    expect(containsNul(JSON.parse('{"__proto__": {"x": "y\\u0000"}}'))).toBe(true);
  });
});

describe('ids', () => {
  it('sort in the order they were made, even when a caller’s clock goes backwards', () => {
    const a = newId(Date.parse('2026-11-24T03:00:00Z'));
    const b = newId(Date.parse('2026-11-24T02:00:00Z'));
    const c = newId(Date.parse('2026-11-24T02:00:00Z'));
    expect([c, a, b].sort()).toEqual([a, b, c]);
    expect(new Set([a, b, c]).size).toBe(3);
  });
});
