// The frame every change to an incident runs in: one transaction on the locked incident, the
// timeline and audit entries written with the change, and live events published after the commit.
import type { DomainEvent, EventBus } from '../../server/event-bus.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import type { IncidentsTable } from '../../storage/schema.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { IncidentReader, UserDirectory } from './incidents.read.js';
import * as repo from './incidents.repo.js';
import type { IncidentDetail } from './incidents.schema.js';

/** What a mutation hands back: its result, plus the live events to publish once it committed. */
export interface Work<T> {
  result: T;
  events: Omit<DomainEvent, 'at' | 'incidentId'>[];
}

/** The mutation frame and the helpers every change uses (incidents.service.ts, incidents.tasks.ts). */
export class IncidentFrame {
  constructor(
    private readonly storage: Storage,
    private readonly bus: EventBus,
    private readonly settings: SettingsService,
    readonly users: UserDirectory,
    readonly read: IncidentReader,
  ) {}

  /**
   * Runs `fn` in one transaction on a locked incident, then publishes its live events. Either every
   * write (the change, its timeline event, its audit event) commits, or none does.
   */
  async mutate<T>(idOrRef: string, fn: (trx: Db, row: IncidentsTable, now: string) => Promise<Work<T>>): Promise<T> {
    let incidentId = '';
    const work = await this.storage.db.transaction().execute(async (trx) => {
      const row = await this.lockIncident(trx, idOrRef);
      incidentId = row.id;
      const now = nowIso();
      const out = await fn(trx, row, now);
      // A repeat (acknowledged again, joined again, a clock reminder no longer due) changes nothing: updatedAt stays.
      if (out.events.length) await repo.updateIncident(trx, row.id, { updated_at: now });
      return out;
    });
    const at = nowIso();
    for (const e of work.events) this.bus.publish({ ...e, incidentId, at });
    return work.result;
  }

  private async lockIncident(trx: Db, idOrRef: string): Promise<IncidentsTable> {
    // PostgreSQL: serialise writers on one incident across nodes. SQLite transactions are already serial.
    const found = await repo.findIncident(trx, idOrRef, { forUpdate: this.storage.dialect === 'postgres' });
    if (!found) throw problems.notFound('Incident', idOrRef);
    return found;
  }

  /** Writes one timeline entry by `actor`; returns its id. */
  async event(trx: Db, incidentId: string, actor: Actor, kind: string, data: Record<string, unknown> | null, body = ''): Promise<string> {
    const id = newId();
    await repo.insertTimelineEvent(trx, { id, incident_id: incidentId, at: nowIso(), kind, actor_id: actor.userId, body, data_json: data ? JSON.stringify(data) : null, starred: 0 });
    return id;
  }

  /** A user's name as the timeline shows it (the id when the user is gone). */
  async nameOf(trx: Db, userId: string | null): Promise<string> {
    if (!userId) return '';
    return (await this.users.userNames([userId], trx)).get(userId) ?? userId;
  }

  /** The user's name, or a 422 naming `field` when no such user exists. */
  async requireUser(userId: string, field: string): Promise<string> {
    const name = (await this.users.userNames([userId])).get(userId);
    if (!name) throw new HttpProblem(422, 'Invalid request', `${field}: no user with id ${userId}`, [{ field, message: 'unknown user' }], `${field}: ID ${userId} のユーザーは存在しません`);
    return name;
  }

  /** The incident as the API shows it, read inside the transaction. */
  async detailIn(trx: Db, id: string): Promise<IncidentDetail> {
    const row = await repo.findIncident(trx, id);
    if (!row) throw problems.notFound('Incident', id);
    return this.read.detail(trx, row, await this.settings.incidentSettings(trx));
  }
}
