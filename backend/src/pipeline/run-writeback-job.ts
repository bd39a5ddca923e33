import type { AuditSink } from '../domain/ports.js';
import { TransientError } from '../domain/errors.js';
import type { Metrics } from '../observability/metrics.js';
import { deliverWriteback, WritebackRetryableError, type StepReport, type WritebackPorts } from '../pagerduty/deliver-writeback.js';
import type { JobContext } from '../queue/incident-queue.js';
import type { WritebackJobData } from '../queue/job-schemas.js';

export interface WritebackRunDeps {
  ports: WritebackPorts;
  audit: AuditSink;
  metrics?: Metrics;
  now?: () => number;
}

/**
 * Runs one write-back job: delivers its steps, records one `pagerduty.writeback` audit record when it is done (or gives
 * up), and otherwise throws TransientError so the queue retries it with the job's own backoff. Never touches the cluster
 * beyond the read-only re-check, and nothing here can fail a remediation: it runs after it, as its own job.
 */
export async function runWritebackJob(job: WritebackJobData, ctx: JobContext, deps: WritebackRunDeps): Promise<void> {
  const now = deps.now ?? Date.now;
  let reports: StepReport[];
  try {
    reports = await deliverWriteback(job, deps.ports, { attempt: ctx.attempt, signal: ctx.signal });
  } catch (error) {
    if (!(error instanceof WritebackRetryableError)) throw error;
    const overdue = now() >= Date.parse(job.giveUpAt);
    if (!overdue && !ctx.finalAttempt) {
      ctx.logger.warn({ key: job.key, attempt: ctx.attempt, err: error.message }, `PagerDuty write-back for incident ${job.incidentId} failed; will retry until ${job.giveUpAt}`);
      throw new TransientError(`PagerDuty write-back failed: ${error.message}`, 'PagerDuty may be down or rate-limiting; the job retries with backoff', { cause: error });
    }
    const done = new Set(error.done.map((r) => r.ref));
    const abandoned = job.steps.filter((s) => !done.has(s.ref)).map((s) => ({ ref: s.ref, type: s.type, result: 'gave_up' as const }));
    count(deps.metrics, [...error.done, ...abandoned]);
    ctx.logger.error({ key: job.key, attempt: ctx.attempt, err: error.message, abandoned: abandoned.length }, `gave up on PagerDuty write-back for incident ${job.incidentId}: ${abandoned.length} step(s) never delivered`);
    await record(deps, job, ctx, 'gave_up', [...error.done, ...abandoned], error.message);
    return;
  }
  count(deps.metrics, reports);
  const failed = reports.filter((r) => r.result === 'failed');
  if (failed.length > 0) ctx.logger.warn({ key: job.key, failed }, `PagerDuty refused ${failed.length} write-back step(s) for incident ${job.incidentId}`);
  await record(deps, job, ctx, failed.length > 0 ? 'partial' : 'delivered', reports);
}

function count(metrics: Metrics | undefined, reports: Array<{ type: string; result: string }>): void {
  for (const r of reports) metrics?.pagerdutyWriteback.inc({ step: r.type, result: r.result });
}

async function record(deps: WritebackRunDeps, job: WritebackJobData, ctx: JobContext, status: string, steps: Array<{ ref: string; type: string; result: string; detail?: string }>, error?: string): Promise<void> {
  await deps.audit.write({
    ts: new Date((deps.now ?? Date.now)()).toISOString(),
    type: 'pagerduty.writeback',
    incidentId: job.incidentId,
    actor: 'agent',
    data: { key: job.key, status, attempt: ctx.attempt, steps: steps.map((s) => ({ ref: s.ref, type: s.type, result: s.result, detail: s.detail?.slice(0, 300) })), ...(error ? { error: error.slice(0, 500) } : {}) },
  });
}
