// What webhook subscribers receive: JSON shaped like Atlassian Statuspage's webhook notifications
// (meta / page / incident, a maintenance being an incident with scheduled_for and impact
// "maintenance"), so receivers written for Statuspage read it with few changes. Pure.
import type { Phase } from '../../shared/phases.js';
import type { ComponentStatus, IncidentImpact, MaintenanceStatus, PageIndicator } from './model.js';
import { INDICATOR_DESCRIPTION } from './render/json.js';

/** Where receivers read how to verify and parse these payloads. */
export const WEBHOOK_DOCUMENTATION = 'https://hikeshi.dev/docs/status-page-webhooks';

/** The page as payloads describe it. */
export interface PayloadPage {
  id: string;
  name: string;
  url: string;
  indicator: PageIndicator;
}

export interface PayloadComponent {
  id: string;
  name: string;
  status: ComponentStatus;
}

export interface PayloadUpdate {
  id: string;
  status: Phase | MaintenanceStatus;
  body: string;
  createdAt: string;
}

function envelope(page: PayloadPage, unsubscribeUrl: string, event: string, now: string) {
  return {
    meta: { unsubscribe: unsubscribeUrl, documentation: WEBHOOK_DOCUMENTATION, generated_at: now, event },
    page: { id: page.id, name: page.name, url: page.url, status_indicator: page.indicator, status_description: INDICATOR_DESCRIPTION[page.indicator] },
  };
}

function updates(incidentId: string, list: PayloadUpdate[]) {
  return list.map((u) => ({
    id: u.id, incident_id: incidentId, status: u.status, body: u.body, created_at: u.createdAt, updated_at: u.createdAt, display_at: u.createdAt,
  }));
}

/** An incident update. `updates` newest first, ending with (at most) the one announced. */
export function incidentPayload(page: PayloadPage, unsubscribeUrl: string, now: string, i: {
  id: string; name: string; status: Phase; impact: IncidentImpact; createdAt: string; updatedAt: string;
  monitoringAt: string | null; resolvedAt: string | null; shortlink: string; updates: PayloadUpdate[]; components: PayloadComponent[];
}) {
  return {
    ...envelope(page, unsubscribeUrl, 'incident.update', now),
    incident: {
      id: i.id, name: i.name, status: i.status, impact: i.impact, created_at: i.createdAt, updated_at: i.updatedAt,
      monitoring_at: i.monitoringAt, resolved_at: i.resolvedAt, shortlink: i.shortlink, page_id: page.id,
      scheduled_for: null, scheduled_until: null,
      incident_updates: updates(i.id, i.updates),
      components: i.components,
    },
  };
}

/** A maintenance milestone or update, as Statuspage sends scheduled maintenance: an incident with impact "maintenance". */
export function maintenancePayload(page: PayloadPage, unsubscribeUrl: string, now: string, m: {
  id: string; name: string; status: MaintenanceStatus; event: string; createdAt: string; updatedAt: string;
  scheduledFor: string; scheduledUntil: string; shortlink: string; updates: PayloadUpdate[]; components: PayloadComponent[];
}) {
  return {
    ...envelope(page, unsubscribeUrl, `maintenance.${m.event}`, now),
    incident: {
      id: m.id, name: m.name, status: m.status, impact: 'maintenance', created_at: m.createdAt, updated_at: m.updatedAt,
      monitoring_at: null, resolved_at: m.status === 'completed' ? m.updatedAt : null, shortlink: m.shortlink, page_id: page.id,
      scheduled_for: m.scheduledFor, scheduled_until: m.scheduledUntil,
      incident_updates: updates(m.id, m.updates),
      components: m.components,
    },
  };
}

/** An admin's test delivery: the envelope and a note, so a receiver can check its signature handling. */
export function testPayload(page: PayloadPage, unsubscribeUrl: string, now: string) {
  return { ...envelope(page, unsubscribeUrl, 'test', now), test: { message: 'This is a test delivery from Hikeshi.' } };
}
