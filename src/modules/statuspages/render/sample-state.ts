// A realistic page for the renderer's tests: groups, an open and resolved incidents, maintenance in
// every state, and 90 days of history. Test support only (not imported by the renderer).
import type { PageState } from '../model.js';

/** 2026-11-23 14:05 JST. */
export const BUILT_AT = '2026-11-23T05:05:00.000Z';

/** A page in Japanese by default, in Tokyo, with something in every section. */
export function sampleState(overrides: Partial<PageState> = {}): PageState {
  return {
    page: {
      id: 'pg1', slug: 'acme', name: 'Acme', description: 'Acme のサービス稼働状況', host: null,
      logoUrl: 'https://acme.example/logo.png', brandColor: '#c2410c', locale: 'ja', timeZone: 'Asia/Tokyo',
      supportUrl: 'mailto:support@acme.example', updatedAt: '2026-10-01T00:00:00.000Z',
    },
    baseUrl: 'https://status.acme.example/',
    subscribeAction: 'https://status.acme.example/subscribe',
    builtAt: BUILT_AT,
    components: [
      {
        id: 'api', name: 'API', description: 'REST と GraphQL', groupId: 'core', position: 1, status: 'partial_outage',
        createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2026-11-23T04:40:00.000Z',
        history: [
          { status: 'major_outage', from: '2026-11-20T01:00:00.000Z', to: '2026-11-20T01:12:00.000Z' },
          { status: 'partial_outage', from: '2026-11-23T04:40:00.000Z', to: null },
        ],
      },
      {
        id: 'web', name: 'Web', description: '', groupId: 'core', position: 2, status: 'operational',
        createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2026-11-20T00:00:00.000Z',
        history: [{ status: 'under_maintenance', from: '2026-11-22T17:00:00.000Z', to: '2026-11-22T18:00:00.000Z' }],
      },
      {
        id: 'mail', name: 'Email', description: 'Outbound notifications', groupId: null, position: 2, status: 'operational',
        createdAt: '2026-11-10T03:00:00.000Z', updatedAt: '2026-11-10T03:00:00.000Z', history: [],
      },
    ],
    groups: [{
      id: 'core', name: 'Core', description: '', position: 1, createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z', componentIds: ['api', 'web'],
    }],
    incidents: [
      {
        id: 'inc1', number: 42, title: 'API のエラー率上昇', phase: 'identified', impact: 'major',
        createdAt: '2026-11-23T04:40:00.000Z', updatedAt: '2026-11-23T05:00:00.000Z', monitoringAt: null, resolvedAt: null,
        updates: [
          { id: 'u2', phase: 'identified', body: '原因を特定しました。\n修正を適用しています。', createdAt: '2026-11-23T05:00:00.000Z' },
          { id: 'u1', phase: 'investigating', body: 'API のエラー率が上昇しています。', createdAt: '2026-11-23T04:45:00.000Z' },
        ],
        components: [{ id: 'api', status: 'partial_outage' }],
      },
      {
        id: 'inc0', number: 41, title: 'Login outage', phase: 'resolved', impact: 'critical',
        createdAt: '2026-11-20T01:00:00.000Z', updatedAt: '2026-11-20T01:15:00.000Z',
        monitoringAt: '2026-11-20T01:12:00.000Z', resolvedAt: '2026-11-20T01:15:00.000Z',
        updates: [
          { id: 'u02', phase: 'resolved', body: 'Resolved.', createdAt: '2026-11-20T01:15:00.000Z' },
          { id: 'u01', phase: 'investigating', body: 'Logins fail.', createdAt: '2026-11-20T01:02:00.000Z' },
        ],
        components: [{ id: 'api', status: 'operational' }],
      },
      {
        id: 'old', number: 30, title: 'Slow dashboards', phase: 'resolved', impact: 'minor',
        createdAt: '2026-09-02T01:00:00.000Z', updatedAt: '2026-09-02T03:00:00.000Z', monitoringAt: null, resolvedAt: '2026-09-02T03:00:00.000Z',
        updates: [{ id: 'o1', phase: 'resolved', body: 'Fixed.', createdAt: '2026-09-02T03:00:00.000Z' }],
        components: [{ id: 'web', status: 'operational' }],
      },
    ],
    maintenances: [
      {
        id: 'mnext', title: 'Database upgrade', status: 'scheduled', scheduledFor: '2026-11-28T17:00:00.000Z',
        scheduledUntil: '2026-11-28T19:00:00.000Z', startedAt: null, completedAt: null,
        createdAt: '2026-11-21T00:00:00.000Z', updatedAt: '2026-11-21T00:00:00.000Z',
        updates: [{ id: 'mu1', status: 'scheduled', body: 'We will upgrade the database.', createdAt: '2026-11-21T00:00:00.000Z' }],
        componentIds: ['api', 'web'],
      },
      {
        id: 'mnow', title: 'Mail relay swap', status: 'in_progress', scheduledFor: '2026-11-23T04:00:00.000Z',
        scheduledUntil: '2026-11-23T06:00:00.000Z', startedAt: '2026-11-23T04:00:00.000Z', completedAt: null,
        createdAt: '2026-11-20T00:00:00.000Z', updatedAt: '2026-11-23T04:00:00.000Z',
        updates: [{ id: 'mu2', status: 'in_progress', body: 'Started.', createdAt: '2026-11-23T04:00:00.000Z' }],
        componentIds: ['mail'],
      },
      {
        id: 'mdone', title: 'Web deploy window', status: 'completed', scheduledFor: '2026-11-22T17:00:00.000Z',
        scheduledUntil: '2026-11-22T18:00:00.000Z', startedAt: '2026-11-22T17:00:00.000Z', completedAt: '2026-11-22T18:00:00.000Z',
        createdAt: '2026-11-15T00:00:00.000Z', updatedAt: '2026-11-22T18:00:00.000Z',
        updates: [
          { id: 'mu4', status: 'completed', body: 'Done.', createdAt: '2026-11-22T18:00:00.000Z' },
          { id: 'mu3', status: 'scheduled', body: 'Planned.', createdAt: '2026-11-15T00:00:00.000Z' },
        ],
        componentIds: ['web'],
      },
      {
        id: 'mcancel', title: 'Network change', status: 'cancelled', scheduledFor: '2026-11-25T17:00:00.000Z',
        scheduledUntil: '2026-11-25T18:00:00.000Z', startedAt: null, completedAt: null,
        createdAt: '2026-11-18T00:00:00.000Z', updatedAt: '2026-11-19T00:00:00.000Z', updates: [], componentIds: ['api'],
      },
    ],
    ...overrides,
  };
}
