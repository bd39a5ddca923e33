// The SafetyStore every worker replica shares. Each decision is atomic in Redis: Lua scripts for locks, rate windows,
// incident caps and approval check-and-set (redis-safety-scripts.ts); SET NX PX for locks and markOnce; and an
// optimistic WATCH/MULTI transaction running the shared pure rules for the breaker (redis-breaker.ts).
// Keys live under one prefix (default "oncall:"), apart from BullMQ's own "bull:" keys.

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TransientError } from '../domain/errors.js';
import { ensureRedisReady } from '../redis/ensure-ready.js';
import { ApprovalRefusal, refuseApproval, type ApprovalRefusalCode } from './approval-errors.js';
import { APPROVAL_RETENTION_MS, effectiveApprovalStatus } from './approval-status.js';
import { acquireBreakerPermit, advanceBreaker, recordBreakerOutcome } from './breaker-policy.js';
import { RedisBreakerTransactions } from './redis-breaker.js';
import { DECIDE_APPROVAL, RELEASE_LOCK, TAKE_INCIDENT_SLOT, TAKE_RATE_SLOT } from './redis-safety-scripts.js';
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

const INCIDENT_COUNTER_TTL_MS = 7 * 24 * 3600 * 1000;
const COOLDOWN_GRACE_MS = 60_000;

export interface RedisSafetyStoreOptions {
  /** Prefix for every key; default "oncall:". */
  prefix?: string;
  /** Close the client on close() (true when the store built it). */
  ownsClient?: boolean;
  /**
   * Breaker times come from the Redis server's clock (TIME), not the caller's `now`: replicas whose clocks disagree
   * must not disagree on when an open breaker half-opens (a fast clock would cut the open period short). On in
   * production (createSafetyStore); tests that drive time themselves leave it off.
   */
  serverTime?: boolean;
}

export class RedisSafetyStore implements SafetyStore {
  private readonly prefix: string;
  private readonly breakers: RedisBreakerTransactions;
  /** The breaker's WATCH/MULTI connection, apart from `client` so no other EXEC on a shared client can disturb it. */
  private readonly txClient: Redis;

  constructor(
    private readonly client: Redis,
    private readonly options: RedisSafetyStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'oncall:';
    this.txClient = client.duplicate();
    this.txClient.on('error', () => undefined);
    this.breakers = new RedisBreakerTransactions(this.txClient, (scope) => this.key('breaker', scope), this.key('breakers'));
  }

  getBreaker(scope: string, policy: BreakerPolicy, now: number): Promise<BreakerState> {
    return this.guard('getBreaker', async () => advanceBreaker(await this.breakers.read(scope), policy, await this.breakerNow(now)).state);
  }

  listBreakers(policy: BreakerPolicy, now: number): Promise<BreakerState[]> {
    return this.guard('listBreakers', async () => {
      const states = await this.breakers.readMany(await this.breakers.scopes());
      const at = await this.breakerNow(now);
      return states.map((s) => advanceBreaker(s, policy, at).state);
    });
  }

  acquireBreakerPermit(scope: string, policy: BreakerPolicy, now: number): Promise<{ allowed: boolean; state: BreakerState; transitions: BreakerTransition[] }> {
    return this.guard('acquireBreakerPermit', async () => {
      const at = await this.breakerNow(now);
      return this.breakers.run(scope, (current) => {
        const step = acquireBreakerPermit(current, policy, at);
        return { state: step.state, result: { allowed: step.allowed, state: step.state, transitions: step.transitions } };
      });
    });
  }

  recordBreakerOutcome(scope: string, success: boolean, policy: BreakerPolicy, now: number): Promise<BreakerTransition | undefined> {
    return this.guard('recordBreakerOutcome', async () => {
      const at = await this.breakerNow(now);
      return this.breakers.run(scope, (current) => {
        const step = recordBreakerOutcome(current, success, policy, at);
        return { state: step.state, result: step.transitions.at(-1) };
      });
    });
  }

  /** The time breaker rules run at: the Redis server's clock with serverTime, else the caller's. */
  private async breakerNow(now: number): Promise<number> {
    if (!this.options.serverTime) return now;
    const [seconds, micros] = await this.client.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  getKillSwitch(): Promise<KillSwitchState> {
    return this.guard('getKillSwitch', async () => {
      const raw = await this.client.get(this.key('killswitch'));
      if (!raw) return { paused: false };
      try {
        const parsed = JSON.parse(raw) as KillSwitchState;
        if (typeof parsed.paused === 'boolean') return parsed;
      } catch {
        // fall through
      }
      return { paused: true, reason: 'stored kill switch is corrupt; failing closed' };
    });
  }

  setKillSwitch(state: KillSwitchState): Promise<void> {
    return this.guard('setKillSwitch', async () => {
      await this.client.set(this.key('killswitch'), JSON.stringify(state));
    });
  }

  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.guard('acquireLock', async () => (await this.client.set(this.key('lock', key), owner, 'PX', ttlMs, 'NX')) === 'OK');
  }

  releaseLock(key: string, owner: string): Promise<void> {
    return this.guard('releaseLock', async () => {
      await this.client.eval(RELEASE_LOCK, 1, this.key('lock', key), owner);
    });
  }

  getLockOwner(key: string): Promise<string | undefined> {
    return this.guard('getLockOwner', async () => (await this.client.get(this.key('lock', key))) ?? undefined);
  }

  getCooldown(target: string, now: number): Promise<number | undefined> {
    return this.guard('getCooldown', async () => {
      const raw = await this.client.get(this.key('cooldown', target));
      const until = raw === null ? NaN : Number(raw);
      return Number.isFinite(until) && until > now ? until : undefined;
    });
  }

  setCooldown(target: string, untilMs: number, setBy?: string): Promise<void> {
    return this.guard('setCooldown', async () => {
      // The stored value decides; the TTL only collects garbage, with slack for clock skew between hosts.
      const ttl = Math.min(Math.max(untilMs - Date.now(), 0) + COOLDOWN_GRACE_MS, 30 * 24 * 3600 * 1000);
      const multi = this.client.multi().set(this.key('cooldown', target), String(untilMs), 'PX', ttl);
      if (setBy) multi.set(this.key('cooldown-by', target), setBy, 'PX', ttl);
      else multi.del(this.key('cooldown-by', target));
      const failed = (await multi.exec())?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    });
  }

  getCooldownSetBy(target: string, now: number): Promise<string | undefined> {
    return this.guard('getCooldownSetBy', async () => {
      const [until, by] = await this.client.mget(this.key('cooldown', target), this.key('cooldown-by', target));
      return until !== null && Number(until) > now && by !== null ? by : undefined;
    });
  }

  takeRateSlot(scope: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; used: number }> {
    return this.guard('takeRateSlot', async () => {
      const [allowed, used] = (await this.client.eval(TAKE_RATE_SLOT, 1, this.key('rate', scope), now, windowMs, limit, `${now}:${randomUUID()}`)) as [number, number];
      return { allowed: allowed === 1, used };
    });
  }

  takeIncidentActionSlot(incidentId: string, max: number): Promise<{ allowed: boolean; used: number }> {
    return this.guard('takeIncidentActionSlot', async () => {
      const [allowed, used] = (await this.client.eval(TAKE_INCIDENT_SLOT, 1, this.key('incident-actions', incidentId), max, INCIDENT_COUNTER_TTL_MS)) as [number, number];
      return { allowed: allowed === 1, used };
    });
  }

  markOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.guard('markOnce', async () => (await this.client.set(this.key('once', key), '1', 'PX', ttlMs, 'NX')) === 'OK');
  }

  isMarked(key: string): Promise<boolean> {
    return this.guard('isMarked', async () => (await this.client.exists(this.key('once', key))) === 1);
  }

  clearMark(key: string): Promise<void> {
    return this.guard('clearMark', async () => void (await this.client.del(this.key('once', key))));
  }

  putApproval(approval: PendingApproval): Promise<void> {
    return this.guard('putApproval', async () => {
      const key = this.key('approval', approval.id);
      // TTL relative to this host's clock (callers may pass another clock): it only collects garbage.
      const result = await this.client
        .multi()
        .del(key)
        .hset(key, {
          record: JSON.stringify(approval),
          status: approval.status,
          expiresAt: String(approval.expiresAt),
          planHash: approval.planHash,
          decidedBy: approval.decidedBy ?? '',
          decidedAt: approval.decidedAt === undefined ? '' : String(approval.decidedAt),
          reason: approval.reason ?? '',
        })
        .pexpire(key, Math.max(approval.expiresAt - Date.now(), 0) + APPROVAL_RETENTION_MS)
        .zadd(this.key('approvals'), approval.createdAt, approval.id)
        .exec();
      if (!result || result.some(([error]) => error)) throw new Error(`storing approval ${approval.id} failed`);
    });
  }

  getApproval(id: string, now: number): Promise<PendingApproval | undefined> {
    return this.guard('getApproval', async () => parseApproval(await this.client.hgetall(this.key('approval', id)), now));
  }

  listApprovals(now: number, status?: ApprovalStatus): Promise<PendingApproval[]> {
    return this.guard('listApprovals', async () => {
      const index = this.key('approvals');
      const ids = await this.client.zrange(index, 0, -1);
      if (ids.length === 0) return [];
      const pipeline = this.client.pipeline();
      for (const id of ids) pipeline.hgetall(this.key('approval', id));
      const results = (await pipeline.exec()) ?? [];
      const out: PendingApproval[] = [];
      const gone: string[] = [];
      results.forEach(([error, value], i) => {
        const approval = error ? undefined : parseApproval(value as Record<string, string>, now);
        if (!approval) gone.push(ids[i]);
        else if (!status || approval.status === status) out.push(approval);
      });
      // Hashes expire on their own; drop their ids from the index as we notice.
      if (gone.length > 0) await this.client.zrem(index, ...gone);
      return out;
    });
  }

  decideApproval(id: string, decision: ApprovalDecisionStatus, by: string, planHash: string, now: number, reason?: string): Promise<PendingApproval> {
    return this.guard('decideApproval', async () => {
      const key = this.key('approval', id);
      const [code, status] = (await this.client.eval(DECIDE_APPROVAL, 1, key, planHash, decision, by, reason ?? '', now)) as [string, string?];
      if (code !== 'ok') throw refuseApproval(id, code as ApprovalRefusalCode, { status });
      const decided = parseApproval(await this.client.hgetall(key), now);
      if (!decided) throw refuseApproval(id, 'not-found');
      return decided;
    });
  }

  async close(): Promise<void> {
    await this.txClient.quit().catch(() => this.txClient.disconnect());
    if (this.options.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }

  private key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  /** Waits for the connection, and turns Redis failures into TransientError naming the operation. */
  private async guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      await ensureRedisReady(this.client);
      return await fn();
    } catch (error) {
      if (error instanceof ApprovalRefusal) throw error;
      throw new TransientError(`safety store (redis) ${operation} failed: ${(error as Error).message}`, 'check that Redis at REDIS_URL is up', { cause: error });
    }
  }
}

function parseApproval(hash: Record<string, string> | null | undefined, now: number): PendingApproval | undefined {
  if (!hash || !hash.record) return undefined;
  const base = JSON.parse(hash.record) as PendingApproval;
  const approval: PendingApproval = { ...base, status: hash.status as ApprovalStatus };
  if (hash.decidedBy) approval.decidedBy = hash.decidedBy;
  if (hash.decidedAt) approval.decidedAt = Number(hash.decidedAt);
  if (hash.reason) approval.reason = hash.reason;
  return { ...approval, status: effectiveApprovalStatus(approval, now) };
}
