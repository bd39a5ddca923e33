import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type Redis } from '../../../backend/src/redis/create-redis.js';
import { TransientError } from '../../../backend/src/domain/errors.js';
import { ensureRedisReady } from '../../../backend/src/redis/ensure-ready.js';
import { RedisSafetyStore } from '../../../backend/src/safety/redis-safety-store.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { describeSafetyStoreContract } from './safety-store-contract.js';

let redis: TestRedis;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.close();
});

// Each test gets its own client (closed by the store) and key prefix, so tests cannot see each other's keys.
describeSafetyStoreContract('redis', {
  create: async () => new RedisSafetyStore(createRedis(redis.url, 'command'), { prefix: `t-${randomUUID()}:`, ownsClient: true }),
});

describe('redis safety store specifics', () => {
  it('keeps every key under its prefix', async () => {
    const client = createRedis(redis.url, 'command');
    clients.push(client);
    await ensureRedisReady(client);
    await client.flushdb();
    const store = new RedisSafetyStore(client, { prefix: 'pfx-check:' });
    await store.recordBreakerOutcome('cluster:prod', false, { failureThreshold: 5, openMs: 1000, halfOpenSuccesses: 2 }, 1);
    await store.acquireLock('deploy/a/b', 'me', 10_000);
    await store.setKillSwitch({ paused: true });
    const keys = await client.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith('pfx-check:'))).toBe(true);
  });

  it('hands out one half-open trial across several connections (replicas) racing on WATCH/MULTI', async () => {
    const prefix = `race-${randomUUID()}:`;
    const stores = Array.from({ length: 4 }, () => new RedisSafetyStore(createRedis(redis.url, 'command'), { prefix, ownsClient: true }));
    const policy = { failureThreshold: 5, openMs: 1000, halfOpenSuccesses: 2 };
    await Promise.all(Array.from({ length: 5 }, (_, i) => stores[i % 4].recordBreakerOutcome('cluster:prod', false, policy, 0)));
    expect((await stores[0].getBreaker('cluster:prod', policy, 1)).state).toBe('open');
    const permits = await Promise.all(stores.flatMap((s) => Array.from({ length: 5 }, () => s.acquireBreakerPermit('cluster:prod', policy, 1000))));
    expect(permits.filter((p) => p.allowed)).toHaveLength(1);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('turns an unreachable Redis into a TransientError, never a hang or a crash', async () => {
    const store = new RedisSafetyStore(createRedis('redis://127.0.0.1:1', 'command'), { ownsClient: true });
    await expect(store.getKillSwitch()).rejects.toBeInstanceOf(TransientError);
    await store.close();
  });
});
