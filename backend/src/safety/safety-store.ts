// The port every safety mechanism goes through. Two adapters: Redis (shared by all worker replicas, production)
// and in-process (the embedded default only). Every operation that decides something is atomic in the adapter.

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

/** Safety state behind one small interface; see safety/redis-safety-store.ts and safety/memory-safety-store.ts. */
export interface SafetyStore {
  getBreaker(scope: string, policy: BreakerPolicy, now: number): Promise<BreakerState>;
  /** Every scope that has recorded an outcome, with its current state (for `oncall-agent status`). */
  listBreakers(policy: BreakerPolicy, now: number): Promise<BreakerState[]>;
  /** May an automatic action run now in this scope? In half-open this hands out the single trial slot atomically. */
  acquireBreakerPermit(scope: string, policy: BreakerPolicy, now: number): Promise<{ allowed: boolean; state: BreakerState; transitions?: BreakerTransition[] }>;
  /** Report a failed execution/verification (false) or a success (true); returns any state transition. */
  recordBreakerOutcome(scope: string, success: boolean, policy: BreakerPolicy, now: number): Promise<BreakerTransition | undefined>;

  getKillSwitch(): Promise<KillSwitchState>;
  setKillSwitch(state: KillSwitchState): Promise<void>;

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

  /** Idempotency: true the first time a key is marked, false on every retry after. */
  markOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Whether markOnce already marked this key (and its TTL has not run out); marks nothing. */
  isMarked(key: string): Promise<boolean>;
  /** Forgets a markOnce mark (an approved plan whose run wrote nothing becomes runnable again). */
  clearMark(key: string): Promise<void>;

  putApproval(approval: PendingApproval): Promise<void>;
  getApproval(id: string, now: number): Promise<PendingApproval | undefined>;
  listApprovals(now: number, status?: ApprovalStatus): Promise<PendingApproval[]>;
  /** Atomically moves a pending, unexpired approval whose planHash matches to approved/denied; throws otherwise. */
  decideApproval(id: string, decision: 'approved' | 'denied', by: string, planHash: string, now: number, reason?: string): Promise<PendingApproval>;

  close(): Promise<void>;
}
