// Pages and incidents: paging responders into an incident (on its timeline; a drill wakes only the
// people named in it), and the reminder an overdue update clock sends whoever owns the update.
import { problems } from '../../server/problem.js';
import { type Actor, SYSTEM_ACTOR } from '../../shared/actor.js';
import type { PagingPeople } from './contacts.service.js';
import type { PagedIncidents, PagesService } from './pages.service.js';
import type { Target } from './policies.service.js';

const INCIDENT_SEVERITY: Record<string, string> = { SEV1: 'critical', SEV2: 'error', SEV3: 'warning', SEV4: 'info' };

/** The clocks an overdue reminder names, in each language. */
const CLOCK_WORDS: Record<'en' | 'ja', Record<string, string>> = {
  en: { firstPublicUpdate: 'the first public update', internal: 'the internal update', stakeholder: 'the stakeholder update', public: 'the public update' },
  ja: { firstPublicUpdate: '最初の公開報告', internal: '社内向け報告', stakeholder: '関係者向け報告', public: '公開報告' },
};

/** Everyone named in an incident: its commander, role holders and responders. */
function namedIn(incident: Awaited<ReturnType<PagedIncidents['get']>>): Set<string> {
  const ids = [incident.commander?.id, ...incident.roles.map((r) => r.user?.id), ...incident.responders.map((r) => r.user.id)];
  return new Set(ids.filter((x): x is string => !!x));
}

/** Pages responders into an incident: the page is on its timeline, and a drill's page reaches only the people named in it. */
export async function pageIntoIncident(pages: PagesService, incidents: PagedIncidents, actor: Actor, incidentRef: string, input: { target: Target | { type: 'policy'; id: string }; message?: string }) {
  const incident = await incidents.get(incidentRef);
  if (incident.phase === 'resolved') throw problems.conflict(`INC-${incident.number} is resolved`, `INC-${incident.number} は解決済みです`);
  const title = `INC-${incident.number} ${incident.title}${input.message ? ` — ${input.message}` : ''}`.slice(0, 200);
  return pages.create(actor, { title, severity: INCIDENT_SEVERITY[incident.severity] ?? 'critical', target: input.target }, {
    incidentId: incident.id, drill: incident.drill, named: incident.drill ? namedIn(incident) : undefined,
  });
}

/**
 * An overdue communication clock reminds whoever owns the update: the communications role, else the
 * commander. Once per clock and due time, whichever node runs the job (the dedup key).
 */
export async function remindOwner(pages: PagesService, incidents: PagedIncidents, people: PagingPeople, incidentId: string, clock: string, dueAt: string): Promise<string | null> {
  const incident = await incidents.get(incidentId);
  const owner = incident.roles.find((r) => r.role === 'communications' && r.user?.id)?.user ?? incident.commander;
  if (!owner?.id) return null;
  const person = await people.person(owner.id).catch(() => null);
  if (!person || person.disabled) return null;
  const lang = person.locale === 'ja' ? 'ja' : 'en';
  const what = CLOCK_WORDS[lang][clock] ?? clock;
  const title = lang === 'ja' ? `リマインダー: ${what}の期限が過ぎています — INC-${incident.number} ${incident.title}` : `Reminder: ${what} is overdue — INC-${incident.number} ${incident.title}`;
  return pages.start(SYSTEM_ACTOR, { title: title.slice(0, 200), severity: 'warning', target: { type: 'user', id: owner.id } }, {
    incidentId: incident.id, drill: incident.drill, repeat: 0, dedupKey: `reminder:${incident.id}:${clock}:${dueAt}`,
  });
}
