import type { Command } from 'commander';
import type { z } from 'zod';
import type { OnCallSchema, OverrideSchema, ScheduleSchema, ScheduleShiftsSchema } from '../../modules/oncall/oncall.schema.js';
import type { ApiClient } from '../client.js';
import { formatTime, relative } from '../format.js';
import { CliError, EXIT, println } from '../io.js';
import { apiFor, type CommandContext, type JsonOption, KEY_HELP, parseDue, postOnce, printJson, resolveUser, text } from './common.js';

type Schedule = z.output<typeof ScheduleSchema>;
type OnCall = z.output<typeof OnCallSchema>;

/** Finds a schedule by id or by name (any case); an unknown one is an error before anything is sent. */
async function resolveSchedule(api: ApiClient, ref: string): Promise<Schedule> {
  const { schedules } = await api.get<{ schedules: Schedule[] }>('/schedules');
  const wanted = ref.trim().toLowerCase();
  const found = schedules.find((s) => s.id === ref.trim()) ?? schedules.find((s) => s.name.toLowerCase() === wanted);
  if (!found) {
    throw new CliError(EXIT.refused, `no schedule with id or name "${ref}"`, [
      schedules.length ? `Schedules: ${schedules.map((s) => s.name).join(', ')}` : 'There are no schedules yet: create one in the web UI (On-call).',
    ]);
  }
  return found;
}

function days(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 366) throw new CliError(EXIT.usage, '--days: a whole number from 1 to 366');
  return n;
}

/** `hikeshi oncall` and `hikeshi schedule …`: who is on call, schedules, shifts and overrides. */
export function registerOnCall(program: Command, ctx: CommandContext): void {
  const { io } = ctx;

  program
    .command('oncall')
    .description('who is on call now (or at --at), in every schedule or one')
    .option('--schedule <id|name>', 'only this schedule')
    .option('--user <email|id>', 'only where this person is on call')
    .option('--at <time>', 'an ISO time (local when it has no offset) instead of now')
    .option('--json', 'print the API response as JSON')
    .action(async (o: { schedule?: string; user?: string; at?: string; json?: boolean }) => {
      const api = apiFor(io);
      const q = new URLSearchParams();
      if (o.schedule) q.set('scheduleId', (await resolveSchedule(api, o.schedule)).id);
      if (o.user) q.set('userId', (await resolveUser(api, o.user, '--user')).id);
      if (o.at) q.set('at', parseDue(o.at));
      const res = await api.get<OnCall>(`/oncall?${q}`);
      if (o.json) return printJson(io, res);
      if (res.entries.length === 0) return println(io.stdout, o.at ? `Nobody is on call at ${formatTime(res.at)}.` : 'Nobody is on call now.');
      const width = Math.max(...res.entries.map((e) => e.schedule.name.length));
      for (const e of res.entries) {
        const override = e.overrideId ? '  (override)' : '';
        const until = e.openEnded ? 'with no hand-off ahead' : `until ${formatTime(e.end)} (${relative(e.end)})`;
        println(io.stdout, `${e.schedule.name.padEnd(width)}  ${e.user.name}  ${until}${override}`);
      }
    });

  const schedule = program.command('schedule').description('on-call schedules on the logged-in server');

  schedule
    .command('list')
    .description('schedules, with who is on call now')
    .option('--json', 'print the API response as JSON')
    .action(async (o: { json?: boolean }) => {
      const { schedules } = await apiFor(io).get<{ schedules: Schedule[] }>('/schedules');
      if (o.json) return printJson(io, { schedules });
      if (schedules.length === 0) return println(io.stdout, 'No schedules yet.');
      for (const s of schedules) {
        const now = s.onCallNow[0];
        const who = now ? `${now.user.name} ${now.openEnded ? 'with no hand-off ahead' : `until ${formatTime(now.end)}`}` : 'nobody on call now';
        println(io.stdout, `${s.id}  ${s.name}  (${s.timeZone}, ${s.layers.length} layer${s.layers.length === 1 ? '' : 's'})  · ${who}`);
      }
    });

  schedule
    .command('shifts')
    .description('the final schedule: who is on call when, from now')
    .argument('<schedule>', 'schedule id or name')
    .option('--days <n>', 'how many days ahead (1–366)', '7')
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, o: { days: string; json?: boolean }) => {
      const api = apiFor(io);
      const s = await resolveSchedule(api, ref);
      const from = Date.now();
      const to = from + days(o.days) * 86_400_000;
      const res = await api.get<z.output<typeof ScheduleShiftsSchema>>(
        `/schedules/${encodeURIComponent(s.id)}/shifts?from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`);
      if (o.json) return printJson(io, res);
      if (res.final.length === 0) return println(io.stdout, `Nobody is on call in ${s.name} in the next ${o.days} days.`);
      for (const shift of res.final) {
        println(io.stdout, `${formatTime(shift.start)} → ${formatTime(shift.end)}  ${shift.user.name}${shift.overrideId ? '  (override)' : ''}`);
      }
    });

  schedule
    .command('override')
    .description('put someone on call instead for a while ("I take Tuesday night")')
    .argument('<schedule>', 'schedule id or name')
    .requiredOption('--user <email|id>', 'who is on call instead')
    .requiredOption('--start <time>', 'an ISO time (local when it has no offset), or a delay from now such as 30m')
    .requiredOption('--end <time>', 'the same forms as --start')
    .option('--note <text>', 'why, for the others', text)
    .option('--idempotency-key <key>', KEY_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, o: { user: string; start: string; end: string; note?: string } & JsonOption) => {
      const api = apiFor(io);
      const start = parseDue(o.start);
      const end = parseDue(o.end);
      const s = await resolveSchedule(api, ref);
      const user = await resolveUser(api, o.user, '--user');
      const created = await postOnce<z.output<typeof OverrideSchema>>(api, `/schedules/${encodeURIComponent(s.id)}/overrides`, { userId: user.id, start, end, note: o.note ?? '' }, o, io);
      if (o.json) return printJson(io, created);
      println(io.stdout, `${created.user.name} is on call for ${s.name} from ${formatTime(created.start)} to ${formatTime(created.end)} (override ${created.id}).`);
    });
}
