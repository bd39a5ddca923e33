// What the execute stage reports for one incident run: every proposed command with its risk, decision and result.
// The pipeline turns it into the run's IncidentOutcome; channels print it.
import type { PendingApproval } from './approval.js';
import type { ObjectRef } from './audit.js';
import type { Decision, ExecutionMode, Verdict } from './decision.js';
import type { RiskLevel } from './risk.js';

export type ActionStatus =
  | 'verified'
  | 'unverifiable'
  /** The write ran (or an earlier attempt's did) but its verification was inconclusive: not rolled back, escalated. */
  | 'unverified'
  | 'failed'
  | 'rolled-back'
  | 'skipped'
  | 'refused'
  | 'awaiting-approval'
  | 'blocked'
  | 'already-done'
  | 'previewed';

export interface ExecutionRecord {
  exitCode: number;
  durationMs: number;
  timedOut: boolean;
  truncated: boolean;
  /** Redacted and shortened. */
  stdout: string;
  stderr: string;
}

/** Plan mode's "what would change" for one command. */
export interface DryRunResult {
  /** False when the verb has no server-side dry run (or it was refused); `reason` says why. */
  ran: boolean;
  reason?: string;
  /** The exact dry-run command line that ran. */
  command?: string;
  exitCode?: number;
  /** Field-level changes ("replace /spec/replicas: 3 → 0"), when the server returned the object. */
  changes?: string[];
  /** kubectl's own words, redacted and short, when there is no object to compare. */
  output?: string;
}

export interface RollbackStep {
  command: string;
  level: RiskLevel;
  reasons: string[];
  exitCode?: number;
  durationMs?: number;
  stderr?: string;
  /** Set when the step did not run. */
  refused?: string;
}

export interface RollbackResult {
  attempted: boolean;
  /** The object matches the snapshot again (checked against the cluster). */
  restored: boolean;
  detail: string;
  steps: RollbackStep[];
  verdict?: Verdict;
}

/** What happened to one proposed action. */
export interface ActionOutcome {
  index: number;
  command: string;
  level: RiskLevel;
  reasons: string[];
  decision: Decision;
  status: ActionStatus;
  /** Why it ended as it did, in one line. */
  detail: string;
  execution?: ExecutionRecord;
  verdict?: Verdict;
  rollback?: RollbackResult;
  dryRun?: DryRunResult;
  /** Blocked because another incident is remediating, or just remediated, the same target: that incident's id. */
  deferredTo?: string;
}

/** The result of the execute stage for one incident run. */
export interface ExecutionReport {
  incidentId: string;
  mode: ExecutionMode;
  outcomes: ActionOutcome[];
  /** Set when actions wait for a human. */
  approval?: PendingApproval;
  /** A human must look: refused, failed, rolled back, blocked, or nothing safe to do. */
  escalate: boolean;
  escalationReasons: string[];
  /** Plan mode: the preview as a person reads it. */
  previewText?: string;
  /** The object the run is about (the incident's target, or the first command's), where an escalation is shown. */
  target?: ObjectRef;
}
