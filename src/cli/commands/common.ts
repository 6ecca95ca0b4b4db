import { InvalidArgumentError } from 'commander';
import type { User } from '../../modules/accounts/accounts.schema.js';
import { ApiClient } from '../client.js';
import { resolveCredentials } from '../credentials.js';
import { CliError, type CliIo, EXIT, newIdempotencyKey, println } from '../io.js';

/** What every command receives from `runCli`. */
export interface CommandContext {
  io: CliIo;
  /** Sets the exit code of this run (default 0). */
  exit(code: number): void;
}

/** A client for the logged-in server (HIKESHI_URL / HIKESHI_TOKEN win over the stored login). */
export function apiFor(io: CliIo): ApiClient {
  const { server, token } = resolveCredentials(io.env);
  return new ApiClient(server, { token });
}

/** Prints a value as the JSON scripts read: exactly the API's response. */
export function printJson(io: CliIo, value: unknown): void {
  println(io.stdout, JSON.stringify(value, null, 2));
}

/** An option parser that accepts one of `allowed` (case-insensitive) and says what is allowed otherwise. */
export function oneOf<T extends string>(allowed: readonly T[], aliases: (raw: string) => string = (s) => s) {
  return (raw: string): T => {
    const value = aliases(raw.trim());
    const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!found) throw new InvalidArgumentError(`Use one of ${allowed.join(', ')}.`);
    return found;
  };
}

/** "2" or "sev2" → "SEV2". */
export const severityAlias = (raw: string): string => (/^\d$/.test(raw) ? `SEV${raw}` : raw);

/** Repeatable option: `--service a --service b`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * A due time: ISO-8601 (a time without offset is local), or relative to now: "30m", "2h", "1h30m".
 * Sent to the server as UTC.
 */
export function parseDue(raw: string, now = Date.now()): string {
  const rel = /^\+?(?:(\d+)h)?(?:(\d+)m)?$/i.exec(raw.trim());
  if (rel && (rel[1] || rel[2])) {
    return new Date(now + (Number(rel[1] ?? 0) * 60 + Number(rel[2] ?? 0)) * 60_000).toISOString();
  }
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw.trim()) || Number.isNaN(t)) {
    throw new InvalidArgumentError('Use an ISO time such as 2026-11-23T14:00:00Z, or a delay such as 30m or 2h.');
  }
  return new Date(t).toISOString();
}

/** Non-empty text for a required option. */
export function text(raw: string): string {
  if (!raw.trim()) throw new InvalidArgumentError('It must not be empty.');
  return raw;
}

/** INC-12 / 12 / inc-12 → "INC-12" for messages; ids stay as given. */
export function displayRef(ref: string): string {
  if (/^\d+$/.test(ref)) return `INC-${ref}`;
  if (/^inc-\d+$/i.test(ref)) return ref.toUpperCase();
  return ref;
}

/** The path of an incident, whatever form of reference was given. */
export function incidentPath(ref: string, rest = ''): string {
  return `/incidents/${encodeURIComponent(ref.trim())}${rest}`;
}

/** Finds a user by e-mail (any case) or id; a name nobody has is an error before anything is posted. */
export async function resolveUser(api: ApiClient, who: string, option: string): Promise<User> {
  const { users } = await api.get<{ users: User[] }>('/users');
  const wanted = who.trim().toLowerCase();
  const user = users.find((u) => u.id === who.trim() || u.email.toLowerCase() === wanted);
  if (!user) {
    throw new CliError(EXIT.refused, `${option}: no user with ${who.includes('@') ? 'e-mail' : 'e-mail or id'} "${who}"`, [
      'Give an e-mail address or user id of someone who can sign in to this server.',
    ]);
  }
  if (user.disabled) throw new CliError(EXIT.refused, `${option}: ${user.email} is disabled`);
  return user;
}

/** The options every posting command takes. */
export interface JsonOption { json?: boolean; idempotencyKey?: string }

export const KEY_HELP = 'reuse this key when retrying the same command: the server then does it only once (default: random)';

/**
 * POSTs with an Idempotency-Key (the user's, or a fresh one) and says so when the server answers
 * from its record of an earlier identical request instead of doing it again.
 */
export async function postOnce<T>(api: ApiClient, path: string, body: unknown, o: JsonOption, io: CliIo): Promise<T> {
  const res = await api.request<T>('POST', path, { body, idempotencyKey: o.idempotencyKey ?? newIdempotencyKey() });
  if (res.headers.get('idempotent-replayed') === 'true') {
    println(io.stderr, 'note: this was already done with the same --idempotency-key; showing that result.');
  }
  return res.body;
}
