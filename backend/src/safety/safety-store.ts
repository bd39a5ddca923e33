// The safety ports, one per concern: breaker, kill switch, locks and limits, idempotency marks, approvals. Two
// adapters implement them all: Redis (shared by all worker replicas, production) and in-process (the embedded
// default only). Every operation that decides something is atomic in the adapter.

export type BreakerStateName = 'closed' | 'open' | 'half-open';

export interface BreakerState {
  scope: string;
  state: BreakerStateName;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** ms epoch when it last opened. */
  openedAt?: number;
  /** In half-open: whether the single trial action has been handed out and not yet reported. */
  trialInFlight?: boolean;
  /** ms epoch when the trial slot was handed out; a trial never reported frees its slot after `openMs` (a crashed worker). */
  trialStartedAt?: number;
}

export interface BreakerPolicy {
  failureThreshold: number;
  openMs: number;
  halfOpenSuccesses: number;
}

export interface BreakerTransition {
  scope: string;
  from: BreakerStateName;
  to: BreakerStateName;
  reason: string;
}

export interface KillSwitchState {
  paused: boolean;
  by?: string;
  reason?: string;
  since?: number;
}

export type { ApprovalStatus, PendingApproval } from '../domain/approval.js';
import type { ApprovalStatus, PendingApproval } from '../domain/approval.js';

/** The circuit breaker per scope (cluster or namespace); transitions are the pure rules in breaker-policy.ts. */
export interface BreakerStore {
  getBreaker(scope: string, policy: BreakerPolicy, now: number): Promise<BreakerState>;
  /** Every scope that has recorded an outcome, with its current state (for `oncall-agent status`). */
  listBreakers(policy: BreakerPolicy, now: number): Promise<BreakerState[]>;
  /** May an automatic action run now in this scope? In half-open this hands out the single trial slot atomically. */
  acquireBreakerPermit(scope: string, policy: BreakerPolicy, now: number): Promise<{ allowed: boolean; state: BreakerState; transitions?: BreakerTransition[] }>;
  /** Report a failed execution/verification (false) or a success (true); returns any state transition. */
  recordBreakerOutcome(scope: string, success: boolean, policy: BreakerPolicy, now: number): Promise<BreakerTransition | undefined>;
}

/** The stored kill switch (`oncall-agent pause`); kill-switch.ts adds the KILL_SWITCH env setting on top. */
export interface KillSwitchStore {
  getKillSwitch(): Promise<KillSwitchState>;
  setKillSwitch(state: KillSwitchState): Promise<void>;
}

/** Locks and limits around one write: target locks, cooldowns, the cluster rate window and the per-incident cap. */
export interface LimitStore {
  /** Per-target mutual exclusion; true when acquired. */
  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLock(key: string, owner: string): Promise<void>;
  /** Who holds the lock now, if anyone: a refused run names the run it defers to. */
  getLockOwner(key: string): Promise<string | undefined>;

  /** ms epoch until which the target is cooling down, if it is. */
  getCooldown(target: string, now: number): Promise<number | undefined>;
  /** `setBy` (an incident id) lets a later run refused by the cooldown name the incident that changed the target. */
  setCooldown(target: string, untilMs: number, setBy?: string): Promise<void>;
  /** The incident whose change started the target's current cooldown, when it was recorded. */
  getCooldownSetBy(target: string, now: number): Promise<string | undefined>;

  /** Sliding-window limit: records the action and answers whether it fits within `limit` per `windowMs`. */
  takeRateSlot(scope: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; used: number }>;
  /** Counts an action against the incident's cap; answers whether it fits. */
  takeIncidentActionSlot(incidentId: string, max: number): Promise<{ allowed: boolean; used: number }>;
}

/** Idempotency marks: a write, an approved plan or an expiry notice happens once, across retries and replicas. */
export interface IdempotencyMarks {
  /** True the first time a key is marked, false on every retry after. */
  markOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Whether markOnce already marked this key (and its TTL has not run out); marks nothing. */
  isMarked(key: string): Promise<boolean>;
  /** Forgets a markOnce mark (an approved plan whose run wrote nothing becomes runnable again). */
  clearMark(key: string): Promise<void>;
}

/** The statuses decideApproval moves a pending approval to. */
export type ApprovalDecisionStatus = 'approved' | 'denied' | 'cancelled';

/** Plans waiting for (or holding) a human decision. */
export interface ApprovalStore {
  putApproval(approval: PendingApproval): Promise<void>;
  getApproval(id: string, now: number): Promise<PendingApproval | undefined>;
  listApprovals(now: number, status?: ApprovalStatus): Promise<PendingApproval[]>;
  /**
   * Atomically moves a pending, unexpired approval whose planHash matches to approved, denied or cancelled (the agent
   * withdrew it: its incident was resolved); throws ApprovalRefusal otherwise.
   */
  decideApproval(id: string, decision: ApprovalDecisionStatus, by: string, planHash: string, now: number, reason?: string): Promise<PendingApproval>;
}

/**
 * Every safety port in one: what the two adapters (redis-safety-store.ts, memory-safety-store.ts) implement and what
 * the composition root holds and closes. Stages and commands ask for the small ports above, never for this.
 */
export interface SafetyStore extends BreakerStore, KillSwitchStore, LimitStore, IdempotencyMarks, ApprovalStore {
  close(): Promise<void>;
}
