import type { z } from 'zod';
import { type Actor, type Role, SYSTEM_ACTOR } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { Storage } from '../../storage/db.js';
import type { ApiTokensTable, UsersTable } from '../../storage/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './accounts.repo.js';
import type { MeUpdateSchema, SetupSchema, Team, Token, User, UserCreateSchema, UserUpdateSchema } from './accounts.schema.js';
import { DUMMY_PASSWORD_HASH, hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js';

type UserCreate = z.output<typeof UserCreateSchema>;

/** A signed-in browser session: the cookie secret is returned once and stored only hashed. */
export interface IssuedSession {
  secret: string;
  csrfToken: string;
  expiresAt: string;
  user: User;
}

// Sliding-expiry and last-used writes happen at most this often, so reads stay reads.
const TOUCH_INTERVAL_MS = 60_000;
const SETUP_TOKEN_TTL_MS = 24 * 3600_000;

function publicUser(row: UsersTable, teams: { id: string; name: string }[] = []): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    locale: row.locale === 'ja' ? 'ja' : 'en',
    timeZone: row.time_zone,
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
    teams,
  };
}

function publicToken(row: ApiTokensTable): Token {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Users, teams, sign-in, API tokens and the first-admin setup. */
export class AccountsService {
  constructor(
    private readonly storage: Storage,
    private readonly sessionTtlHours: number,
  ) {}

  private get db() {
    return this.storage.db;
  }

  async needsSetup(): Promise<boolean> {
    return (await repo.countUsers(this.db)) === 0;
  }

  /** A one-time secret that lets whoever holds it create the first admin; valid for a day. */
  async issueSetupToken(): Promise<string> {
    const secret = newSecret('setup_');
    const now = Date.now();
    await repo.insertSetupToken(this.db, hashSecret(secret), nowIso(now), nowIso(now + SETUP_TOKEN_TTL_MS));
    return secret;
  }

  /** Creates the first admin with a setup token; refused once any user exists. */
  async completeSetup(input: z.output<typeof SetupSchema>, ip?: string): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction().execute(async (trx) => {
      // Every node that started on an empty database printed a setup link: only the first one used makes an admin.
      await this.storage.lockForTransaction(trx, 'accounts.setup');
      if ((await repo.countUsers(trx)) > 0) throw problems.conflict('Setup is already done: sign in instead', 'セットアップは完了しています。サインインしてください');
      if (!(await repo.consumeSetupToken(trx, hashSecret(input.token), nowIso()))) {
        throw new HttpProblem(403, 'Forbidden', 'The setup token is unknown, used or expired; restart the server for a new one, or run `hikeshi admin create`', [{ field: 'body.token', message: 'invalid or expired' }],
          'セットアップ用トークンが不明・使用済み・期限切れのいずれかです。サーバーを再起動して新しいリンクを得るか、`hikeshi admin create` を実行してください');
      }
      const { token: _token, password: _password, ...rest } = input;
      return this.insertUser(trx, { ...SYSTEM_ACTOR, ip }, { ...rest, role: 'admin' }, passwordHash);
    });
  }

  /** Creates a user (admins, or the shell via `hikeshi admin create`). */
  async createUser(actor: Actor, input: UserCreate): Promise<User> {
    // Hash before the transaction: scrypt takes tens of milliseconds, and on SQLite the transaction
    // holds the one connection every other request is waiting for.
    const { password, ...rest } = input;
    const passwordHash = await hashPassword(password);
    return this.db.transaction().execute((trx) => this.insertUser(trx, actor, rest, passwordHash));
  }

  private async insertUser(trx: Storage['db'], actor: Actor, input: Omit<UserCreate, 'password'>, passwordHash: string): Promise<User> {
    const taken = () => new HttpProblem(409, 'Conflict', `A user with e-mail ${input.email} already exists`, [{ field: 'body.email', message: 'already in use' }]);
    if (await repo.findUserByEmail(trx, input.email)) throw taken();
    const row: UsersTable = {
      id: newId(),
      email: input.email,
      name: input.name,
      role: input.role,
      password_hash: passwordHash,
      locale: input.locale,
      time_zone: input.timeZone,
      created_at: nowIso(),
      disabled_at: null,
    };
    try {
      await repo.insertUser(trx, row);
    } catch (err) {
      // On PostgreSQL two requests can both pass the check above; the unique index decides.
      if (this.storage.isUniqueViolation(err)) throw taken();
      throw err;
    }
    const user = publicUser(row);
    await recordAudit(trx, actor, { action: 'user.create', targetType: 'user', targetId: row.id, after: user });
    return user;
  }

  /** Display names by id, for other rooms (unknown ids are absent). Pass the caller's transaction when inside one. */
  async userNames(ids: string[], db: Storage['db'] = this.db): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', unique).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Team names by id, for other rooms (unknown ids are absent). */
  async teamNames(ids: string[], db: Storage['db'] = this.db): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', unique).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async listUsers(): Promise<User[]> {
    const rows = await repo.listUsers(this.db);
    const teams = await repo.teamsOfUsers(this.db, rows.map((r) => r.id));
    return rows.map((r) => publicUser(r, teams.filter((t) => t.user_id === r.id).map(({ id, name }) => ({ id, name }))));
  }

  /** The facts paging needs of a person, in one query: how to address them and whether they can be woken. */
  async person(id: string): Promise<{ id: string; name: string; email: string; locale: string; timeZone: string; disabled: boolean }> {
    const row = await this.db.selectFrom('users').select(['id', 'name', 'email', 'locale', 'time_zone', 'disabled_at']).where('id', '=', id).executeTakeFirst();
    if (!row) throw problems.notFound('User', id);
    return { id: row.id, name: row.name, email: row.email, locale: row.locale, timeZone: row.time_zone, disabled: row.disabled_at !== null };
  }

  async getUser(id: string): Promise<User> {
    const row = await repo.findUserById(this.db, id);
    if (!row) throw problems.notFound('User', id);
    const teams = await repo.teamsOfUsers(this.db, [id]);
    return publicUser(row, teams.map(({ id: tid, name }) => ({ id: tid, name })));
  }

  /** Admin changes to a user. Disabling signs the user out everywhere. */
  async updateUser(actor: Actor, id: string, patch: z.output<typeof UserUpdateSchema>): Promise<User> {
    return this.db.transaction().execute(async (trx) => {
      // Two admins demoting (or disabling) each other at once must not leave nobody in charge: user
      // changes take turns, and the caller must still be an admin when theirs runs.
      await this.storage.lockForTransaction(trx, 'accounts.users');
      if (actor.type !== 'system') {
        const me = actor.userId ? await repo.findUserById(trx, actor.userId) : undefined;
        if (!me || me.role !== 'admin' || me.disabled_at) throw problems.forbidden('You are no longer an admin', 'すでに管理者ではありません');
      }
      const before = await repo.findUserById(trx, id);
      if (!before) throw problems.notFound('User', id);
      if (actor.userId === id && (patch.role && patch.role !== 'admin' || patch.disabled)) {
        throw problems.conflict('You cannot demote or disable yourself; ask another admin', '自分自身の降格や無効化はできません。他の管理者に依頼してください');
      }
      const set: Partial<UsersTable> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.role !== undefined) set.role = patch.role;
      if (patch.locale !== undefined) set.locale = patch.locale;
      if (patch.timeZone !== undefined) set.time_zone = patch.timeZone;
      if (patch.disabled !== undefined) set.disabled_at = patch.disabled ? (before.disabled_at ?? nowIso()) : null;
      if (Object.keys(set).length) await repo.updateUser(trx, id, set);
      if (patch.disabled) await repo.deleteSessionsOfUser(trx, id);
      const after = { ...before, ...set };
      await recordAudit(trx, actor, { action: 'user.update', targetType: 'user', targetId: id, before: publicUser(before), after: publicUser(after) });
      return publicUser(after);
    });
  }

  /**
   * A user's own profile and password. A new password signs out every other session of the user
   * (whoever else holds one may be why the password changed); `currentSession` is the caller's, kept.
   */
  async updateMe(actor: Actor, patch: z.output<typeof MeUpdateSchema>, currentSession?: string | null): Promise<User> {
    const id = actor.userId;
    if (!id) throw problems.forbidden('Only users have a profile');
    // The password is checked and hashed before the transaction (scrypt is slow; on SQLite the
    // transaction holds the one connection), and a wrong guess is recorded like a failed sign-in.
    let checked: { oldHash: string; newHash: string } | null = null;
    if (patch.newPassword !== undefined) {
      const current = await repo.findUserById(this.db, id);
      if (!current) throw problems.notFound('User', id);
      if (!patch.currentPassword || !current.password_hash || !(await verifyPassword(patch.currentPassword, current.password_hash))) {
        await recordAudit(this.db, actor, { action: 'user.password_change_failed', targetType: 'user', targetId: id });
        throw new HttpProblem(403, 'Forbidden', 'The current password is wrong', [{ field: 'body.currentPassword', message: 'does not match' }], '現在のパスワードが違います');
      }
      checked = { oldHash: current.password_hash, newHash: await hashPassword(patch.newPassword) };
    }
    return this.db.transaction().execute(async (trx) => {
      const before = await repo.findUserById(trx, id);
      if (!before) throw problems.notFound('User', id);
      if (checked && before.password_hash !== checked.oldHash) {
        throw problems.conflict('The password was changed meanwhile; sign in again and retry', 'パスワードが先に変更されました。サインインし直してからやり直してください');
      }
      const set: Partial<UsersTable> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.locale !== undefined) set.locale = patch.locale;
      if (patch.timeZone !== undefined) set.time_zone = patch.timeZone;
      if (checked) set.password_hash = checked.newHash;
      if (Object.keys(set).length) await repo.updateUser(trx, id, set);
      if (checked) await repo.deleteSessionsOfUser(trx, id, currentSession ? hashSecret(currentSession) : undefined);
      const after = { ...before, ...set };
      await recordAudit(trx, actor, {
        action: checked ? 'user.password_change' : 'user.update_self',
        targetType: 'user', targetId: id, before: publicUser(before), after: publicUser(after),
      });
      return this.getUserIn(trx, id);
    });
  }

  private async getUserIn(db: Storage['db'], id: string): Promise<User> {
    const row = await repo.findUserById(db, id);
    if (!row) throw problems.notFound('User', id);
    const teams = await repo.teamsOfUsers(db, [id]);
    return publicUser(row, teams.map(({ id: tid, name }) => ({ id: tid, name })));
  }

  /** Password sign-in. Unknown e-mail and wrong password take the same time and give the same answer. */
  async signIn(email: string, password: string, ip?: string): Promise<IssuedSession> {
    const row = await repo.findUserByEmail(this.db, email.toLowerCase());
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (!row || !ok || row.disabled_at) {
      await recordAudit(this.db, { type: 'user', userId: row?.id ?? null, name: email, role: 'viewer', ip }, {
        action: 'session.signin_failed', targetType: 'user', targetId: row?.id ?? null,
      });
      throw problems.unauthorized('E-mail or password is wrong, or the account is disabled', 'メールアドレスかパスワードが違うか、アカウントが無効です');
    }
    const secret = newSecret();
    const csrfToken = newSecret();
    const now = Date.now();
    const expiresAt = nowIso(now + this.sessionTtlHours * 3600_000);
    const actor: Actor = { type: 'user', userId: row.id, name: row.name, role: row.role as Role, ip };
    await this.db.transaction().execute(async (trx) => {
      await repo.insertSession(trx, { id: hashSecret(secret), user_id: row.id, csrf_token: csrfToken, created_at: nowIso(now), expires_at: expiresAt, last_seen_at: nowIso(now) });
      await recordAudit(trx, actor, { action: 'session.signin', targetType: 'user', targetId: row.id });
    });
    return { secret, csrfToken, expiresAt, user: await this.getUser(row.id) };
  }

  async signOut(actor: Actor, sessionSecret: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteSession(trx, hashSecret(sessionSecret));
      await recordAudit(trx, actor, { action: 'session.signout', targetType: 'user', targetId: actor.userId });
    });
  }

  /** Resolves a session cookie to its user; sliding expiry. */
  async authenticateSession(secret: string): Promise<{ user: UsersTable; csrfToken: string; expiresAt: string } | null> {
    const id = hashSecret(secret);
    const session = await repo.findSession(this.db, id);
    const now = Date.now();
    if (!session || session.expires_at <= nowIso(now)) return null;
    const user = await repo.findUserById(this.db, session.user_id);
    if (!user || user.disabled_at) return null;
    let expiresAt = session.expires_at;
    if (now - Date.parse(session.last_seen_at) > TOUCH_INTERVAL_MS) {
      expiresAt = nowIso(now + this.sessionTtlHours * 3600_000);
      await repo.touchSession(this.db, id, nowIso(now), expiresAt);
    }
    return { user, csrfToken: session.csrf_token, expiresAt };
  }

  /** Resolves an API token to its user; refuses revoked and expired tokens. */
  async authenticateToken(secret: string): Promise<{ user: UsersTable; token: ApiTokensTable } | null> {
    const token = await repo.findTokenByHash(this.db, hashSecret(secret));
    const now = Date.now();
    if (!token || token.revoked_at || (token.expires_at && token.expires_at <= nowIso(now))) return null;
    const user = await repo.findUserById(this.db, token.user_id);
    if (!user || user.disabled_at) return null;
    if (!token.last_used_at || now - Date.parse(token.last_used_at) > TOUCH_INTERVAL_MS) {
      await repo.updateToken(this.db, token.id, { last_used_at: nowIso(now) });
    }
    return { user, token };
  }

  async createToken(actor: Actor, name: string, expiresInDays?: number): Promise<Token & { token: string }> {
    if (!actor.userId) throw problems.forbidden('Only users own tokens');
    const userId = actor.userId;
    const secret = newSecret('hks_');
    const now = Date.now();
    const row: ApiTokensTable = {
      id: newId(now),
      user_id: userId,
      name,
      token_hash: hashSecret(secret),
      prefix: secret.slice(0, 8),
      created_at: nowIso(now),
      expires_at: expiresInDays ? nowIso(now + expiresInDays * 86_400_000) : null,
      last_used_at: null,
      revoked_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await repo.insertToken(trx, row);
      await recordAudit(trx, actor, { action: 'token.create', targetType: 'api_token', targetId: row.id, after: publicToken(row) });
    });
    return { ...publicToken(row), token: secret };
  }

  /** The caller's tokens; admins may ask for everyone's. */
  async listTokens(actor: Actor, all: boolean): Promise<Token[]> {
    if (all && actor.role !== 'admin') throw problems.forbidden('Only admins can list every token');
    const rows = await repo.listTokens(this.db, all ? undefined : (actor.userId ?? '-'));
    return rows.map(publicToken);
  }

  /** Revokes a token at once: the next request that carries it gets 401. */
  async revokeToken(actor: Actor, id: string): Promise<Token> {
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.findTokenById(trx, id);
      if (!row || (row.user_id !== actor.userId && actor.role !== 'admin')) throw problems.notFound('Token', id);
      if (row.revoked_at) return publicToken(row);
      const after = { ...row, revoked_at: nowIso() };
      await repo.updateToken(trx, id, { revoked_at: after.revoked_at });
      await recordAudit(trx, actor, { action: 'token.revoke', targetType: 'api_token', targetId: id, before: publicToken(row), after: publicToken(after) });
      return publicToken(after);
    });
  }

  async listTeams(): Promise<Team[]> {
    const teams = await repo.listTeams(this.db);
    const members = await repo.teamMembers(this.db, teams.map((t) => t.id));
    return teams.map((t) => ({ id: t.id, name: t.name, createdAt: t.created_at, memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.user_id) }));
  }

  async createTeam(actor: Actor, name: string): Promise<Team> {
    return this.db.transaction().execute(async (trx) => {
      const row = { id: newId(), name, created_at: nowIso() };
      try {
        await repo.insertTeam(trx, row);
      } catch (err) {
        if (this.storage.isUniqueViolation(err)) throw new HttpProblem(409, 'Conflict', `A team named ${name} already exists`, [{ field: 'body.name', message: 'already in use' }]);
        throw err;
      }
      const team = { id: row.id, name, createdAt: row.created_at, memberIds: [] };
      await recordAudit(trx, actor, { action: 'team.create', targetType: 'team', targetId: row.id, after: team });
      return team;
    });
  }

  async setTeamMember(actor: Actor, teamId: string, userId: string, member: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.findTeam(trx, teamId))) throw problems.notFound('Team', teamId);
      if (!(await repo.findUserById(trx, userId))) throw problems.notFound('User', userId);
      if (member) await repo.addTeamMember(trx, teamId, userId);
      else await repo.removeTeamMember(trx, teamId, userId);
      await recordAudit(trx, actor, { action: member ? 'team.member_add' : 'team.member_remove', targetType: 'team', targetId: teamId, after: { userId } });
    });
  }
}
