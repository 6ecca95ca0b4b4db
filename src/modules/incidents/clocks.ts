import type { Audience, Severity } from '../../shared/phases.js';
import type { IncidentsTable } from '../../storage/schema.js';
import type { IncidentSettings } from '../settings/settings.schema.js';
import type { Clocks } from './incidents.schema.js';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The communication clocks of an incident (seed 001: first public word within 10 minutes, then a
 * steady cadence per audience). Derived from stored times, so every node computes the same answer.
 * A resolved incident has no clock running.
 */
export function computeClocks(row: IncidentsTable, settings: IncidentSettings, now: number): Clocks {
  const open = row.phase !== 'resolved';
  const declared = Date.parse(row.declared_at);
  const firstDue = declared + settings.firstPublicUpdateMinutes * MIN;
  const cadence = settings.cadenceMinutes[row.severity as Severity] ?? settings.cadenceMinutes.SEV4;
  const last: Record<Audience, string | null> = {
    internal: row.last_internal_update_at,
    stakeholder: row.last_stakeholder_update_at,
    public: row.last_public_update_at,
  };
  const audience = (a: Audience) => {
    const lastAt = last[a];
    let next: number | null = null;
    if (open) {
      if (a === 'public' && !lastAt) next = firstDue; // the first-update clock governs until then
      else next = (lastAt ? Date.parse(lastAt) : declared) + cadence[a] * MIN;
    }
    return { cadenceMinutes: cadence[a], lastAt, nextDueAt: next === null ? null : iso(next), overdue: next !== null && now > next };
  };
  return {
    firstPublicUpdate: {
      targetMinutes: settings.firstPublicUpdateMinutes,
      dueAt: iso(firstDue),
      metAt: row.first_public_update_at,
      overdue: open && !row.first_public_update_at && now > firstDue,
    },
    audiences: { internal: audience('internal'), stakeholder: audience('stakeholder'), public: audience('public') },
  };
}

/** The clocks that are overdue now, each with the time it fell due (one reminder per due time). */
export function overdueClocks(clocks: Clocks): { clock: 'firstPublicUpdate' | Audience; dueAt: string }[] {
  const out: { clock: 'firstPublicUpdate' | Audience; dueAt: string }[] = [];
  if (clocks.firstPublicUpdate.overdue) out.push({ clock: 'firstPublicUpdate', dueAt: clocks.firstPublicUpdate.dueAt });
  for (const a of ['internal', 'stakeholder', 'public'] as const) {
    const c = clocks.audiences[a];
    // Before the first public update the public clock is the first-update clock: do not count it twice.
    if (a === 'public' && !clocks.firstPublicUpdate.metAt) continue;
    if (c.overdue && c.nextDueAt) out.push({ clock: a, dueAt: c.nextDueAt });
  }
  return out;
}
