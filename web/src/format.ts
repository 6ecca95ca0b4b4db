// Times in the viewer's time zone and language; ages and countdowns.
import type { Locale } from '../../src/shared/phases.js';
import type { Translate } from './i18n/index.js';

/** Formatting bound to one user's language and time zone. */
export interface Formatters {
  /** "23 Nov, 14:05" in the user's zone. */
  dateTime(iso: string): string;
  /** "14:05:09" in the user's zone. */
  time(iso: string): string;
  /** "3 min ago" / "3分前". */
  ago(iso: string, now: number): string;
  /** A duration in seconds as "6:12" or "1:02:03". */
  clock(seconds: number): string;
  /** A duration in seconds as "4 min 12 s" (metrics). */
  duration(seconds: number | null): string;
  /** "in 3 min" / "3分後" (past times read as ago). */
  until(iso: string, now: number): string;
  /** 9,812 / 9,812 with the user's grouping. */
  number(n: number): string;
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** Builds the formatters for a user. */
export function formatters(locale: Locale, timeZone: string, t: Translate): Formatters {
  const zone = safeZone(timeZone);
  const tag = locale === 'ja' ? 'ja-JP' : 'en-GB';
  const dt = new Intl.DateTimeFormat(tag, { timeZone: zone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  const tm = new Intl.DateTimeFormat(tag, { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const pad = (n: number) => String(n).padStart(2, '0');
  const num = new Intl.NumberFormat(tag);
  const ago = (iso: string, now: number) => {
    const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
    if (s < 10) return t('time.justNow');
    if (s < 60) return t('time.secAgo', { n: s });
    if (s < 3600) return t('time.minAgo', { n: Math.floor(s / 60) });
    if (s < 86400) return t('time.hourAgo', { n: Math.floor(s / 3600) });
    return t('time.dayAgo', { n: Math.floor(s / 86400) });
  };
  return {
    dateTime: (iso) => dt.format(new Date(iso)),
    time: (iso) => tm.format(new Date(iso)),
    ago,
    until(iso, now) {
      const s = Math.floor((Date.parse(iso) - now) / 1000);
      if (s < 0) return ago(iso, now);
      if (s < 60) return t('time.inSec', { n: s });
      if (s < 3600) return t('time.inMin', { n: Math.floor(s / 60) });
      if (s < 86400) return t('time.inHour', { n: Math.round(s / 360) / 10 });
      return t('time.inDay', { n: Math.round(s / 8640) / 10 });
    },
    number: (n) => num.format(n),
    clock(seconds) {
      const s = Math.max(0, Math.floor(Math.abs(seconds)));
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
    },
    duration(seconds) {
      if (seconds === null) return t('common.dash');
      const s = Math.round(seconds);
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      const unit = locale === 'ja' ? { h: '時間', m: '分', s: '秒' } : { h: ' h ', m: ' min ', s: ' s' };
      if (h > 0) return `${h}${unit.h}${m}${unit.m}`.trim();
      if (m > 0) return `${m}${unit.m}${s % 60}${unit.s}`.trim();
      return `${s}${unit.s}`.trim();
    },
  };
}
