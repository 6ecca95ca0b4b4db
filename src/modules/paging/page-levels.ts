// Entering a level of a page: who its targets mean at that moment (a schedule's or team's on-call,
// people; disabled accounts skipped) and how each of them is reached, worked out before the
// transaction that enters the level, and when the level times out.
import { HttpProblem } from '../../server/problem.js';
import { nowIso } from '../../shared/ids.js';
import type { ContactsService, PagingPeople } from './contacts.service.js';
import type { Level } from './policies.service.js';

const MINUTE = 60_000;

/** Who is on call, from the on-call room. */
export interface OnCallLookup {
  onCall(q: { at?: string; scheduleId?: string; teamId?: string }): Promise<{ entries: { user: { id: string } }[] }>;
}

/** Team members, from the accounts room. */
export interface TeamMembers {
  listTeams(): Promise<{ id: string; memberIds: string[] }[]>;
}

/** What a level is worked out from: the on-call, accounts and contacts rooms. */
export interface LevelDeps {
  oncall: OnCallLookup;
  teams: TeamMembers;
  people: PagingPeople;
  contacts: Pick<ContactsService, 'plan'>;
}

/** A level worked out before the transaction that enters it. */
export interface Prepared {
  at: number;
  timeoutMinutes: number;
  people: string[];
  plans: Map<string, { contactMethodId: string | null; kind: string; delayMinutes: number }[]>;
}

/** The people a level's targets mean at this moment (disabled accounts are skipped). */
async function resolveTargets(deps: LevelDeps, level: Level, at: number): Promise<string[]> {
  const users = new Set<string>();
  const teams = level.targets.some((t) => t.type === 'team') ? await deps.teams.listTeams() : [];
  for (const t of level.targets) {
    if (t.type === 'user') users.add(t.id);
    else if (t.type === 'schedule') {
      // A schedule deleted since the policy was copied means nobody; any other error is retried.
      for (const e of (await deps.oncall.onCall({ scheduleId: t.id, at: nowIso(at) }).catch(notFoundAs({ entries: [] }))).entries) users.add(e.user.id);
    } else {
      const onCall = (await deps.oncall.onCall({ teamId: t.id, at: nowIso(at) })).entries.map((e) => e.user.id);
      for (const id of onCall.length ? onCall : teams.find((x) => x.id === t.id)?.memberIds ?? []) users.add(id);
    }
  }
  const out: string[] = [];
  for (const id of users) {
    const u = await deps.people.person(id).catch(notFoundAs(null));
    if (u && !u.disabled) out.push(id);
  }
  return out;
}

/** Who a level wakes at `at`, and how each is reached: read before the transaction that enters it. */
export async function prepareLevel(deps: LevelDeps, level: Level, at: number, onlyUsers?: string[]): Promise<Prepared> {
  const people = (await resolveTargets(deps, level, at)).filter((id) => !onlyUsers || onlyUsers.includes(id));
  const plans = new Map<string, Awaited<ReturnType<ContactsService['plan']>>>();
  for (const userId of people) plans.set(userId, await deps.contacts.plan(userId));
  return { at, timeoutMinutes: level.timeoutMinutes, people, plans };
}

/** When a level times out: after its timeout, or at once when it has nobody to wake (an empty schedule), so the page moves on. */
export function escalationDue(prepared: Prepared): number {
  return prepared.people.length ? prepared.at + prepared.timeoutMinutes * MINUTE : prepared.at;
}

/** A catch handler: a 404 (the thing is gone) becomes `value`; anything else (the database) is thrown on, so the job is retried. */
function notFoundAs<T>(value: T): (err: unknown) => T {
  return (err) => {
    if (err instanceof HttpProblem && err.status === 404) return value;
    throw err;
  };
}
