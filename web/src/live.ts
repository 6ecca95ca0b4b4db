// Live data: server-sent events trigger a debounced refetch; a ticking clock for countdowns.
import { useEffect, useRef, useState } from 'react';

/**
 * Subscribes to an SSE stream while mounted and calls onChange (debounced ~150 ms) on every message
 * and on every (re)connection, so what is shown catches up after a dropped connection.
 * Returns whether the stream is connected.
 */
export function useLive(url: string | null, onChange: () => void): boolean {
  const latest = useRef(onChange);
  latest.current = onChange;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!url) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let opened = false;
    let es: EventSource | null = null;
    let stopped = false;
    const fire = () => {
      clearTimeout(timer);
      timer = setTimeout(() => latest.current(), 150);
    };
    const connect = () => {
      es = new EventSource(url, { withCredentials: true });
      es.onopen = () => {
        setConnected(true);
        // The first open needs no refetch (the page just loaded); a reconnection does.
        if (opened) fire();
        opened = true;
      };
      es.onmessage = fire;
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
