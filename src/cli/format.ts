// Plain-text shaping for the terminal: tables, ages, times. No colours: output is often piped.

/** "45s", "12m", "3h 05m", "2d 4h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** How long ago `iso` was, e.g. "12m". */
export function age(iso: string, now = Date.now()): string {
  return formatDuration(now - Date.parse(iso));
}

/** "in 4m" or "8m ago". */
export function relative(iso: string, now = Date.now()): string {
  const diff = Date.parse(iso) - now;
  return diff >= 0 ? `in ${formatDuration(diff)}` : `${formatDuration(-diff)} ago`;
}

/** A local wall-clock time, "2026-11-23 14:05", in the machine's time zone (or TZ). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Cuts text to `max` characters with an ellipsis, and folds newlines. */
export function truncate(text: string, max: number): string {
  const one = text.replace(/\s*\n\s*/g, ' ');
  return one.length <= max ? one : one.slice(0, Math.max(0, max - 1)) + '…';
}

// East Asian wide characters take two terminal cells; Japanese titles must still line up.
function cellWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd) ? 2 : 1;
  }
  return w;
}

/** Rows as aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cellWidth(cell))));
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - cellWidth(cell)))).join('  ').trimEnd(),
  );
}

/** Indents every line of a block. */
export function indent(text: string, by = '    '): string {
  return text.split('\n').map((l) => (by + l).trimEnd()).join('\n');
}
