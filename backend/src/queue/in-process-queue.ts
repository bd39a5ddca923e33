import type { Metrics } from '../observability/metrics.js';
import {
  backoffDelay,
  retryPolicyOf,
  summariseTriageJob,
  type EnqueueResult,
  type IncidentQueue,
  type IncidentWorker,
  type OpenTriageJob,
  type RetryPolicy,
  type WorkerOptions,
} from './incident-queue.js';
import { coalesceKey, deliveryJobId } from './job-ids.js';
import type { IncidentJobData } from './job-schemas.js';
import { countJob, initJobCounts, incidentIdOf, isUnrecoverable, runIncidentJob } from './run-incident-job.js';
import { settlesWithin } from './settles-within.js';

// The embedded default when REDIS_URL is unset: the same dedup, coalescing and retry semantics as the BullMQ
// adapter, in memory. Jobs are lost when the process stops.

type State = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';

interface Entry {
  id: string;
  data: IncidentJobData;
  state: State;
  attemptsMade: number;
  coalesceKey?: string;
  finishedAt?: number;
  lastError?: string;
  result?: unknown;
}

export interface InProcessQueueOptions {
  retry: RetryPolicy;
  metrics?: Metrics;
  /** How long finished jobs are remembered for delivery dedup (BullMQ keeps them 72 h). */
  retentionMs?: number;
  /** Upper bound on remembered jobs, so memory stays bounded. */
  maxEntries?: number;
  now?: () => number;
}

export interface InProcessQueue extends IncidentQueue {
  startWorker(options: WorkerOptions): IncidentWorker;
  /** Jobs by state, for tests and status output. */
  counts(): Record<State, number>;
  get(jobId: string): { state: State; attemptsMade: number; lastError?: string } | undefined;
}

const ABORT_SETTLE_MS = 5_000;

export function createInProcessQueue(options: InProcessQueueOptions): InProcessQueue {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs ?? 72 * 3_600_000;
  const maxEntries = options.maxEntries ?? 10_000;
  initJobCounts(options.metrics);
  const entries = new Map<string, Entry>();
  const coalescing = new Map<string, string>();
  const waiting: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let wake: (() => void) | undefined;

  const finish = (entry: Entry, state: 'completed' | 'failed') => {
    entry.state = state;
    entry.finishedAt = now();
    // Like BullMQ's deduplication key, the coalescing key is released only when the job is finished for good.
    if (entry.coalesceKey && coalescing.get(entry.coalesceKey) === entry.id) coalescing.delete(entry.coalesceKey);
  };

  let lastPrune = 0;
  // A full sweep at most once a minute, or when the cap is exceeded, so enqueue stays O(1) on average.
  const prune = () => {
    if (now() - lastPrune < 60_000 && entries.size <= maxEntries) return;
    lastPrune = now();
    const cutoff = now() - retentionMs;
    for (const [id, entry] of entries) {
      const finished = entry.state === 'completed' || entry.state === 'failed';
      if (finished && (entry.finishedAt! < cutoff || entries.size > maxEntries)) entries.delete(id);
    }
  };

  const queue: InProcessQueue = {
    durable: false,
    async enqueue(data): Promise<EnqueueResult> {
      prune();
      const jobId = deliveryJobId(data);
      let result: EnqueueResult;
      const key = coalesceKey(data);
      const holder = key ? coalescing.get(key) : undefined;
      if (entries.has(jobId)) result = { outcome: 'duplicate', jobId };
      else if (holder) result = { outcome: 'duplicate', jobId: holder };
      else {
        entries.set(jobId, { id: jobId, data, state: 'waiting', attemptsMade: 0, coalesceKey: key });
        if (key) coalescing.set(key, jobId);
        waiting.push(jobId);
        wake?.();
        result = { outcome: 'added', jobId };
      }
      countJob(options.metrics, result.outcome);
      return result;
    },
    isHealthy: async () => true,
    async listOpenTriage(limit = 100) {
      const open: OpenTriageJob[] = [];
      for (const entry of entries.values()) {
        if (open.length >= limit) break;
        if (entry.state === 'completed' || entry.state === 'failed') continue;
        const summary = summariseTriageJob(entry.data, entry.state);
        if (summary) open.push(summary);
      }
      return open;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    async waitForJob(jobId, timeoutMs) {
      const deadline = now() + timeoutMs;
      for (;;) {
        const entry = entries.get(jobId);
        if (!entry) return { state: 'missing' };
        if (entry.state === 'completed') return { state: 'completed', result: entry.result };
        if (entry.state === 'failed') return { state: 'failed', error: entry.lastError ?? 'unknown error' };
        if (now() >= deadline) return { state: 'pending' };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    counts() {
      const out: Record<State, number> = { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 };
      for (const entry of entries.values()) out[entry.state] += 1;
      return out;
    },
    get(jobId) {
      const entry = entries.get(jobId);
      return entry && { state: entry.state, attemptsMade: entry.attemptsMade, lastError: entry.lastError };
    },
    startWorker(workerOptions) {
      const { logger, handler } = workerOptions;
      const active = new Map<string, { controller: AbortController; done: Promise<void> }>();
      let closing = false;

      const run = async (entry: Entry, controller: AbortController) => {
        countJob(options.metrics, 'active');
        try {
          entry.result = await runIncidentJob(entry.data, { jobId: entry.id, attempt: entry.attemptsMade + 1, maxAttempts: retryPolicyOf(entry.data, options.retry).attempts, signal: controller.signal, logger, handler, requeuedOnShutdown: false });
          entry.attemptsMade += 1;
          finish(entry, 'completed');
          countJob(options.metrics, 'completed');
        } catch (error) {
          entry.attemptsMade += 1;
          entry.lastError = `${(error as Error)?.name}: ${(error as Error)?.message}`;
          const line = { incidentId: incidentIdOf(entry.data), jobId: entry.id, attempt: entry.attemptsMade, err: { name: (error as Error)?.name, message: (error as Error)?.message } };
          const retry = retryPolicyOf(entry.data, options.retry);
          if (isUnrecoverable(error) || entry.attemptsMade >= retry.attempts) {
            finish(entry, 'failed');
            countJob(options.metrics, 'failed');
            logger.error(line, 'job failed for good');
          } else {
            entry.state = 'delayed';
            countJob(options.metrics, 'retrying');
            logger.warn(line, 'job failed; will retry with backoff');
            const timer = setTimeout(() => {
              timers.delete(timer);
              entry.state = 'waiting';
              waiting.push(entry.id);
              wake?.();
            }, backoffDelay(retry, entry.attemptsMade));
            timers.add(timer);
          }
        }
      };

      // Nothing here survives the process: say which incidents a human must pick up, rather than lose them quietly.
      const reportDropped = () => {
        const dropped = [...entries.values()].filter((e) => e.state === 'waiting' || e.state === 'delayed');
        if (dropped.length === 0) return;
        const incidentIds = [...new Set(dropped.map((e) => incidentIdOf(e.data)).filter(Boolean))];
        logger.error(
          { incidentIds, jobIds: dropped.map((e) => e.id) },
          `shutdown: ${dropped.length} queued job(s) not run are dropped (in-process queue, not durable; set REDIS_URL to keep them): incidents ${incidentIds.join(', ')} need a human`,
        );
      };

      const pump = () => {
        while (!closing && active.size < workerOptions.concurrency && waiting.length > 0) {
          const entry = entries.get(waiting.shift()!);
          if (!entry || entry.state !== 'waiting') continue;
          entry.state = 'active';
          const controller = new AbortController();
          const done = run(entry, controller).finally(() => {
            active.delete(entry.id);
            pump();
          });
          active.set(entry.id, { controller, done });
        }
      };
      wake = pump;
      pump();

      return {
        isRunning: () => !closing,
        async close(graceMs) {
          closing = true;
          wake = undefined;
          const all = () => Promise.all([...active.values()].map((a) => a.done));
          if (!(await settlesWithin(all(), graceMs))) {
            logger.warn({ graceMs }, 'shutdown grace period over: aborting active jobs');
            for (const { controller } of active.values()) controller.abort(new Error('shutdown grace period over'));
            await settlesWithin(all(), ABORT_SETTLE_MS);
          }
          reportDropped();
        },
      };
    },
  };
  return queue;
}
