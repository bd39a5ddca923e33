// Pending approvals: what the approval-mode runner creates, and what the approval pipeline (pipeline/decide-approval.ts)
// calls to decide, for every channel. Every step is written to the audit trail with who did it.

import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditSink } from '../domain/index.js';
import { PolicyRefusal } from '../domain/errors.js';
import { redactValue } from '../redaction/redact.js';
import { ApprovalRefusal, refuseApproval } from './approval-errors.js';
import { APPROVAL_RETENTION_MS } from './approval-status.js';
import { computePlanHash } from './plan-hash.js';
import type { ApprovalStore, IdempotencyMarks, PendingApproval } from './safety-store.js';

export interface ApprovalDeps {
  store: ApprovalStore;
  audit: AuditSink;
  now: () => number;
}

export interface NewApproval {
  incidentId: string;
  /** The command lines exactly as they will run, in order. */
  commands: string[];
  ttlMs: number;
  /** What the runner needs after approval; redacted before it is stored. */
  payload?: unknown;
  requestedBy?: string;
}

/** Stores a pending approval for the plan and records approval.requested. */
export async function createPendingApproval(deps: ApprovalDeps, input: NewApproval): Promise<PendingApproval> {
  const now = deps.now();
  const approval: PendingApproval = {
    id: `apr-${randomUUID()}`,
    incidentId: input.incidentId,
    planHash: computePlanHash(input.incidentId, input.commands),
    commands: [...input.commands],
    createdAt: now,
    expiresAt: now + input.ttlMs,
    status: 'pending',
    payload: redactValue(input.payload ?? null),
  };
  await deps.store.putApproval(approval);
  await writeAudit(deps, 'approval.requested', input.requestedBy ?? 'agent', approval, {
    commands: approval.commands,
    expiresAt: new Date(approval.expiresAt).toISOString(),
  });
  return approval;
}

/** Approves a pending, unexpired plan whose hash matches; throws ApprovalRefusal otherwise (and audits the attempt). */
export async function approvePlan(deps: ApprovalDeps, id: string, by: string, planHash: string): Promise<PendingApproval> {
  const now = deps.now();
  try {
    const approval = await deps.store.decideApproval(id, 'approved', by, planHash, now);
    await writeAudit(deps, 'approval.granted', by, approval, {});
    return approval;
  } catch (error) {
    await auditRefusal(deps, error, 'approve', id, by, now);
    throw error;
  }
}

/** Denies a pending, unexpired plan; throws ApprovalRefusal otherwise. */
export async function denyPlan(deps: ApprovalDeps, id: string, by: string, reason?: string): Promise<PendingApproval> {
  const now = deps.now();
  try {
    const current = await deps.store.getApproval(id, now);
    if (!current) throw refuseApproval(id, 'not-found');
    const approval = await deps.store.decideApproval(id, 'denied', by, current.planHash, now, reason);
    await writeAudit(deps, 'approval.denied', by, approval, reason ? { reason } : {});
    return approval;
  } catch (error) {
    await auditRefusal(deps, error, 'deny', id, by, now);
    throw error;
  }
}

/**
 * Records approval.expired once for every approval whose time ran out undecided (stores derive "expired" from the
 * clock; markOnce keeps repeated sweeps, from any replica, from auditing it twice). Returns the newly expired ones.
 */
export async function expireApprovals(deps: ApprovalDeps & { store: IdempotencyMarks }): Promise<PendingApproval[]> {
  const expired = await deps.store.listApprovals(deps.now(), 'expired');
  const fresh: PendingApproval[] = [];
  for (const approval of expired) {
    if (!(await deps.store.markOnce(`approval-expired:${approval.id}`, APPROVAL_RETENTION_MS))) continue;
    fresh.push(approval);
    await writeAudit(deps, 'approval.expired', 'agent', approval, { expiresAt: new Date(approval.expiresAt).toISOString() });
  }
  return fresh;
}

/** Marked for an approval whose incident PagerDuty resolved after the plan was made: its plan is stale, never run. */
export const resolvedIncidentApprovalKey = (approvalId: string): string => `approval-incident-resolved:${approvalId}`;

/** Who cancels an approval whose incident PagerDuty resolved (the audit record's actor and the stored decidedBy). */
export const RESOLVED_IN_PAGERDUTY = 'PagerDuty (incident resolved)';

/** Marked for an approval refused because its target changed since the plan: it can never run. */
export const targetChangedApprovalKey = (approvalId: string): string => `approval-target-changed:${approvalId}`;

/** At most this many fresh plans per incident come from approvals refused for a changed target. */
export const MAX_REPLANS_PER_INCIDENT = 3;

export type ReplanClaim =
  /** This refusal may queue the incident's n-th re-plan. */
  | { kind: 'claimed'; n: number }
  /** A re-plan was already queued for this approval (the same refusal seen again): none more. */
  | { kind: 'already' }
  /** The incident had MAX_REPLANS_PER_INCIDENT re-plans already: the target keeps changing, a human must look. */
  | { kind: 'limit'; max: number };

/**
 * Claims the one re-plan a refused approval may cause, bounded per incident, so a target that keeps changing (an
 * operator mid-rollout, an autoscaler resizing a Deployment) cannot make plan → approve → refuse loop forever. Each
 * step is one atomic markOnce: two workers refusing the same approval queue one re-plan between them.
 */
export async function claimReplan(marks: IdempotencyMarks, approvalId: string, incidentId: string, max = MAX_REPLANS_PER_INCIDENT): Promise<ReplanClaim> {
  if (!(await marks.markOnce(`approval-replanned:${approvalId}`, APPROVAL_RETENTION_MS))) return { kind: 'already' };
  for (let n = 1; n <= max; n += 1) {
    if (await marks.markOnce(`incident-replan:${incidentId}:${n}`, APPROVAL_RETENTION_MS)) return { kind: 'claimed', n };
  }
  return { kind: 'limit', max };
}

/**
 * The incident was resolved: every plan made for it so far goes stale. A pending one is cancelled (it leaves the
 * pending lists, the actions endpoint and the expiry sweep; deciding it is refused) and audited as approval.cancelled.
 * An approved one is not rewritten (it may have run already; its record says who approved it) but is marked, so a
 * held or retried run refuses it. Marked per approval, not per incident, so a plan made after PagerDuty reopens the
 * incident is not caught by the old resolve. Returns the ids of the plans made stale.
 */
export async function cancelApprovalsOfResolvedIncident(deps: { store: ApprovalStore & IdempotencyMarks; audit: AuditSink; now: () => number }, incidentId: string): Promise<string[]> {
  const open = (await deps.store.listApprovals(deps.now())).filter((a) => a.incidentId === incidentId && (a.status === 'pending' || a.status === 'approved'));
  for (const approval of open) {
    // The mark first: whatever happens to the cancel below, the plan can no longer run.
    await deps.store.markOnce(resolvedIncidentApprovalKey(approval.id), APPROVAL_RETENTION_MS);
    if (approval.status !== 'pending') continue;
    const reason = `incident ${incidentId} was resolved in PagerDuty`;
    try {
      const cancelled = await deps.store.decideApproval(approval.id, 'cancelled', RESOLVED_IN_PAGERDUTY, approval.planHash, deps.now(), reason);
      await writeAudit(deps, 'approval.cancelled', RESOLVED_IN_PAGERDUTY, cancelled, { reason });
    } catch (error) {
      // Decided (or expired) between the list and the cancel: the mark above still keeps it from running.
      if (!(error instanceof ApprovalRefusal)) throw error;
    }
  }
  return open.map((a) => a.id);
}

/** The runner's last check before executing: approved, and the commands are exactly the ones approved. */
export function assertApprovedPlan(approval: PendingApproval, incidentId: string, commands: readonly string[]): void {
  if (approval.status !== 'approved') throw new PolicyRefusal(`approval ${approval.id} is ${approval.status}, not approved`);
  if (approval.incidentId !== incidentId || computePlanHash(incidentId, commands) !== approval.planHash) {
    throw new PolicyRefusal(`approval ${approval.id}: the commands to run differ from the approved plan`, 'a changed plan needs a new approval');
  }
}

async function writeAudit(deps: ApprovalDeps, type: AuditEvent['type'], actor: string, approval: PendingApproval, extra: Record<string, unknown>): Promise<void> {
  await deps.audit.write({
    ts: new Date(deps.now()).toISOString(),
    type,
    incidentId: approval.incidentId,
    actor,
    data: { approvalId: approval.id, planHash: approval.planHash, status: approval.status, ...extra },
  });
}

async function auditRefusal(deps: ApprovalDeps, error: unknown, operation: string, id: string, by: string, now: number): Promise<void> {
  if (!(error instanceof ApprovalRefusal)) return;
  // The refused attempt belongs to the incident's trail (`audit --incident`), when the approval exists.
  const incidentId = error.code === 'not-found' ? undefined : (await deps.store.getApproval(id, now).catch(() => undefined))?.incidentId;
  await deps.audit.write({
    ts: new Date(now).toISOString(),
    type: 'error',
    ...(incidentId ? { incidentId } : {}),
    actor: by,
    data: { operation: `${operation} approval`, approvalId: id, refused: error.code, message: error.message },
  });
}
