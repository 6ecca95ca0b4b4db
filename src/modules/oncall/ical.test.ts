import { describe, expect, it } from 'vitest';
import { escapeText, fold, renderCalendar } from './ical.js';

describe('iCalendar', () => {
  it('escapes backslashes, semicolons, commas and line breaks in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds lines at 75 octets without splitting a multi-byte character', () => {
    const line = `SUMMARY:${'オンコール'.repeat(10)}`;
    const folded = fold(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    // Unfolding (RFC 5545 3.1: remove CRLF and one space) gives the line back.
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(fold('SHORT:x')).toBe('SHORT:x');
  });

  it('writes a calendar of UTC events with CRLF line ends', () => {
    const text = renderCalendar({
      name: 'DB', timeZone: 'Asia/Tokyo', now: Date.parse('2026-11-24T00:00:00Z'),
      events: [{ uid: 's-u-1@hikeshi', start: Date.parse('2026-11-24T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z'), summary: 'On call: Alice', url: 'http://x/schedules/s' }],
    });
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.split('\r\n')).toEqual(expect.arrayContaining([
      'X-WR-TIMEZONE:Asia/Tokyo', 'BEGIN:VEVENT', 'UID:s-u-1@hikeshi', 'DTSTAMP:20261124T000000Z',
      'DTSTART:20261124T000000Z', 'DTEND:20261201T000000Z', 'SUMMARY:On call: Alice', 'URL:http://x/schedules/s', 'END:VEVENT',
    ]));
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});
