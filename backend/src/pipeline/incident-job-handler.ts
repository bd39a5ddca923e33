import type { IncidentJobHandler } from '../queue/incident-queue.js';
import { redactText } from '../redaction/redact.js';
import { applyLifecycleChange } from './apply-lifecycle-change.js';
import { claimOutcome, outcomeRecorded } from './claim-outcome.js';
import { decideApproval } from './decide-approval.js';
import type { PipelineDeps } from './pipeline-deps.js';
import { recordOutcome } from './record-outcome.js';
import { startRunClock } from './run-clock.js';
import { triageIncident } from './triage-incident.js';

/**
 * What the queue worker runs: one pipeline per kind of work. The result (an approval's outcome) is the job's return
 * value, which a channel waiting on the job reads. A run that fails for good has already written its outcome.
 */
export function createIncidentJobHandler(deps: PipelineDeps): IncidentJobHandler {
  const handler: IncidentJobHandler = async (job, ctx) => {
    const options = { finalAttempt: ctx.finalAttempt, requeuedOnShutdown: ctx.requeuedOnShutdown };
    const marks = deps.outcomeMarks;
    if ((job.kind === 'triage' || job.kind === 'approval') && marks) {
      // The queue runs a job again when it never heard that the last attempt finished (Redis was down, or the worker
      // died right after the ending): that attempt's ending stands, and this one has nothing left to do.
      if (await outcomeRecorded(marks, ctx.jobId, ctx.logger)) {
        ctx.logger.warn('an earlier attempt of this job already ended its run (the queue had not heard); nothing to do');
        return undefined;
      }
      const once = { ...deps, claimOutcome: () => claimOutcome(marks, ctx.jobId, ctx.signal, ctx.logger) };
      if (job.kind === 'triage') return { outcome: (await triageIncident(job.incident, once, ctx.logger, ctx.signal, options)).outcome };
      return decideApproval(job, once, ctx.logger, ctx.signal, options);
    }
    switch (job.kind) {
      case 'triage': {
        const { outcome } = await triageIncident(job.incident, deps, ctx.logger, ctx.signal, options);
        return { outcome };
      }
      case 'approval':
        return decideApproval(job, deps, ctx.logger, ctx.signal, options);
      case 'lifecycle':
      case 'annotation':
        await applyLifecycleChange(job, deps, ctx.logger);
        return undefined;
    }
  };
  // A triage or approval job that cannot even be read still ends its incident's run: escalated, with the error.
  // Lifecycle and annotation jobs are no incident run, and have no outcome to write.
  handler.invalidJob = async ({ incidentId, kind, error }, ctx) => {
    if (kind !== undefined && kind !== 'triage' && kind !== 'approval') return;
    const now = deps.now ?? Date.now;
    const at = now();
    const message = `the job's data is invalid, so it was not run: ${redactText(error).slice(0, 1_000)}`;
    const timings = startRunClock(deps.audit, at, now).timings(now());
    await recordOutcome(deps, { incidentId, run: kind === 'approval' ? 'approval' : 'triage', mode: deps.mode ?? 'approval', timings, error: message }, ctx.logger);
  };
  return handler;
}
