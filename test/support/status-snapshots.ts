// A status page snapshot source the test controls, for tests of the readers' side without a database.
import type { PageState } from '../../src/modules/statuspages/model.js';
import type { SnapshotSource } from '../../src/modules/statuspages/snapshots.js';

const NOW = Date.parse('2026-11-23T05:00:00Z');

export function pageState(name: string, builtAt = new Date(NOW).toISOString()): PageState {
  return {
    page: {
      id: 'p1', slug: 'acme', name, description: '', host: 'status.acme.test', logoUrl: null, brandColor: '#b91c1c', locale: 'en',
      timeZone: 'Asia/Tokyo', supportUrl: null, updatedAt: builtAt,
    },
    baseUrl: '', subscribeAction: null, builtAt,
    components: [{ id: 'c1', name: 'Checkout', description: '', groupId: null, position: 0, status: 'operational', createdAt: '2026-01-01T00:00:00Z', updatedAt: builtAt, history: [] }],
    groups: [], incidents: [], maintenances: [],
  };
}

/** A source whose answers the test controls; `down` makes every call fail like an unreachable database. */
export class FakeSource implements SnapshotSource {
  name = 'Acme Cloud';
  rev = 1;
  down = false;
  builds = 0;
  private check() {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }
  async servingIndex() {
    this.check();
    return [{ id: 'p1', slug: 'acme', host: 'status.acme.test' }];
  }
  async pageState() {
    this.check();
    this.builds++;
    return pageState(this.name);
  }
  async revision() {
    this.check();
    return String(this.rev);
  }
}

