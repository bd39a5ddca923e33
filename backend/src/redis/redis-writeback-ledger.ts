import type { Redis } from 'ioredis';
import type { WritebackLedger } from '../pagerduty/writeback-ledger.js';

/** Refs live as long as finished jobs are kept (a week), long past the give-up time of any write-back job. */
const TTL_SECONDS = 7 * 86_400;

/** The write-back ledger in Redis: one key per delivered step, shared by every worker process. */
export function createRedisWritebackLedger(client: Redis, prefix: string): WritebackLedger {
  const key = (ref: string) => `${prefix}pd-writeback:${ref}`;
  return {
    has: async (ref) => (await client.exists(key(ref))) === 1,
    async mark(ref) {
      await client.set(key(ref), String(Date.now()), 'EX', TTL_SECONDS);
    },
  };
}
