import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullmqQueue } from '../../../backend/src/queue/index.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.close();
});

describe('closing the BullMQ ingest queue', () => {
  it('right after it was built (client still connecting) leaves no unhandled rejection behind', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      for (let i = 0; i < 10; i++) {
        const client = createRedis(redis.url, 'command');
        const queue = createBullmqQueue({ connection: client, retry: { attempts: 1, backoffMs: 10 } });
        // Shut down in the very tick the client becomes ready, before BullMQ's own start-up commands are sent.
        await new Promise<void>((resolve) =>
          client.once('ready', () => {
            void Promise.allSettled([queue.close(), client.quit()]).then(() => resolve());
          }),
        );
      }
      // Let any late rejection from the aborted connection surface.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rejections.map((r) => String((r as Error)?.message ?? r))).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('still stores jobs when built before the client is ready', async () => {
    const client = createRedis(redis.url, 'command');
    const queue = createBullmqQueue({ connection: client, retry: { attempts: 1, backoffMs: 10 }, prefix: 'close-test' });
    try {
      const result = await queue.enqueue({
        kind: 'triage',
        incident: { id: 'PCLOSE', title: 'x', source: 'pagerduty', details: {} },
        origin: { deliveryId: 'd-close-1', eventId: 'e1', eventType: 'incident.triggered', occurredAt: '2026-11-21T00:00:00Z', receivedAt: '2026-11-21T00:00:00Z' },
      } as never);
      expect(result).toMatchObject({ outcome: 'added' });
      expect(await client.exists(`close-test:incidents:${result.jobId}`)).toBe(1);
    } finally {
      await queue.close();
      await client.quit().catch(() => undefined);
    }
  });
});
