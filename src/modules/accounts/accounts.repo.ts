import type { Db } from '../../storage/db.js';
import type { ApiTokensTable, SessionsTable, UsersTable } from '../../storage/schema.js';

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUserById(db: Db, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Db, email: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function listUsers(db: Db): Promise<UsersTable[]> {
  return db.selectFrom('users').selectAll().orderBy('name').execute();
}

export async function insertUser(db: Db, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Db, id: string, patch: Partial<UsersTable>): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** Team memberships of the given users. */
export function teamsOfUsers(db: Db, userIds: string[]): Promise<{ user_id: string; id: string; name: string }[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.user_id', 'teams.id', 'teams.name'])
    .where('team_members.user_id', 'in', userIds)
    .execute();
}

export async function insertSession(db: Db, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export function findSession(db: Db, id: string): Promise<SessionsTable | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Db, id: string, at: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Signs a user out everywhere, except the session `keepId` when given. */
export async function deleteSessionsOfUser(db: Db, userId: string, keepId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) q = q.where('id', '!=', keepId);
  await q.execute();
}

export async function insertToken(db: Db, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export function findTokenByHash(db: Db, hash: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export function findTokenById(db: Db, id: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listTokens(db: Db, userId?: string): Promise<ApiTokensTable[]> {
  let q = db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc');
  if (userId) q = q.where('user_id', '=', userId);
  return q.execute();
}

export async function updateToken(db: Db, id: string, patch: Partial<ApiTokensTable>): Promise<void> {
  await db.updateTable('api_tokens').set(patch).where('id', '=', id).execute();
}

export async function insertSetupToken(db: Db, hash: string, createdAt: string, expiresAt: string): Promise<void> {
  await db.insertInto('setup_tokens').values({ token_hash: hash, created_at: createdAt, expires_at: expiresAt, used_at: null }).execute();
}

/** Marks a setup token used if it is valid; true when this call consumed it. */
export async function consumeSetupToken(db: Db, hash: string, now: string): Promise<boolean> {
  const res = await db
    .updateTable('setup_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function listTeams(db: Db) {
  return db.selectFrom('teams').selectAll().orderBy('name').execute();
}

export function teamMembers(db: Db, teamIds: string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('team_members').selectAll().where('team_id', 'in', teamIds).execute();
}

export function findTeam(db: Db, id: string) {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertTeam(db: Db, row: { id: string; name: string; created_at: string }): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

export async function addTeamMember(db: Db, teamId: string, userId: string): Promise<void> {
  await db.insertInto('team_members').values({ team_id: teamId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
}

export async function removeTeamMember(db: Db, teamId: string, userId: string): Promise<number> {
  const res = await db.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}
