import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Actor } from '../../shared/actor.js';
import { CliError, EXIT, println, readPassword, usageError } from '../io.js';
import type { CommandContext } from './common.js';
import { addConfigOptions, type ConfigOptions, configFrom } from './serve.js';

/** Who the audit log says created a user from the shell. */
const SHELL_ACTOR: Actor = { type: 'system', userId: null, name: 'hikeshi admin create (shell)', role: 'admin' };

// Schema fields → the options people typed, so errors point at what to change.
const OPTION_OF: Record<string, string> = {
  email: '--email', name: '--name', password: 'password', locale: '--locale', timeZone: '--time-zone',
};

interface AdminCreateOptions extends ConfigOptions {
  email: string;
  name: string;
  passwordStdin?: boolean;
  locale?: string;
  timeZone?: string;
}

/** `hikeshi admin create`: add an admin straight into the database (first start, or locked out). */
export function registerAdmin(program: Command, ctx: CommandContext): void {
  const admin = program.command('admin').description('administer the server from its own shell (works without the API)');
  const create = admin
    .command('create')
    .description('create an admin user in the database')
    .requiredOption('--email <email>', 'their e-mail address (the sign-in name)')
    .requiredOption('--name <name>', 'their name as others see it')
    .option('--password-stdin', 'read the password from stdin instead of generating one')
    .option('--locale <locale>', 'language: en or ja', 'en')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Asia/Tokyo', 'UTC');
  addConfigOptions(create, false).action(async (opts: AdminCreateOptions) => {
    const { io } = ctx;
    const generated = !opts.passwordStdin;
    const password = generated ? randomBytes(18).toString('base64url') : await readPassword(io, 'Password for the new admin: ', false);

    const { UserCreateSchema } = await import('../../modules/accounts/accounts.schema.js');
    const parsed = UserCreateSchema.safeParse({
      email: opts.email, name: opts.name, role: 'admin', password, locale: opts.locale, timeZone: opts.timeZone,
    });
    if (!parsed.success) {
      throw usageError('invalid user', parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        return `  - ${OPTION_OF[key] ?? key}: ${i.message}`;
      }));
    }

    const config = await configFrom(io, opts);
    const { openStorage } = await import('../../storage/db.js');
    const { AccountsService } = await import('../../modules/accounts/accounts.service.js');
    const { HttpProblem } = await import('../../server/problem.js');
    const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const user = await new AccountsService(storage, config.sessionTtlHours).createUser(SHELL_ACTOR, parsed.data);
      println(io.stdout, `Created admin ${user.name} <${user.email}> (id ${user.id}) in ${storage.where}.`);
      if (generated) {
        println(io.stdout, `Password (shown once; change it after signing in): ${password}`);
      }
    } catch (err) {
      if (err instanceof HttpProblem) {
        throw new CliError(EXIT.refused, err.detail ? `${err.title}: ${err.detail}` : err.title);
      }
      throw err;
    } finally {
      await storage.close();
    }
  });
}
