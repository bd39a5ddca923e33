// The daemon's expiry sweep: every so often, audit each approval whose time ran out undecided (approval.expired, once
// across replicas) and hand it to the PagerDuty write-back for its note (once too). Expiry itself needs no sweep:
// stores derive "expired" from the clock, so an expired plan is refused whenever it is decided or run. The sweep
// only makes the expiry visible, so how late it may run is a fraction of the TTL, not a setting of its own.
import type { AuditSink } from '../domain/ports.js';
import type { Logger } from '../observability/logger.js';
import { expireApprovals } from '../safety/approvals.js';
import { APPROVAL_RETENTION_MS } from '../safety/approval-status.js';
import type { ApprovalStore, IdempotencyMarks, PendingApproval } from '../safety/safety-store.js';

/** A note about an expiry older than this is news to nobody (the CLI may have audited it long ago): not posted. */
const NOTE_WINDOW_MS = 3_600_000;

/** A tenth of the TTL, between 1 s and 60 s: the expiry note is never later than 10 % of the approval's life. */
export function approvalSweepIntervalMs(ttlSeconds: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor((ttlSeconds * 1_000) / 10)));
}

export interface ExpirySweepDeps {
  store: ApprovalStore & IdempotencyMarks;
  audit: AuditSink;
  now: () => number;
  /** Queues the "approval expired, nothing executed" note (PagerDuty write-back). */
  noteExpired(approval: PendingApproval): Promise<void>;
}

/**
 * One sweep. The note has its own once-mark, apart from the audit's: `oncall-agent approvals` and `status` audit
 * expiries too (expireApprovals), and an expiry they audited first must still get its note from the daemon.
 * Returns the approvals whose note was queued by this sweep.
 */
export async function sweepExpiredApprovals(deps: ExpirySweepDeps): Promise<PendingApproval[]> {
  await expireApprovals(deps);
  const now = deps.now();
  const noted: PendingApproval[] = [];
  for (const approval of await deps.store.listApprovals(now, 'expired')) {
    if (approval.expiresAt < now - NOTE_WINDOW_MS) continue;
    if (!(await deps.store.markOnce(`approval-expired-noted:${approval.id}`, APPROVAL_RETENTION_MS))) continue;
    await deps.noteExpired(approval);
    noted.push(approval);
  }
  return noted;
}

/** Runs the sweep every intervalMs until stopped; a failed sweep is logged and retried at the next tick. */
export function startApprovalExpirySweep(deps: ExpirySweepDeps & { intervalMs: number; logger: Logger }): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    // A slow store must not pile sweeps up behind each other.
    if (running) return;
    running = true;
    sweepExpiredApprovals(deps)
      .then((noted) => {
        if (noted.length > 0) deps.logger.info({ approvals: noted.map((a) => a.id) }, `${noted.length} pending approval(s) expired undecided; nothing executed`);
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not expire pending approvals (will retry)'))
      .finally(() => (running = false));
  }, deps.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
