// The in-process SafetyStore, for the embedded default only (no REDIS_URL): one process, one worker.
// Every method does its whole read-decide-write synchronously between awaits, so JavaScript's single thread makes
// each decision atomic. Breaker transitions use the same pure rules as the Redis adapter (breaker-policy.ts).
// The kill switch alone can live in a file, so the CLI in another process can pause this one (kill-switch-file.ts).

import { acquireBreakerPermit, advanceBreaker, initialBreakerState, recordBreakerOutcome } from './breaker-policy.js';
import { refuseApproval } from './approval-errors.js';
import { readBreakerFile, writeBreakerFile } from './breaker-file.js';
import { readKillSwitchFile, writeKillSwitchFile } from './kill-switch-file.js';
import { effectiveApprovalStatus, APPROVAL_RETENTION_MS } from './approval-status.js';
import type {
  ApprovalDecisionStatus,
  ApprovalStatus,
  BreakerPolicy,
  BreakerState,
  BreakerTransition,
  KillSwitchState,
  PendingApproval,
  SafetyStore,
} from './safety-store.js';

export interface MemorySafetyStoreOptions {
  /** Where the kill switch is persisted (shared with the CLI); in memory only when absent. */
  killSwitchFile?: string;
  /**
   * Where breaker states are persisted, so restarting the agent does not close an open breaker (and `status` can show
   * them); in memory only when absent. A corrupt file fails closed: every breaker read throws until it is removed.
   */
  breakerFile?: string;
  /** Wall clock for TTLs the port does not pass a `now` for (locks, markOnce). */
  wallClock?: () => number;
}

export class MemorySafetyStore implements SafetyStore {
  private readonly breakers = new Map<string, BreakerState>();
  private readonly locks = new Map<string, { owner: string; expiresAt: number }>();
  private readonly cooldowns = new Map<string, number>();
  private readonly cooldownSetters = new Map<string, string>();
  private readonly rateWindows = new Map<string, number[]>();
  private readonly incidentActions = new Map<string, number>();
  private readonly marks = new Map<string, number>();
  private readonly approvals = new Map<string, PendingApproval>();
  private killSwitch: KillSwitchState = { paused: false };
  private readonly wallClock: () => number;

  private readonly breakerFileError?: string;
  private breakerWrites: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MemorySafetyStoreOptions = {}) {
    this.wallClock = options.wallClock ?? Date.now;
    if (options.breakerFile) {
      const loaded = readBreakerFile(options.breakerFile);
      if (typeof loaded === 'string') this.breakerFileError = loaded;
      else for (const state of loaded) this.breakers.set(state.scope, state);
    }
  }

  /** Fails closed on a corrupt breaker file: callers treat an unreadable breaker as open. */
  private checkBreakerFile(): void {
    if (this.breakerFileError) throw new Error(this.breakerFileError);
  }

  private async setBreaker(scope: string, state: BreakerState): Promise<void> {
    const before = this.breakers.get(scope);
    this.breakers.set(scope, state);
    const file = this.options.breakerFile;
    if (!file || JSON.stringify(before) === JSON.stringify(state)) return;
    // Writes are chained so the file always ends with the newest map; each write is atomic (temp file + rename).
    const snapshot = [...this.breakers.values()];
    const write = this.breakerWrites.then(() => writeBreakerFile(file, snapshot));
    this.breakerWrites = write.catch(() => undefined);
    await write;
  }

  async getBreaker(scope: string, policy: BreakerPolicy, now: number): Promise<BreakerState> {
    this.checkBreakerFile();
    return advanceBreaker(this.breakers.get(scope) ?? initialBreakerState(scope), policy, now).state;
  }

  async listBreakers(policy: BreakerPolicy, now: number): Promise<BreakerState[]> {
    this.checkBreakerFile();
    return [...this.breakers.keys()].sort().map((scope) => advanceBreaker(this.breakers.get(scope)!, policy, now).state);
  }

  async acquireBreakerPermit(scope: string, policy: BreakerPolicy, now: number): Promise<{ allowed: boolean; state: BreakerState; transitions: BreakerTransition[] }> {
    this.checkBreakerFile();
    const step = acquireBreakerPermit(this.breakers.get(scope) ?? initialBreakerState(scope), policy, now);
    await this.setBreaker(scope, step.state);
    return { allowed: step.allowed, state: { ...step.state }, transitions: step.transitions };
  }

  async recordBreakerOutcome(scope: string, success: boolean, policy: BreakerPolicy, now: number): Promise<BreakerTransition | undefined> {
    this.checkBreakerFile();
    const step = recordBreakerOutcome(this.breakers.get(scope) ?? initialBreakerState(scope), success, policy, now);
    await this.setBreaker(scope, step.state);
    return step.transitions.at(-1);
  }

  async getKillSwitch(): Promise<KillSwitchState> {
    if (this.options.killSwitchFile) return readKillSwitchFile(this.options.killSwitchFile);
    return { ...this.killSwitch };
  }

  async setKillSwitch(state: KillSwitchState): Promise<void> {
    if (this.options.killSwitchFile) await writeKillSwitchFile(this.options.killSwitchFile, state);
    else this.killSwitch = { ...state };
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.wallClock();
    const held = this.locks.get(key);
    if (held && held.expiresAt > now) return false;
    this.locks.set(key, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    const held = this.locks.get(key);
    if (held && held.owner === owner) this.locks.delete(key);
  }

  async getLockOwner(key: string): Promise<string | undefined> {
    const held = this.locks.get(key);
    return held && held.expiresAt > this.wallClock() ? held.owner : undefined;
  }

  async getCooldown(target: string, now: number): Promise<number | undefined> {
    const until = this.cooldowns.get(target);
    if (until === undefined) return undefined;
    if (until <= now) {
      this.cooldowns.delete(target);
      return undefined;
    }
    return until;
  }

  async setCooldown(target: string, untilMs: number, setBy?: string): Promise<void> {
    this.cooldowns.set(target, untilMs);
    if (setBy) this.cooldownSetters.set(target, setBy);
    else this.cooldownSetters.delete(target);
  }

  async getCooldownSetBy(target: string, now: number): Promise<string | undefined> {
    return (await this.getCooldown(target, now)) === undefined ? undefined : this.cooldownSetters.get(target);
  }

  async takeRateSlot(scope: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; used: number }> {
    const recent = (this.rateWindows.get(scope) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= limit) {
      this.rateWindows.set(scope, recent);
      return { allowed: false, used: recent.length };
    }
    recent.push(now);
    this.rateWindows.set(scope, recent);
    return { allowed: true, used: recent.length };
  }

  async takeIncidentActionSlot(incidentId: string, max: number): Promise<{ allowed: boolean; used: number }> {
    const used = this.incidentActions.get(incidentId) ?? 0;
    if (used >= max) return { allowed: false, used };
    this.incidentActions.set(incidentId, used + 1);
    return { allowed: true, used: used + 1 };
  }

  async markOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = this.wallClock();
    const expiresAt = this.marks.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.marks.set(key, now + ttlMs);
    return true;
  }

  async isMarked(key: string): Promise<boolean> {
    const expiresAt = this.marks.get(key);
    return expiresAt !== undefined && expiresAt > this.wallClock();
  }

  async clearMark(key: string): Promise<void> {
    this.marks.delete(key);
  }

  async putApproval(approval: PendingApproval): Promise<void> {
    this.approvals.set(approval.id, structuredClone(approval));
  }

  async getApproval(id: string, now: number): Promise<PendingApproval | undefined> {
    const stored = this.approvals.get(id);
    return stored ? withEffectiveStatus(stored, now) : undefined;
  }

  async listApprovals(now: number, status?: ApprovalStatus): Promise<PendingApproval[]> {
    const out: PendingApproval[] = [];
    for (const [id, stored] of this.approvals) {
      if (stored.expiresAt + APPROVAL_RETENTION_MS <= now) {
        this.approvals.delete(id);
        continue;
      }
      const approval = withEffectiveStatus(stored, now);
      if (!status || approval.status === status) out.push(approval);
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async decideApproval(
    id: string,
    decision: ApprovalDecisionStatus,
    by: string,
    planHash: string,
    now: number,
    reason?: string,
  ): Promise<PendingApproval> {
    const stored = this.approvals.get(id);
    if (!stored) throw refuseApproval(id, 'not-found');
    if (stored.status !== 'pending') throw refuseApproval(id, 'not-pending', { status: stored.status });
    if (now >= stored.expiresAt) throw refuseApproval(id, 'expired');
    if (stored.planHash !== planHash) throw refuseApproval(id, 'plan-changed');
    const decided: PendingApproval = { ...stored, status: decision, decidedBy: by, decidedAt: now, ...(reason ? { reason } : {}) };
    this.approvals.set(id, decided);
    return structuredClone(decided);
  }

  async close(): Promise<void> {
    // Nothing to release.
  }
}

function withEffectiveStatus(approval: PendingApproval, now: number): PendingApproval {
  return { ...structuredClone(approval), status: effectiveApprovalStatus(approval, now) };
}
