import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { CliError, type CliIo, EXIT, println } from '../io.js';
import type { CommandContext } from './common.js';

/** Options that say where the server's settings and data are; shared by `serve` and `admin`. */
export interface ConfigOptions {
  host?: string;
  port?: string;
  dataDir?: string;
  databaseUrl?: string;
  config?: string;
}

/** Adds --data-dir, --database-url and --config (and --host/--port when `listen`). */
export function addConfigOptions(cmd: Command, listen: boolean): Command {
  if (listen) {
    cmd.option('--host <address>', 'address to listen on (0.0.0.0 for all interfaces)');
    cmd.option('--port <port>', 'TCP port (0 picks a free one)');
  }
  return cmd
    .option('--data-dir <dir>', 'where the embedded SQLite database lives')
    .option('--database-url <url>', 'PostgreSQL URL (postgres://…) instead of SQLite')
    .option('--config <file>', 'YAML settings file (default: $HIKESHI_CONFIG or ./hikeshi.yaml)');
}

/**
 * Loads and validates the configuration with the command-line options winning over file and
 * environment. An invalid setting is a usage error (exit 2) that names the key.
 */
export async function configFrom(io: CliIo, opts: ConfigOptions): Promise<Config> {
  const { loadConfig, ConfigError } = await import('../../config/config.js');
  try {
    return loadConfig({
      env: io.env,
      file: opts.config,
      overrides: { host: opts.host, port: opts.port, dataDir: opts.dataDir, databaseUrl: opts.databaseUrl },
    });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(EXIT.usage, err.message);
    throw err;
  }
}

/** SIGINT or SIGTERM, whichever comes first. */
function processSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** `hikeshi serve`: run the server until SIGINT/SIGTERM, then close cleanly and exit 0. */
export function registerServe(program: Command, ctx: CommandContext): void {
  const cmd = program.command('serve').description('run the Hikeshi server (API, web UI, background jobs)');
  addConfigOptions(cmd, true).action(async (opts: ConfigOptions) => {
    const { io } = ctx;
    const config = await configFrom(io, opts);
    const { startServer } = await import('../../server/serve.js');
    let server;
    try {
      server = await startServer(config, { banner: true });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EADDRINUSE') throw new CliError(EXIT.refused, `cannot listen on ${config.host}:${config.port}: the port is in use`, ['Choose another with --port or HIKESHI_PORT.']);
      if (code === 'EACCES') throw new CliError(EXIT.refused, `cannot listen on ${config.host}:${config.port}: permission denied`, ['Ports below 1024 need privileges; choose another with --port.']);
      throw err;
    }
    const signal = await (io.shutdownSignal ?? processSignal)();
    println(io.stderr, `${signal}: shutting down… (send it again to stop at once)`);
    // A second signal while closing means "now": leave at once.
    const force = () => process.exit(1);
    if (!io.shutdownSignal) {
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
    }
    try {
      await server.close();
    } finally {
      process.off('SIGINT', force);
      process.off('SIGTERM', force);
    }
    ctx.exit(EXIT.ok);
  });
}
