import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as accounts from './migrations/0001_accounts_and_audit.js';
import * as incidents from './migrations/0002_incidents.js';
import * as jobs from './migrations/0003_jobs.js';
import * as alerts from './migrations/0004_alerts.js';
import * as statusPages from './migrations/0005_status_pages.js';
import * as alertInbox from './migrations/0006_alert_inbox.js';
import * as inboxLz4 from './migrations/0007_inbox_lz4.js';
import * as oncall from './migrations/0008_oncall.js';
import * as paging from './migrations/0009_paging.js';

/** A migration that may need to know the dialect (triggers differ). */
export interface DialectMigration {
  up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void>;
}

// The one migration set, in order. Names say what each does; never rename one that has shipped.
const MIGRATIONS: Record<string, DialectMigration> = {
  '0001_accounts_and_audit': accounts,
  '0002_incidents': incidents,
  '0003_jobs': jobs,
  '0004_alerts': alerts,
  '0005_status_pages': statusPages,
  '0006_alert_inbox': alertInbox,
  '0007_inbox_lz4': inboxLz4,
  '0008_oncall': oncall,
  '0009_paging': paging,
};

/** Applies every pending migration; safe to call from several nodes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) out[name] = { up: (d) => m.up(d, dialect) };
      return out;
    },
  };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}
