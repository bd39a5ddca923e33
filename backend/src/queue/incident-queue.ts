import { TransientError } from '../domain/errors.js';
import type { Logger } from '../observability/logger.js';
import type { IncidentJobData } from './job-schemas.js';

/** 'added': the job is stored; 'duplicate': an equal delivery's job, or a coalescing triage job, already is. */
export type EnqueueOutcome = 'added' | 'duplicate';

export interface EnqueueResult {
  outcome: EnqueueOutcome;
  /** The id the job is stored under (for a coalesced triage job: the id of the job that already exists). */
  jobId: string;
}

/** The queue as ingest sees it: store a job durably, or throw QueueUnavailableError. */
export interface IncidentQueue {
  /** Resolves only once the job is stored; throws QueueUnavailableError (fast) when the store is unreachable. */
  enqueue(job: IncidentJobData): Promise<EnqueueResult>;
  /** True when the backing store answers right now. */
  isHealthy(): Promise<boolean>;
  /** Triage jobs waiting, delayed or running (at most `limit`), for the related-alerts tool. */
  listOpenTriage(limit?: number): Promise<OpenTriageJob[]>;
  /**
   * Waits until the job has finished (or the timeout passes) and says how it ended, with the handler's result
   * (for an approval job: the outcome of the approved plan).
   */
  waitForJob(jobId: string, timeoutMs: number): Promise<JobSettlement>;
  /** Whether jobs survive a restart (false for the in-process adapter). */
  readonly durable: boolean;
  close(): Promise<void>;
}

export type JobSettlement =
  | { state: 'completed'; result: unknown }
  | { state: 'failed'; error: string }
  /** Still waiting or running when the timeout passed (or unknown to the queue). */
  | { state: 'pending' | 'missing' };

/** An open triage job, as the related-alerts tool shows it (untrusted alert text). */
export interface OpenTriageJob {
  incidentId: string;
  title?: string;
  namespace?: string;
  workload?: string;
  state: string;
}

/** Summarises a triage job's incident; namespace and workload come from the alert's custom details when present. */
export function summariseTriageJob(data: IncidentJobData, state: string): OpenTriageJob | undefined {
  if (data.kind !== 'triage') return undefined;
  const details = data.incident.details;
  const pick = (...keys: string[]) => keys.map((k) => details[k]).find((v): v is string => typeof v === 'string' && v.length > 0);
  return {
    incidentId: data.incident.id,
    title: data.incident.title,
    namespace: pick('namespace', 'Namespace', 'kubernetes_namespace'),
    workload: pick('deployment', 'Deployment', 'statefulset', 'workload', 'service'),
    state,
  };
}

/** The store behind the queue (Redis) is unreachable or too slow: the caller answers 503 so PagerDuty retries. */
export class QueueUnavailableError extends TransientError {}

export interface JobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** No retry follows this run when it fails: a failure now must be handed to a human, not left to the queue. */
  finalAttempt: boolean;
  /**
   * True when a run cut short by shutdown goes back to the queue for the next worker (the durable adapter): such an
   * abort is no failure, and must not be escalated as one.
   */
  requeuedOnShutdown: boolean;
  /** Aborted when shutdown's grace period runs out; long stages must honour it. */
  signal: AbortSignal;
  /** Carries incidentId and jobId on every line. */
  logger: Logger;
}

/** The pipeline function a worker runs for each job. Throw PolicyRefusal/InvalidInputError to fail without retry. */
export type IncidentJobHandler = ((job: IncidentJobData, ctx: JobContext) => Promise<unknown>) & {
  /**
   * A job whose stored data fails validation (it is never retried) but still names the incident run it belonged to:
   * ends that run. `kind` is the job's own claim, when it has one.
   */
  invalidJob?: (job: { incidentId: string; kind?: string; error: string }, ctx: JobContext) => Promise<void>;
};

/** A running worker. */
export interface IncidentWorker {
  isRunning(): boolean;
  /** Stops taking jobs, waits up to graceMs for active ones, then aborts their signals and stops. */
  close(graceMs: number): Promise<void>;
}

export interface WorkerOptions {
  handler: IncidentJobHandler;
  concurrency: number;
  logger: Logger;
  /**
   * A job failed for good without its handler finishing (BullMQ: it stalled more often than allowed, i.e. its
   * worker died or hung on every try). The handler never got to write the run's ending; this writes it.
   */
  onAbandoned?(data: unknown, reason: string): Promise<void>;
}

/** Retry policy applied to every job: JOB_ATTEMPTS tries, exponential backoff from JOB_BACKOFF_MS. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  /** Caps each wait (write-back jobs: PagerDuty back after a long outage should not wait an hour more). */
  maxBackoffMs?: number;
}

/** BullMQ's exponential backoff: delay · 2^(attemptsMade − 1), capped by maxBackoffMs when set. */
export function backoffDelay(policy: RetryPolicy, attemptsMade: number): number {
  const delay = Math.round(policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1));
  return policy.maxBackoffMs === undefined ? delay : Math.min(delay, policy.maxBackoffMs);
}

/** The retry policy of one job: a write-back job carries its own; every other job uses the queue's. */
export function retryPolicyOf(job: IncidentJobData, fallback: RetryPolicy): RetryPolicy {
  return job.kind === 'writeback' ? job.retry : fallback;
}

/** The name of the capped backoff type, for BullMQ's custom backoff strategy. */
export const CAPPED_BACKOFF = 'capped-exponential';
