/**
 * What waits in the SQLite inbox file, kept in memory: the number and alert count of every stored
 * request past grouping's cursor, in order. Counting the file instead (count and sum over the rows
 * past the cursor) reads every waiting row on the event loop: 120 ms with 500,000 one-alert requests
 * waiting, which a storm of single-alert senders reaches, and the grouper counts once a second.
 * Here a count is a binary search, exact for the current cursor (see forget for an older one).
 */
export class WaitingLedger {
  /** Request numbers (ascending) and, for each, the alerts of every request up to it since the ledger began. */
  private seqs: number[] = [];
  private upTo: number[] = [];
  /** Entries before this index are behind the cursor and no longer looked at. */
  private start = 0;
  /** The alerts of every request before the first entry (dropped from the front). */
  private base = 0;
  /** The cursor last forgotten up to: a number at or behind it counts nothing. */
  private forgotten = 0;

  /** Starts over from the requests the file holds past `cursor` (`rows`, in order). */
  reset(rows: Iterable<{ seq: number; alert_count: number }>, cursor = 0): void {
    this.seqs = [];
    this.upTo = [];
    this.start = 0;
    this.base = 0;
    this.forgotten = cursor;
    this.stale = false;
    for (const r of rows) this.add(r.seq, r.alert_count);
  }

  /** Set when a number came out of order (the file was replaced under the server): count the file again. */
  stale = false;

  /**
   * Request `seq` was stored with `alerts` alerts (numbers only grow). One counted already (a recount
   * read it before its writer confirmed it) is skipped; one missing from the order marks the ledger stale.
   */
  add(seq: number, alerts: number): void {
    const last = this.seqs.length - 1;
    if (last >= 0 && seq <= this.seqs[last]!) {
      if (seq <= this.forgotten) return;
      const i = this.firstAfter(seq - 1);
      if (i >= this.seqs.length || this.seqs[i] !== seq) this.stale = true;
      return;
    }
    this.seqs.push(seq);
    this.upTo.push((last >= 0 ? this.upTo[last]! : this.base) + alerts);
  }

  /** The requests past `cursor`, and their alerts. */
  count(cursor: number): { requests: number; alerts: number } {
    const i = this.firstAfter(cursor);
    const n = this.seqs.length;
    if (i >= n) return { requests: 0, alerts: 0 };
    const before = i > 0 ? this.upTo[i - 1]! : this.base;
    return { requests: n - i, alerts: this.upTo[n - 1]! - before };
  }

  /** Grouping passed `cursor`: what is behind it is dropped (a caller's older cursor then counts a little short, never long). */
  forget(cursor: number): void {
    this.forgotten = Math.max(this.forgotten, cursor);
    this.start = this.firstAfter(cursor);
    // Drop the front once it is most of the arrays, so memory follows what waits.
    if (this.start > 1024 && this.start * 2 > this.seqs.length) {
      this.base = this.upTo[this.start - 1]!;
      this.seqs = this.seqs.slice(this.start);
      this.upTo = this.upTo.slice(this.start);
      this.start = 0;
    }
  }

  /** The index of the first entry (from `start`) whose number is past `cursor`. */
  private firstAfter(cursor: number): number {
    let lo = this.start;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid]! <= cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
