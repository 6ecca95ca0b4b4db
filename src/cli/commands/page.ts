import type { Command } from 'commander';
import type { z } from 'zod';
import type { PageDetailSchema, PageSummarySchema } from '../../modules/paging/paging.schema.js';
import type { ApiClient } from '../client.js';
import { relative } from '../format.js';
import { CliError, EXIT, println } from '../io.js';
import { apiFor, type CommandContext, incidentPath, type JsonOption, KEY_HELP, oneOf, postOnce, printJson, resolveUser, text } from './common.js';

type PageSummary = z.output<typeof PageSummarySchema>;
type PageDetail = z.output<typeof PageDetailSchema>;

const STATUSES = ['open', 'triggered', 'acknowledged', 'resolved', 'all'] as const;
const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

function line(p: PageSummary): string {
  const who = p.acknowledgedBy ? ` · acknowledged by ${p.acknowledgedBy.name}` : '';
  const failed = p.failedDeliveries ? ` · ${p.failedDeliveries} failed deliver${p.failedDeliveries === 1 ? 'y' : 'ies'}` : '';
  return `${p.id}  ${p.status.padEnd(12)} ${p.severity.padEnd(8)} ${p.title}  · ${p.policy.name}, level ${p.level + 1}, ${relative(p.createdAt)}${who}${failed}${p.drill ? ' (drill)' : ''}`;
}

/** Who to page: exactly one of --user, --schedule, --team, --policy. */
async function targetOf(api: ApiClient, o: { user?: string; schedule?: string; team?: string; policy?: string }) {
  const given = [o.user, o.schedule, o.team, o.policy].filter((x) => x !== undefined);
  if (given.length !== 1) throw new CliError(EXIT.usage, 'say who to page with exactly one of --user, --schedule, --team, --policy');
  if (o.user) return { type: 'user' as const, id: (await resolveUser(api, o.user, '--user')).id };
  const byName = async (path: string, key: string, ref: string, option: string) => {
    const list = ((await api.get<Record<string, { id: string; name: string }[]>>(path))[key]) ?? [];
    const found = list.find((x) => x.id === ref) ?? list.find((x) => x.name.toLowerCase() === ref.toLowerCase());
    if (!found) throw new CliError(EXIT.refused, `${option}: none with id or name "${ref}"`, list.length ? [`Known: ${list.map((x) => x.name).join(', ')}`] : []);
    return found.id;
  };
  if (o.schedule) return { type: 'schedule' as const, id: await byName('/schedules', 'schedules', o.schedule, '--schedule') };
  if (o.team) return { type: 'team' as const, id: await byName('/teams', 'teams', o.team, '--team') };
  return { type: 'policy' as const, id: await byName('/escalation-policies', 'policies', o.policy!, '--policy') };
}

/** `hikeshi page …`: list pages, acknowledge, resolve, page someone now. */
export function registerPage(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const page = program.command('page').description('pages (who was woken, for what) on the logged-in server');

  page
    .command('list')
    .description('pages, newest first')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`, oneOf(STATUSES), 'open')
    .option('--mine', 'only pages that notified you')
    .option('--json', 'print the API response as JSON')
    .action(async (o: { status: string; mine?: boolean; json?: boolean }) => {
      const res = await apiFor(io).get<{ pages: PageSummary[] }>(`/pages?status=${o.status}&mine=${o.mine ? 'true' : 'false'}`);
      if (o.json) return printJson(io, res);
      if (res.pages.length === 0) return println(io.stdout, `No ${o.status === 'all' ? '' : `${o.status} `}pages${o.mine ? ' for you' : ''}.`);
      for (const p of res.pages) println(io.stdout, line(p));
    });

  for (const [name, description, path, done] of [
    ['ack', 'acknowledge a page: you are on it; escalation stops', 'acknowledge', 'acknowledged'],
    ['resolve', 'resolve a page (and its alert group)', 'resolve', 'resolved'],
  ] as const) {
    page
      .command(name)
      .description(description)
      .argument('<id>', 'the page id (from `hikeshi page list`)')
      .option('--idempotency-key <key>', KEY_HELP)
      .option('--json', 'print the API response as JSON')
      .action(async (id: string, o: JsonOption) => {
        const p = await postOnce<PageDetail>(apiFor(io), `/pages/${encodeURIComponent(id)}/${path}`, {}, o, io);
        if (o.json) return printJson(io, p);
        println(io.stdout, p.status === done ? `${p.title}: ${done}.` : `${p.title}: already ${p.status}.`);
      });
  }

  page
    .command('send')
    .description('page someone now: a person, a schedule’s on-call, a team or an escalation policy')
    .requiredOption('--title <text>', 'what it is about', text)
    .option('--user <email|id>', 'a person')
    .option('--schedule <id|name>', 'whoever is on call in this schedule')
    .option('--team <id|name>', 'who is on call in the team’s schedules, else its members')
    .option('--policy <id|name>', 'an escalation policy')
    .option('--incident <ref>', 'page them into this incident (INC-12): it goes on the timeline')
    .option('--severity <level>', `one of ${SEVERITIES.join(', ')}`, oneOf(SEVERITIES), 'critical')
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (o: { title: string; user?: string; schedule?: string; team?: string; policy?: string; incident?: string; severity: string } & JsonOption) => {
      const api = apiFor(io);
      const target = await targetOf(api, o);
      const p = o.incident
        ? await postOnce<PageDetail>(api, incidentPath(o.incident, '/pages'), { target, message: o.title }, o, io)
        : await postOnce<PageDetail>(api, '/pages', { title: o.title, severity: o.severity, target }, o, io);
      if (o.json) return printJson(io, p);
      const woken = [...new Set(p.notifications.map((n) => n.user.name))];
      println(io.stdout, `Paged ${p.policy.name}: ${p.title} (${p.id})${woken.length ? ` — notifying ${woken.join(', ')}` : ' — nobody to wake at the first level'}`);
    });
}
