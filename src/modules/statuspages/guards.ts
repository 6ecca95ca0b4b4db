// Checks every status page mutation starts with: the page exists, ids in the body belong to it.
import { HttpProblem, problems } from '../../server/problem.js';
import type { Db } from '../../storage/db.js';
import type { StatusPagesTable } from '../../storage/schema.js';
import { findPage } from './statuspages.repo.js';

/** 400 naming the field, as the validator answers: the body is wrong, whatever the database holds. */
export function invalidField(field: string, message: string): HttpProblem {
  return new HttpProblem(400, 'Invalid request', `${field}: ${message}`, [{ field, message }]);
}

/** The page by id or slug, or 404. */
export async function requirePage(db: Db, ref: string): Promise<StatusPagesTable> {
  const page = await findPage(db, ref);
  if (!page) throw problems.notFound('Status page', ref);
  return page;
}

/** Refuses (400 naming `fieldOf(i)`) an id listed a second time. */
export function refuseDuplicates(ids: string[], fieldOf: (i: number) => string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw invalidField(fieldOf(i), 'listed twice');
    seen.add(id);
  });
}

/** Refuses (400 naming `${field}.${i}`) ids listed twice or that are not components of the page. */
export async function checkComponents(db: Db, pageId: string, ids: string[], field: string): Promise<void> {
  refuseDuplicates(ids, (i) => `${field}.${i}`);
  if (ids.length === 0) return;
  const found = new Set((await db.selectFrom('status_components').select('id').where('page_id', '=', pageId).where('id', 'in', ids).execute()).map((r) => r.id));
  const bad = ids.findIndex((id) => !found.has(id));
  if (bad >= 0) throw invalidField(`${field}.${bad}`, 'not a component of this status page');
}
