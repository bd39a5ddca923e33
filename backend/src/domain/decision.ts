export type ExecutionMode = 'yolo' | 'approval' | 'plan';

/**
 * What happens to one command:
 * execute now, wait for a human, skip (too unsure), refuse (forbidden / destructive off / kill switch),
 * or preview only (plan mode).
 */
export type DecisionKind = 'execute' | 'approval' | 'skip' | 'refuse' | 'preview';

export interface Decision {
  kind: DecisionKind;
  mode: ExecutionMode;
  /** Why, in words an on-call engineer can act on. */
  reason: string;
  /** In plan mode: what YOLO or approval mode would have decided. */
  wouldBe?: DecisionKind;
  /** In plan mode: what approval mode would have decided (wouldBe is YOLO's). */
  wouldBeInApproval?: DecisionKind;
}

/** inconclusive: the verification window ended while the cluster could not be read; neither verified nor failed. */
export type VerdictStatus = 'verified' | 'failed' | 'unverifiable' | 'inconclusive';

export interface Verdict {
  status: VerdictStatus;
  detail: string;
  /** The state observed at the last check, for the audit trail and the human. */
  observed?: unknown;
  elapsedMs?: number;
}
