import type { DecisionKind, ExecutionMode, VerdictStatus } from './decision.js';
import type { RiskLevel } from './risk.js';

/**
 * How one incident run ended. Every triage run and every approved-plan run ends with exactly one
 * `incident.outcome` audit record carrying an {@link IncidentOutcome}; PagerDuty write-back, MCP `remediate`,
 * metrics and the chaos scorer read it and never re-derive the ending.
 */
export type OutcomeKind =
  /** Every write executed and verified. */
  | 'fixed'
  /** A verification failed and the rollback restored the snapshot. */
  | 'rolled_back'
  /** A human must look (with reasons); also when a rollback failed or the job failed for good. */
  | 'escalated'
  /** Actions wait for a human (approval id and plan hash set). */
  | 'awaiting_approval'
  /** Plan mode: a preview only. */
  | 'previewed'
  /** Policy stopped it: kill switch, breaker, protected namespace, forbidden command. */
  | 'refused'
  /** Nothing to do, for example the workload is already healthy. */
  | 'no_action';

export const OUTCOME_KINDS: readonly OutcomeKind[] = ['fixed', 'rolled_back', 'escalated', 'awaiting_approval', 'previewed', 'refused', 'no_action'];

/** Which pipeline produced the outcome. */
export type OutcomeRun = 'triage' | 'approval';

/** What happened to one proposed command, as the outcome reports it (command text redacted). */
export interface OutcomeCommand {
  index: number;
  command: string;
  risk: RiskLevel;
  decision: DecisionKind;
  /** The execute stage's status: verified, failed, rolled-back, skipped, refused, awaiting-approval, previewed, … */
  status: string;
  /** Why it ended as it did, in one line. */
  detail: string;
  /** Set when the command ran. */
  exitCode?: number;
  verdict?: VerdictStatus;
  /** Set when a rollback ran: whether it restored the snapshot. */
  rollback?: { restored: boolean; detail: string };
}

/** Milliseconds, each measured from `incident.received` of this run. */
export interface OutcomeTimings {
  /** ISO time of `incident.received`. */
  receivedAt: string;
  /** Until the mode decision for the first command (or the escalation when none was decided). */
  toDecisionMs?: number;
  /** Until the first write started. */
  toFirstWriteMs?: number;
  /** Until the last write verified (only for `fixed`). */
  toVerifiedFixMs?: number;
  /** Until this outcome was written. */
  totalMs: number;
}

export interface IncidentOutcome {
  incidentId: string;
  outcome: OutcomeKind;
  run: OutcomeRun;
  mode: ExecutionMode;
  /** "runbook" or "claude" (absent when the run failed before diagnosing). */
  analyzer?: string;
  /** Set when the runbook analyzer stood in for the model: why ("overloaded: …", "timeout: …", "invalid_output: …"). */
  fallbackReason?: string;
  target?: { kind: string; namespace?: string; name: string };
  rootCause?: string;
  confidence?: number;
  /** Escalation or refusal reasons, most important first; empty for fixed/previewed. */
  reasons: string[];
  approval?: { id: string; planHash: string };
  commands: OutcomeCommand[];
  timings: OutcomeTimings;
  tokens?: { input: number; output: number };
  /** The error, for a job that failed for good. */
  error?: string;
  /**
   * The analyzer's escalation in parts (set when it gave them, redacted): the cause, the facts it rests on, what a
   * person must do and what the agent would run with approval. `reasons` still carries the whole text.
   */
  escalation?: OutcomeEscalation;
  /** An approved plan refused because its target changed since the plan: what changed, and what happens next. */
  targetChanged?: TargetChangedRefusalInfo;
}

export interface OutcomeEscalation {
  cause: string;
  /** The most telling facts, at most three. */
  evidence: string[];
  humanStep?: string;
  /** Absent: the agent proposes no change of its own. */
  wouldDo?: string;
}

export interface TargetChangedRefusalInfo {
  /** One line per changed target. */
  changes: string[];
  /**
   * replan-queued: a fresh triage of the incident is queued (a new plan and, in approval mode, a new approval follow);
   * replan-already-queued: this approval's re-plan was queued before; replan-limit-reached: the incident had its
   * bounded number of re-plans, a human must look; no-replan: this process cannot queue one (no queue, or the
   * approval predates stored incidents).
   */
  next: 'replan-queued' | 'replan-already-queued' | 'replan-limit-reached' | 'no-replan';
}
