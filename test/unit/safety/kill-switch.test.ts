import { describe, expect, it } from 'vitest';
import { readEffectiveKillSwitch, pauseAgent, resumeAgent } from '../../../backend/src/safety/kill-switch.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import { RedisSafetyStore } from '../../../backend/src/safety/redis-safety-store.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';

describe('effective kill switch', () => {
  it('is the env setting OR the stored switch', async () => {
    const store = new MemorySafetyStore();
    expect(await readEffectiveKillSwitch(store, false)).toMatchObject({ paused: false, source: 'none' });
    expect(await readEffectiveKillSwitch(store, true)).toMatchObject({ paused: true, source: 'env' });
    await pauseAgent(store, 'alice', 'bad deploy', 1);
    expect(await readEffectiveKillSwitch(store, false)).toMatchObject({ paused: true, source: 'store', by: 'alice', reason: 'bad deploy' });
    await resumeAgent(store, 'bob', 2);
    expect(await readEffectiveKillSwitch(store, false)).toMatchObject({ paused: false, by: 'bob' });
    expect(await readEffectiveKillSwitch(store, true)).toMatchObject({ paused: true, source: 'env' });
  });

  it('fails closed when the store cannot be read', async () => {
    const store = new RedisSafetyStore(createRedis('redis://127.0.0.1:1', 'command'), { ownsClient: true });
    const effective = await readEffectiveKillSwitch(store, false);
    await store.close();
    expect(effective).toMatchObject({ paused: true, source: 'store-unavailable' });
  });
});
