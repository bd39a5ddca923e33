// The port the MCP tools drive: triage an incident, run one named action, decide an approval, read an outcome.
// Every method runs the same pipeline as the other ways in; the MCP mode cap can only narrow the configured mode.
import type { ExecutionMode } from '../domain/decision.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import type { ProposedAction } from '../domain/proposal.js';

/** One finished run: its outcome, plus the evidence the diagnosis relied on (facts, redacted). */
export interface RunResult {
  outcome: IncidentOutcome;
  evidence: string[];
}

export interface ApprovalDecision {
  /** approved-and-ran · denied · refused (not decided or not run; see message) · pending (queued, not decided yet) */
  status: 'ran' | 'denied' | 'refused' | 'pending';
  message?: string;
  result?: RunResult;
}

export interface RemediationEngine {
  /** Triage an incident (diagnose → risk → mode → execute → verify → rollback → audit) under the mode cap. */
  triage(incident: Incident, cap: ExecutionMode, signal: AbortSignal): Promise<RunResult>;
  /** Run exactly one named action through the execute stage, as its own incident, under the mode cap. */
  act(incident: Incident, action: ProposedAction, cap: ExecutionMode, signal: AbortSignal): Promise<RunResult>;
  /** Approve (and run) or deny the plan waiting for this incident, through the shared approval decision. */
  decide(incidentId: string, approve: boolean, by: string, comment: string | undefined): Promise<ApprovalDecision>;
  /** The newest outcome recorded for the incident (from the audit trail), if any. */
  readOutcome(incidentId: string): Promise<IncidentOutcome | undefined>;
  close(): Promise<void>;
}

const STRICTNESS: Record<ExecutionMode, number> = { yolo: 0, approval: 1, plan: 2 };

/** The stricter of two modes: an MCP cap never loosens what the configuration says. */
export function stricterMode(a: ExecutionMode, b: ExecutionMode): ExecutionMode {
  return STRICTNESS[a] >= STRICTNESS[b] ? a : b;
}

/**
 * EXECUTION_MODE and MODE_OVERRIDES with the cap applied to each: whatever resolveMode picks for an incident is then
 * at least as strict as both its configured mode and the cap.
 */
export function capModes<T extends { EXECUTION_MODE: string; MODE_OVERRIDES: Array<{ scope: 'namespace' | 'service'; key: string; mode: ExecutionMode }> }>(config: T, cap: ExecutionMode): T {
  return {
    ...config,
    EXECUTION_MODE: stricterMode(config.EXECUTION_MODE as ExecutionMode, cap),
    MODE_OVERRIDES: config.MODE_OVERRIDES.map((o) => ({ ...o, mode: stricterMode(o.mode, cap) })),
  };
}
