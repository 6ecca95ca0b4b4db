import pg from 'pg';

/** A PostgreSQL database created for one bench run and dropped afterwards. */
export interface ScratchDatabase {
  name: string;
  /** Connection URL of the scratch database (for the server). */
  url: string;
  drop(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 3_000;

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The server's version, or why it cannot be reached (the bench reports that instead of crashing). */
export async function probePostgres(adminUrl: string): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  try {
    const version = await withAdmin(adminUrl, async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?');
    return { ok: true, version };
  } catch (err) {
    const e = err as Error & { code?: string };
    return { ok: false, reason: `${where(adminUrl)} unreachable: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim() };
  }
}

/** Creates an empty database named `name` next to the admin URL's database. */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      // FORCE ends connections a crashed server may have left behind (PostgreSQL 13+).
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      dropped = true;
    },
  };
}

/**
 * Drops scratch databases left by bench runs that were killed outright (SIGKILL leaves no
 * chance to clean up): `hikeshi_bench_<pid>_<n>` whose pid is no longer running. Only for a
 * server on this machine, where the pid means something.
 */
export async function dropStaleDatabases(adminUrl: string): Promise<string[]> {
  const host = new URL(adminUrl).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return [];
  return withAdmin(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'hikeshi\\_bench\\_%'");
    const dropped: string[] = [];
    for (const { datname } of rows) {
      const pid = Number(/^hikeshi_bench_(\d+)_\d+$/.exec(datname)?.[1]);
      if (!pid || pid === process.pid || isRunning(pid)) continue;
      await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      dropped.push(datname);
    }
    return dropped;
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** host:port/db of a URL, without credentials. */
export function where(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return `${u.host}${u.pathname}`;
}
