// iCalendar (RFC 5545) feeds of on-call shifts, for people's own calendars. Times are written in
// UTC (a trailing Z), which every client places in the reader's zone without a VTIMEZONE block.
// Each shift's UID is stable (schedule, person, start), so a client that polls again updates the
// entries it has rather than adding copies, and drops the ones that left the feed.

/** One calendar entry. */
export interface CalendarEvent {
  uid: string;
  start: number;
  end: number;
  summary: string;
  description?: string;
  url?: string;
}

export interface Calendar {
  name: string;
  /** The zone a client should show the calendar in by default (X-WR-TIMEZONE, a widely honoured hint). */
  timeZone?: string;
  events: CalendarEvent[];
  /** When the feed was produced (DTSTAMP). */
  now: number;
}

/** 20261123T090000Z */
function utc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, and line breaks as \n. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n')
    // Other control characters are not allowed in a TEXT value.
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/** Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character. */
export function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    // The first line holds 75 octets; continuation lines begin with a space, so they hold 74 more.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** The whole feed, CRLF line ends. */
export function renderCalendar(cal: Calendar): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Hikeshi//On-call schedules//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    ...(cal.timeZone ? [`X-WR-TIMEZONE:${escapeText(cal.timeZone)}`] : []),
    // How often to look again: shifts change with overrides.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  const stamp = utc(cal.now);
  for (const e of cal.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utc(e.start)}`,
      `DTEND:${utc(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      ...(e.url ? [`URL:${e.url}`] : []),
      // Shown as free: being on call is not a meeting.
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
