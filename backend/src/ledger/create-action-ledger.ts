import { join } from 'node:path';
import { createRedis } from '../redis/create-redis.js';
import type { ActionLedger } from './action-ledger.js';
import { FileActionLedger } from './file-action-ledger.js';
import { RedisActionLedger } from './redis-action-ledger.js';

/** Redis when REDIS_URL is set (shared by every worker); otherwise files under STATE_DIR/ledger. */
export function createActionLedger(config: { REDIS_URL?: string; REDIS_KEY_PREFIX: string; STATE_DIR: string }): ActionLedger {
  if (config.REDIS_URL) return new RedisActionLedger(createRedis(config.REDIS_URL, 'command'), { prefix: config.REDIS_KEY_PREFIX, ownsClient: true });
  return new FileActionLedger(ledgerDirOf(config.STATE_DIR));
}

export function ledgerDirOf(stateDir: string): string {
  return join(stateDir, 'ledger');
}
