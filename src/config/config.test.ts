import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, envName, loadConfig } from './config.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hikeshi-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** Writes a YAML file into the temp dir and returns its path. */
function yamlFile(text: string): string {
  const path = join(dir, `hikeshi-${++files}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError loadConfig throws for these options (fails the test if it does not throw one). */
function configError(options: Parameters<typeof loadConfig>[0]): ConfigError {
  try {
    loadConfig(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected loadConfig to refuse the configuration');
}

describe('loadConfig defaults', () => {
  it('starts on 127.0.0.1:8080 with embedded SQLite in ./data when nothing is configured', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: './data',
      logLevel: 'info',
      sessionTtlHours: 168,
      secureCookies: 'auto',
      rateLimitPerMinute: 1200,
      bodyLimitBytes: 1024 * 1024,
      clockSweepSeconds: 15,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
  });
});

describe('environment variables', () => {
  it('maps camelCase keys to HIKESHI_SNAKE_CASE names', () => {
    expect(envName('port')).toBe('HIKESHI_PORT');
    expect(envName('databaseUrl')).toBe('HIKESHI_DATABASE_URL');
    expect(envName('rateLimitPerMinute')).toBe('HIKESHI_RATE_LIMIT_PER_MINUTE');
  });

  it('HIKESHI_PORT and HIKESHI_DATABASE_URL override the defaults, with numbers coerced', () => {
    const config = loadConfig({ env: { HIKESHI_PORT: '9090', HIKESHI_DATABASE_URL: 'postgres://hikeshi@db:5432/hikeshi' } });
    expect(config.port).toBe(9090);
    expect(config.databaseUrl).toBe('postgres://hikeshi@db:5432/hikeshi');
  });

  it('reads multi-word settings from their env names', () => {
    const config = loadConfig({ env: { HIKESHI_RATE_LIMIT_PER_MINUTE: '30', HIKESHI_LOG_LEVEL: 'debug', HIKESHI_SECURE_COOKIES: 'always' } });
    expect(config.rateLimitPerMinute).toBe(30);
    expect(config.logLevel).toBe('debug');
    expect(config.secureCookies).toBe('always');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ env: { HIKESHI_PORT: '' } }).port).toBe(8080);
  });

  it('ignores environment variables that are not settings', () => {
    expect(() => loadConfig({ env: { HIKESHI_TEST_PG: 'postgres://x', PATH: '/usr/bin' } })).not.toThrow();
  });

  it('HIKESHI_PORT=abc is refused, naming the variable and the value', () => {
    const err = configError({ env: { HIKESHI_PORT: 'abc' } });
    expect(err.message).toContain('HIKESHI_PORT');
    expect(err.message).toContain('"abc"');
    expect(err.problems).toHaveLength(1);
  });

  it('a port out of range is refused', () => {
    expect(configError({ env: { HIKESHI_PORT: '70000' } }).message).toContain('HIKESHI_PORT');
  });

  it('a MySQL database URL is refused with what is expected instead', () => {
    const err = configError({ env: { HIKESHI_DATABASE_URL: 'mysql://root@db/hikeshi' } });
    expect(err.message).toContain('HIKESHI_DATABASE_URL');
    expect(err.message).toContain('postgres://');
  });

  it('a refused database URL is echoed without its password', () => {
    const err = configError({ env: { HIKESHI_DATABASE_URL: 'postgress://hikeshi:s3cret@pw@db:5432/hikeshi' } });
    expect(err.message).toContain('HIKESHI_DATABASE_URL');
    expect(err.message).toContain('postgress://hikeshi:***@db:5432/hikeshi');
    expect(err.message).not.toContain('s3cret');
  });

  it('an unknown log level is refused naming HIKESHI_LOG_LEVEL', () => {
    expect(configError({ env: { HIKESHI_LOG_LEVEL: 'loud' } }).message).toContain('HIKESHI_LOG_LEVEL');
  });

  it('reports every bad setting at once, not only the first', () => {
    const err = configError({ env: { HIKESHI_PORT: 'abc', HIKESHI_BODY_LIMIT_BYTES: '10' } });
    expect(err.problems).toHaveLength(2);
    expect(err.message).toContain('HIKESHI_PORT');
    expect(err.message).toContain('HIKESHI_BODY_LIMIT_BYTES');
  });
});

describe('YAML file', () => {
  it('reads settings from the file given', () => {
    const file = yamlFile('port: 7000\nhost: 0.0.0.0\ndatabaseUrl: postgresql://u@h/db\npublicUrl: https://hikeshi.example.com\n');
    const config = loadConfig({ env: {}, file });
    expect(config).toMatchObject({ port: 7000, host: '0.0.0.0', databaseUrl: 'postgresql://u@h/db', publicUrl: 'https://hikeshi.example.com' });
  });

  it('finds the file through HIKESHI_CONFIG', () => {
    const file = yamlFile('port: 7001\n');
    expect(loadConfig({ env: { HIKESHI_CONFIG: file } }).port).toBe(7001);
  });

  it('an empty file means all defaults', () => {
    expect(loadConfig({ env: {}, file: yamlFile('') }).port).toBe(8080);
  });

  it('a bad value names the file and the key', () => {
    const file = yamlFile('port: eighty\n');
    const err = configError({ env: {}, file });
    expect(err.message).toContain(`${file}: port`);
    expect(err.message).toContain('"eighty"');
  });

  it('a mysql:// databaseUrl in the file is refused naming the file and key', () => {
    const file = yamlFile('databaseUrl: mysql://root@db/hikeshi\n');
    const err = configError({ env: {}, file });
    expect(err.message).toContain(`${file}: databaseUrl`);
  });

  it('an unknown key is refused, naming it and listing the known ones', () => {
    const file = yamlFile('port: 8081\nprot: 8082\n');
    const err = configError({ env: {}, file });
    expect(err.message).toContain(`${file}: prot`);
    expect(err.message).toContain('unknown setting');
    expect(err.message).toContain('databaseUrl');
  });

  it('a list at the top level is refused as not a mapping', () => {
    const file = yamlFile('- port: 8080\n- host: 0.0.0.0\n');
    const err = configError({ env: {}, file });
    expect(err.message).toContain(file);
    expect(err.message).toContain('mapping');
  });

  it('a bare scalar is refused as not a mapping', () => {
    const file = yamlFile('just some text\n');
    expect(configError({ env: {}, file }).message).toContain('mapping');
  });

  it('YAML that does not parse is refused naming the file', () => {
    const file = yamlFile('port: [8080\n');
    expect(configError({ env: {}, file }).message).toContain(file);
  });

  it('a missing file is refused naming it', () => {
    const file = join(dir, 'does-not-exist.yaml');
    expect(configError({ env: {}, file }).message).toContain(file);
  });
});

describe('precedence', () => {
  it('overrides win over the environment, which wins over the file', () => {
    const file = yamlFile('port: 7100\nhost: 10.0.0.1\nlogLevel: warn\n');
    const env = { HIKESHI_PORT: '7200', HIKESHI_HOST: '10.0.0.2' };
    const config = loadConfig({ env, file, overrides: { port: 7300 } });
    expect(config.port).toBe(7300);
    expect(config.host).toBe('10.0.0.2');
    expect(config.logLevel).toBe('warn');
  });

  it('an undefined override leaves the lower layer alone', () => {
    expect(loadConfig({ env: { HIKESHI_PORT: '7200' }, overrides: { port: undefined } }).port).toBe(7200);
  });

  it('a bad override is blamed on the override, not on the file it replaced', () => {
    const file = yamlFile('port: 7100\n');
    const err = configError({ env: {}, file, overrides: { port: 'x' } });
    expect(err.message).toContain('--port');
    expect(err.message).not.toContain(`${file}: port`);
  });

  it('a valid environment value fixes a bad value in the file', () => {
    const file = yamlFile('port: nope\n');
    expect(loadConfig({ env: { HIKESHI_PORT: '7400' }, file }).port).toBe(7400);
  });
});

describe('values that are not numbers', () => {
  it('an empty port in the file is refused, not read as port 0 (a random port)', () => {
    const file = yamlFile('port:\n');
    expect(configError({ env: {}, file }).message).toContain(`${file}: port`);
  });
});

describe('outgoing e-mail', () => {
  it('is off unless smtpUrl is set; sign-ups are limited to 10 a minute per address by default', () => {
    const config = loadConfig({ env: {} });
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailFrom).toBeUndefined();
    expect(config.subscribeRateLimitPerMinute).toBe(10);
  });

  it('reads HIKESHI_SMTP_URL, HIKESHI_MAIL_FROM and HIKESHI_SUBSCRIBE_RATE_LIMIT_PER_MINUTE', () => {
    const config = loadConfig({ env: {
      HIKESHI_SMTP_URL: 'smtps://status:pw@mail.example.com:465', HIKESHI_MAIL_FROM: 'Example Status <status@example.com>',
      HIKESHI_SUBSCRIBE_RATE_LIMIT_PER_MINUTE: '30',
    } });
    expect(config.smtpUrl).toBe('smtps://status:pw@mail.example.com:465');
    expect(config.mailFrom).toBe('Example Status <status@example.com>');
    expect(config.subscribeRateLimitPerMinute).toBe(30);
  });

  it('an smtpUrl of another scheme is refused, echoed without its password', () => {
    const err = configError({ env: { HIKESHI_SMTP_URL: 'http://status:s3cret@mail.example.com' } });
    expect(err.message).toContain('HIKESHI_SMTP_URL: must start with smtp:// or smtps://');
    expect(err.message).not.toContain('s3cret');
  });

  it('a mailFrom with a line break (a header injection) or a display name only is refused', () => {
    expect(configError({ env: { HIKESHI_MAIL_FROM: 'status@example.com\r\nBcc: all@example.com' } }).message).toContain('HIKESHI_MAIL_FROM');
    expect(configError({ env: { HIKESHI_MAIL_FROM: 'Example Status' } }).message).toContain('HIKESHI_MAIL_FROM');
  });
});

describe('outgoing webhooks', () => {
  it('are refused for private addresses unless HIKESHI_WEBHOOK_ALLOW_PRIVATE=true; other words are refused, not guessed', () => {
    expect(loadConfig({ env: {} }).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ env: { HIKESHI_WEBHOOK_ALLOW_PRIVATE: 'true' } }).webhookAllowPrivate).toBe(true);
    expect(loadConfig({ env: { HIKESHI_WEBHOOK_ALLOW_PRIVATE: 'False' } }).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ env: {}, overrides: { webhookAllowPrivate: true } }).webhookAllowPrivate).toBe(true);
    expect(configError({ env: { HIKESHI_WEBHOOK_ALLOW_PRIVATE: 'yes' } }).message).toContain('HIKESHI_WEBHOOK_ALLOW_PRIVATE: must be true or false (got "yes")');
  });
});
