// How incidents read in a terminal. Pure functions of the API's JSON, so they are easy to test.
import type { IncidentDetail, IncidentSummary, TimelineEvent } from '../../modules/incidents/incidents.schema.js';
import { age, formatDuration, formatTime, indent, relative, table, truncate } from '../format.js';

/** The marker for an incident or clock that is overdue. */
export const OVERDUE = '!';

/** Whether any update clock of the incident is overdue. */
export function anyClockOverdue(i: IncidentSummary): boolean {
  const c = i.clocks;
  return c.firstPublicUpdate.overdue || c.audiences.internal.overdue || c.audiences.stakeholder.overdue || c.audiences.public.overdue;
}

/** `incident list`: an aligned table, newest first as the API gives them. */
export function formatList(incidents: IncidentSummary[], state: string, now = Date.now()): string[] {
  if (incidents.length === 0) return [state === 'all' ? 'No incidents.' : `No ${state} incidents.`];
  // The marker column is there only when something is overdue, so a calm list starts at the margin.
  const marked = incidents.some(anyClockOverdue);
  const mark = (cells: string[], overdue: boolean) => (marked ? [overdue ? OVERDUE : '', ...cells] : cells);
  const rows = [mark(['REF', 'SEV', 'PHASE', 'TITLE', 'COMMANDER', 'AGE'], false)];
  for (const i of incidents) {
    rows.push(mark([
      i.ref,
      i.severity,
      i.phase,
      truncate((i.drill ? '[DRILL] ' : '') + i.title, 48),
      truncate(i.commander?.name ?? '-', 24),
      age(i.declaredAt, now),
    ], anyClockOverdue(i)));
  }
  const lines = table(rows);
  if (marked) lines.push('', `${OVERDUE} = a status update is overdue (see: hikeshi incident show REF)`);
  return lines;
}

function clockLines(d: IncidentDetail, now: number): string[] {
  const rows: string[][] = [];
  const first = d.clocks.firstPublicUpdate;
  rows.push([
    first.overdue ? OVERDUE : '',
    'First public update',
    first.metAt
      ? `sent ${formatTime(first.metAt)} (${formatDuration(Date.parse(first.metAt) - Date.parse(d.declaredAt))} after declaring)`
      : `due ${formatTime(first.dueAt)} (${relative(first.dueAt, now)}; target ${first.targetMinutes} min)${first.overdue ? '  OVERDUE' : ''}`,
  ]);
  for (const audience of ['internal', 'stakeholder', 'public'] as const) {
    const c = d.clocks.audiences[audience];
    const last = c.lastAt ? `last ${formatTime(c.lastAt)}` : 'none yet';
    const next = c.nextDueAt ? `, next due ${formatTime(c.nextDueAt)} (${relative(c.nextDueAt, now)})` : '';
    rows.push([c.overdue ? OVERDUE : '', `${audience[0]?.toUpperCase()}${audience.slice(1)} updates`, `every ${c.cadenceMinutes} min, ${last}${next}${c.overdue ? '  OVERDUE' : ''}`]);
  }
  const marked = rows.some((r) => r[0] === OVERDUE);
  return table(marked ? rows : rows.map((r) => r.slice(1))).map((l) => '  ' + l);
}

/** `incident show`: everything a commander glances at, in the order they need it. */
export function formatShow(d: IncidentDetail, events: TimelineEvent[] | null, now = Date.now(), lang: 'en' | 'ja' = 'en'): string[] {
  const out: string[] = [];
  out.push(`${d.ref}  ${d.severity}  ${d.phase}${d.drill ? '  [DRILL]' : ''}`);
  out.push(d.title);
  out.push(`Commander: ${d.commander?.name ?? '(none)'}    Declared: ${formatTime(d.declaredAt)} (${age(d.declaredAt, now)} ago)${d.declaredBy ? ` by ${d.declaredBy.name}` : ''}`);
  if (d.metrics.resolvedAt) out.push(`Resolved: ${formatTime(d.metrics.resolvedAt)}${d.metrics.secondsToResolve != null ? ` (after ${formatDuration(d.metrics.secondsToResolve * 1000)})` : ''}`);
  if (d.services.length) out.push(`Services: ${d.services.join(', ')}`);
  if (d.summary) out.push('', indent(d.summary, '  '));

  if (d.phase !== 'resolved') {
    out.push('', 'Clocks');
    out.push(...clockLines(d, now));
  }

  out.push('', 'Roles');
  if (d.roles.length === 0) out.push('  (none)');
  else out.push(...table(d.roles.map((r) => [r.role, r.user?.name ?? '(unassigned)'])).map((l) => '  ' + l));

  out.push('', 'Responders');
  if (d.responders.length === 0) out.push('  (none)');
  else {
    out.push(...table(d.responders.map((r) => [
      r.user.name,
      r.roles.length ? r.roles.join(', ') : r.idle ? 'idle (may be released)' : '-',
      r.openTaskIds.length ? `${r.openTaskIds.length} open task${r.openTaskIds.length > 1 ? 's' : ''}` : '',
      `joined ${age(r.joinedAt, now)} ago`,
    ])).map((l) => '  ' + l));
  }

  out.push('', 'Tasks');
  if (d.tasks.length === 0) out.push('  (none)');
  for (const t of d.tasks) {
    const due = t.dueAt ? `  due ${formatTime(t.dueAt)} (${relative(t.dueAt, now)})${t.overdue ? ' OVERDUE' : ''}` : '';
    out.push(`  ${t.overdue ? OVERDUE : ' '} [${t.status}] ${t.owner.name}: ${t.action}${due}`);
    out.push(`      purpose: ${t.purpose}`);
  }

  out.push('', 'Decisions');
  if (d.decisions.length === 0) out.push('  (none)');
  for (const dec of d.decisions) {
    out.push(`  ${formatTime(dec.decidedAt)}  ${dec.decidedBy.name}: ${dec.decision}`);
    out.push(`      why: ${dec.rationale}`);
    out.push(`      risk: ${dec.risk}`);
  }

  const updates = [...d.updates].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const shown = updates.slice(-3);
  out.push('', updates.length > shown.length ? `Latest updates (${shown.length} of ${updates.length})` : 'Updates');
  if (updates.length === 0) out.push('  (none yet)');
  for (const u of shown) {
    out.push(`  ${formatTime(u.createdAt)}  ${u.audience}${u.author ? `, by ${u.author.name}` : ''}`);
    out.push(indent(u.rendered[lang], '      '));
  }

  if (events) {
    const last = events.slice(-20);
    out.push('', events.length > last.length ? `Timeline (last ${last.length} of ${events.length})` : 'Timeline');
    if (last.length === 0) out.push('  (empty)');
    out.push(...table(last.map((e) => [
      `${e.starred ? '*' : ' '} ${formatTime(e.at)}`,
      truncate(e.actor?.name ?? 'Hikeshi', 20),
      truncate(e.body, 100),
    ])).map((l) => '  ' + l));
  }
  return out;
}
