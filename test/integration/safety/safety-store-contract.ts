// One behavioural contract, run against both SafetyStore adapters (memory-safety-store.test.ts and
// redis-safety-store.test.ts), so the in-process default cannot drift from the Redis one.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ApprovalRefusal } from '../../../backend/src/safety/approval-errors.js';
import { computePlanHash } from '../../../backend/src/safety/plan-hash.js';
import type { BreakerPolicy, PendingApproval, SafetyStore } from '../../../backend/src/safety/safety-store.js';

export interface ContractHarness {
  /** A fresh, empty store (a new key prefix for Redis). */
  create(): Promise<SafetyStore>;
}

const policy: BreakerPolicy = { failureThreshold: 5, openMs: 300_000, halfOpenSuccesses: 2 };
const T0 = 1_700_000_000_000;

/** Polls until `check` holds or the deadline passes; never asserts on timing. */
async function eventually(check: () => Promise<boolean>, deadlineMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

function approval(overrides: Partial<PendingApproval> = {}): PendingApproval {
  const commands = ['kubectl rollout undo deployment/web -n shop', 'kubectl scale deployment/web --replicas=3 -n shop'];
  return {
    id: `apr-${randomUUID()}`,
    incidentId: 'INC1',
    planHash: computePlanHash('INC1', commands),
    commands,
    createdAt: T0,
    expiresAt: T0 + 3_600_000,
    status: 'pending',
    payload: { proposal: { summary: 'roll back', actions: [] }, tags: [] },
    ...overrides,
  };
}

export function describeSafetyStoreContract(name: string, harness: ContractHarness): void {
  describe(`SafetyStore contract: ${name}`, () => {
    let store: SafetyStore;
    beforeEach(async () => {
      store = await harness.create();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('circuit breaker', () => {
      const scope = 'cluster:prod';

      it('opens after 5 consecutive failures and refuses permits while open', async () => {
        for (let i = 0; i < 4; i += 1) expect(await store.recordBreakerOutcome(scope, false, policy, T0 + i)).toBeUndefined();
        expect((await store.getBreaker(scope, policy, T0 + 4)).state).toBe('closed');
        const opened = await store.recordBreakerOutcome(scope, false, policy, T0 + 5);
        expect(opened).toMatchObject({ scope, from: 'closed', to: 'open' });
        expect((await store.acquireBreakerPermit(scope, policy, T0 + 6)).allowed).toBe(false);
      });

      it('a success between failures resets the count', async () => {
        for (let i = 0; i < 4; i += 1) await store.recordBreakerOutcome(scope, false, policy, T0 + i);
        await store.recordBreakerOutcome(scope, true, policy, T0 + 5);
        for (let i = 0; i < 4; i += 1) await store.recordBreakerOutcome(scope, false, policy, T0 + 10 + i);
        expect((await store.getBreaker(scope, policy, T0 + 20)).state).toBe('closed');
      });

      it('half-opens after the open period, hands out exactly one trial under concurrency, and closes after 2 successes', async () => {
        for (let i = 0; i < 5; i += 1) await store.recordBreakerOutcome(scope, false, policy, T0);
        const later = T0 + policy.openMs;
        expect((await store.getBreaker(scope, policy, later)).state).toBe('half-open');

        const permits = await Promise.all(Array.from({ length: 25 }, () => store.acquireBreakerPermit(scope, policy, later)));
        expect(permits.filter((p) => p.allowed)).toHaveLength(1);

        expect(await store.recordBreakerOutcome(scope, true, policy, later + 1)).toBeUndefined();
        // The first success frees the slot for exactly one next trial.
        const next = await Promise.all(Array.from({ length: 10 }, () => store.acquireBreakerPermit(scope, policy, later + 2)));
        expect(next.filter((p) => p.allowed)).toHaveLength(1);
        expect(await store.recordBreakerOutcome(scope, true, policy, later + 3)).toMatchObject({ from: 'half-open', to: 'closed' });
        expect((await store.acquireBreakerPermit(scope, policy, later + 4)).allowed).toBe(true);
      });

      it('a failure in half-open reopens', async () => {
        for (let i = 0; i < 5; i += 1) await store.recordBreakerOutcome(scope, false, policy, T0);
        const later = T0 + policy.openMs;
        expect((await store.acquireBreakerPermit(scope, policy, later)).allowed).toBe(true);
        expect(await store.recordBreakerOutcome(scope, false, policy, later + 1)).toMatchObject({ from: 'half-open', to: 'open' });
        expect((await store.acquireBreakerPermit(scope, policy, later + 2)).allowed).toBe(false);
        expect((await store.getBreaker(scope, policy, later + 1 + policy.openMs)).state).toBe('half-open');
      });

      it('scopes are independent and listed', async () => {
        for (let i = 0; i < 5; i += 1) await store.recordBreakerOutcome('namespace:prod/shop', false, policy, T0);
        await store.recordBreakerOutcome('cluster:prod', false, policy, T0);
        expect((await store.acquireBreakerPermit('namespace:prod/billing', policy, T0)).allowed).toBe(true);
        expect((await store.acquireBreakerPermit('namespace:prod/shop', policy, T0)).allowed).toBe(false);
        const listed = await store.listBreakers(policy, T0);
        expect(listed.find((b) => b.scope === 'namespace:prod/shop')?.state).toBe('open');
        expect(listed.find((b) => b.scope === 'cluster:prod')).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
      });
    });

    describe('locks', () => {
      it('are exclusive, and only the owner releases', async () => {
        const results = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => store.acquireLock('deploy/shop/web', owner, 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = ['a', 'b', 'c', 'd'][results.indexOf(true)];
        const loser = winner === 'a' ? 'b' : 'a';
        expect(await store.getLockOwner('deploy/shop/web')).toBe(winner);
        await store.releaseLock('deploy/shop/web', loser);
        expect(await store.acquireLock('deploy/shop/web', loser, 60_000)).toBe(false);
        await store.releaseLock('deploy/shop/web', winner);
        expect(await store.getLockOwner('deploy/shop/web')).toBeUndefined();
        expect(await store.acquireLock('deploy/shop/web', loser, 60_000)).toBe(true);
      });

      it('expire after their TTL', async () => {
        expect(await store.acquireLock('deploy/shop/api', 'crashed-worker', 50)).toBe(true);
        expect(await eventually(() => store.acquireLock('deploy/shop/api', 'next-worker', 60_000))).toBe(true);
      });
    });

    it('cooldowns hold until their time', async () => {
      expect(await store.getCooldown('deploy/shop/web', T0)).toBeUndefined();
      await store.setCooldown('deploy/shop/web', T0 + 300_000);
      expect(await store.getCooldown('deploy/shop/web', T0 + 1)).toBe(T0 + 300_000);
      expect(await store.getCooldown('deploy/shop/web', T0 + 300_000)).toBeUndefined();
      expect(await store.getCooldown('deploy/shop/other', T0 + 1)).toBeUndefined();
    });

    it('a cooldown remembers the incident that started it, for as long as it holds', async () => {
      await store.setCooldown('deploy/shop/by', T0 + 300_000, 'PINC1');
      expect(await store.getCooldownSetBy('deploy/shop/by', T0 + 1)).toBe('PINC1');
      expect(await store.getCooldownSetBy('deploy/shop/by', T0 + 300_000)).toBeUndefined();
      // A later cooldown without a setter does not keep naming the earlier incident.
      await store.setCooldown('deploy/shop/by', T0 + 600_000);
      expect(await store.getCooldownSetBy('deploy/shop/by', T0 + 1)).toBeUndefined();
    });

    it('the rate window admits at most `limit` per window, sliding', async () => {
      const window = 300_000;
      const taken = [];
      for (let i = 0; i < 12; i += 1) taken.push(await store.takeRateSlot('cluster:prod', 10, window, T0 + i * 1000));
      expect(taken.map((t) => t.allowed)).toEqual([...Array(10).fill(true), false, false]);
      expect(taken[9].used).toBe(10);
      // The first slot (T0) leaves the window at T0 + window; one more fits then, not two.
      expect((await store.takeRateSlot('cluster:prod', 10, window, T0 + window)).allowed).toBe(true);
      expect((await store.takeRateSlot('cluster:prod', 10, window, T0 + window)).allowed).toBe(false);
      const parallel = await Promise.all(Array.from({ length: 15 }, () => store.takeRateSlot('cluster:other', 10, window, T0)));
      expect(parallel.filter((p) => p.allowed)).toHaveLength(10);
    });

    it('the incident cap admits at most `max` actions, even concurrently', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.takeIncidentActionSlot('INC9', 3)));
      expect(results.filter((r) => r.allowed)).toHaveLength(3);
      expect((await store.takeIncidentActionSlot('INC9', 3)).allowed).toBe(false);
      expect((await store.takeIncidentActionSlot('INC10', 3)).used).toBe(1);
    });

    it('markOnce is true once per key until its TTL', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => store.markOnce('exec:INC1:0', 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.markOnce('exec:INC1:1', 60_000)).toBe(true);
      expect(await store.isMarked('exec:INC1:1')).toBe(true);
      expect(await store.isMarked('exec:INC1:2')).toBe(false);
      expect(await store.markOnce('exec:INC1:2', 60_000)).toBe(true); // isMarked marks nothing
      expect(await store.markOnce('short', 50)).toBe(true);
      expect(await eventually(() => store.markOnce('short', 60_000))).toBe(true);
    });

    describe('approvals', () => {
      it('round-trips the record, payload included', async () => {
        const a = approval();
        await store.putApproval(a);
        expect(await store.getApproval(a.id, T0)).toEqual(a);
        expect(await store.getApproval('apr-missing', T0)).toBeUndefined();
      });

      it('approve works once; the second decision is refused', async () => {
        const a = approval();
        await store.putApproval(a);
        const decided = await Promise.allSettled([
          store.decideApproval(a.id, 'approved', 'alice', a.planHash, T0 + 1),
          store.decideApproval(a.id, 'approved', 'bob', a.planHash, T0 + 1),
          store.decideApproval(a.id, 'denied', 'carol', a.planHash, T0 + 1),
        ]);
        expect(decided.filter((d) => d.status === 'fulfilled')).toHaveLength(1);
        for (const d of decided) if (d.status === 'rejected') expect(d.reason).toMatchObject({ code: 'not-pending' });
        const stored = await store.getApproval(a.id, T0 + 2);
        expect(stored?.status).not.toBe('pending');
        expect(['alice', 'bob', 'carol']).toContain(stored?.decidedBy);
        expect(stored?.decidedAt).toBe(T0 + 1);
      });

      it('refuses a changed plan hash and leaves the approval pending', async () => {
        const a = approval();
        await store.putApproval(a);
        const changed = computePlanHash('INC1', [...a.commands, 'kubectl delete pod web-1 -n shop']);
        await expect(store.decideApproval(a.id, 'approved', 'alice', changed, T0 + 1)).rejects.toMatchObject({ code: 'plan-changed' });
        expect((await store.getApproval(a.id, T0 + 1))?.status).toBe('pending');
      });

      it('refuses an expired approval and reports it as expired', async () => {
        const a = approval({ expiresAt: T0 + 1000 });
        await store.putApproval(a);
        await expect(store.decideApproval(a.id, 'approved', 'alice', a.planHash, T0 + 1000)).rejects.toBeInstanceOf(ApprovalRefusal);
        expect((await store.getApproval(a.id, T0 + 1000))?.status).toBe('expired');
        expect((await store.listApprovals(T0 + 1000, 'expired')).map((x) => x.id)).toEqual([a.id]);
        expect(await store.listApprovals(T0 + 1000, 'pending')).toEqual([]);
      });

      it('deny records who and why; unknown ids are refused', async () => {
        const a = approval();
        await store.putApproval(a);
        const denied = await store.decideApproval(a.id, 'denied', 'bob', a.planHash, T0 + 5, 'not during the sale');
        expect(denied).toMatchObject({ status: 'denied', decidedBy: 'bob', reason: 'not during the sale' });
        await expect(store.decideApproval('apr-nope', 'approved', 'bob', a.planHash, T0)).rejects.toMatchObject({ code: 'not-found' });
      });

      it('cancel takes a pending approval out of the pending list for good: never expired, never decided after', async () => {
        const a = approval({ expiresAt: T0 + 1000 });
        await store.putApproval(a);
        const cancelled = await store.decideApproval(a.id, 'cancelled', 'PagerDuty (incident resolved)', a.planHash, T0 + 5, 'incident INC1 was resolved in PagerDuty');
        expect(cancelled).toMatchObject({ status: 'cancelled', decidedBy: 'PagerDuty (incident resolved)', decidedAt: T0 + 5 });
        expect(await store.listApprovals(T0 + 10, 'pending')).toEqual([]);
        // Past its expiry it stays cancelled: the expiry sweep (which lists 'expired') never sees it.
        expect((await store.getApproval(a.id, T0 + 2000))?.status).toBe('cancelled');
        expect(await store.listApprovals(T0 + 2000, 'expired')).toEqual([]);
        expect((await store.listApprovals(T0 + 2000, 'cancelled')).map((x) => x.id)).toEqual([a.id]);
        await expect(store.decideApproval(a.id, 'approved', 'alice', a.planHash, T0 + 6)).rejects.toMatchObject({ code: 'not-pending', message: expect.stringMatching(/cancelled \(its incident was resolved/) });
        await expect(store.decideApproval(a.id, 'cancelled', 'agent', a.planHash, T0 + 6)).rejects.toMatchObject({ code: 'not-pending' });
      });

      it('lists in creation order, filtered by status', async () => {
        const first = approval({ createdAt: T0 });
        const second = approval({ createdAt: T0 + 10 });
        await store.putApproval(second);
        await store.putApproval(first);
        await store.decideApproval(second.id, 'denied', 'bob', second.planHash, T0 + 20);
        expect((await store.listApprovals(T0 + 30)).map((x) => x.id)).toEqual([first.id, second.id]);
        expect((await store.listApprovals(T0 + 30, 'pending')).map((x) => x.id)).toEqual([first.id]);
      });
    });

    it('kill switch round-trips', async () => {
      expect((await store.getKillSwitch()).paused).toBe(false);
      await store.setKillSwitch({ paused: true, by: 'alice', reason: 'bad deploy', since: T0 });
      expect(await store.getKillSwitch()).toEqual({ paused: true, by: 'alice', reason: 'bad deploy', since: T0 });
      await store.setKillSwitch({ paused: false, by: 'alice', since: T0 + 1 });
      expect((await store.getKillSwitch()).paused).toBe(false);
    });
  });
}
