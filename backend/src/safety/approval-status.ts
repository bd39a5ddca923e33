import type { ApprovalStatus, PendingApproval } from './safety-store.js';

/** Decided and expired approvals stay readable this long after expiry (for `status`, `approvals` and the audit). */
export const APPROVAL_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** A pending approval past its expiry reads as expired; stores never need a timer to expire one. */
export function effectiveApprovalStatus(approval: Pick<PendingApproval, 'status' | 'expiresAt'>, now: number): ApprovalStatus {
  return approval.status === 'pending' && now >= approval.expiresAt ? 'expired' : approval.status;
}
