// Live data: server-sent events trigger a refetch (throttled in a storm); polling where no stream exists; a ticking clock for countdowns.
import { useEffect, useRef, useState } from 'react';

/** How often a live view may refetch, decided per message. */
export interface LiveOptions {
  /**
   * Given a message's parsed data, the least time in ms between two refetches it may cause, or null
   * to ignore the message (it does not concern this view). Default: 150 ms for every message.
   */
  spacing?(data: unknown): number | null;
}

/**
 * Subscribes to an SSE stream while mounted and calls onChange ~150 ms after a message (and on every
 * reconnection, so what is shown catches up after a dropped connection). Messages that arrive while a
 * refetch is pending fold into it, and refetches are at least `spacing` apart: a steady stream (an alert
 * storm) is throttled, never starved. Returns whether the stream is connected.
 */
export function useLive(url: string | null, onChange: () => void, options?: LiveOptions): boolean {
  const latest = useRef(onChange);
  latest.current = onChange;
  const spacing = useRef(options?.spacing);
  spacing.current = options?.spacing;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!url) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let opened = false;
    let es: EventSource | null = null;
    let stopped = false;
    let lastRun = 0;
    const run = () => {
      timer = undefined;
      lastRun = Date.now();
      latest.current();
    };
    const fire = (gap = 150) => {
      if (timer !== undefined) return;
      timer = setTimeout(run, Math.max(150, lastRun + gap - Date.now()));
    };
    const onMessage = (e: MessageEvent<string>) => {
      if (!spacing.current) return fire();
      let data: unknown = null;
      try {
        data = JSON.parse(e.data);
      } catch {
        data = null;
      }
      const gap = spacing.current(data);
      if (gap !== null) fire(gap);
    };
    const connect = () => {
      es = new EventSource(url, { withCredentials: true });
      es.onopen = () => {
        setConnected(true);
        // The first open needs no refetch (the page just loaded); a reconnection does.
        if (opened) fire();
        opened = true;
      };
      es.onmessage = onMessage;
      es.onerror = () => {
        setConnected(false);
        // EventSource retries by itself after a dropped connection, but gives up for good on an
        // error status (a proxy's 502, a restart's 503): then start over after a pause.
        if (es?.readyState === EventSource.CLOSED && !stopped) {
          es.close();
          retry = setTimeout(connect, 5000);
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(retry);
      es?.close();
    };
  }, [url]);
  return connected;
}

/** The current time, re-rendering every `ms` (countdowns tick each second). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/**
 * Calls fn every `ms` while the tab is visible, and at once when it becomes visible again: for views
 * whose changes no server-sent event stream carries. A hidden tab asks nothing of the server.
 */
export function usePoll(fn: () => void, ms: number): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      if (timer === undefined) timer = setInterval(() => latest.current(), ms);
    };
    const stop = () => {
      clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        latest.current();
        start();
      } else stop();
    };
    if (document.visibilityState === 'visible') start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [ms]);
}

/** Calls fn on window keydown, ignoring keys typed into fields. */
export function useHotkey(key: string, fn: () => void, enabled = true): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== key || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.closest('dialog[open]'))) return;
      e.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key, enabled]);
}

/** The alert stream's URL (one stream for every alert view). */
export const ALERTS_EVENTS = '/api/v1/alert-groups/events';
/** Least time between two refetches during a storm. */
export const STORM_SPACING_MS = 2000;

/**
 * Refetches on `alerts.changed`: ~150 ms after a change, but at most one refetch per 2 s during a
 * storm, so thousands of events never mean thousands of refetches. A storm is when the server says
 * so (the event's `storm`, or `stormActive` from the overview), or when events come faster than
 * 5 in 2 s. `concerns` narrows to the groups a view shows; an event whose ids were cut short
 * (`count` larger than the ids sent) always counts.
 */
export function useAlertsLive(onChange: () => void, concerns?: (groupIds: string[]) => boolean, stormActive = false): boolean {
  const filter = useRef(concerns);
  filter.current = concerns;
  const storm = useRef(stormActive);
  storm.current = stormActive;
  const recent = useRef<number[]>([]);
  return useLive(ALERTS_EVENTS, onChange, {
    spacing(data) {
      const d = (data as { data?: { groupIds?: unknown; storm?: unknown; count?: unknown } } | null)?.data;
      const now = Date.now();
      recent.current = [...recent.current.filter((t) => now - t < STORM_SPACING_MS), now].slice(-10);
      const ids = Array.isArray(d?.groupIds) ? d.groupIds.filter((x): x is string => typeof x === 'string') : [];
      const cut = typeof d?.count === 'number' && d.count > ids.length;
      if (filter.current && !cut && !filter.current(ids)) return null;
      return d?.storm === true || storm.current || recent.current.length > 5 ? STORM_SPACING_MS : 150;
    },
  });
}

/** The page stream's URL: `pages.changed` (started, notified, escalated, acknowledged, resolved). */
export const PAGES_EVENTS = '/api/v1/pages/events';
/** Page views poll while visible: every 5 s without the stream, every 30 s with it. */
export const PAGES_POLL_MS = 5_000;
export const PAGES_POLL_LIVE_MS = 30_000;

/**
 * Keeps a page view current: refetches on `pages.changed` (for the pages `concerns` names, when
 * given; at most once per 2 s in a burst), and polls while the tab is visible. The poll stays, slower, with the stream connected:
 * a page another node starts or escalates reaches this node's stream only once someone acts on it.
 * `when` gates the poll (a panel with no open page need not poll).
 */
export function usePagesLive(load: () => void, concerns?: (pageId: string) => boolean, when = true): boolean {
  const filter = useRef(concerns);
  filter.current = concerns;
  const recent = useRef<number[]>([]);
  const live = useLive(PAGES_EVENTS, load, {
    spacing(data) {
      const id = (data as { data?: { pageId?: unknown } } | null)?.data?.pageId;
      if (filter.current && !(typeof id === 'string' && filter.current(id))) return null;
      // A burst (a storm's groups resolving, each ending its page) refetches at most once per 2 s.
      const now = Date.now();
      recent.current = [...recent.current.filter((t) => now - t < STORM_SPACING_MS), now].slice(-10);
      return recent.current.length > 5 ? STORM_SPACING_MS : 150;
    },
  });
  usePoll(() => { if (when) load(); }, live ? PAGES_POLL_LIVE_MS : PAGES_POLL_MS);
  return live;
}
