import { join } from 'node:path';
import { createRedis } from '../redis/create-redis.js';
import { MemorySafetyStore } from './memory-safety-store.js';
import { RedisSafetyStore } from './redis-safety-store.js';
import type { SafetyStore } from './safety-store.js';

export interface SafetyStoreConfig {
  REDIS_URL?: string;
  REDIS_KEY_PREFIX: string;
  STATE_DIR: string;
}

/** Where the in-process store keeps the kill switch, so the CLI on the same machine can pause the daemon. */
export function killSwitchFilePath(stateDir: string): string {
  return join(stateDir, 'kill-switch.json');
}

/** Where the in-process store keeps its breakers, so a restart does not close an open one. */
export function breakerFilePath(stateDir: string): string {
  return join(stateDir, 'breakers.json');
}

/**
 * Redis when REDIS_URL is set (shared by every replica); otherwise the in-process store, whose state is per process
 * except the kill switch (STATE_DIR/kill-switch.json) and the breakers (STATE_DIR/breakers.json).
 */
export function createSafetyStore(config: SafetyStoreConfig): SafetyStore {
  if (config.REDIS_URL) {
    return new RedisSafetyStore(createRedis(config.REDIS_URL, 'command'), { prefix: config.REDIS_KEY_PREFIX, ownsClient: true, serverTime: true });
  }
  return new MemorySafetyStore({ killSwitchFile: killSwitchFilePath(config.STATE_DIR), breakerFile: breakerFilePath(config.STATE_DIR) });
}
