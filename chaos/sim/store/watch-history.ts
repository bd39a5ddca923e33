// The bounded change history behind watches: a watch may resume from any resourceVersion still kept; older ones
// get 410 Expired, as after an etcd compaction.

import type { SimObject, WatchEventType } from './types.js';

/** One committed change, kept for watches that start from an older resourceVersion. */
export interface HistoryEntry {
  rv: number;
  type: WatchEventType;
  resource: string;
  /** The committed object (shared, read-only). */
  object: SimObject;
  /** For MODIFIED: the object before the change (watch filters turn selector exits into DELETED). */
  previous?: SimObject;
}

export class WatchHistory {
  private readonly entries: HistoryEntry[] = [];
  private trimmed = false;

  constructor(private readonly size: number) {}

  push(entry: HistoryEntry): void {
    this.entries.push(entry);
    // Trim in batches so each write stays O(1) amortised.
    if (this.entries.length > this.size * 1.1) {
      this.entries.splice(0, this.entries.length - this.size);
      this.trimmed = true;
    }
  }

  /** Changes with rv > since, or undefined when `since` is older than what is kept. */
  since(since: number, current: number): HistoryEntry[] | undefined {
    if (since >= current) return [];
    if (since < this.firstRevisionKept()) return undefined;
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].rv <= since) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo);
  }

  /** The oldest resourceVersion a watch may start from. */
  firstRevisionKept(): number {
    return this.trimmed && this.entries.length ? this.entries[0].rv - 1 : 0;
  }
}
