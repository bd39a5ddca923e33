import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestHarness, type IngestHarness } from '../../helpers/ingest-harness.js';
import { waitFor } from '../../helpers/incident-jobs.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { eventIdOf, loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';

const SECRET = 'whsec-outage';
let redis: TestRedis;
let h: IngestHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  h = await startIngestHarness(redis.url, [SECRET], { workerRunning: () => true });
});
afterAll(async () => {
  await h?.close();
  await redis?.close();
});

const post = (d: ReturnType<typeof signDelivery>) =>
  fetch(`${h.url}/webhooks/pagerduty`, { method: 'POST', body: d.body, headers: d.headers }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('Redis outage', () => {
  it('answers 503 while Redis is down, stays up, and accepts the retried delivery once Redis is back', async () => {
    const payload = loadFixture('incident.triggered');
    payload.event.data.id = 'POUTAGE';
    const delivery = signDelivery(payload, [SECRET], 'delivery-during-outage');

    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    await redis.stop();

    const refused = await post(delivery);
    expect(refused).toMatchObject({ status: 503, body: { error: expect.stringMatching(/retry/) } });
    // Still serving: health answers, readiness reports the outage.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { queue: false, worker: true } });
    // A second delivery during the outage is refused too (nothing was acknowledged).
    expect((await post(delivery)).status).toBe(503);

    await redis.start();
    // PagerDuty retries the same delivery; once the client has reconnected it is stored exactly once.
    const accepted = await waitFor(async () => {
      const res = await post(delivery);
      return res.status === 202 ? res : undefined;
    }, 'a 202 after Redis came back');
    // The job is keyed on the signed event id (a re-sent delivery with a fresh X-Webhook-Id is the same job).
    expect(accepted.body).toMatchObject({ status: 'accepted', jobId: `triage-${eventIdOf(delivery)}` });
    expect(await h.waitingJobIds()).toEqual([`triage-${eventIdOf(delivery)}`]);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);

    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/oncall_webhook_deliveries_total\{outcome="unavailable"\} [2-9]/);
  });
});

describe('a burst of deliveries during an outage', () => {
  it('all answer 503 with Retry-After, and waiting for the reconnect adds no listener per request', async () => {
    const burst = await startIngestHarness(redis.url, [SECRET]);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      expect((await fetch(`${burst.url}/readyz`)).status).toBe(200);
      await redis.stop();
      const replies = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const payload = loadFixture('incident.triggered');
          payload.event.data.id = `PBURST${i}`;
          const res = await post2(burst.url, signDelivery(payload, [SECRET], `burst-${i}`));
          return `${res.status} ${res.headers.get('retry-after')}`;
        }),
      );
      expect(new Set(replies)).toEqual(new Set(['503 5']));
      expect(burst.redis.listenerCount('ready')).toBeLessThanOrEqual(3);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await redis.start();
      await burst.close();
    }
  });
});

const post2 = (url: string, d: ReturnType<typeof signDelivery>) => fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: d.body, headers: d.headers });
