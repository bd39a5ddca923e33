import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { startIngestHarness, type IngestHarness } from '../../helpers/ingest-harness.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';

// Production Redis has a password and often a non-zero database; a wrong password must look like an outage (503,
// PagerDuty retries), never like an accepted delivery.

const SECRET = 'whsec-auth';
const PASSWORD = 'p@ss:w/rd';
let redis: TestRedis;
let admin: Redis;
const harnesses: IngestHarness[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  admin = createRedis(redis.url, 'blocking');
  await admin.config('SET', 'requirepass', PASSWORD);
  await admin.auth(PASSWORD);
});
afterAll(async () => {
  for (const h of harnesses) await h.close();
  await admin?.quit();
  await redis?.close();
});

const post = (url: string, id: string) => {
  const payload = loadFixture('incident.triggered');
  payload.event.id = id;
  const d = signDelivery(payload, [SECRET], id);
  return fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: d.body, headers: d.headers });
};

describe('REDIS_URL with a password and a database index', () => {
  it('stores the job in that database', async () => {
    const h = await startIngestHarness(`redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${redis.port}/3`, [SECRET]);
    harnesses.push(h);
    const res = await post(h.url, 'auth-ok');
    expect(res.status).toBe(202);
    await admin.select(3);
    expect(await admin.exists(`${h.prefix}:incidents:triage-auth-ok`)).toBe(1);
    await admin.select(0);
    expect(await admin.exists(`${h.prefix}:incidents:triage-auth-ok`)).toBe(0);
  });

  it('a wrong password answers 503 with Retry-After, and readiness says the queue is down', async () => {
    const h = await startIngestHarness(`redis://:wrong@127.0.0.1:${redis.port}/3`, [SECRET]);
    harnesses.push(h);
    const res = await post(h.url, 'auth-wrong');
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(503);
  });
});
