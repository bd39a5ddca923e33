import { Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Metrics } from '../observability/metrics.js';
import { backoffDelay, CAPPED_BACKOFF, type IncidentWorker, type WorkerOptions } from './incident-queue.js';
import { QUEUE_NAME, writebackJobSchema } from './job-schemas.js';
import { countJob, initJobCounts, incidentIdOf, isUnrecoverable, runIncidentJob } from './run-incident-job.js';
import { settlesWithin } from './settles-within.js';

/** How long after the grace period aborted signals get before we stop waiting for handlers. */
const ABORT_SETTLE_MS = 5_000;
/** Repeated connection errors while Redis is down are logged at most this often. */
const ERROR_LOG_INTERVAL_MS = 10_000;

export interface BullmqWorkerOptions extends WorkerOptions {
  /** A 'blocking' client (maxRetriesPerRequest null), as BullMQ requires for workers. */
  connection: Redis;
  metrics?: Metrics;
  prefix?: string;
  /** How long a job's lock lives without renewal (BullMQ default 30 s); after a crash the job is recovered once it lapses. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (those whose worker died). */
  stalledIntervalMs?: number;
}

/** BullMQ calls this for the custom backoff type only: a write-back job's own capped policy. */
function cappedBackoff(attemptsMade: number, type?: string, _error?: Error, job?: { data: unknown; opts: { backoff?: unknown } }): number {
  const parsed = writebackJobSchema.safeParse(job?.data);
  if (type !== CAPPED_BACKOFF || !parsed.success) return 1_000 * 2 ** Math.max(0, attemptsMade - 1);
  return backoffDelay(parsed.data.retry, attemptsMade);
}

/** Starts a BullMQ worker on the `incidents` queue. Stalled-job recovery stays on (BullMQ's default checker). */
export function startBullmqWorker(options: BullmqWorkerOptions): IncidentWorker {
  const { logger, metrics } = options;
  initJobCounts(metrics);
  let closing = false;
  const worker = new Worker(
    QUEUE_NAME,
    // Three parameters: BullMQ passes the AbortSignal only to processors that declare it.
    async (job, token, signal) => {
      countJob(metrics, 'active');
      try {
        return await runIncidentJob(job.data, {
          jobId: job.id ?? 'unknown',
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
          signal: signal ?? new AbortController().signal,
          logger,
          handler: options.handler,
          requeuedOnShutdown: true,
        });
      } catch (error) {
        if (closing && signal?.aborted && token) {
          // Shutdown cut this run short, which says nothing about the job: put it back in the wait list with the attempt
          // not spent, so the next worker runs it (otherwise a last attempt aborted here would fail for good).
          await job.moveToWait(token);
          countJob(metrics, 'retrying');
          logger.warn({ incidentId: incidentIdOf(job.data), jobId: job.id }, 'job aborted by shutdown: returned to the queue for the next worker');
          throw new WaitingError();
        }
        if (isUnrecoverable(error)) throw new UnrecoverableError(`${(error as Error).name}: ${(error as Error).message}`);
        throw error;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: true,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: 1,
      settings: { backoffStrategy: cappedBackoff },
    },
  );

  let lastErrorLog = 0;
  worker.on('error', (error) => {
    const now = Date.now();
    if (now - lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    lastErrorLog = now;
    logger.warn({ err: error }, 'queue worker: Redis error (will keep retrying)');
  });
  worker.on('completed', (job) => {
    countJob(metrics, 'completed');
    logger.debug({ incidentId: incidentIdOf(job.data), jobId: job.id }, 'job completed');
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    countJob(metrics, final ? 'failed' : 'retrying');
    const line = { incidentId: incidentIdOf(job.data), jobId: job.id, attempt: job.attemptsMade, err: { name: error.name, message: error.message } };
    if (final) logger.error(line, 'job failed for good');
    else logger.warn(line, 'job failed; will retry with backoff');
  });

  // BullMQ fails a job that stalled more than maxStalledCount times inside its stalled-job check and emits only
  // 'stalled' here: look at the job, and if it is now failed, its run never wrote an ending, so write one.
  worker.on('stalled', (jobId) => {
    void (async () => {
      const job = await Job.fromId(worker, jobId);
      if (!job) return;
      const state = await job.getState();
      logger.warn({ incidentId: incidentIdOf(job.data), jobId, state }, state === 'failed' ? 'job stalled again and was failed for good: its worker died or hung' : 'job stalled (its worker died or hung): returned to the queue');
      if (state !== 'failed') return;
      countJob(metrics, 'failed');
      await options.onAbandoned?.(job.data, `the job stalled ${job.stalledCounter ?? 'too many'} times (its worker was killed or hung on every try): ${job.failedReason ?? 'stalled'}`);
    })().catch((error: unknown) => logger.error({ err: error, jobId }, 'cannot record the ending of a job that stalled for good'));
  });

  return {
    isRunning: () => !closing && worker.isRunning(),
    async close(graceMs) {
      closing = true;
      const closed = worker.close();
      if (await settlesWithin(closed, graceMs)) return;
      logger.warn({ graceMs }, 'shutdown grace period over: aborting active jobs');
      worker.cancelAllJobs('shutdown grace period over');
      await settlesWithin(closed, ABORT_SETTLE_MS);
    },
  };
}
