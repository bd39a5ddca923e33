import { InvalidInputError, PolicyRefusal } from '../domain/errors.js';
import type { Logger } from '../observability/logger.js';
import { JOB_STATES, type JobState, type Metrics } from '../observability/metrics.js';
import type { IncidentJobHandler } from './incident-queue.js';
import { incidentJobSchema, jobIncidentId, QUEUE_NAME } from './job-schemas.js';

export type { JobState };

/** Counts oncall_jobs_total{queue,state}; both adapters report the same states. */
export function countJob(metrics: Metrics | undefined, state: JobState): void {
  metrics?.jobs.inc({ queue: QUEUE_NAME, state });
}

/** Exports every job state at 0 from the start, so dashboards see the series before the first job. */
export function initJobCounts(metrics: Metrics | undefined): void {
  for (const state of JOB_STATES) metrics?.jobs.inc({ queue: QUEUE_NAME, state }, 0);
}

/** The incident id of stored job data, for log lines about a job whose data may be malformed. */
export function incidentIdOf(raw: unknown): string | undefined {
  const data = raw as { incident?: { id?: unknown }; incidentId?: unknown } | undefined;
  const id = data?.incident?.id ?? data?.incidentId;
  return typeof id === 'string' ? id : undefined;
}

/** Errors that no retry can fix: a policy said no, or the job itself is malformed. */
export function isUnrecoverable(error: unknown): boolean {
  return error instanceof PolicyRefusal || error instanceof InvalidInputError;
}

/**
 * Validates the stored job data and runs the handler with a child logger that carries the incident and job id.
 * Shared by the BullMQ and in-process adapters so both behave the same.
 */
export async function runIncidentJob(
  raw: unknown,
  ctx: { jobId: string; attempt: number; maxAttempts: number; signal: AbortSignal; logger: Logger; handler: IncidentJobHandler; requeuedOnShutdown: boolean },
): Promise<unknown> {
  const parsed = incidentJobSchema.safeParse(raw);
  const jobContext = (incidentId: string | undefined, kind: unknown) => ({
    jobId: ctx.jobId,
    attempt: ctx.attempt,
    finalAttempt: ctx.attempt >= ctx.maxAttempts,
    signal: ctx.signal,
    logger: ctx.logger.child({ incidentId, jobId: ctx.jobId, jobKind: kind, attempt: ctx.attempt }),
    requeuedOnShutdown: ctx.requeuedOnShutdown,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const error = new InvalidInputError(`job ${ctx.jobId} has invalid data at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    const incidentId = incidentIdOf(raw);
    const kind = (raw as { kind?: unknown } | undefined)?.kind;
    if (incidentId && ctx.handler.invalidJob) {
      const context = jobContext(incidentId, kind);
      // Ending the run is best effort: the job fails (unretried) with its own error either way.
      await ctx.handler
        .invalidJob({ incidentId, kind: typeof kind === 'string' ? kind : undefined, error: error.message }, context)
        .catch((cause: unknown) => context.logger.error({ err: cause }, 'could not record the outcome of an invalid job'));
    }
    throw error;
  }
  const job = parsed.data;
  return ctx.handler(job, jobContext(jobIncidentId(job), job.kind));
}
