// The accepting half of ingest, with the inbox faked: batches are handed over without waiting for
// the one before (up to a bound), every request settles once its own batch is stored, and a failed
// batch fails only the request that cannot be stored.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AlertGrouper } from './grouper.js';
import type { AlertInbox, InboxRow } from './inbox.js';
import { AlertIngestor, type AcceptedRequest } from './ingest.js';

/** An inbox whose appends finish only when the test says so. */
class HeldInbox {
  readonly appends: { rows: InboxRow[]; done: () => void; fail: (err: Error) => void }[] = [];
  constructor(readonly coalesces: boolean) {}
  append(rows: InboxRow[]): Promise<void> {
    return new Promise((done, fail) => this.appends.push({ rows, done, fail }));
  }
  get open(): number {
    return this.appends.length;
  }
}

const grouper = { arrived() {}, accepted() {} } as unknown as AlertGrouper;
const request = (n: number): AcceptedRequest => ({
  integration: { id: 'int-1', groupBy: [] }, alertsJson: JSON.stringify([{ dedupKey: `k${n}` }]), alertCount: 1, receivedAt: new Date().toISOString(),
});
const turn = () => new Promise((r) => setImmediate(() => setImmediate(() => setImmediate(r))));

describe('AlertIngestor', () => {
  it.each([[false, 6], [true, 256]])('hands batches over without waiting for the one before (inbox gathers itself: %s), at most %i at once', async (coalesces, bound) => {
    const inbox = new HeldInbox(coalesces);
    const ingestor = new AlertIngestor(inbox as unknown as AlertInbox, grouper, pino({ level: 'silent' }));
    const settled: number[] = [];
    const all: Promise<void>[] = [];
    // One request per turn, as they arrive from different connections.
    for (let i = 0; i < bound + 5; i++) {
      all.push(ingestor.submit(request(i)).then(() => { settled.push(i); }));
      await turn();
    }
    expect(inbox.open).toBe(bound);
    expect(ingestor.backlog).toBe(bound + 5);
    expect(settled).toEqual([]);
    // Storing the first lets the next waiting one go.
    inbox.appends[0]!.done();
    await turn();
    expect(settled).toEqual([0]);
    expect(inbox.open).toBe(bound + 1);
    inbox.appends.shift();
    while (settled.length < bound + 5) {
      for (const a of inbox.appends.splice(0)) a.done();
      await turn();
    }
    await Promise.all(all);
    expect(settled.sort((a, b) => a - b)).toEqual(Array.from({ length: bound + 5 }, (_, i) => i));
    expect(ingestor.backlog).toBe(0);
    expect(ingestor.stats.requests).toBe(bound + 5);
  });

  it('retries a failed batch request by request, so only the bad one fails', async () => {
    const inbox = new HeldInbox(false);
    const ingestor = new AlertIngestor(inbox as unknown as AlertInbox, grouper, pino({ level: 'silent' }));
    const results = Promise.allSettled([0, 1, 2].map((i) => ingestor.submit(request(i))));
    await turn();
    expect(inbox.appends).toHaveLength(1);
    expect(inbox.appends[0]!.rows).toHaveLength(3);
    inbox.appends.shift()!.fail(new Error('batch refused'));
    for (let i = 0; i < 3; i++) {
      await turn();
      const a = inbox.appends.shift()!;
      expect(a.rows).toHaveLength(1);
      if (i === 1) a.fail(new Error('this one cannot be stored'));
      else a.done();
    }
    expect((await results).map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
