// Requests grouping gave up on (a request that failed alone again and again is set aside so the
// ones behind it are grouped): kept with their error, listed for people, and put back in the queue
// or discarded by an admin once the cause is fixed. Nothing accepted is dropped without a person
// deciding it, and each decision is in the audit log.
import type { Actor } from '../../shared/actor.js';
import type { Db, Storage } from '../../storage/db.js';
import { recordAudit } from '../audit/audit.service.js';
import { HttpProblem, problems } from '../../server/problem.js';
import type { AlertGrouper } from './grouper.js';
import { countSetAside, findSetAside, listSetAside, type SetAsideRow, type SetAsideSummary } from './inbox.js';

/** The most listed at once: more means something is wrong with every request, which the first ones show. */
const SET_ASIDE_LIST_LIMIT = 100;

export interface SetAsideRequest {
  id: string;
  integrationId: string;
  integrationName: string | null;
  receivedAt: string;
  alertCount: number;
  error: string;
}

export class SetAsideRequests {
  constructor(private readonly storage: Storage, private readonly grouper: AlertGrouper) {}

  /** The oldest set-aside requests, and how many there are in all. */
  async list(): Promise<{ requests: SetAsideRequest[]; total: number }> {
    const [rows, total] = await Promise.all([listSetAside(this.storage.db, SET_ASIDE_LIST_LIMIT), countSetAside(this.storage.db)]);
    const names = await this.integrationNames(rows);
    return { total, requests: rows.map((r) => this.view(r, names)) };
  }

  /**
   * Back in the queue (PostgreSQL: grouped next; SQLite: after what waits now); the grouper is woken
   * for it, and sets it aside again at its first failure rather than holding up the queue a minute.
   */
  async retry(actor: Actor, id: string): Promise<SetAsideRequest> {
    const row = await this.find(id);
    this.grouper.retrying(row.id);
    const done = await this.grouper.inbox.requeue(row, (trx) => this.audit(trx, actor, 'alert_inbox.retry', row));
    if (!done) throw gone(id);
    this.grouper.accepted(row.alert_count);
    return this.view(row, await this.integrationNames([row]));
  }

  /** Deleted for good: its alerts are never grouped. */
  async discard(actor: Actor, id: string): Promise<void> {
    const row = await this.find(id);
    if (!(await this.grouper.inbox.discard(id, (trx) => this.audit(trx, actor, 'alert_inbox.discard', row)))) throw gone(id);
  }

  private async integrationNames(rows: SetAsideSummary[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.integration_id))];
    if (ids.length === 0) return new Map();
    const found = await this.storage.db.selectFrom('integrations').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(found.map((i) => [i.id, i.name]));
  }

  private async find(id: string): Promise<SetAsideRow> {
    const row = await findSetAside(this.storage.db, id);
    if (!row) throw problems.notFound('Set-aside request', id);
    return row;
  }

  private audit(trx: Db, actor: Actor, action: string, row: SetAsideRow): Promise<void> {
    // The request's facts, not its alerts: a discarded payload is not kept in the audit log either.
    return recordAudit(trx, actor, {
      action, targetType: 'alert_inbox', targetId: row.id,
      before: { integrationId: row.integration_id, receivedAt: row.received_at, alertCount: row.alert_count, error: row.error },
    });
  }

  private view(r: SetAsideSummary, names: Map<string, string>): SetAsideRequest {
    return {
      id: r.id, integrationId: r.integration_id, integrationName: names.get(r.integration_id) ?? null,
      receivedAt: r.received_at, alertCount: r.alert_count, error: r.error,
    };
  }
}

/** Someone else retried or discarded it meanwhile. */
function gone(id: string): HttpProblem {
  return new HttpProblem(409, 'Conflict', `Set-aside request ${id} was retried or discarded meanwhile`, undefined, `保留中のリクエスト ${id} は、その間に再処理または破棄されました`);
}
