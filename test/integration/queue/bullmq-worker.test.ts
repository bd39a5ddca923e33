import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PolicyRefusal, TransientError } from '../../../backend/src/domain/errors.js';
import { createLogger } from '../../../backend/src/observability/logger.js';
import { createMetrics, type Metrics } from '../../../backend/src/observability/metrics.js';
import {
  createBullmqQueue,
  startBullmqWorker,
  type IncidentJobHandler,
  type IncidentQueue,
  type IncidentWorker,
} from '../../../backend/src/queue/index.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { triageJob, waitFor } from '../../helpers/incident-jobs.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

let redis: TestRedis;
let reader: Redis;
const cleanup: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  redis = await startTestRedis();
  reader = createRedis(redis.url, 'blocking');
});
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => undefined);
});
afterAll(async () => {
  await reader?.quit();
  await redis?.close();
});

interface Rig {
  prefix: string;
  queue: IncidentQueue;
  worker: IncidentWorker;
  metrics: Metrics;
  logLines: Array<Record<string, unknown>>;
  job(id: string): Promise<Record<string, string>>;
  inSet(set: 'completed' | 'failed', id: string): Promise<boolean>;
}

/** A queue and a worker on a random prefix, as BullMQ's own tests do. */
function rig(handler: IncidentJobHandler, options: { attempts?: number; concurrency?: number; prefix?: string } = {}): Rig {
  const prefix = options.prefix ?? `w${randomUUID().slice(0, 8)}`;
  const metrics = createMetrics();
  const logLines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger('debug', { destination, pretty: false });
  const command = createRedis(redis.url, 'command');
  const blocking = createRedis(redis.url, 'blocking');
  const queue = createBullmqQueue({ connection: command, retry: { attempts: options.attempts ?? 3, backoffMs: 50 }, metrics, prefix });
  const worker = startBullmqWorker({ connection: blocking, handler, concurrency: options.concurrency ?? 2, logger, metrics, prefix });
  cleanup.push(() => blocking.quit(), () => command.quit(), () => queue.close(), () => worker.close(1_000));
  return { prefix, queue, worker, metrics, logLines, job: (id) => reader.hgetall(`${prefix}:incidents:${id}`),
    inSet: async (set, id) => (await reader.zscore(`${prefix}:incidents:${set}`, id)) !== null,
  };
}

const finishedOn = async (r: Rig, id: string) => (await r.job(id)).finishedOn;

describe('BullMQ worker (real Redis)', () => {
  it('runs the handler with the job, an AbortSignal, and a logger carrying incident and job id', async () => {
    const seen: Array<{ incidentId: string; jobId: string; attempt: number; signal: AbortSignal }> = [];
    const r = rig(async (job, ctx) => {
      ctx.logger.info('handling');
      if (job.kind === 'triage') seen.push({ incidentId: job.incident.id, jobId: ctx.jobId, attempt: ctx.attempt, signal: ctx.signal });
    });
    expect((await r.queue.enqueue(triageJob('PW1', 'D1'))).outcome).toBe('added');
    await waitFor(() => finishedOn(r, 'triage-D1'), 'completion');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ incidentId: 'PW1', jobId: 'triage-D1', attempt: 1 });
    expect(seen[0].signal).toBeInstanceOf(AbortSignal);
    expect(r.logLines.find((l) => l.msg === 'handling')).toMatchObject({ incidentId: 'PW1', jobId: 'triage-D1', jobKind: 'triage' });
    await waitFor(async () => /state="completed"\} 1/.test(await r.metrics.registry.metrics()), 'completed metric');
  });

  it('retries a transient error with exponential backoff, then succeeds', async () => {
    const attempts: number[] = [];
    const finals: boolean[] = [];
    const r = rig(async (_job, ctx) => {
      attempts.push(ctx.attempt);
      finals.push(ctx.finalAttempt);
      if (ctx.attempt < 3) throw new TransientError('api server unreachable');
    });
    await r.queue.enqueue(triageJob('PW2', 'D2'));
    await waitFor(() => finishedOn(r, 'triage-D2'), 'completion after retries');
    expect(attempts).toEqual([1, 2, 3]);
    // The handler knows when no retry follows (the pipeline escalates a failure then, instead of losing the incident).
    expect(finals).toEqual([false, false, true]);
    expect(await r.inSet('completed', 'triage-D2')).toBe(true);
    expect(await r.metrics.registry.metrics()).toMatch(/state="retrying"\} 2/);
  });

  it('fails a policy refusal at once, without retry (UnrecoverableError)', async () => {
    let calls = 0;
    const r = rig(
      async () => {
        calls += 1;
        throw new PolicyRefusal('kill switch is on');
      },
      { attempts: 5 },
    );
    await r.queue.enqueue(triageJob('PW3', 'D3'));
    await waitFor(() => finishedOn(r, 'triage-D3'), 'failure');
    const stored = await r.job('triage-D3');
    expect(stored.failedReason).toBe('PolicyRefusal: kill switch is on');
    expect(stored.atm).toBe('1');
    expect(await r.inSet('failed', 'triage-D3')).toBe(true);
    expect(calls).toBe(1);
    await waitFor(async () => /state="failed"\} 1/.test(await r.metrics.registry.metrics()), 'failed metric');
  });

  it('coalesces triage while active, and enqueues a reopened incident again after completion', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = rig(async () => gate);
    expect((await r.queue.enqueue(triageJob('PW4', 'D4a'))).outcome).toBe('added');
    await waitFor(async () => (await r.job('triage-D4a')).processedOn, 'active job');
    expect(await r.queue.enqueue(triageJob('PW4', 'D4b'))).toEqual({ outcome: 'duplicate', jobId: 'triage-D4a' });
    release();
    await waitFor(() => finishedOn(r, 'triage-D4a'), 'completion');
    expect(await r.queue.enqueue(triageJob('PW4', 'D4c'))).toEqual({ outcome: 'added', jobId: 'triage-D4c' });
    await waitFor(() => finishedOn(r, 'triage-D4c'), 'second completion');
  });

  it('lists open triage jobs (for list_related_alerts) and drops them once finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = rig(async () => gate, { concurrency: 1 });
    const first = triageJob('PW5', 'D5a');
    first.incident.details = { namespace: 'shop', deployment: 'web' };
    await r.queue.enqueue(first);
    await r.queue.enqueue(triageJob('PW6', 'D6a'));
    await waitFor(async () => (await r.job('triage-D5a')).processedOn, 'active job');
    const open = await r.queue.listOpenTriage();
    expect(open).toEqual(
      expect.arrayContaining([
        { incidentId: 'PW5', title: 'incident PW5', namespace: 'shop', workload: 'web', state: 'active' },
        expect.objectContaining({ incidentId: 'PW6', state: 'waiting' }),
      ]),
    );
    release();
    await waitFor(() => finishedOn(r, 'triage-D6a'), 'both done');
    expect(await r.queue.listOpenTriage()).toEqual([]);
  });

  it('runs at most WORKER_CONCURRENCY jobs at once', async () => {
    let running = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = rig(
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await gate;
        running -= 1;
      },
      { concurrency: 2 },
    );
    for (const n of [1, 2, 3, 4, 5]) await r.queue.enqueue(triageJob(`PCONC${n}`, `DCONC${n}`));
    await waitFor(() => running === 2 || undefined, 'two jobs running');
    // The other three stay waiting while two run: poll a while to give a third a chance to start, were the limit broken.
    for (let i = 0; i < 20; i += 1) {
      expect(running).toBeLessThanOrEqual(2);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await reader.llen(`${r.prefix}:incidents:wait`)).toBe(3);
    release();
    await waitFor(async () => (await r.inSet('completed', 'triage-DCONC5')) || undefined, 'all jobs done');
    expect(peak).toBe(2);
  });

  it('on close lets the active job finish within the grace period', async () => {
    let finished = false;
    const r = rig(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished = true;
    });
    await r.queue.enqueue(triageJob('PW5', 'D5'));
    await waitFor(async () => (await r.job('triage-D5')).processedOn, 'active job');
    await r.worker.close(20_000);
    expect(finished).toBe(true);
    expect(r.worker.isRunning()).toBe(false);
    expect((await r.job('triage-D5')).finishedOn).toBeDefined();
  });

  it('aborts the handler signal when the grace period runs out', async () => {
    let reason: unknown;
    const r = rig(
      (_job, ctx) =>
        new Promise<void>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reason = ctx.signal.reason;
            reject(new Error('aborted'));
          });
        }),
    );
    await r.queue.enqueue(triageJob('PW6', 'D6'));
    await waitFor(async () => (await r.job('triage-D6')).processedOn, 'active job');
    await r.worker.close(100);
    expect(String(reason)).toMatch(/shutdown grace period over/);
  });

  it('a job aborted by the shutdown grace period stays in Redis, back in the wait list, its attempt not spent', async () => {
    // One attempt only: were the aborted run counted, the job would fail for good and the page would be lost.
    const r = rig(
      (_job, ctx) => new Promise<void>((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))),
      { attempts: 1 },
    );
    await r.queue.enqueue(triageJob('PW7', 'D7'));
    await waitFor(async () => (await r.job('triage-D7')).processedOn, 'active job');
    await r.worker.close(100);
    expect(await r.inSet('failed', 'triage-D7')).toBe(false);
    expect(await reader.lrange(`${r.prefix}:incidents:wait`, 0, -1)).toEqual(['triage-D7']);
    expect(Number((await r.job('triage-D7')).atm ?? 0)).toBe(0);
    expect(r.logLines.map((l) => l.msg)).toContain('job aborted by shutdown: returned to the queue for the next worker');

    // The next worker (say, after the restart) runs it to completion.
    const next = rig(async () => undefined, { attempts: 1, prefix: r.prefix });
    await waitFor(async () => (await next.inSet('completed', 'triage-D7')) || undefined, 'the job completed by the next worker');
  });
});
