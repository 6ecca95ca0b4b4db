import type { Actor } from '../../shared/actor.js';
import { newId, nowIso } from '../../shared/ids.js';
import type { Db } from '../../storage/db.js';
import { type AuditQuery, insertAuditEvent, listAuditEvents } from './audit.repo.js';
import type { AuditEvent } from './audit.schema.js';

/** What a mutation records: the action, its target and the state before and after. */
export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
}

// Never written to the log: any key that names a secret (password, newPassword, password_hash,
// token, csrfToken, setupToken, secret, hmacSecret, an integration's key…), so a snapshot of a new shape cannot leak one by accident.
const SECRET_KEY = /password|token|secret|hmac|^key$/i;

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

/**
 * Records one audit event. Call it with the transaction that makes the change, so the change and
 * its record commit together or not at all.
 */
export async function recordAudit(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await insertAuditEvent(db, {
    id: newId(),
    at: nowIso(),
    actor_type: actor.type,
    actor_id: actor.userId,
    actor_name: actor.name,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    before_json: entry.before === undefined ? null : JSON.stringify(redact(entry.before)),
    after_json: entry.after === undefined ? null : JSON.stringify(redact(entry.after)),
    request_id: actor.requestId ?? null,
    ip: actor.ip ?? null,
  });
}

/** Reads the audit log (admins only; enforced by the route). */
export async function readAudit(db: Db, q: AuditQuery): Promise<{ events: AuditEvent[]; nextBefore: string | null }> {
  const rows = await listAuditEvents(db, q);
  return {
    events: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
      action: r.action,
      target: { type: r.target_type, id: r.target_id },
      before: r.before_json ? JSON.parse(r.before_json) : null,
      after: r.after_json ? JSON.parse(r.after_json) : null,
      requestId: r.request_id,
      ip: r.ip,
    })),
    nextBefore: rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null,
  };
}
