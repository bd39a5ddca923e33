import type { IncidentJobHandler } from '../queue/incident-queue.js';
import { applyLifecycleChange } from './apply-lifecycle-change.js';
import { decideApproval } from './decide-approval.js';
import type { PipelineDeps } from './pipeline-deps.js';
import { triageIncident } from './triage-incident.js';

/**
 * What the queue worker runs: one pipeline per kind of work. The result (an approval's outcome) is the job's return
 * value, which a channel waiting on the job reads. A run that fails for good has already written its outcome.
 */
export function createIncidentJobHandler(deps: PipelineDeps): IncidentJobHandler {
  return async (job, ctx) => {
    const options = { finalAttempt: ctx.finalAttempt, requeuedOnShutdown: ctx.requeuedOnShutdown };
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
}
