import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type Redis } from '../../../backend/src/redis/create-redis.js';
import { TransientError } from '../../../backend/src/domain/errors.js';
import { ensureRedisReady } from '../../../backend/src/redis/ensure-ready.js';
import { createSafetyStore } from '../../../backend/src/safety/create-safety-store.js';
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

  it('with serverTime, replicas with skewed clocks agree on the open period (a fast clock cannot half-open it early)', async () => {
    const prefix = `skew-${randomUUID()}:`;
    const slow = new RedisSafetyStore(createRedis(redis.url, 'command'), { prefix, ownsClient: true, serverTime: true });
    const fast = new RedisSafetyStore(createRedis(redis.url, 'command'), { prefix, ownsClient: true, serverTime: true });
    const policy = { failureThreshold: 5, openMs: 300_000, halfOpenSuccesses: 2 };
    const tenMinutes = 600_000;
    // The replica whose clock is 10 minutes behind opens the breaker…
    for (let i = 0; i < 5; i += 1) await slow.recordBreakerOutcome('cluster:prod', false, policy, Date.now() - tenMinutes);
    // …and the one 10 minutes ahead must still see it open, and get no trial.
    expect((await fast.getBreaker('cluster:prod', policy, Date.now() + tenMinutes)).state).toBe('open');
    expect((await fast.acquireBreakerPermit('cluster:prod', policy, Date.now() + tenMinutes)).allowed).toBe(false);
    expect(await fast.listBreakers(policy, Date.now() + tenMinutes)).toEqual([expect.objectContaining({ scope: 'cluster:prod', state: 'open' })]);
    await Promise.all([slow.close(), fast.close()]);
  });

  it('the production factory turns serverTime on', async () => {
    const store = createSafetyStore({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `factory-${randomUUID()}:`, STATE_DIR: '/nonexistent' });
    const policy = { failureThreshold: 1, openMs: 300_000, halfOpenSuccesses: 2 };
    await store.recordBreakerOutcome('cluster:prod', false, policy, 0); // a clock stuck at 1970 still opens it "now"
    expect((await store.getBreaker('cluster:prod', policy, Date.now())).state).toBe('open');
    await store.close();
  });

  it('turns an unreachable Redis into a TransientError, never a hang or a crash', async () => {
    const store = new RedisSafetyStore(createRedis('redis://127.0.0.1:1', 'command'), { ownsClient: true });
    await expect(store.getKillSwitch()).rejects.toBeInstanceOf(TransientError);
    await store.close();
  });
});
