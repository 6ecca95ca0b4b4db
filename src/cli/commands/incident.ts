import type { Command } from 'commander';
import type { z } from 'zod';
import type {
  DecisionSchema, IncidentDetail, IncidentSummary, StatusUpdateSchema, Task, TimelineEvent,
} from '../../modules/incidents/incidents.schema.js';
import { AUDIENCES, type Audience, PHASES, type Phase, SEVERITIES, type Severity } from '../../shared/phases.js';
import { formatDuration, formatTime, indent, relative } from '../format.js';
import { println, readAll, usageError } from '../io.js';
import {
  apiFor, collect, type CommandContext, displayRef, incidentPath, type JsonOption, KEY_HELP, oneOf, parseDue, postOnce, printJson,
  resolveUser, severityAlias, text,
} from './common.js';
import { formatList, formatShow } from './incident-view.js';

type StatusUpdate = z.infer<typeof StatusUpdateSchema>;
type Decision = z.infer<typeof DecisionSchema>;

const LIST_STATES = ['open', 'resolved', 'all'] as const;
const LANGS = ['en', 'ja'] as const;

/** `hikeshi incident …`: declare, list, show, update, assign, decide, resolve. */
export function registerIncident(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const incident = program.command('incident').description('declare and run incidents on the logged-in server');

  incident
    .command('declare')
    .description('declare an incident; you become its commander unless --commander says otherwise')
    .requiredOption('--title <text>', 'what is wrong, in a few words', text)
    .requiredOption('--severity <level>', `one of ${SEVERITIES.join(', ')}`, oneOf(SEVERITIES, severityAlias))
    .option('--summary <text>', 'what is known so far')
    .option('--service <name>', 'an affected service (repeat for more)', collect)
    .option('--commander <email|id>', 'who commands (default: you)')
    .option('--drill', 'a drill: nobody outside the responders is notified')
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (o: { title: string; severity: Severity; summary?: string; service?: string[]; commander?: string; drill?: boolean } & JsonOption) => {
      const api = apiFor(io);
      const commanderId = o.commander ? (await resolveUser(api, o.commander, '--commander')).id : undefined;
      const d = await postOnce<IncidentDetail>(api, '/incidents', {
        title: o.title, severity: o.severity, summary: o.summary, services: o.service, commanderId, drill: o.drill || undefined,
      }, o, io);
      if (o.json) return printJson(io, d);
      println(io.stdout, `Declared ${d.ref} ${d.severity}${d.drill ? ' [DRILL]' : ''}: ${d.title}`);
      println(io.stdout, `  commander: ${d.commander?.name ?? '(none)'}`);
      const first = d.clocks.firstPublicUpdate;
      if (!first.metAt) {
        println(io.stdout, `  first public update due ${formatTime(first.dueAt)} (${relative(first.dueAt)}):`);
        println(io.stdout, `    hikeshi incident update ${d.ref} --audience public --message "…"`);
      }
    });

  incident
    .command('list')
    .description('list incidents, newest first')
    .option('--state <state>', 'open, resolved or all', oneOf(LIST_STATES), 'open')
    .option('--severity <level>', `only this severity (${SEVERITIES.join(', ')})`, oneOf(SEVERITIES, severityAlias))
    .option('--json', 'print the API response as JSON')
    .action(async (o: { state: (typeof LIST_STATES)[number]; severity?: Severity } & JsonOption) => {
      const body = await apiFor(io).get<{ incidents: IncidentSummary[] }>('/incidents', { state: o.state, severity: o.severity });
      if (o.json) return printJson(io, body);
      for (const line of formatList(body.incidents, o.state)) println(io.stdout, line);
    });

  incident
    .command('show')
    .description('one incident: clocks, roles, responders, tasks, decisions, updates, timeline')
    .argument('<ref>', 'INC-12, 12 or the incident id')
    .option('--lang <lang>', 'language of updates and timeline: en or ja', oneOf(LANGS), 'en')
    .option('--json', 'print the API response (the incident, without timeline) as JSON')
    .action(async (ref: string, o: { lang: 'en' | 'ja' } & JsonOption) => {
      const api = apiFor(io);
      const d = await api.get<IncidentDetail>(incidentPath(ref));
      if (o.json) return printJson(io, d);
      const { events } = await api.get<{ events: TimelineEvent[] }>(incidentPath(d.id, '/timeline'), { lang: o.lang });
      for (const line of formatShow(d, events, Date.now(), o.lang)) println(io.stdout, line);
    });

  incident
    .command('update')
    .description('post a status update to one audience; prints the message as its readers see it')
    .argument('<ref>', 'INC-12, 12 or the incident id')
    .requiredOption('--message <text>', 'the update itself ("-" reads it from stdin)', text)
    .option('--audience <audience>', AUDIENCES.join(', '), oneOf(AUDIENCES), 'internal')
    .option('--phase <phase>', `${PHASES.join(', ')} (default: the current phase; another moves the incident)`, oneOf(PHASES))
    .option('--impact <text>', 'who is affected and how (stakeholders)')
    .option('--eta <text>', 'when it should be fixed (stakeholders)')
    .option('--decisions-needed <text>', 'what you need decided (stakeholders)')
    .option('--lang <lang>', 'which rendering to print: en or ja', oneOf(LANGS), 'en')
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, o: {
      message: string; audience: Audience; phase?: Phase; impact?: string; eta?: string; decisionsNeeded?: string; lang: 'en' | 'ja';
    } & JsonOption) => {
      const body = o.message === '-' ? (await readAll(io.stdin)).trim() : o.message;
      if (!body) throw usageError('--message -: stdin was empty');
      const u = await postOnce<StatusUpdate>(apiFor(io), incidentPath(ref, '/updates'), {
        audience: o.audience, phase: o.phase, body, impact: o.impact, eta: o.eta, decisionsNeeded: o.decisionsNeeded,
      }, o, io);
      if (o.json) return printJson(io, u);
      println(io.stdout, `Posted ${u.audience} update to ${displayRef(ref)} (${u.phase}):`);
      println(io.stdout, indent(u.rendered[o.lang], '  '));
    });

  incident
    .command('assign')
    .description('assign a task (--to, --purpose, --action) or hand over a role (--role, --to)')
    .argument('<ref>', 'INC-12, 12 or the incident id')
    .requiredOption('--to <email|id>', 'who')
    .option('--purpose <text>', 'task: why it is done', text)
    .option('--action <text>', 'task: what is done', text)
    .option('--due <time>', 'task: when it is due, ISO time or a delay (30m, 2h)', (v: string) => parseDue(v))
    .option('--role <role>', 'hand over this role instead (e.g. commander)')
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, o: { to: string; purpose?: string; action?: string; due?: string; role?: string } & JsonOption) => {
      if (o.role !== undefined) {
        if (o.purpose || o.action || o.due) throw usageError('--role hands over a role; --purpose, --action and --due are for tasks. Use one or the other.');
        if (!o.role.trim()) throw usageError("option '--role <role>' must not be empty.");
      } else if (!o.purpose || !o.action) {
        throw usageError('a task needs --purpose (why) and --action (what); or give --role to hand over a role', [
          `e.g. hikeshi incident assign ${displayRef(ref)} --to ken@example.com --purpose "find the cause" --action "read the DB logs"`,
        ]);
      }
      const api = apiFor(io);
      const user = await resolveUser(api, o.to, '--to');
      if (o.role !== undefined) {
        const role = o.role.trim().toLowerCase();
        const d = await api.put<IncidentDetail>(incidentPath(ref, `/roles/${encodeURIComponent(role)}`), { userId: user.id });
        if (o.json) return printJson(io, d);
        println(io.stdout, `${user.name} is now ${role} of ${d.ref}.`);
        return;
      }
      const t = await postOnce<Task>(api, incidentPath(ref, '/tasks'), {
        ownerId: user.id, purpose: o.purpose, action: o.action, dueAt: o.due,
      }, o, io);
      if (o.json) return printJson(io, t);
      println(io.stdout, `Assigned to ${t.owner.name} on ${displayRef(ref)}: ${t.action}`);
      println(io.stdout, `  purpose: ${t.purpose}`);
      if (t.dueAt) println(io.stdout, `  due: ${formatTime(t.dueAt)} (${relative(t.dueAt)})`);
    });

  incident
    .command('decide')
    .description('record a decision with why it was taken and the risk accepted')
    .argument('<ref>', 'INC-12, 12 or the incident id')
    .requiredOption('--decision <text>', 'what was decided', text)
    .requiredOption('--why <text>', 'the rationale', text)
    .requiredOption('--risk <text>', 'the risk accepted ("none" if none)', text)
    .option('--by <email|id>', 'who decided (default: you)')
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, o: { decision: string; why: string; risk: string; by?: string } & JsonOption) => {
      const api = apiFor(io);
      const decidedById = o.by ? (await resolveUser(api, o.by, '--by')).id : undefined;
      const dec = await postOnce<Decision>(api, incidentPath(ref, '/decisions'), {
        decision: o.decision, rationale: o.why, risk: o.risk, decidedById,
      }, o, io);
      if (o.json) return printJson(io, dec);
      println(io.stdout, `Recorded on ${displayRef(ref)}: ${dec.decision} (decided by ${dec.decidedBy.name})`);
      println(io.stdout, `  why: ${dec.rationale}`);
      println(io.stdout, `  risk: ${dec.risk}`);
    });

  incident
    .command('ack')
    .description('acknowledge: you are on it (and join the response)')
    .argument('<ref>', 'INC-12, 12 or the incident id')
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, o: JsonOption) => {
      const d = await postOnce<IncidentDetail>(apiFor(io), incidentPath(ref, '/acknowledge'), {}, o, io);
      if (o.json) return printJson(io, d);
      const after = d.metrics.secondsToAcknowledge != null ? ` ${formatDuration(d.metrics.secondsToAcknowledge * 1000)} after declaration` : '';
      println(io.stdout, `${d.ref} acknowledged${after}.`);
    });

  incident
    .command('note')
    .description('add a note to the timeline (what you saw, what you tried)')
    .argument('<ref>', 'INC-12, 12 or the incident id')
    .requiredOption('--message <text>', 'the note; - reads it from stdin', text)
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, o: { message: string } & JsonOption) => {
      const body = o.message === '-' ? (await readAll(io.stdin)).trim() : o.message;
      const e = await postOnce<TimelineEvent>(apiFor(io), incidentPath(ref, '/timeline'), { body }, o, io);
      if (o.json) return printJson(io, e);
      println(io.stdout, `Noted on ${displayRef(ref)} at ${formatTime(e.at)}.`);
    });

  incident
    .command('resolve')
    .description('move an incident to resolved')
    .argument('<ref>', 'INC-12, 12 or the incident id')
    .option('--note <text>', 'a note for the timeline')
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, o: { note?: string } & JsonOption) => {
      const d = await postOnce<IncidentDetail>(apiFor(io), incidentPath(ref, '/phase'), { phase: 'resolved', note: o.note }, o, io);
      if (o.json) return printJson(io, d);
      const after = d.metrics.secondsToResolve != null ? ` after ${formatDuration(d.metrics.secondsToResolve * 1000)}` : '';
      println(io.stdout, `${d.ref} resolved${after}.`);
      if (!d.updates.some((u) => u.audience === 'public' && u.phase === 'resolved')) {
        println(io.stdout, `  Tell the public it is over: hikeshi incident update ${d.ref} --audience public --phase resolved --message "…"`);
      }
    });
}
