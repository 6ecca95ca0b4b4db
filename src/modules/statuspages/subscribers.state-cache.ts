// The page state webhook payloads describe, shared by the deliveries of one event: without it, a
// fan-out to N webhook subscribers would load the whole page N times. An entry lives a few seconds
// (a payload is at most that much older than its delivery) and the map stays small.
import type { PageState } from './model.js';

/** How long the deliveries of one event share a loaded page state. */
export const STATE_TTL_MS = 5_000;
const MAX_ENTRIES = 16;

/** A small LRU of page-state loads, keyed by page and event, each kept for `ttlMs`. */
export class PageStateCache {
  private readonly entries = new Map<string, { at: number; state: Promise<PageState> }>();

  constructor(private readonly ttlMs = STATE_TTL_MS, private readonly max = MAX_ENTRIES) {}

  /**
   * The state of `pageId` for the event `eventKey`: a load started within the last `ttlMs` (even
   * one still running), else a new `load()`. A load that fails is forgotten, so the retry loads again.
   */
  get(pageId: string, eventKey: string, load: () => Promise<PageState>, now = Date.now()): Promise<PageState> {
    const key = `${pageId}\n${eventKey}`;
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && now - hit.at < this.ttlMs) {
      this.entries.set(key, hit); // most recently used last
      return hit.state;
    }
    for (const [k, e] of this.entries) if (now - e.at >= this.ttlMs) this.entries.delete(k);
    const state = load();
    this.entries.set(key, { at: now, state });
    state.catch(() => {
      if (this.entries.get(key)?.state === state) this.entries.delete(key);
    });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return state;
  }
}
