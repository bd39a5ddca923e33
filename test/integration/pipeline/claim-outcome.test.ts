// One ending per queued job across its attempts, against the real Redis safety store: the first claim wins, a later
// attempt of the same job sees the ending recorded, and a claim made while Redis is down waits for Redis (or for the
// job's abort) instead of writing an ending a retry cannot see.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../backend/src/observability/logger.js';
import { claimOutcome, outcomeRecorded } from '../../../backend/src/pipeline/claim-outcome.js';
import { createRedis, type Redis } from '../../../backend/src/redis/create-redis.js';
import { RedisSafetyStore } from '../../../backend/src/safety/redis-safety-store.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { waitFor } from '../../helpers/incident-jobs.js';

let redis: TestRedis;
let client: Redis;
let store: RedisSafetyStore;

beforeAll(async () => {
  redis = await startTestRedis();
  client = createRedis(redis.url, 'command');
  store = new RedisSafetyStore(client, { prefix: `claim-${process.pid}:` });
});
afterAll(async () => {
  await store?.close();
  await client?.quit().catch(() => undefined);
  await redis?.close();
});

function capturedLogger() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { logger: createLogger('info', { destination: stream }), text: () => text };
}

describe('claimOutcome', () => {
  it('the first attempt of a job claims its ending; a later attempt finds it recorded and cannot claim it', async () => {
    const { logger } = capturedLogger();
    const signal = new AbortController().signal;
    expect(await outcomeRecorded(store, 'triage-d1', logger)).toBe(false);
    expect(await claimOutcome(store, 'triage-d1', signal, logger)).toBe(true);
    expect(await outcomeRecorded(store, 'triage-d1', logger)).toBe(true);
    expect(await claimOutcome(store, 'triage-d1', signal, logger)).toBe(false);
    expect(await claimOutcome(store, 'triage-d2', signal, logger)).toBe(true);
  });

  it('while Redis is down it waits, says so once, and claims once Redis is back', async () => {
    const log = capturedLogger();
    await redis.stop();
    let settled = false;
    const claim = claimOutcome(store, 'triage-down', new AbortController().signal, log.logger).finally(() => (settled = true));
    try {
      await waitFor(() => /writing the outcome once the store answers/.test(log.text()), 'the warning that the claim waits');
      expect(settled).toBe(false);
    } finally {
      await redis.start();
    }
    expect(await claim).toBe(true);
    expect(log.text().match(/writing the outcome once the store answers/g)).toHaveLength(1);
    // Not knowing whether an earlier attempt ended the job (Redis down at its start) counts as not: the claim decides.
    await redis.stop();
    try {
      expect(await outcomeRecorded(store, 'triage-down', log.logger)).toBe(false);
    } finally {
      await redis.start();
    }
  }, 30_000);

  it('an aborted job (shutdown) stops waiting: the claim throws and nothing is written', async () => {
    const log = capturedLogger();
    const abort = new AbortController();
    await redis.stop();
    try {
      const claim = claimOutcome(store, 'triage-aborted', abort.signal, log.logger);
      await waitFor(() => /writing the outcome once the store answers/.test(log.text()), 'the warning that the claim waits');
      abort.abort(new Error('shutdown grace period over'));
      await expect(claim).rejects.toThrow(/shutdown grace period over/);
    } finally {
      await redis.start();
    }
    expect(await claimOutcome(store, 'triage-aborted', new AbortController().signal, log.logger)).toBe(true);
  }, 30_000);
});
