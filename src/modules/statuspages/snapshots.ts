// The public status pages, built once per change and served from memory. Every page is rendered to
// a set of files (HTML in both languages, Statuspage-shaped JSON, feeds); readers get those bytes
// with an ETag, never a database query. When the database cannot be reached, the last snapshot stays
// and says how old it is (principle 14: the status page is up when everything else is down).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import type { EventBus } from '../../server/event-bus.js';
import type { PageState, SnapshotFile } from './model.js';
import { renderPage } from './render/index.js';

/** A file ready to send: body, gzipped body (when smaller) and its validator. */
export interface ServedFile {
  contentType: string;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  /** A strong validator differs per encoding. */
  gzipEtag: string;
}

/** One page's current snapshot. */
export interface PageSnapshot {
  pageId: string;
  slug: string;
  host: string | null;
  state: PageState;
  files: Map<string, ServedFile>;
  /** The raw rendered files (for `statuspage export`). */
  rendered: SnapshotFile[];
  /** Set while the database cannot be reached: since when the page could not be refreshed. */
  staleSince: string | null;
}

/** What the snapshots need from the status page service. */
export interface SnapshotSource {
  servingIndex(): Promise<{ id: string; slug: string; host: string | null }[]>;
  pageState(pageRef: string, now: number, opts: { baseUrl: string; subscribeAction: string | null }): Promise<PageState>;
  revision(): Promise<string>;
}

export interface SnapshotOptions {
  /** The server's public URL (config publicUrl), without a trailing slash; null until known. */
  publicUrl: string | null;
  /** Whether readers can subscribe by e-mail (SMTP is configured); otherwise the page shows no form. */
  subscriptions?: boolean;
  /** How often to ask the database whether anything changed (catches other nodes and the clock). */
  pollMs?: number;
  /** Rebuild at least this often even when nothing changed (the availability bars move on at midnight). */
  maxAgeMs?: number;
  /** Called with every page's files after a rebuild that changed them (the periodic static export). */
  onRebuilt?: (snapshot: PageSnapshot) => Promise<void> | void;
  /** How long a build may take before it counts as failed (default 15 s). */
  buildTimeoutMs?: number;
  /** Called with the slug of a page that is no longer served (deleted or renamed). */
  onRemoved?: (slug: string) => Promise<void> | void;
}

/** Bus events after which public pages may look different (not every incident event: an alert storm must not rebuild pages). */
const RELEVANT = /^(statuspage\.|incident\.(update_posted|phase_changed|updated)$)/;
/** Builds are at least this far apart, however many changes arrive. */
const MIN_INTERVAL_MS = 1_000;
/** A build that takes longer (a database that stopped answering without refusing) counts as failed. */
const BUILD_TIMEOUT_MS = 15_000;

/** A page that no longer exists (deleted between the index and its state): skipped, not a failure. */
function isGone(err: unknown): boolean {
  return (err as { status?: number } | null)?.status === 404;
}

export function fileFrom(file: SnapshotFile): ServedFile {
  const body = Buffer.from(file.body, 'utf8');
  const zipped = body.length > 512 ? gzipSync(body, { level: 6 }) : null;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { contentType: file.contentType, body, gzip: zipped && zipped.length < body.length ? zipped : null, etag, gzipEtag: etag.replace(/"$/, '-gz"') };
}

/** The live cache of every status page's snapshot. */
export class StatusSnapshots {
  /** Files answered straight from memory (hikeshi_statuspage_requests_total). */
  served = 0;
  private bySlug = new Map<string, PageSnapshot>();
  private byHost = new Map<string, string>();
  private firstSlug: string | null = null;
  private revision: string | null = null;
  private builtAt = 0;
  private failingSince: string | null = null;
  private building: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastBuildStart = 0;
  private generation = 0;
  /** Per page, the ETags last handed to onRebuilt, so an unchanged page is not exported again. */
  private exported = new Map<string, string>();
  private readonly pollMs: number;
  private readonly maxAgeMs: number;

  constructor(private readonly source: SnapshotSource, private readonly bus: EventBus, private readonly log: Logger, private readonly options: SnapshotOptions) {
    this.pollMs = options.pollMs ?? 5_000;
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  }

  /** Builds every page once, then keeps them fresh: on local events at once, else by polling the revision. */
  async start(): Promise<void> {
    this.unsubscribe = this.bus.subscribe((e) => {
      if (!RELEVANT.test(e.type)) return;
      if (this.debounce) return;
      // Several events of one change arrive together: build once for all of them, and not more than once a second.
      const wait = Math.max(50, this.lastBuildStart + MIN_INTERVAL_MS - Date.now());
      this.debounce = setTimeout(() => {
        this.debounce = null;
        void this.refresh(true);
      }, wait);
      this.debounce.unref();
    });
    await this.refresh(true);
    this.timer = setInterval(() => void this.refresh(false), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    await this.building; // bounded by BUILD_TIMEOUT_MS
  }

  /**
   * Without a configured public URL, links in feeds and JSON and the subscribe form use the address
   * the server announced at start (http://localhost:8080); a rebuild follows.
   */
  async setFallbackOrigin(origin: string): Promise<void> {
    if (this.options.publicUrl) return;
    this.options.publicUrl = origin.replace(/\/$/, '');
    await this.refresh(true);
  }

  /** The snapshot of a page by slug, or null. */
  page(slug: string): PageSnapshot | null {
    return this.bySlug.get(slug) ?? null;
  }

  /** The snapshot of a page by id, or null. */
  pageById(id: string): PageSnapshot | null {
    for (const s of this.bySlug.values()) if (s.pageId === id) return s;
    return null;
  }

  /** Every page's snapshot. */
  all(): PageSnapshot[] {
    return [...this.bySlug.values()];
  }

  /** Whether any page has a host name of its own (else no request needs its Host looked at). */
  hasHosts(): boolean {
    return this.byHost.size > 0;
  }

  /** The slug of the page that owns a custom host name, or null. */
  slugForHost(host: string): string | null {
    return this.byHost.get(host.toLowerCase()) ?? null;
  }

  /** The first page created: what /api/v2/*.json on the main host answers for. */
  defaultSlug(): string | null {
    return this.firstSlug;
  }

  /**
   * Rebuilds when something changed (force: a local event said so; otherwise the revision decides,
   * or the snapshot is older than maxAgeMs). Concurrent calls coalesce into one more build.
   */
  async refresh(force: boolean): Promise<void> {
    if (this.building) {
      this.again ||= force;
      return this.building;
    }
    this.building = (async () => {
      try {
        await this.buildWithin(force, this.options.buildTimeoutMs ?? BUILD_TIMEOUT_MS);
      } finally {
        this.building = null;
      }
      if (this.again) {
        this.again = false;
        await this.refresh(true);
      }
    })();
    return this.building;
  }

  /** A build that has not finished after `ms` is given up on (its late result is ignored) and counts as a failure. */
  private async buildWithin(force: boolean, ms: number): Promise<void> {
    const generation = ++this.generation;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`status pages: no answer from the database within ${ms / 1000} s`)), ms);
      timer.unref();
    });
    const now = Date.now();
    this.lastBuildStart = now;
    try {
      const built = await Promise.race([this.build(force, now), timeout]);
      if (built && generation === this.generation) await this.install(built, now);
    } catch (err) {
      if (generation === this.generation) await this.markStale(err, now);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads and renders every page; null when nothing changed since the last build. */
  private async build(force: boolean, now: number) {
    const revision = await this.source.revision();
    if (!force && revision === this.revision && now - this.builtAt < this.maxAgeMs && !this.failingSince) return null;
    const index = await this.source.servingIndex();
    const next = new Map<string, PageSnapshot>();
    for (const p of index) {
      try {
        const state = await this.source.pageState(p.id, now, { baseUrl: this.baseUrl(p), subscribeAction: this.subscribeAction(p) });
        next.set(p.slug, this.snapshot(p, state, null));
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    }
    return { revision, index: index.filter((p) => next.has(p.slug)), next };
  }

  private async install(built: { revision: string; index: { id: string; slug: string; host: string | null }[]; next: Map<string, PageSnapshot> }, now: number) {
    const removed = [...this.bySlug.keys()].filter((slug) => !built.next.has(slug));
    this.swap(built.next, built.index);
    this.revision = built.revision;
    this.builtAt = now;
    if (this.failingSince) this.log.info({ since: this.failingSince }, 'status pages refreshed again');
    this.failingSince = null;
    for (const slug of removed) {
      this.exported.delete(slug);
      await this.hook(slug, () => this.options.onRemoved?.(slug));
    }
    await this.exportChanged();
  }

  /** Keep serving what we have; say on every page since when it could not be refreshed. */
  private async markStale(err: unknown, now: number): Promise<void> {
    if (this.failingSince) return;
    this.failingSince = new Date(now).toISOString();
    this.log.error({ err }, 'status pages could not be refreshed; serving the last snapshot');
    for (const [slug, s] of this.bySlug) this.bySlug.set(slug, this.snapshot({ id: s.pageId, slug: s.slug, host: s.host }, s.state, this.failingSince));
    await this.exportChanged();
  }

  /** Hands pages whose files changed to onRebuilt (the periodic export). */
  private async exportChanged(): Promise<void> {
    if (!this.options.onRebuilt) return;
    for (const s of this.bySlug.values()) {
      const signature = [...s.files.values()].map((f) => f.etag).join(',');
      if (this.exported.get(s.slug) === signature) continue;
      if (await this.hook(s.slug, () => this.options.onRebuilt?.(s))) this.exported.set(s.slug, signature);
    }
  }

  private async hook(slug: string, fn: () => Promise<void> | void): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (err) {
      this.log.warn({ err, page: slug }, 'status page export failed');
      return false;
    }
  }

  private snapshot(p: { id: string; slug: string; host: string | null }, state: PageState, staleSince: string | null): PageSnapshot {
    const rendered = renderPage(state, staleSince ? { staleSince } : undefined);
    const files = new Map(rendered.map((f) => [f.path, fileFrom(f)]));
    return { pageId: p.id, slug: p.slug, host: p.host, state, files, rendered, staleSince };
  }

  private swap(next: Map<string, PageSnapshot>, index: { slug: string; host: string | null }[]): void {
    this.bySlug = next;
    this.byHost = new Map(index.filter((p) => p.host).map((p) => [p.host!.toLowerCase(), p.slug]));
    this.firstSlug = index[0]?.slug ?? null;
  }

  /** Where the page lives for readers: its own host, else the server's public URL + /status/<slug>/. */
  private baseUrl(p: { slug: string; host: string | null }): string {
    if (p.host) return `https://${p.host}/`;
    return this.options.publicUrl ? `${this.options.publicUrl}/status/${p.slug}/` : '';
  }

  private subscribeAction(p: { slug: string; host: string | null }): string | null {
    if (!this.options.subscriptions) return null;
    if (p.host) return `https://${p.host}/subscribe`;
    return `${this.options.publicUrl ?? ''}/status/${p.slug}/subscribe`;
  }
}
