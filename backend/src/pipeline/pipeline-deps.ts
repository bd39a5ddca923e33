import type { AuditEvent, AuditEventType } from '../domain/audit.js';
import type { ExecutionMode } from '../domain/decision.js';
import type { ExecutionReport } from '../domain/execution-report.js';
import type { Incident } from '../domain/incident.js';
import type { AuditSink } from '../domain/ports.js';
import type { RemediationProposal } from '../domain/proposal.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import type { Logger } from '../observability/logger.js';
import type { PendingApproval } from '../domain/approval.js';
import type { OutcomeMarks } from './claim-outcome.js';
import type { IncidentJobData } from '../queue/job-schemas.js';
import type { ReplanClaim } from '../safety/approvals.js';
import type { OutcomeMetrics } from './record-outcome.js';

/** What one run hands each stage: its logger, its abort signal, and the audit sink that times the run. */
export interface StageRun {
  logger: Logger;
  signal: AbortSignal;
  audit: AuditSink;
  /** `plan`: the mode is forced to plan whatever the configuration says (`oncall-agent plan`). */
  mode?: 'plan';
}

/** The approval stage: decide a pending plan, and run an approved one exactly as approved. */
export interface ApprovalStage {
  get(approvalId: string): Promise<PendingApproval | undefined>;
  approve(approvalId: string, by: string, planHash: string, audit: AuditSink): Promise<PendingApproval>;
  deny(approvalId: string, by: string, reason: string | undefined, audit: AuditSink): Promise<PendingApproval>;
  /** Runs the approved plan under this process's settings; throws PolicyRefusal when it may not run now. */
  run(approvalId: string, run: StageRun): Promise<ExecutionReport>;
  /** Claims the one re-plan of an approval refused for a changed target (bounded per incident). */
  claimReplan?(approvalId: string, incidentId: string): Promise<ReplanClaim>;
}

/** The stages as small functions, built by the composition root (app/create-agent.ts) or by a test. */
export interface PipelineDeps {
  diagnose(incident: Incident, logger: Logger, signal: AbortSignal): Promise<RemediationProposal>;
  execute(incident: Incident, proposal: RemediationProposal, run: StageRun): Promise<ExecutionReport>;
  approvals?: ApprovalStage;
  audit: AuditSink;
  metrics?: OutcomeMetrics;
  /** The configured mode, for an outcome written before the execute stage said which mode it used. */
  mode?: ExecutionMode;
  now?: () => number;
  /** PagerDuty resolved the incident: the plans still waiting for (or holding) an approval go stale. */
  onIncidentResolved?(incidentId: string): Promise<void>;
  /** The marks that keep a re-run of a queued job from writing its ending twice (claim-outcome.ts). */
  outcomeMarks?: OutcomeMarks;
  /** Called once the run's `incident.outcome` is recorded (PagerDuty write-back queues its notes); never fails the run. */
  onOutcome?(outcome: IncidentOutcome, proposal?: RemediationProposal): Promise<void>;
  /** Stores a job on the incident queue (a worker's agent): the re-plan of a refused approval is queued here. */
  enqueue?(job: IncidentJobData): Promise<unknown>;
}

export async function record(
  deps: { audit: AuditSink; now?: () => number },
  type: AuditEventType,
  incidentId: string,
  actor: string,
  data: Record<string, unknown>,
): Promise<void> {
  const event: AuditEvent = { ts: new Date((deps.now ?? Date.now)()).toISOString(), type, incidentId, actor, data };
  await deps.audit.write(event);
}

/** One line for an error from anywhere, redaction left to the caller. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
