// Readiness when the database is gone: 503, and the reason stays in the log.
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/support/server.js';

describe('readiness (sqlite)', () => {
  it('answers 503 without the database’s error text when the database does not answer', async () => {
    const ts = await startTestServer('sqlite');
    try {
      expect((await ts.call('GET', '/readyz')).status).toBe(200);
      await ts.server.ctx.storage.db.destroy();
      const res = await ts.call('GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', database: 'sqlite' });
      expect((await ts.call('GET', '/healthz')).status).toBe(200);
    } finally {
      await ts.close().catch(() => {});
    }
  });
});
