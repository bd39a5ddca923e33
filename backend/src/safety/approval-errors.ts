import { PolicyRefusal } from '../domain/errors.js';

export type ApprovalRefusalCode = 'not-found' | 'not-pending' | 'expired' | 'plan-changed';

/** An approve/deny that the safety store refused; `code` says why. Never retried. */
export class ApprovalRefusal extends PolicyRefusal {
  constructor(
    readonly approvalId: string,
    readonly code: ApprovalRefusalCode,
    detail: string,
  ) {
    super(`approval ${approvalId}: ${detail}`, hintFor(code));
  }
}

function hintFor(code: ApprovalRefusalCode): string {
  switch (code) {
    case 'not-found':
      return 'list the pending approvals with `oncall-agent approvals`';
    case 'not-pending':
      return 'it was already decided; see `oncall-agent audit --incident <id>`';
    case 'expired':
      return 'the incident must be re-run to get a fresh plan';
    case 'plan-changed':
      return 'the plan changed since it was shown to you: review the current commands and approve their hash';
  }
}

/** Shared wording so both adapters refuse identically. */
export function refuseApproval(id: string, code: ApprovalRefusalCode, extra?: { status?: string }): ApprovalRefusal {
  switch (code) {
    case 'not-found':
      return new ApprovalRefusal(id, code, 'no such approval');
    case 'not-pending':
      // Cancelled is the agent's doing, not a person's decision: say why, so nobody looks for who denied it.
      if (extra?.status === 'cancelled') return new ApprovalRefusal(id, code, 'is cancelled (its incident was resolved in PagerDuty), not pending');
      return new ApprovalRefusal(id, code, `is ${extra?.status ?? 'decided'}, not pending`);
    case 'expired':
      return new ApprovalRefusal(id, code, 'has expired');
    case 'plan-changed':
      return new ApprovalRefusal(id, code, 'plan hash does not match the pending plan');
  }
}
