#!/usr/bin/env node
// The `hikeshi` command: `serve` and `admin` work on this machine's server; the rest talk to a
// server's API with the token `hikeshi login` stored.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerAdmin } from './commands/admin.js';
import { registerAlert } from './commands/alert.js';
import type { CommandContext } from './commands/common.js';
import { registerIncident } from './commands/incident.js';
import { registerLogin } from './commands/login.js';
import { registerOnCall } from './commands/oncall.js';
import { registerPage } from './commands/page.js';
import { registerServe } from './commands/serve.js';
import { registerStatusPage } from './commands/statuspage.js';
import { credentialsExposed, credentialsPath } from './credentials.js';
import { CliError, type CliIo, EXIT, println } from './io.js';

// Re-exported for tests and for anyone scripting around runCli.
export { EXIT } from './io.js';
export type { CliIo } from './io.js';

/** The package version (src/cli and dist/cli are both two levels below package.json). */
function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Builds the command tree for one run; output goes to `io`, never straight to the process. */
function buildProgram(ctx: CommandContext): Command {
  const program = new Command('hikeshi');
  // Set before adding subcommands: commander copies these settings into each one it creates.
  program
    .description('Hikeshi incident response: run the server, or drive incidents from a terminal.')
    .version(version(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
    })
    .addHelpText('after', [
      '',
      'Environment:',
      '  HIKESHI_URL, HIKESHI_TOKEN   server and API token; win over the saved login',
      '  HIKESHI_CONFIG_DIR           where the login is saved (default ~/.config/hikeshi)',
      '  HIKESHI_<SETTING>            server settings for serve/admin, e.g. HIKESHI_PORT',
      '',
      'Exit codes: 0 ok, 1 the server refused, 2 usage error or not logged in, 3 server unreachable.',
    ].join('\n'));
  registerServe(program, ctx);
  registerAdmin(program, ctx);
  registerLogin(program, ctx);
  registerIncident(program, ctx);
  registerAlert(program, ctx);
  registerOnCall(program, ctx);
  registerPage(program, ctx);
  registerStatusPage(program, ctx);
  return program;
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };
}

/**
 * Runs the CLI with `argv` (the arguments after `hikeshi`) and returns the exit code. Errors are
 * printed to `io.stderr` as "error: …"; nothing here calls process.exit.
 */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = { ...defaultIo(), ...io };
  let code: number = EXIT.ok;
  const ctx: CommandContext = { io: full, exit: (c) => (code = c) };
  const program = buildProgram(ctx);
  try {
    if (credentialsExposed(full.env)) {
      println(full.stderr, `warning: ${credentialsPath(full.env)} is readable by others; run: chmod 600 ${credentialsPath(full.env)}`);
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message. --help and --version are fine; everything else is usage.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      println(full.stderr, `error: ${err.message}`);
      for (const line of err.details) println(full.stderr, line);
      return err.exitCode;
    }
    println(full.stderr, `error: ${(err as Error)?.stack ?? String(err)}`);
    return EXIT.refused;
  }
}

/** Runs with the process's arguments and exits with the code once output is flushed. */
export async function main(): Promise<void> {
  // `hikeshi incident list | head -1` closes the pipe early: that is the reader's choice, not a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
  // Exit explicitly: keep-alive sockets or a slow handle must not keep a finished command waiting.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/** Whether this module is the program being run: `tsx src/cli/main.ts`, `node dist/cli/main.js` or bin/hikeshi.js. */
function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  let entry: string;
  try {
    entry = realpathSync(arg);
  } catch {
    entry = arg;
  }
  const self = fileURLToPath(import.meta.url);
  return entry === self || /[\\/]bin[\\/]hikeshi(\.js)?$/.test(entry) || /[\\/]bin[\\/]hikeshi(\.js)?$/.test(arg);
}

if (isEntryPoint()) void main();
