import { describe, expect, it } from 'vitest';
import { WaitingLedger } from './inbox-ledger.js';

describe('the inbox ledger', () => {
  it('counts the requests and alerts past any cursor, before and after it forgets the front', () => {
    const ledger = new WaitingLedger();
    expect(ledger.count(0)).toEqual({ requests: 0, alerts: 0 });
    ledger.reset([{ seq: 5, alert_count: 2 }, { seq: 6, alert_count: 3 }]);
    for (let seq = 7; seq <= 5000; seq++) ledger.add(seq, seq % 4);
    const slow = (cursor: number) => {
      let requests = 0;
      let alerts = 0;
      for (let seq = Math.max(cursor + 1, 5); seq <= 5000; seq++) {
        requests++;
        alerts += seq === 5 ? 2 : seq === 6 ? 3 : seq % 4;
      }
      return { requests, alerts };
    };
    for (const cursor of [0, 4, 5, 6, 100, 4999, 5000, 9000]) expect(ledger.count(cursor), `cursor ${cursor}`).toEqual(slow(cursor));
    // Past 1,024 entries behind the cursor the front is dropped; counts stay exact.
    ledger.forget(3000);
    for (const cursor of [3000, 3001, 4500, 5000]) expect(ledger.count(cursor), `cursor ${cursor}`).toEqual(slow(cursor));
    // An older cursor than the one forgotten counts short, never long.
    expect(ledger.count(10).requests).toBe(2000);
    for (let seq = 5001; seq <= 5003; seq++) ledger.add(seq, 10);
    expect(ledger.count(4999)).toEqual({ requests: 4, alerts: (5000 % 4) + 30 });
    ledger.forget(6000);
    expect(ledger.count(6000)).toEqual({ requests: 0, alerts: 0 });
    ledger.add(6001, 4);
    expect(ledger.count(6000)).toEqual({ requests: 1, alerts: 4 });
  });

  it('skips a request counted already, and asks for a recount when one comes out of order', () => {
    const ledger = new WaitingLedger();
    // A recount read 10 and 11 before their writer confirmed them; the confirmations then arrive.
    ledger.reset([{ seq: 10, alert_count: 1 }, { seq: 11, alert_count: 2 }], 9);
    ledger.add(10, 1);
    ledger.add(11, 2);
    ledger.add(13, 4);
    expect(ledger.stale).toBe(false);
    expect(ledger.count(9)).toEqual({ requests: 3, alerts: 7 });
    // Behind the cursor: counts nothing either way.
    ledger.forget(11);
    ledger.add(11, 2);
    expect(ledger.stale).toBe(false);
    // Never counted and before the last one: the file holds something the ledger missed.
    ledger.add(12, 1);
    expect(ledger.stale).toBe(true);
    ledger.reset([{ seq: 12, alert_count: 1 }, { seq: 13, alert_count: 4 }], 11);
    expect(ledger.stale).toBe(false);
    expect(ledger.count(11)).toEqual({ requests: 2, alerts: 5 });
  });
});
