// A plan waiting for (or holding) a human decision, as every store and channel sees it.

/** `cancelled`: the incident was resolved in PagerDuty while the plan waited; it can no longer be decided. */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled';

export interface PendingApproval {
  id: string;
  incidentId: string;
  /** sha256 over every command line (and its order) of the plan as proposed. */
  planHash: string;
  commands: string[];
  createdAt: number;
  expiresAt: number;
  status: ApprovalStatus;
  decidedBy?: string;
  decidedAt?: number;
  reason?: string;
  /** What the runner needs to execute after approval (proposal, risk, decisions); redacted, JSON-serialisable. */
  payload: unknown;
}
