import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SnapshotFile } from '../model.js';
import { renderPage } from './index.js';
import { API_PATHS } from './paths.js';
import { sampleState } from './sample-state.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const FIXTURES = new URL('../fixtures/statuspage-v2/', import.meta.url);
const fixture = (name: string): Obj => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

/** Our file for each documented example. */
const PAIRS: [string, string][] = [
  ['summary.json', API_PATHS.summary],
  ['status.json', API_PATHS.status],
  ['components.json', API_PATHS.components],
  ['incidents.json', API_PATHS.incidents],
  ['incidents-unresolved.json', API_PATHS.unresolved],
  ['scheduled-maintenances.json', API_PATHS.maintenances],
  ['scheduled-maintenances-upcoming.json', API_PATHS.upcoming],
  ['scheduled-maintenances-active.json', API_PATHS.active],
];

/** What kind of object sits under a key: the unit the field comparison works on. */
const KIND_OF_KEY: Record<string, string> = {
  page: 'page', status: 'status', components: 'component', incidents: 'incident',
  scheduled_maintenances: 'scheduled_maintenance', incident_updates: 'incident_update',
};

const typeOf = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every object in a response, by kind, found by walking the known keys. */
function objectsByKind(root: Obj, kind = 'root', out = new Map<string, Obj[]>()): Map<string, Obj[]> {
  out.set(kind, [...(out.get(kind) ?? []), root]);
  for (const [key, value] of Object.entries(root)) {
    const child = KIND_OF_KEY[key];
    if (!child) continue;
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) if (v && typeof v === 'object' && !Array.isArray(v)) objectsByKind(v, child, out);
  }
  return out;
}

/** The documented keys of each kind with the JSON types the examples show for them. */
function documentedFields(): Map<string, Map<string, Set<string>>> {
  const fields = new Map<string, Map<string, Set<string>>>();
  for (const [name] of PAIRS) {
    for (const [kind, objects] of objectsByKind(fixture(name))) {
      if (kind === 'root') continue;
      const kindFields = fields.get(kind) ?? new Map<string, Set<string>>();
      for (const o of objects) for (const [k, v] of Object.entries(o)) kindFields.set(k, (kindFields.get(k) ?? new Set()).add(typeOf(v)));
      fields.set(kind, kindFields);
    }
  }
  return fields;
}

const body = (files: SnapshotFile[], path: string): Obj => JSON.parse(files.find((f) => f.path === path)!.body);

// Documented values. Each page's /api documentation (e.g. https://www.githubstatus.com/api) names the
// component statuses, the indicators none/minor/major/critical and the Resolved and Postmortem incident
// states; Statuspage-hosted API references such as
// https://www.mongodb.com/docs/api/doc/cloud-status/operation/operation-getupcomingscheduledmaintenances
// list the update statuses (investigating … postmortem, scheduled, in_progress, verifying, completed)
// and the impacts none/minor/major/critical/maintenance. under_maintenance is the component status
// Statuspage's manage API documents and live pages report during maintenance; "maintenance" is the
// indicator they report then.
const COMPONENT_STATUS = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];
const INDICATOR = ['none', 'minor', 'major', 'critical', 'maintenance'];
const INCIDENT_STATUS = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'];
const INCIDENT_IMPACT = ['none', 'minor', 'major', 'critical'];
const MAINTENANCE_STATUS = ['scheduled', 'in_progress', 'verifying', 'completed'];
const MAINTENANCE_IMPACT = ['none', 'minor', 'major', 'critical', 'maintenance'];

describe('Statuspage v2 JSON', () => {
  const files = renderPage(sampleState());

  it('has the same top-level keys as each documented endpoint', () => {
    for (const [name, path] of PAIRS) expect(Object.keys(body(files, path)).sort(), path).toEqual(Object.keys(fixture(name)).sort());
  });

  it('has every documented field of every object kind, with the documented JSON type', () => {
    const documented = documentedFields();
    expect([...documented.keys()].sort()).toEqual(['component', 'incident', 'incident_update', 'page', 'scheduled_maintenance', 'status']);
    const seen = new Set<string>();
    for (const [, path] of PAIRS) {
      for (const [kind, objects] of objectsByKind(body(files, path))) {
        const fields = documented.get(kind);
        if (!fields) continue;
        seen.add(kind);
        for (const o of objects) {
          for (const [key, types] of fields) {
            expect(o, `${path} ${kind} lacks ${key}`).toHaveProperty([key]);
            const t = typeOf(o[key]!);
            // A field the examples only show as null may hold any type; otherwise it must match (null only where allowed).
            const onlyNull = types.size === 1 && types.has('null');
            expect(onlyNull || types.has(t), `${path} ${kind}.${key} is ${t}, documented ${[...types].join('|')}`).toBe(true);
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...documented.keys()].sort());
  });

  it('emits only documented status, indicator and impact values', () => {
    const all = renderPage(sampleState());
    for (const [, path] of PAIRS) {
      const objects = objectsByKind(body(all, path));
      for (const c of objects.get('component') ?? []) expect(COMPONENT_STATUS).toContain(c.status);
      for (const s of objects.get('status') ?? []) expect(INDICATOR).toContain(s.indicator);
      for (const i of objects.get('incident') ?? []) {
        expect(INCIDENT_STATUS).toContain(i.status);
        expect(INCIDENT_IMPACT).toContain(i.impact);
      }
      for (const m of objects.get('scheduled_maintenance') ?? []) {
        expect(MAINTENANCE_STATUS).toContain(m.status);
        expect(MAINTENANCE_IMPACT).toContain(m.impact);
      }
      for (const u of objects.get('incident_update') ?? []) expect([...INCIDENT_STATUS, ...MAINTENANCE_STATUS]).toContain(u.status);
    }
  });

  it('lists what each endpoint lists on Statuspage', () => {
    const ids = (o: Obj, key: string) => (o[key] as Obj[]).map((x) => x.id);
    const summary = body(files, API_PATHS.summary);
    expect(ids(summary, 'incidents')).toEqual(['inc1']);
    expect(ids(summary, 'scheduled_maintenances').sort()).toEqual(['mnext', 'mnow']);
    expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(ids(body(files, API_PATHS.incidents), 'incidents')).toEqual(['inc1', 'inc0', 'old']);
    expect(ids(body(files, API_PATHS.unresolved), 'incidents')).toEqual(['inc1']);
    // Cancelled maintenance does not exist on Statuspage (it is deleted), so the API leaves it out.
    expect(ids(body(files, API_PATHS.maintenances), 'scheduled_maintenances')).toEqual(['mnext', 'mnow', 'mdone']);
    expect(ids(body(files, API_PATHS.upcoming), 'scheduled_maintenances')).toEqual(['mnext']);
    expect(ids(body(files, API_PATHS.active), 'scheduled_maintenances')).toEqual(['mnow']);
  });

  it('writes groups as Statuspage does, with their members', () => {
    const components = body(files, API_PATHS.components).components as Obj[];
    const core = components.find((c) => c.id === 'core')!;
    expect(core).toMatchObject({ group: true, components: ['api', 'web'], status: 'partial_outage', group_id: null });
    expect(components.find((c) => c.id === 'api')).toMatchObject({ group: false, group_id: 'core', showcase: true, start_date: '2025-01-01' });
    expect(components.find((c) => c.id === 'mail')).toMatchObject({ group_id: null, description: 'Outbound notifications' });
  });

  it('keeps update bodies as written, with the phase in status, and times in the page zone', () => {
    const incident = (body(files, API_PATHS.unresolved).incidents as Obj[])[0]!;
    const updates = incident.incident_updates as Obj[];
    expect(updates.map((u) => u.status)).toEqual(['identified', 'investigating']);
    expect(updates[0]!.body).toBe('原因を特定しました。\n修正を適用しています。');
    expect(incident.created_at).toBe('2026-11-23T13:40:00.000+09:00');
    expect(incident.shortlink).toBe('https://status.acme.example/incidents/inc1.html');
    const page = body(files, API_PATHS.status).page as Obj;
    expect(page).toEqual({ id: 'pg1', name: 'Acme', url: 'https://status.acme.example', time_zone: 'Asia/Tokyo', updated_at: '2026-11-23T14:00:00.000+09:00' });
  });

  it('uses relative URLs that resolve to the page when the server has no public URL', () => {
    const rel = renderPage(sampleState({ baseUrl: '' }));
    const paths = new Set(rel.map((f) => f.path));
    const resolve = (from: string, ref: string) => new URL(ref, `http://h/root/${from}`).pathname.slice('/root/'.length);
    expect((body(rel, API_PATHS.summary).page as Obj).url).toBe('../../');
    expect(resolve(API_PATHS.unresolved, (body(rel, API_PATHS.unresolved).page as Obj).url as string)).toBe('');
    const shortlink = ((body(rel, API_PATHS.unresolved).incidents as Obj[])[0]!.shortlink) as string;
    expect(paths.has(resolve(API_PATHS.unresolved, shortlink))).toBe(true);
  });
});
