import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT, usageError } from './io.js';

/** What `hikeshi login` stores: which server, and the API token to send it. */
export interface StoredCredentials {
  server: string;
  token: string;
  /** The token's id, so `hikeshi logout` can revoke it. */
  tokenId?: string;
  /** Who the token belongs to, for messages only. */
  email?: string;
}

/** The server and token a command uses, and where they came from (for error messages). */
export interface ResolvedCredentials {
  server: string;
  token: string;
  from: 'env' | 'file' | 'mixed';
}

const FILE_NAME = 'credentials.json';

/** $HIKESHI_CONFIG_DIR, else $XDG_CONFIG_HOME/hikeshi, else ~/.config/hikeshi. */
export function credentialsDir(env: NodeJS.ProcessEnv): string {
  if (env.HIKESHI_CONFIG_DIR) return env.HIKESHI_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'hikeshi');
}

/** Full path of the credentials file. */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  return join(credentialsDir(env), FILE_NAME);
}

/** Reads the stored credentials; null when there are none. A damaged file is an error, not "logged out". */
export function readCredentials(env: NodeJS.ProcessEnv): StoredCredentials | null {
  const file = credentialsPath(env);
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(EXIT.usage, `cannot read ${file}: ${(err as Error).message}`, ['Run `hikeshi login` again to replace it.']);
  }
  const c = parsed as Partial<StoredCredentials> | null;
  if (!c || typeof c.server !== 'string' || typeof c.token !== 'string') {
    throw new CliError(EXIT.usage, `${file} does not hold a server and a token`, ['Run `hikeshi login` again to replace it.']);
  }
  return { server: c.server, token: c.token, tokenId: c.tokenId, email: c.email };
}

/**
 * Writes the credentials readable by the owner only (file 0600, directory 0700). The file is
 * written beside the old one and renamed over it, so a crash never leaves half a token behind.
 */
export function writeCredentials(env: NodeJS.ProcessEnv, creds: StoredCredentials): string {
  const dir = credentialsDir(env);
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (created) chmodSync(dir, 0o700); // mkdir's mode is filtered by the umask
  const file = join(dir, FILE_NAME);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
  return file;
}

/** Removes the stored credentials; whether there were any. */
export function removeCredentials(env: NodeJS.ProcessEnv): boolean {
  const file = credentialsPath(env);
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}

/** Whether others than the owner can read the file (worth a warning: it holds a bearer token). */
export function credentialsExposed(env: NodeJS.ProcessEnv): boolean {
  const file = credentialsPath(env);
  if (process.platform === 'win32' || !existsSync(file)) return false;
  return (statSync(file).mode & 0o077) !== 0;
}

/** The server and token for a command: HIKESHI_URL / HIKESHI_TOKEN win over the stored file. */
export function resolveCredentials(env: NodeJS.ProcessEnv): ResolvedCredentials {
  const envServer = env.HIKESHI_URL || undefined;
  const envToken = env.HIKESHI_TOKEN || undefined;
  const stored = envServer && envToken ? null : readCredentials(env);
  const server = envServer ?? stored?.server;
  const token = envToken ?? stored?.token;
  if (!server || !token) {
    throw usageError('not logged in', [
      'Run `hikeshi login --server URL --email you@example.com` (or --token hks_…),',
      'or set HIKESHI_URL and HIKESHI_TOKEN.',
    ]);
  }
  const from = envServer && envToken ? 'env' : !envServer && !envToken ? 'file' : 'mixed';
  return { server, token, from };
}
