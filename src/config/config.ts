import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseMailFrom } from '../plugins/channels/email/address.js';

/** The server's settings: `hikeshi.yaml` (optional) overridden by `HIKESHI_*` environment variables. */
export const ConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').describe('Address to listen on; 0.0.0.0 for all interfaces'),
  port: num(z.number().int().min(0).max(65535)).default(8080).describe('TCP port; 0 picks a free one'),
  publicUrl: z.url().optional().describe('Base URL people use to reach this server (links in messages)'),
  dataDir: z.string().min(1).default('./data').describe('Where the embedded SQLite database lives'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .describe('PostgreSQL connection URL; unset means embedded SQLite'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  sessionTtlHours: num(z.number().int().min(1).max(24 * 90)).default(24 * 7),
  secureCookies: z.enum(['auto', 'always', 'never']).default('auto'),
  rateLimitPerMinute: num(z.number().int().min(1)).default(1200).describe('Requests per minute per client'),
  bodyLimitBytes: num(z.number().int().min(1024).max(64 * 1024 * 1024)).default(1024 * 1024),
  trustProxy: z.string().min(1).optional().describe('Reverse proxies whose X-Forwarded-* headers are believed: addresses or CIDRs, comma-separated (e.g. 127.0.0.1,10.0.0.0/8); unset trusts none'),
  ingestMaxWaitingAlerts: num(z.number().int().min(1)).default(500_000).describe('Accepted alerts waiting to be grouped beyond which ingest answers 429 with Retry-After (during a storm grouping runs behind acceptance)'),
  ingestParseThreads: num(z.number().int().min(0).max(16)).optional().describe('Worker threads that parse large ingest requests beside the event loop; 0 parses on the event loop; default: one fewer than the cores, at most 4'),
  clockSweepSeconds: num(z.number().min(0.05).max(3600)).default(15).describe('How often overdue clocks are checked'),
  snsCertHostPattern: z
    .string()
    .refine((v) => { try { new RegExp(v); return true; } catch { return false; } }, 'must be a regular expression')
    .default('^sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$')
    .describe('Hosts Amazon SNS signing certificates may come from (a regular expression)'),
  secretKey: z.string().min(32, 'must be at least 32 characters').optional().describe('Encrypts stored secrets (e.g. Grafana HMAC secrets); unset: a key made in dataDir/secret.key. Nodes sharing PostgreSQL must share it'),
  snsCaFile: z.string().min(1).optional().describe('Extra CA certificates (PEM) trusted when fetching SNS certificates; for tests and private endpoints'),
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must start with smtp:// or smtps://')
    .optional()
    .describe('SMTP server for outgoing e-mail: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465; unset: no e-mail is sent and e-mail subscriptions are refused'),
  mailFrom: z
    .string()
    .refine((v) => parseMailFrom(v) !== null, 'must be an address or "Name <address>" on one line')
    .optional()
    .describe('Sender of outgoing e-mail: status@example.com or "Example Status <status@example.com>"; default hikeshi@<publicUrl host>'),
  subscribeRateLimitPerMinute: num(z.number().int().min(1).max(10_000)).default(10).describe('Status page sign-ups per minute per client address'),
  webhookAllowPrivate: bool().default(false).describe('Let webhooks go to loopback, private (RFC 1918, unique-local) and link-local addresses; off, so admins cannot probe the internal network through the server'),
  statusExportDir: z.string().min(1).optional().describe('Keep a static copy of every status page here (one folder per page), rewritten after each change; serve it from a second host'),
});

/** A number, also from a numeric string (env values are strings); blank, null and booleans are refused, never read as 0 or 1. */
function num<T extends z.ZodNumber>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), schema);
}

/** A boolean, also from the strings true and false (env values are strings); anything else is refused, never guessed. */
function bool() {
  const words: Record<string, boolean> = { true: true, false: false };
  return z.preprocess((v) => (typeof v === 'string' ? (words[v.trim().toLowerCase()] ?? v) : v), z.boolean({ error: 'must be true or false' }));
}

/** Validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;

const ENV_PREFIX = 'HIKESHI_';

/** `databaseUrl` → `HIKESHI_DATABASE_URL`. */
export function envName(key: string): string {
  return ENV_PREFIX + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/** Raised when the configuration cannot be used; the message names the key and what was expected. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Path of the YAML file; defaults to HIKESHI_CONFIG or ./hikeshi.yaml when present. */
  file?: string;
  /** Values that win over both (used by tests and `hikeshi serve --port`). */
  overrides?: Partial<Record<keyof Config, unknown>>;
}

/** A value as an error message may show it: a URL's password (a mistyped databaseUrl) is masked. */
function withoutPassword(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#]*@/i, '$1***@') : value;
}

/** Reads, merges and validates configuration once, at start-up. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.HIKESHI_CONFIG ?? (existsSync('hikeshi.yaml') ? 'hikeshi.yaml' : undefined);
  const raw: Record<string, unknown> = {};
  const sourceOf: Record<string, string> = {};

  if (file) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError([`${file}: ${(err as Error).message}`]);
    }
    if (parsed != null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigError([`${file}: expected a mapping of settings at the top level`]);
    }
    for (const [k, v] of Object.entries(parsed ?? {})) {
      raw[k] = v;
      sourceOf[k] = `${file}: ${k}`;
    }
  }
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') {
      raw[key] = value;
      sourceOf[key] = envName(key);
    }
  }
  for (const [k, v] of Object.entries(options.overrides ?? {})) {
    if (v !== undefined) {
      raw[k] = v;
      sourceOf[k] = `--${k}`;
    }
  }

  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          return `${issue.keys.map((k) => sourceOf[k] ?? k).join(', ')}: unknown setting (known: ${Object.keys(ConfigSchema.shape).join(', ')})`;
        }
        const key = String(issue.path[0] ?? '');
        const where = sourceOf[key] ?? key;
        return `${where}: ${issue.message}${key in raw ? ` (got ${JSON.stringify(withoutPassword(raw[key]))})` : ''}`;
      }),
    );
  }
  return result.data;
}
