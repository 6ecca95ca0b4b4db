import type { Actor } from '../../shared/actor.js';
import { nowIso } from '../../shared/ids.js';
import type { Db, Storage } from '../../storage/db.js';
import { recordAudit } from '../audit/audit.service.js';
import { DEFAULT_INCIDENT_SETTINGS, type IncidentSettings, IncidentSettingsSchema } from './settings.schema.js';

const KEY = 'incidents';

/** The organisation-wide incident settings, stored as one row and edited by admins. */
export class SettingsService {
  constructor(private readonly storage: Storage) {}

  /** Current settings; defaults until an admin saves their own. */
  async incidentSettings(db: Db = this.storage.db): Promise<IncidentSettings> {
    const row = await db.selectFrom('settings').select('value_json').where('key', '=', KEY).executeTakeFirst();
    if (!row) return DEFAULT_INCIDENT_SETTINGS;
    const parsed = IncidentSettingsSchema.safeParse(JSON.parse(row.value_json));
    return parsed.success ? parsed.data : DEFAULT_INCIDENT_SETTINGS;
  }

  async saveIncidentSettings(actor: Actor, next: IncidentSettings): Promise<IncidentSettings> {
    return this.storage.db.transaction().execute(async (trx) => {
      const before = await this.incidentSettings(trx);
      const value_json = JSON.stringify(next);
      const updated_at = nowIso();
      await trx.insertInto('settings').values({ key: KEY, value_json, updated_at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value_json, updated_at })).execute();
      await recordAudit(trx, actor, { action: 'settings.incidents.update', targetType: 'settings', targetId: KEY, before, after: next });
      return next;
    });
  }
}
