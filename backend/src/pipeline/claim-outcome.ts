// Exactly one ending per queued job, across its attempts. A run whose outcome was written but whose job the queue never
// marked done (Redis went away under it, or the worker died between the two) is run again by the queue's stalled-job
// recovery; a mark keyed by the job lets that attempt see the ending exists instead of writing a second one. The mark
// is claimed before the ending is written, so a run that reaches its ending while Redis is down waits for Redis
// (bounded by the job's abort signal): the queue cannot complete the job without Redis either.
import type { Logger } from '../observability/logger.js';
import type { IdempotencyMarks } from '../safety/safety-store.js';

/** As long as a retry of a job can come (the queue keeps finished jobs 72 h, PagerDuty retries for 48 h). */
const OUTCOME_MARK_TTL_MS = 7 * 86_400_000;
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 2_000;

export type OutcomeMarks = Pick<IdempotencyMarks, 'markOnce' | 'isMarked'>;

export const outcomeMarkKey = (jobId: string): string => `outcome-recorded:${jobId}`;

/** Whether an earlier attempt of this job already wrote its ending; unknown (the store failed) counts as not. */
export async function outcomeRecorded(marks: OutcomeMarks, jobId: string, logger: Logger): Promise<boolean> {
  return marks.isMarked(outcomeMarkKey(jobId)).catch((error: Error) => {
    logger.warn({ err: error, jobId }, 'cannot tell whether an earlier attempt of this job already ended it; running it (its ending is claimed before it is written)');
    return false;
  });
}

/**
 * Claims the right to write this job's ending: true for the first claim, false when an earlier attempt made it. While
 * the store is unreachable it retries with capped backoff until it answers or the job is aborted (then it throws).
 */
export async function claimOutcome(marks: OutcomeMarks, jobId: string, signal: AbortSignal, logger: Logger, sleep = abortableSleep): Promise<boolean> {
  let wait = RETRY_FIRST_MS;
  for (let attempt = 1; ; attempt++) {
    // The signal bounds only the wait: a run ending because it was aborted (its last attempt cut by shutdown) still
    // claims and writes its ending when the store answers.
    try {
      return await marks.markOnce(outcomeMarkKey(jobId), OUTCOME_MARK_TTL_MS);
    } catch (error) {
      if (attempt === 1) {
        logger.warn({ err: error, jobId }, 'cannot record that this run ended (the mark that keeps a retry of the job from ending it twice); writing the outcome once the store answers');
      }
    }
    signal.throwIfAborted();
    await sleep(wait, signal);
    wait = Math.min(wait * 2, RETRY_MAX_MS);
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    signal.addEventListener('abort', aborted, { once: true });
  });
}
