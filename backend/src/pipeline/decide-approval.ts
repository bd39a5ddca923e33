// Decide an approval, from any channel (CLI, HTTP, PagerDuty note, web page, MCP): the channel enqueues an
// `approval` job and the worker runs it here, under the worker's settings. Approving runs the plan exactly as
// approved and ends with one `incident.outcome`; denying runs nothing.
import { PolicyRefusal, TargetChangedRefusal } from '../domain/errors.js';
import type { ExecutionReport } from '../domain/execution-report.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import type { Logger } from '../observability/logger.js';
import type { ApprovalJobData } from '../queue/job-schemas.js';
import { redactText } from '../redaction/redact.js';
import { describeError, type PipelineDeps } from './pipeline-deps.js';
import { recordOutcome } from './record-outcome.js';
import { decideReplan, enqueueReplan } from './replan-after-change.js';
import { startRunClock } from './run-clock.js';
import { endsWithoutOutcome } from './triage-incident.js';

/** What the channel shows the human (stored as the job's result; JSON). */
export interface ApprovalResult {
  approvalId: string;
  incidentId?: string;
  decision: 'approve' | 'deny';
  /** denied · approved (not run: `execute: false`) · ran · refused (the decision or the run was refused; see message) */
  status: 'denied' | 'approved' | 'ran' | 'refused';
  by: string;
  /** Set when the plan had been approved before (by this person), so this decision only runs it. */
  alreadyApprovedBy?: string;
  commands: string[];
  message?: string;
  report?: ExecutionReport;
  outcome?: IncidentOutcome;
}

export async function decideApproval(
  job: ApprovalJobData,
  deps: PipelineDeps,
  logger: Logger,
  signal: AbortSignal,
  options: { finalAttempt?: boolean; requeuedOnShutdown?: boolean } = {},
): Promise<ApprovalResult> {
  const stage = deps.approvals;
  if (!stage) throw new PolicyRefusal('this process has no approval stage', 'run approvals through a worker (serve --role worker or all)');
  const base = { approvalId: job.approvalId, decision: job.decision, by: job.by, commands: [] as string[] };
  const log = logger.child({ approvalId: job.approvalId, decidedBy: job.by, channel: job.channel });

  if (job.decision === 'deny') {
    try {
      const denied = await stage.deny(job.approvalId, job.by, job.reason, deps.audit);
      return { ...base, incidentId: denied.incidentId, status: 'denied', commands: denied.commands };
    } catch (error) {
      if (error instanceof PolicyRefusal) return { ...base, status: 'refused', message: error.message };
      throw error;
    }
  }

  // An approval already granted for this very hash (held back by the kill switch or an open breaker, or recorded
  // with `execute: false`) is run, not approved again; the run still refuses a second execution.
  const current = await stage.get(job.approvalId);
  const already = current?.status === 'approved' && current.planHash === job.planHash ? current : undefined;
  let approval = already;
  if (!approval) {
    try {
      approval = await stage.approve(job.approvalId, job.by, job.planHash, deps.audit);
    } catch (error) {
      if (error instanceof PolicyRefusal) return { ...base, incidentId: current?.incidentId, status: 'refused', message: error.message };
      throw error;
    }
  }
  const decided = { ...base, incidentId: approval.incidentId, commands: approval.commands, ...(already ? { alreadyApprovedBy: already.decidedBy ?? 'someone' } : {}) };
  if (job.execute === false) return { ...decided, status: 'approved' };

  const now = deps.now ?? Date.now;
  const clock = startRunClock(deps.audit, now(), now);
  const ids = { incidentId: approval.incidentId, run: 'approval' as const, mode: 'approval' as const, approval: { id: approval.id, planHash: approval.planHash } };
  try {
    const report = await stage.run(approval.id, { logger: log, signal, audit: clock.sink });
    const outcome = await recordOutcome(deps, { ...ids, timings: clock.timings(now()), report }, log);
    return { ...decided, status: 'ran', report, outcome };
  } catch (error) {
    if (error instanceof TargetChangedRefusal) {
      // The plan is stale for good: the refusal is recorded (and noted in PagerDuty) first, then the fresh triage is
      // queued, so the new plan's notes come after the note saying why the old one was refused.
      const replan = await decideReplan(deps, approval, now());
      const message = `${error.message}. ${replan.text[0].toUpperCase()}${replan.text.slice(1)}.`;
      const targetChanged = { changes: error.changes, next: replan.next };
      const outcome = await recordOutcome(deps, { ...ids, timings: clock.timings(now()), refusal: message, targetChanged }, log);
      if (replan.job) await enqueueReplan(deps, replan.job, approval.id, log);
      return { ...decided, status: 'refused', message, outcome };
    }
    if (error instanceof PolicyRefusal) {
      const outcome = await recordOutcome(deps, { ...ids, timings: clock.timings(now()), refusal: error.message }, log);
      return { ...decided, status: 'refused', message: error.message, outcome };
    }
    if (endsWithoutOutcome(error, signal, options)) throw error;
    const message = redactText(describeError(error)).slice(0, 1_000);
    await recordOutcome(deps, { ...ids, timings: clock.timings(now()), error: `the approved plan failed with no retry left: ${message}` }, log);
    throw error;
  }
}
