// What the HTML, the JSON and the feeds all need to agree on: the page indicator, which incidents
// are open, which maintenance is active or upcoming, and the display tree of groups and components.
import {
  type ComponentStatus, type PageIndicator, type PageState, type PublicComponent,
  type PublicGroup, type PublicIncident, type PublicMaintenance, impactOf, worseStatus,
} from '../model.js';

const INDICATOR_RANK: Record<PageIndicator, number> = { none: 0, maintenance: 1, minor: 2, major: 3, critical: 4 };

/** The worse of two page indicators (any outage outranks maintenance). */
export function worseIndicator(a: PageIndicator, b: PageIndicator): PageIndicator {
  return INDICATOR_RANK[b] > INDICATOR_RANK[a] ? b : a;
}

/** Incidents customers were last told are not resolved. */
export function unresolvedIncidents(state: PageState): PublicIncident[] {
  return state.incidents.filter((i) => i.phase !== 'resolved');
}

/** Maintenance going on now (Statuspage's active.json: in progress or verifying). */
export function activeMaintenances(state: PageState): PublicMaintenance[] {
  return byScheduledForDesc(state.maintenances.filter((m) => m.status === 'in_progress' || m.status === 'verifying'));
}

/** Maintenance still ahead (Statuspage's upcoming.json: scheduled). */
export function upcomingMaintenances(state: PageState): PublicMaintenance[] {
  return byScheduledForDesc(state.maintenances.filter((m) => m.status === 'scheduled'));
}

/** Newest window first, as Statuspage lists scheduled maintenances. */
export function byScheduledForDesc(list: PublicMaintenance[]): PublicMaintenance[] {
  return [...list].sort((a, b) => Date.parse(b.scheduledFor) - Date.parse(a.scheduledFor));
}

/**
 * The page indicator as Statuspage derives `status.indicator`: the worst of the components'
 * statuses (degraded → minor, partial outage → major, major outage → critical) and the impact of
 * every unresolved incident; "maintenance" only when nothing is worse and a component is under
 * maintenance or a maintenance is in progress.
 */
export function pageIndicator(state: PageState): PageIndicator {
  let indicator: PageIndicator = 'none';
  let maintenance = activeMaintenances(state).length > 0;
  for (const c of state.components) {
    if (c.status === 'under_maintenance') maintenance = true;
    indicator = worseIndicator(indicator, impactOf(c.status));
  }
  for (const i of unresolvedIncidents(state)) indicator = worseIndicator(indicator, i.impact);
  return indicator === 'none' && maintenance ? 'maintenance' : indicator;
}

/** The worst status among components (operational when there are none). */
export function worstOf(components: PublicComponent[]): ComponentStatus {
  return components.reduce<ComponentStatus>((w, c) => worseStatus(w, c.status), 'operational');
}

/** One row of the components list: a lone component, or a group with its components. */
export type DisplayItem =
  | { kind: 'component'; component: PublicComponent }
  | { kind: 'group'; group: PublicGroup; components: PublicComponent[]; status: ComponentStatus };

/**
 * Groups and ungrouped components in display order: `state.components` is already in that order,
 * and a group appears where its first component does, with its components in the group's order.
 */
export function displayTree(state: PageState): DisplayItem[] {
  const byId = new Map(state.components.map((c) => [c.id, c]));
  const groups = new Map(state.groups.map((g) => [g.id, g]));
  const seen = new Set<string>();
  const items: DisplayItem[] = [];
  for (const c of state.components) {
    const group = c.groupId ? groups.get(c.groupId) : undefined;
    if (!group) {
      items.push({ kind: 'component', component: c });
      continue;
    }
    if (seen.has(group.id)) continue;
    seen.add(group.id);
    const ordered = group.componentIds.map((id) => byId.get(id)).filter((x): x is PublicComponent => !!x && x.groupId === group.id);
    // Components that name the group but are missing from its list still belong in it, at the end.
    for (const other of state.components) if (other.groupId === group.id && !ordered.includes(other)) ordered.push(other);
    items.push({ kind: 'group', group, components: ordered, status: worstOf(ordered) });
  }
  return items;
}

/** Names of the given component ids that exist on the page, in page order. */
export function componentNames(state: PageState, ids: string[]): string[] {
  const wanted = new Set(ids);
  return state.components.filter((c) => wanted.has(c.id)).map((c) => c.name);
}

/** The newest time anything on the page changed (Statuspage's page.updated_at), not the build time. */
export function lastChange(state: PageState): string {
  const times = [
    state.page.updatedAt,
    ...state.components.map((c) => c.updatedAt),
    ...state.groups.map((g) => g.updatedAt),
    ...state.incidents.map((i) => i.updatedAt),
    ...state.maintenances.map((m) => m.updatedAt),
  ].filter((t) => !Number.isNaN(Date.parse(t)));
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a), state.page.updatedAt);
}
