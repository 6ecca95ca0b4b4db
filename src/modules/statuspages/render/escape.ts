// Everything a page's editors type is text, never markup: one escaper for element content and
// attributes, one for XML, and the few URL checks the pages need.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content or a double-quoted attribute value. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Escaped text with its line breaks kept as <br> (CRLF and CR count as one break). */
export function escLines(text: string): string {
  return esc(text.trim()).replace(/\r\n?|\n/g, '<br>');
}

/** Characters that XML 1.0 does not allow at all (C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/F). */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for XML element content or attribute values, with characters XML cannot carry removed. */
export function escXml(text: string): string {
  return esc(text.replace(XML_INVALID, ''));
}

/** A logo source we are willing to load: https: or a data: image, else null. */
export function safeLogoUrl(url: string | null): string | null {
  if (!url) return null;
  const u = url.trim();
  if (/^data:image\/[a-z0-9.+-]+[;,]/i.test(u)) return u;
  try {
    return new URL(u).protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

/** A support link we are willing to show: http(s): or mailto:, else null. */
export function safeLinkUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const p = new URL(url.trim()).protocol;
    return p === 'https:' || p === 'http:' || p === 'mailto:' ? url.trim() : null;
  } catch {
    return null;
  }
}

/** A form action: an absolute http(s) URL or a path on this server, else null (never javascript: and the like). */
export function safeFormAction(url: string | null): string | null {
  if (!url) return null;
  if (/^\/(?!\/)/.test(url)) return url;
  try {
    const p = new URL(url).protocol;
    return p === 'https:' || p === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** An id as one safe path segment (ids are base36, so this only bites on unexpected input). */
export function pathSegment(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/gu, (c) => `_${c.codePointAt(0)!.toString(16)}`);
}
