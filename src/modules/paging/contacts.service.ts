// How each person is reached: contact methods (an e-mail address, a Slack or Teams webhook, a signed
// webhook of their own) and notification rules ("e-mail at once, Slack after 5 minutes if still
// unacknowledged"). Webhook URLs are secrets (anyone holding a Slack webhook URL can post to the
// channel), so targets are sealed at rest and shown back only as a hint.
import type { z } from 'zod';
import { type ChannelMessage, type ChannelPlugin, DeliveryError } from '../../plugins/channel.js';
import { emailAddressProblem, normalizeEmail } from '../../plugins/channels/email/address.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { SecretBox } from '../../server/secret-box.js';
import { type Actor, roleAtLeast } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { ContactMethodsTable } from '../../storage/schema.js';
import { newSecret } from '../accounts/secrets.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ContactKind, ContactMethodCreateSchema, NotificationRulesReplaceSchema } from './paging.schema.js';

type ContactMethodCreate = z.output<typeof ContactMethodCreateSchema>;
type RulesReplace = z.output<typeof NotificationRulesReplaceSchema>;

/** A channel as paging uses it: send, and for URL-based channels say whether a URL is acceptable. */
export type PagingChannel = ChannelPlugin<any> & { targetProblem?(url: string): Promise<string | null> };
export type PagingChannels = Partial<Record<ContactKind, PagingChannel>>;

/** What a contact method's sealed target holds. */
export type ContactTarget = { address: string } | { url: string; secret?: string };

/** A person's way of being reached, opened for sending. */
export interface OpenContact {
  id: string;
  userId: string;
  kind: ContactKind;
  target: ContactTarget;
}

/** What paging needs to know of a person. */
export interface PagingPeople {
  person(id: string): Promise<{ id: string; name: string; email: string; locale: string; timeZone: string; disabled: boolean }>;
}

/** The host and the last characters of a URL: enough to tell two webhooks apart, not enough to post to one. */
function urlHint(raw: string): string {
  const url = new URL(raw);
  return `${url.host}/…${raw.slice(-4)}`;
}

function out(r: ContactMethodsTable) {
  return { id: r.id, userId: r.user_id, kind: r.kind as ContactKind, label: r.label, hint: r.hint, createdAt: r.created_at };
}

/** Contact methods and notification rules, and the test notification. */
export class ContactsService {
  constructor(
    private readonly storage: Storage,
    private readonly channels: PagingChannels,
    private readonly box: SecretBox,
    private readonly people: PagingPeople,
  ) {}

  private get db(): Db {
    return this.storage.db;
  }

  /** Only the person themself or an admin manages their contact methods; others learn nothing (`notFound` says what they asked for). */
  private allow(actor: Actor, userId: string, notFound = () => problems.notFound('User', userId)): void {
    if (actor.userId !== userId && !roleAtLeast(actor.role, 'admin')) throw notFound();
  }

  async list(actor: Actor, userId: string) {
    this.allow(actor, userId);
    await this.people.person(userId);
    const rows = await this.db.selectFrom('contact_methods').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map(out);
  }

  async create(actor: Actor, userId: string, input: ContactMethodCreate) {
    this.allow(actor, userId);
    await this.people.person(userId);
    const invalid = (message: string) => new HttpProblem(400, 'Invalid request', `body.address: ${message}`, [{ field: 'body.address', message }]);
    let target: ContactTarget;
    let hint: string;
    let signingSecret: string | null = null;
    if (!this.channels[input.kind]?.enabled) {
      // E-mail without smtpUrl would accept the address and fail every page later.
      throw new HttpProblem(400, 'Invalid request', 'body.kind: not available on this server', [{ field: 'body.kind', message: 'not available on this server' }]);
    }
    if (input.kind === 'email') {
      const problem = emailAddressProblem(input.address);
      if (problem) throw invalid(problem);
      const address = normalizeEmail(input.address);
      target = { address };
      hint = address;
    } else {
      const channel = this.channels[input.kind];
      if (!channel?.targetProblem) throw new HttpProblem(400, 'Invalid request', 'body.kind: not available on this server', [{ field: 'body.kind', message: 'not available on this server' }]);
      const problem = await channel.targetProblem(input.address);
      if (problem) throw invalid(problem);
      if (input.kind === 'webhook') signingSecret = newSecret('whsec_');
      target = signingSecret ? { url: input.address, secret: signingSecret } : { url: input.address };
      hint = urlHint(input.address);
    }
    const row: ContactMethodsTable = {
      // The default label is the hint itself: the UI names the kind in the reader's language beside it.
      id: newId(), user_id: userId, kind: input.kind, label: input.label ?? hint,
      target_sealed: this.box.seal(JSON.stringify(target)), hint, created_at: nowIso(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('contact_methods').values(row).execute();
      await recordAudit(trx, actor, { action: 'contact_method.create', targetType: 'user', targetId: userId, after: out(row) });
    });
    return { ...out(row), signingSecret };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('contact_methods').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw problems.notFound('Contact method', id);
      this.allow(actor, row.user_id, () => problems.notFound('Contact method', id));
      await trx.deleteFrom('notification_rules').where('contact_method_id', '=', id).execute();
      await trx.deleteFrom('contact_methods').where('id', '=', id).execute();
      await recordAudit(trx, actor, { action: 'contact_method.delete', targetType: 'user', targetId: row.user_id, before: out(row) });
    });
  }

  async rules(actor: Actor, userId: string) {
    this.allow(actor, userId);
    await this.people.person(userId);
    const rows = await this.db.selectFrom('notification_rules').selectAll().where('user_id', '=', userId).orderBy('delay_minutes').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, contactMethodId: r.contact_method_id, delayMinutes: r.delay_minutes }));
  }

  async replaceRules(actor: Actor, userId: string, input: RulesReplace) {
    this.allow(actor, userId);
    await this.people.person(userId);
    return this.db.transaction().execute(async (trx) => {
      const own = new Set((await trx.selectFrom('contact_methods').select('id').where('user_id', '=', userId).execute()).map((r) => r.id));
      const errors = input.rules.flatMap((r, i) => (own.has(r.contactMethodId) ? [] : [{ field: `body.rules.${i}.contactMethodId`, message: 'not one of this person’s contact methods' }]));
      if (errors.length) throw new HttpProblem(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
      const before = await this.rulesIn(trx, userId);
      await trx.deleteFrom('notification_rules').where('user_id', '=', userId).execute();
      const now = nowIso();
      for (const r of input.rules) {
        await trx.insertInto('notification_rules').values({ id: newId(), user_id: userId, contact_method_id: r.contactMethodId, delay_minutes: r.delayMinutes, created_at: now }).execute();
      }
      const after = await this.rulesIn(trx, userId);
      await recordAudit(trx, actor, { action: 'notification_rules.replace', targetType: 'user', targetId: userId, before, after });
      return after;
    });
  }

  private async rulesIn(db: Db, userId: string) {
    const rows = await db.selectFrom('notification_rules').selectAll().where('user_id', '=', userId).orderBy('delay_minutes').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, contactMethodId: r.contact_method_id, delayMinutes: r.delay_minutes }));
  }

  /**
   * How a page reaches this person: each rule's contact method and delay; with no rules, e-mail to
   * their sign-in address at once (a page must reach someone who has not set anything up).
   */
  async plan(userId: string, db: Db = this.db): Promise<{ contactMethodId: string | null; kind: ContactKind; delayMinutes: number }[]> {
    const rules = await db.selectFrom('notification_rules').innerJoin('contact_methods', 'contact_methods.id', 'notification_rules.contact_method_id')
      .select(['notification_rules.contact_method_id as id', 'contact_methods.kind as kind', 'notification_rules.delay_minutes as delay'])
      .where('notification_rules.user_id', '=', userId).orderBy('notification_rules.delay_minutes').execute();
    if (rules.length === 0) return [{ contactMethodId: null, kind: 'email', delayMinutes: 0 }];
    return rules.map((r) => ({ contactMethodId: r.id, kind: r.kind as ContactKind, delayMinutes: r.delay }));
  }

  /** The contact method opened for sending; null contact method id: the person's sign-in e-mail. */
  async open(userId: string, contactMethodId: string | null): Promise<OpenContact | null> {
    if (contactMethodId === null) {
      const user = await this.people.person(userId);
      return { id: 'account-email', userId, kind: 'email', target: { address: user.email } };
    }
    const row = await this.db.selectFrom('contact_methods').selectAll().where('id', '=', contactMethodId).executeTakeFirst();
    if (!row) return null;
    return { id: row.id, userId: row.user_id, kind: row.kind as ContactKind, target: JSON.parse(this.box.open(row.target_sealed)) as ContactTarget };
  }

  /** Sends through a contact method; throws the channel's DeliveryError. */
  async send(contact: OpenContact, message: ChannelMessage, deliveryId: string) {
    const channel = this.channels[contact.kind];
    if (!channel) throw DeliveryError.permanent(`${contact.kind} is not available on this server`);
    if (!channel.enabled) throw DeliveryError.permanent(`${contact.kind} is not configured on this server`);
    return channel.send(message, contact.target, deliveryId);
  }

  /** A test notification, sent now; says whether it arrived. The person themself or an admin. */
  async test(actor: Actor, id: string, message: ChannelMessage): Promise<{ delivered: boolean; detail: string }> {
    const row = await this.db.selectFrom('contact_methods').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw problems.notFound('Contact method', id);
    this.allow(actor, row.user_id, () => problems.notFound('Contact method', id));
    const contact = (await this.open(row.user_id, id))!;
    const deliveryId = newId();
    let result: { delivered: boolean; detail: string };
    try {
      const sent = await this.send(contact, message, deliveryId);
      result = { delivered: true, detail: sent.detail ?? 'delivered' };
    } catch (err) {
      result = { delivered: false, detail: err instanceof Error ? err.message : String(err) };
    }
    await recordAudit(this.db, actor, { action: 'contact_method.test', targetType: 'user', targetId: row.user_id, after: { contactMethodId: id, ...result } });
    return result;
  }
}
