import type { Command } from 'commander';
import type { AlertGroupDetail, AlertGroupSummary } from '../../modules/alerts/alerts.schema.js';
import { SEVERITIES, type Severity } from '../../shared/phases.js';
import { relative } from '../format.js';
import { println } from '../io.js';
import { apiFor, type CommandContext, type JsonOption, KEY_HELP, oneOf, postOnce, printJson, severityAlias, text } from './common.js';

const STATUSES = ['open', 'triggered', 'acknowledged', 'resolved', 'all'] as const;

/** One line per group: what a terminal at 2 a.m. needs to pick the one to act on. */
function line(g: AlertGroupSummary): string {
  const quiet = g.suppressedBy ? ` (${g.suppressedBy.kind})` : g.flapping ? ' (flapping)' : '';
  const incident = g.incident ? ` → INC-${g.incident.number}` : '';
  return `${g.id}  ${g.status.padEnd(12)} ${g.severity.padEnd(8)} ${g.firingCount}/${g.alertCount} firing  ${g.title}${quiet}${incident}  · ${g.integrationName}, ${relative(g.lastAlertAt)}`;
}

const path = (id: string, rest = '') => `/alert-groups/${encodeURIComponent(id)}${rest}`;

/** `hikeshi alert …`: list alert groups, acknowledge, resolve, declare an incident from one. */
export function registerAlert(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const alert = program.command('alert').description('alert groups on the logged-in server');

  alert
    .command('list')
    .description('alert groups, most recently active first')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`, oneOf(STATUSES), 'open')
    .option('--limit <n>', 'at most this many (1–200)', '50')
    .option('--json', 'print the API response as JSON')
    .action(async (o: { status: string; limit: string; json?: boolean }) => {
      const res = await apiFor(io).request<{ groups: AlertGroupSummary[]; total: number }>('GET', `/alert-groups?status=${o.status}&limit=${encodeURIComponent(o.limit)}`);
      if (o.json) return printJson(io, res.body);
      if (res.body.groups.length === 0) return println(io.stdout, `No ${o.status === 'all' ? '' : `${o.status} `}alert groups.`);
      for (const g of res.body.groups) println(io.stdout, line(g));
      if (res.body.total > res.body.groups.length) println(io.stdout, `… ${res.body.total - res.body.groups.length} more (--limit, or the web UI)`);
    });

  for (const [name, description, done] of [
    ['ack', 'acknowledge a group: you are on it (stops paging)', 'acknowledged'],
    ['resolve', 'resolve a group and its firing alerts', 'resolved'],
  ] as const) {
    alert
      .command(name)
      .description(description)
      .argument('<id>', 'the alert group id (from `hikeshi alert list`)')
      .option('--idempotency-key <key>', KEY_HELP)
      .option('--json', 'print the API response as JSON')
      .action(async (id: string, o: JsonOption) => {
        const g = await postOnce<AlertGroupDetail>(apiFor(io), path(id, name === 'ack' ? '/acknowledge' : '/resolve'), {}, o, io);
        if (o.json) return printJson(io, g);
        println(io.stdout, `${g.title}: ${done}.`);
      });
  }

  alert
    .command('declare')
    .description('declare an incident for a group (it is linked, and its alerts reach the timeline)')
    .argument('<id>', 'the alert group id')
    .requiredOption('--severity <level>', `one of ${SEVERITIES.join(', ')}`, oneOf(SEVERITIES, severityAlias))
    .option('--title <text>', 'default: the group’s title', text)
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (id: string, o: { severity: Severity; title?: string } & JsonOption) => {
      const g = await postOnce<AlertGroupDetail>(apiFor(io), path(id, '/incident'), { declare: { severity: o.severity, title: o.title } }, o, io);
      if (o.json) return printJson(io, g);
      println(io.stdout, `Declared INC-${g.incident?.number} ${o.severity}: ${g.incident?.title}`);
    });
}
