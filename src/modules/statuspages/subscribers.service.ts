// Status page subscribers: public e-mail sign-up with double opt-in, confirmation and one-click
// unsubscribe through signed links, and the admin side (list, add e-mail or signed webhook, remove,
// send a test). Messages go out through the jobs table (subscribers.notify.ts), never directly.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { JobQueue, type Job } from '../../jobs/queue.js';
import type { Channels } from '../../plugins/registry.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { SecretBox } from '../../server/secret-box.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Locale } from '../../shared/phases.js';
import type { Db, Storage } from '../../storage/db.js';
import type { StatusPagesTable, StatusSubscribersTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import { requirePage } from './guards.js';
import { type DeliverJob, STATUSPAGE_DELIVER } from './subscribers.jobs.js';
import { SubscriberLinks } from './subscribers.links.js';
import { SubscriberNotifier } from './subscribers.notify.js';
import * as repo from './subscribers.repo.js';
import type { SignUp, Subscriber, SubscriberCreateSchema, SubscriberListQuery } from './subscribers.schema.js';
import { SubscriberTokens, type TokenPurpose } from './subscribers.tokens.js';

type Create = z.output<typeof SubscriberCreateSchema>;

/** A confirmation e-mail is sent at most once per address in this window, however often the form is posted. */
const CONFIRM_RESEND_MS = 10 * 60_000;

/** Who did a public action, for the audit log: nobody signed in, only the address is known. */
export interface Visitor {
  ip?: string;
  requestId?: string;
}

function visitorActor(v: Visitor): Actor {
  return { type: 'system', userId: null, name: 'Status page visitor', role: 'viewer', ip: v.ip, requestId: v.requestId };
}

/** What a link's token leads to; `sub` is null for a subscriber removed since (see linkTarget). */
interface LinkTarget {
  sub: StatusSubscribersTable | null;
  page: StatusPagesTable;
}

/** What a confirmation or unsubscribe link did, for the page that answers: the subscriber's language and page (null when unknown). */
export interface LinkOutcome<O extends string> {
  outcome: O;
  locale: Locale | null;
  page: StatusPagesTable | null;
}

/** The answer when e-mail cannot be sent at all (no smtpUrl): the form says so instead of pretending. */
export function emailUnavailable(): HttpProblem {
  return new HttpProblem(503, 'Service unavailable', 'E-mail subscriptions are not available on this server (SMTP is not configured)',
    undefined, 'このサーバーではメールでの更新通知を利用できません（SMTP が設定されていません）');
}

function subscriberNotFound(id: string): HttpProblem {
  return new HttpProblem(404, 'Not found', `Subscriber ${id} does not exist on this page`, undefined, `購読者 ${id} はこのページに存在しません`);
}

/** The row as the API shows it: never the sealed secret. */
function toApi(r: StatusSubscribersTable): Subscriber {
  return {
    id: r.id, kind: r.kind as Subscriber['kind'], target: r.target, locale: r.locale as Locale,
    componentIds: r.component_ids_json ? (JSON.parse(r.component_ids_json) as string[]) : null,
    state: r.unsubscribed_at ? 'unsubscribed' : r.confirmed_at ? 'active' : 'pending',
    confirmedAt: r.confirmed_at, unsubscribedAt: r.unsubscribed_at, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Subscribers of status pages, and the jobs that tell them. */
export class SubscribersService {
  readonly links: SubscriberLinks;
  readonly notifier: SubscriberNotifier;
  private readonly queue: JobQueue;

  constructor(
    private readonly storage: Storage,
    private readonly channels: Channels,
    private readonly box: SecretBox,
    publicUrl: string | undefined,
  ) {
    this.links = new SubscriberLinks(publicUrl, new SubscriberTokens(box.subkey('status-subscriber-links')));
    this.notifier = new SubscriberNotifier(storage, channels, box, this.links);
    this.queue = new JobQueue(storage);
  }

  private get db(): Db {
    return this.storage.db;
  }

  /** Whether e-mail subscriptions can work here (an SMTP server is configured). */
  get emailEnabled(): boolean {
    return this.channels.email.enabled;
  }

  /** The page a public URL names, or undefined. */
  async publicPage(slug: string): Promise<StatusPagesTable | undefined> {
    return slug.length <= 128 ? repo.findPageBySlug(this.db, slug) : undefined;
  }

  /** The page's component ids (what a sign-up may name). */
  async componentIds(pageId: string): Promise<Set<string>> {
    return new Set((await repo.pageComponents(this.db, pageId)).map((c) => c.id));
  }

  // ---- public: sign-up, confirmation, unsubscribe ----

  /**
   * Creates an unconfirmed e-mail subscriber (or re-arms a pending or unsubscribed one) and enqueues
   * its confirmation e-mail in the same transaction. An address already confirmed is left alone and
   * gets nothing: the caller answers the same either way, so nobody learns who subscribes.
   */
  async signUp(page: StatusPagesTable, input: SignUp, who: Visitor): Promise<void> {
    if (!this.emailEnabled) throw emailUnavailable();
    try {
      await this.db.transaction().execute(async (trx) => {
        const id = await this.armEmail(trx, page.id, input);
        if (id) await recordAudit(trx, visitorActor(who), { action: 'status_subscriber.sign_up', targetType: 'status_subscriber', targetId: id, after: { kind: 'email', target: input.email, componentIds: input.componentIds, locale: input.locale } });
      });
    } catch (err) {
      // Two sign-ups for one new address at once: the other one created it, which is all this one wanted.
      if (!this.storage.isUniqueViolation(err)) throw err;
    }
  }

  /** Inserts or re-arms an e-mail subscriber and enqueues its confirmation; null when it is already active. */
  private async armEmail(trx: Db, pageId: string, input: SignUp): Promise<string | null> {
    const now = nowIso();
    const existing = await repo.findSubscriberByTarget(trx, pageId, 'email', input.email);
    if (existing && existing.confirmed_at && !existing.unsubscribed_at) return null;
    const fields = { locale: input.locale, component_ids_json: input.componentIds ? JSON.stringify(input.componentIds) : null, confirmed_at: null, unsubscribed_at: null, updated_at: now };
    const id = existing?.id ?? newId();
    if (existing) await repo.updateSubscriber(trx, id, fields);
    else await repo.insertSubscriber(trx, { id, page_id: pageId, kind: 'email', target: input.email, secret_sealed: null, created_at: now, ...fields });
    const payload: DeliverJob = { subscriberId: id, event: { type: 'confirm' } };
    await this.queue.enqueue({ kind: STATUSPAGE_DELIVER, payload, dedupKey: `${STATUSPAGE_DELIVER}:confirm:${id}:${Math.floor(Date.now() / CONFIRM_RESEND_MS)}` }, trx);
    return id;
  }

  /**
   * The subscriber a link's token names and that subscriber's page, or null when the token is not
   * genuine. The page comes from the subscriber, not from the URL, and the token is verified for it:
   * links in old e-mails (and the RFC 8058 URLs mail clients keep) still work after the page's slug
   * or host changed. `hint` is the page the URL names, if any: a subscriber removed since the link
   * was sent can only be checked against it.
   */
  private async linkTarget(db: Db, purpose: TokenPurpose, token: unknown, hint?: StatusPagesTable): Promise<LinkTarget | null> {
    const id = this.links.tokens.claimedSubscriber(purpose, token);
    if (!id) return null;
    const sub = await repo.findSubscriber(db, id);
    if (!sub) return hint && this.links.tokens.verify(purpose, hint.id, token) === id ? { sub: null, page: hint } : null;
    if (this.links.tokens.verify(purpose, sub.page_id, token) !== id) return null;
    const page = hint?.id === sub.page_id ? hint : await repo.findPageById(db, sub.page_id);
    return page ? { sub, page } : null;
  }

  /**
   * What a confirmation link would do, without doing it: `pending` means the reader is asked to
   * press a button (link scanners such as Safe Links open every link in a mail; only a POST confirms).
   */
  async confirmTarget(token: unknown): Promise<LinkOutcome<'pending' | 'already' | 'invalid'>> {
    const t = await this.linkTarget(this.db, 'confirm', token);
    // Unsubscribed after the link was sent: the old link must not sign them up again.
    if (!t?.sub || t.sub.unsubscribed_at) return { outcome: 'invalid', locale: null, page: null };
    return { outcome: t.sub.confirmed_at ? 'already' : 'pending', locale: t.sub.locale as Locale, page: t.page };
  }

  /**
   * Confirms the subscriber a confirmation token names; `invalid` for a bogus, expired or withdrawn
   * one (nothing changes). `locale` is the subscriber's language and `page` its page, for the answer.
   */
  async confirm(token: unknown, who: Visitor): Promise<LinkOutcome<'confirmed' | 'already' | 'invalid'>> {
    return this.db.transaction().execute(async (trx) => {
      const t = await this.linkTarget(trx, 'confirm', token);
      if (!t?.sub || t.sub.unsubscribed_at) return { outcome: 'invalid' as const, locale: null, page: null };
      const locale = t.sub.locale as Locale;
      if (t.sub.confirmed_at) return { outcome: 'already' as const, locale, page: t.page };
      const now = nowIso();
      await repo.updateSubscriber(trx, t.sub.id, { confirmed_at: now, updated_at: now });
      await recordAudit(trx, visitorActor(who), { action: 'status_subscriber.confirm', targetType: 'status_subscriber', targetId: t.sub.id });
      return { outcome: 'confirmed' as const, locale, page: t.page };
    });
  }

  /** Whether an unsubscribe token is genuine (`ask`: show the button), with the subscriber's language and page. */
  async unsubscribeTarget(token: unknown, hint?: StatusPagesTable): Promise<LinkOutcome<'ask' | 'invalid'>> {
    const t = await this.linkTarget(this.db, 'unsubscribe', token, hint);
    if (!t) return { outcome: 'invalid', locale: null, page: null };
    return { outcome: 'ask', locale: (t.sub?.locale as Locale | undefined) ?? null, page: t.page };
  }

  /** Unsubscribes the subscriber the token names; repeating it, or for a removed subscriber, is still `done`. */
  async unsubscribe(token: unknown, who: Visitor, hint?: StatusPagesTable): Promise<LinkOutcome<'done' | 'invalid'>> {
    return this.db.transaction().execute(async (trx) => {
      const t = await this.linkTarget(trx, 'unsubscribe', token, hint);
      if (!t) return { outcome: 'invalid' as const, locale: null, page: null };
      if (!t.sub) return { outcome: 'done' as const, locale: null, page: t.page };
      const locale = t.sub.locale as Locale;
      if (t.sub.unsubscribed_at) return { outcome: 'done' as const, locale, page: t.page };
      const now = nowIso();
      await repo.updateSubscriber(trx, t.sub.id, { unsubscribed_at: now, updated_at: now });
      await recordAudit(trx, visitorActor(who), { action: 'status_subscriber.unsubscribe', targetType: 'status_subscriber', targetId: t.sub.id });
      return { outcome: 'done' as const, locale, page: t.page };
    });
  }

  // ---- admin ----

  async list(pageRef: string, q: z.output<typeof SubscriberListQuery>) {
    const page = await requirePage(this.db, pageRef);
    const rows = await repo.listSubscribers(this.db, page.id, q);
    return {
      subscribers: rows.map(toApi),
      nextBefore: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
      counts: await repo.subscriberCounts(this.db, page.id),
    };
  }

  /**
   * Adds a subscriber. A webhook is active at once and gets a signing secret, returned only here and
   * stored sealed. An e-mail address still has to confirm (double opt-in): it is sent the confirmation.
   */
  async create(actor: Actor, pageRef: string, input: Create): Promise<Subscriber & { secret?: string }> {
    const page = await requirePage(this.db, pageRef);
    const known = await this.componentIds(page.id);
    const bad = (input.componentIds ?? []).findIndex((c) => !known.has(c));
    if (bad >= 0) {
      throw new HttpProblem(400, 'Invalid request', `body.componentIds.${bad}: is not a component of this page`, [{ field: `body.componentIds.${bad}`, message: 'is not a component of this page' }]);
    }
    if (input.kind === 'webhook') {
      // Checked here, not in the schema: it needs DNS. Deliveries check again (names may move).
      const problem = await this.channels.webhook.targetProblem(input.url);
      if (problem) throw new HttpProblem(400, 'Invalid request', `body.url: ${problem}`, [{ field: 'body.url', message: problem }]);
    }
    const componentIds = input.componentIds?.length ? [...new Set(input.componentIds)].sort() : null;
    const locale = input.locale ?? (page.locale as Locale);
    const target = input.kind === 'email' ? input.email : input.url;
    let secret: string | undefined;
    const id = await this.db.transaction().execute(async (trx) => {
      const existing = await repo.findSubscriberByTarget(trx, page.id, input.kind, target);
      let subscriberId: string;
      if (input.kind === 'email') {
        if (!this.emailEnabled) throw problems.conflict('E-mail subscribers need an SMTP server: set smtpUrl (HIKESHI_SMTP_URL)', 'メールの購読者を追加するには SMTP サーバーの設定（smtpUrl）が必要です');
        if (existing?.confirmed_at && !existing.unsubscribed_at) throw problems.conflict(`${target} is already subscribed to this page`, `${target} はすでにこのページを購読しています`);
        subscriberId = (await this.armEmail(trx, page.id, { email: target, componentIds, locale }))!;
      } else {
        if (existing) throw problems.conflict('This webhook URL is already a subscriber of this page; remove it first to get a new secret', 'この Webhook URL はすでに購読者です。新しいシークレットが必要なら、いったん削除してください');
        secret = `whsec_${randomBytes(24).toString('base64url')}`;
        const now = nowIso();
        subscriberId = newId();
        await repo.insertSubscriber(trx, {
          id: subscriberId, page_id: page.id, kind: 'webhook', target, secret_sealed: this.box.seal(secret), locale,
          component_ids_json: componentIds ? JSON.stringify(componentIds) : null, confirmed_at: now, unsubscribed_at: null, created_at: now, updated_at: now,
        });
      }
      await recordAudit(trx, actor, { action: 'status_subscriber.create', targetType: 'status_subscriber', targetId: subscriberId, after: { pageId: page.id, kind: input.kind, target, componentIds, locale } });
      return subscriberId;
    });
    const row = (await repo.findSubscriber(this.db, id))!;
    return secret ? { ...toApi(row), secret } : toApi(row);
  }

  async remove(actor: Actor, pageRef: string, id: string): Promise<void> {
    const page = await requirePage(this.db, pageRef);
    await this.db.transaction().execute(async (trx) => {
      const sub = await repo.findSubscriber(trx, id);
      if (!sub || sub.page_id !== page.id) throw subscriberNotFound(id);
      await repo.deleteSubscriber(trx, id);
      await recordAudit(trx, actor, { action: 'status_subscriber.delete', targetType: 'status_subscriber', targetId: id, before: toApi(sub) });
    });
  }

  /** Sends a test message through the outbox; the delivery id is what the receiver will see. */
  async test(actor: Actor, pageRef: string, id: string): Promise<{ deliveryId: string }> {
    const page = await requirePage(this.db, pageRef);
    return this.db.transaction().execute(async (trx) => {
      const sub = await repo.findSubscriber(trx, id);
      if (!sub || sub.page_id !== page.id) throw subscriberNotFound(id);
      if (sub.unsubscribed_at) throw problems.conflict('This subscriber has unsubscribed', 'この購読者は配信を停止しています');
      if (!sub.confirmed_at) throw problems.conflict('This address has not confirmed its subscription yet: only the confirmation may be sent to it', 'このアドレスはまだ登録を確定していません。確定前に送れるのは確認メールだけです');
      const dedupKey = `${STATUSPAGE_DELIVER}:test:${id}:${newId()}`;
      const payload: DeliverJob = { subscriberId: id, event: { type: 'test' } };
      await this.queue.enqueue({ kind: STATUSPAGE_DELIVER, payload, dedupKey }, trx);
      const job = await trx.selectFrom('jobs').select('id').where('dedup_key', '=', dedupKey).executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'status_subscriber.test', targetType: 'status_subscriber', targetId: id, after: { deliveryId: job.id } });
      return { deliveryId: job.id };
    });
  }

  // ---- jobs (see src/jobs/background.ts) ----

  onIncidentUpdate(job: Job): Promise<number> {
    return this.notifier.onIncidentUpdate(job);
  }

  onMaintenance(job: Job): Promise<number> {
    return this.notifier.onMaintenance(job);
  }

  deliver(job: Job): Promise<void> {
    return this.notifier.deliver(job);
  }
}
