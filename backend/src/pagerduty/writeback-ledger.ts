/**
 * Which write-back steps already reached PagerDuty, by their idempotency ref: a retried job skips them instead of
 * posting a note (or change event) twice. The Redis adapter (redis/redis-writeback-ledger.ts) survives restarts and is
 * shared by every worker; this in-memory one serves the in-process queue, whose jobs do not survive a restart either.
 */
export interface WritebackLedger {
  has(ref: string): Promise<boolean>;
  mark(ref: string): Promise<void>;
}

export function createMemoryWritebackLedger(maxEntries = 50_000): WritebackLedger {
  const refs = new Set<string>();
  return {
    has: async (ref) => refs.has(ref),
    async mark(ref) {
      refs.add(ref);
      // Oldest first (Set keeps insertion order): bounded memory; a ref this old belongs to a job long finished.
      if (refs.size > maxEntries) refs.delete(refs.values().next().value as string);
    },
  };
}
