// Calendar feeds: a secret URL per schedule or per person that calendar apps poll (Google Calendar,
// Outlook and Apple Calendar subscribe to a URL and cannot sign in). The secret is shown once and
// stored as its SHA-256, like API tokens; revoking a feed makes its URL answer 404.
import { hashSecret, newSecret } from '../accounts/secrets.js';
import { problems } from '../../server/problem.js';
import { type Actor, roleAtLeast } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { CalendarFeedsTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import { type CalendarEvent, renderCalendar } from './ical.js';
import * as repo from './oncall.repo.js';
import type { Directory, OnCallService } from './oncall.service.js';

const DAY_MS = 86_400_000;
/** What a feed holds: the recent past (last week's shifts stay visible) and half a year ahead. */
const FEED_BEFORE_MS = 30 * DAY_MS;
const FEED_AFTER_MS = 180 * DAY_MS;
/** last_used_at is written at most this often per feed: calendar apps poll every few minutes. */
const TOUCH_EVERY_MS = 3_600_000;
export const FEED_PREFIX = 'hkc_';

/** Words of a feed, in its creator's language. */
const WORDS = {
  en: {
    scheduleName: (schedule: string) => `${schedule} (on call)`,
    personName: (person: string) => `${person}: on call`,
    scheduleEvent: (person: string) => `On call: ${person}`,
    personEvent: (schedule: string) => `On call: ${schedule}`,
    description: (schedule: string, person: string) => `${person} is on call for ${schedule}.`,
  },
  ja: {
    scheduleName: (schedule: string) => `${schedule}(オンコール)`,
    personName: (person: string) => `${person} のオンコール`,
    scheduleEvent: (person: string) => `オンコール: ${person}`,
    personEvent: (schedule: string) => `オンコール: ${schedule}`,
    description: (schedule: string, person: string) => `${person} が ${schedule} のオンコール担当です。`,
  },
};

export interface FeedDirectory extends Directory {
  getUser(id: string): Promise<{ id: string; name: string; locale: string; disabled: boolean }>;
}

/** Creates, lists and revokes calendar feeds, and renders a feed for its secret URL. */
export class CalendarFeeds {
  constructor(
    private readonly storage: Storage,
    private readonly oncall: OnCallService,
    private readonly directory: FeedDirectory,
    private readonly clock: () => number = Date.now,
  ) {}

  private get db(): Db {
    return this.storage.db;
  }

  private async out(rows: CalendarFeedsTable[], db: Db = this.db) {
    const names = await this.directory.userNames(rows.flatMap((r) => [r.user_id, r.created_by].filter((x): x is string => !!x)), db);
    const schedules = new Map((await repo.listSchedules(db)).map((s) => [s.id, s.name]));
    return rows.map((r) => ({
      id: r.id,
      schedule: r.schedule_id ? { id: r.schedule_id, name: schedules.get(r.schedule_id) ?? r.schedule_id } : null,
      user: r.user_id ? { id: r.user_id, name: names.get(r.user_id) ?? r.user_id } : null,
      prefix: r.prefix,
      createdBy: r.created_by ? { id: r.created_by, name: names.get(r.created_by) ?? r.created_by } : null,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
    }));
  }

  /** The caller's feeds (made by them, or of their shifts); an admin sees every feed unless `mine`. */
  async list(actor: Actor, mine = false) {
    return this.out(await repo.listFeeds(this.db, roleAtLeast(actor.role, 'admin') && !mine ? undefined : actor.userId ?? '-'));
  }

  /** A new feed of a schedule, or of a person's shifts (one's own unless an admin); the URL is returned once. */
  async create(actor: Actor, target: { scheduleId: string } | { userId: string }, baseUrl: string) {
    return this.db.transaction().execute(async (trx) => {
      if ('scheduleId' in target) {
        if (!(await repo.getSchedule(trx, target.scheduleId))) throw problems.notFound('Schedule', target.scheduleId);
      } else {
        if (target.userId !== actor.userId && !roleAtLeast(actor.role, 'admin')) {
          throw problems.forbidden('Only an admin can make a calendar feed of someone else’s shifts', '他の人のシフトのカレンダーフィードを作れるのは管理者だけです');
        }
        if (!(await this.directory.userNames([target.userId], trx)).has(target.userId)) throw problems.notFound('User', target.userId);
      }
      const secret = newSecret(FEED_PREFIX);
      const row: CalendarFeedsTable = {
        id: newId(), token_hash: hashSecret(secret), prefix: secret.slice(0, FEED_PREFIX.length + 6),
        schedule_id: 'scheduleId' in target ? target.scheduleId : null, user_id: 'userId' in target ? target.userId : null,
        created_by: actor.userId, created_at: nowIso(this.clock()), last_used_at: null, revoked_at: null,
      };
      await repo.insertFeed(trx, row);
      const [feed] = await this.out([row], trx);
      await recordAudit(trx, actor, { action: 'calendar_feed.create', targetType: 'calendar_feed', targetId: row.id, after: feed });
      return { ...feed!, url: `${baseUrl}/calendar/${secret}.ics` };
    });
  }

  /** Revokes a feed: its own creator, the person it shows, or an admin. */
  async revoke(actor: Actor, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.getFeed(trx, id);
      if (!row || row.revoked_at) throw problems.notFound('Calendar feed', id);
      const own = actor.userId !== null && (row.created_by === actor.userId || row.user_id === actor.userId);
      if (!own && !roleAtLeast(actor.role, 'admin')) throw problems.notFound('Calendar feed', id);
      await repo.updateFeed(trx, id, { revoked_at: nowIso(this.clock()) });
      const [before] = await this.out([row], trx);
      await recordAudit(trx, actor, { action: 'calendar_feed.revoke', targetType: 'calendar_feed', targetId: id, before });
    });
  }

  /** The iCalendar text behind a feed's secret, or null when there is no such live feed. */
  async render(secret: string, baseUrl: string): Promise<string | null> {
    if (!secret.startsWith(FEED_PREFIX) || secret.length > 100) return null;
    const row = await repo.feedByHash(this.db, hashSecret(secret));
    if (!row) return null;
    const now = this.clock();
    if (!row.last_used_at || Date.parse(row.last_used_at) < now - TOUCH_EVERY_MS) {
      await repo.updateFeed(this.db, row.id, { last_used_at: nowIso(now) });
    }
    const owner = row.created_by ? await this.directory.getUser(row.created_by).catch(() => null) : null;
    // A disabled account's feeds stop, like its sessions and tokens: the creator's, and the person's a feed shows.
    if (owner?.disabled) return null;
    if (row.user_id && (await this.directory.getUser(row.user_id).catch(() => null))?.disabled !== false) return null;
    const words = WORDS[owner?.locale === 'ja' ? 'ja' : 'en'];
    const target = row.schedule_id ? { scheduleId: row.schedule_id } : { userId: row.user_id! };
    // From the start of a UTC day: the oldest entry is cut there, and its UID (which holds its start)
    // then changes once a day rather than at every poll.
    const from = Math.floor((now - FEED_BEFORE_MS) / DAY_MS) * DAY_MS;
    const { spans, names } = await this.oncall.feedSpans(target, from, now + FEED_AFTER_MS);
    const person = (id: string) => names.get(id) ?? id;
    const events: CalendarEvent[] = spans.map(({ schedule, span }) => ({
      uid: `${schedule.id}-${span.userId}-${span.start}@hikeshi`,
      start: span.start,
      end: span.end,
      summary: row.schedule_id ? words.scheduleEvent(person(span.userId)) : words.personEvent(schedule.name),
      description: words.description(schedule.name, person(span.userId)),
      url: `${baseUrl}/schedules/${schedule.id}`,
    }));
    let name: string;
    let timeZone: string | undefined;
    if (row.schedule_id) {
      const schedule = await repo.getSchedule(this.db, row.schedule_id);
      if (!schedule) return null;
      name = words.scheduleName(schedule.name);
      timeZone = schedule.time_zone;
    } else {
      const subject = await this.directory.userNames([row.user_id!]);
      name = words.personName(subject.get(row.user_id!) ?? row.user_id!);
    }
    return renderCalendar({ name, timeZone, events, now });
  }
}
