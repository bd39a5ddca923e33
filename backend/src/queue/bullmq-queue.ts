import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Metrics } from '../observability/metrics.js';
import { coalesceWritesThisTurn } from '../redis/coalesce-writes.js';
import { ensureRedisReady } from '../redis/ensure-ready.js';
import { CAPPED_BACKOFF, QueueUnavailableError, retryPolicyOf, summariseTriageJob, type EnqueueResult, type IncidentQueue, type OpenTriageJob, type RetryPolicy } from './incident-queue.js';
import { coalesceKey, deliveryJobId } from './job-ids.js';
import type { IncidentJobData } from './job-schemas.js';
import { incidentJobSchema, QUEUE_NAME } from './job-schemas.js';
import { countJob, initJobCounts } from './run-incident-job.js';

/** PagerDuty gives up after 5 s; answer 503 well before that. */
const ENQUEUE_DEADLINE_MS = 2_500;
/** Finished jobs stay long enough to recognise PagerDuty retries of the same delivery (it retries for up to 48 h). */
const KEEP_COMPLETED_SECONDS = 72 * 3_600;
const KEEP_FAILED_SECONDS = 7 * 86_400;
/** A delivery arriving while the client (re)connects waits this long for it; beyond that Redis counts as down. */
const READY_WAIT_MS = 1_000;
/** How often a caller waiting for a job's end looks again (a human at a terminal; no blocking connection needed). */
const WAIT_POLL_MS = 250;

export interface BullmqQueueOptions {
  /** A fail-fast 'command' client (createRedis(url, 'command')): no offline queue, so a Redis outage errors at once. */
  connection: Redis;
  retry: RetryPolicy;
  metrics?: Metrics;
  /** Key prefix; tests use a random one per test. */
  prefix?: string;
  enqueueDeadlineMs?: number;
}

/**
 * The durable queue. The job itself is the "seen" mark for a delivery: its id is derived from the delivery id,
 * and BullMQ stores it atomically, so a delivery is never recorded as seen unless its job is stored.
 */
export function createBullmqQueue(options: BullmqQueueOptions): IncidentQueue {
  const queue = new Queue(QUEUE_NAME, {
    connection: options.connection,
    prefix: options.prefix,
    // BullMQ's start-up (wait for ready, then INFO for the version check) runs detached from any caller; if the shared
    // client closes in between (shutdown right after start), its rejection is re-emitted after close() removed every
    // listener and surfaces as an unhandled rejection. Each enqueue waits for the client itself (ensureRedisReady).
    skipWaitingForReady: true,
    skipVersionCheck: true,
  });
  // Connection errors surface on enqueue as QueueUnavailableError; the emitter must not crash the process.
  queue.on('error', () => undefined);
  initJobCounts(options.metrics);
  const deadlineMs = options.enqueueDeadlineMs ?? ENQUEUE_DEADLINE_MS;

  const enqueueOnce = async (data: IncidentJobData): Promise<EnqueueResult> => {
    // The usual case costs no extra await: the client is connected.
    if (options.connection.status !== 'ready') await ensureRedisReady(options.connection, READY_WAIT_MS);
    // This delivery's EXISTS and add leave in the same socket write as those of every other delivery in this turn.
    coalesceWritesThisTurn(options.connection);
    const jobId = deliveryJobId(data);
    const key = coalesceKey(data);
    // EXISTS is sent before the add on the same connection, so Redis answers it first: it tells whether this
    // delivery's job was already stored, without an extra round trip. It only labels retries as duplicates;
    // correctness rests on BullMQ storing a job id once.
    const existed = options.connection.exists(queue.toKey(jobId));
    const retry = retryPolicyOf(data, options.retry);
    const added = queue.add(data.kind, data, {
      jobId,
      attempts: retry.attempts,
      // A capped policy needs the worker's custom strategy (bullmq-worker.ts), which reads the cap from the job.
      backoff: { type: retry.maxBackoffMs === undefined ? 'exponential' : CAPPED_BACKOFF, delay: retry.backoffMs },
      removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
      removeOnFail: { age: KEEP_FAILED_SECONDS },
      // Coalescing: while a triage job for this incident waits or runs, BullMQ returns that job's id instead.
      ...(key ? { deduplication: { id: key } } : {}),
    });
    const [existedBefore, job] = await Promise.all([existed, added]);
    if (existedBefore === 1) return { outcome: 'duplicate', jobId };
    const storedId = job.id ?? jobId;
    return { outcome: storedId === jobId ? 'added' : 'duplicate', jobId: storedId };
  };

  return {
    durable: true,
    async enqueue(data) {
      let result: EnqueueResult;
      try {
        result = await withDeadline(enqueueOnce(data), deadlineMs, 'enqueue');
      } catch (error) {
        throw new QueueUnavailableError(`cannot store the job in Redis: ${(error as Error).message}`, 'check that Redis is up and reachable at REDIS_URL', {
          cause: error,
        });
      }
      countJob(options.metrics, result.outcome);
      return result;
    },
    async isHealthy() {
      try {
        await ensureRedisReady(options.connection, READY_WAIT_MS);
        return (await withDeadline(options.connection.ping(), 1_000, 'ping')) === 'PONG';
      } catch {
        return false;
      }
    },
    async listOpenTriage(limit = 100) {
      const jobs = await withDeadline(queue.getJobs(['active', 'waiting', 'delayed', 'prioritized'], 0, limit - 1), 2_000, 'listing open jobs');
      const open: OpenTriageJob[] = [];
      for (const job of jobs) {
        const parsed = incidentJobSchema.safeParse(job?.data);
        const summary = parsed.success ? summariseTriageJob(parsed.data, (await job.getState()) ?? 'unknown') : undefined;
        if (summary) open.push(summary);
      }
      return open;
    },
    async waitForJob(jobId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await withDeadline(queue.getJob(jobId), 2_000, 'reading the job');
        if (!job) return { state: 'missing' };
        const state = await job.getState();
        if (state === 'completed') return { state: 'completed', result: job.returnvalue };
        if (state === 'failed') return { state: 'failed', error: job.failedReason ?? 'unknown error' };
        if (Date.now() >= deadline) return { state: 'pending' };
        await new Promise((resolve) => setTimeout(resolve, Math.min(WAIT_POLL_MS, Math.max(0, deadline - Date.now()))));
      }
    },
    async close() {
      await queue.close().catch(() => undefined);
    },
  };
}

/** Rejects when the promise has not settled in time; the late result is harmless (a stored job dedups a retry). */
async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
