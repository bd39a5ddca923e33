import { describe, expect, it } from 'vitest';
import {
  acquireBreakerPermit,
  advanceBreaker,
  breakerScopeFor,
  initialBreakerState,
  recordBreakerOutcome,
} from '../../../backend/src/safety/breaker-policy.js';
import type { BreakerPolicy, BreakerState } from '../../../backend/src/safety/safety-store.js';

const policy: BreakerPolicy = { failureThreshold: 5, openMs: 300_000, halfOpenSuccesses: 2 };
const scope = 'cluster:prod';
const closed = (failures = 0): BreakerState => ({ ...initialBreakerState(scope), consecutiveFailures: failures });
const open = (openedAt: number): BreakerState => ({ scope, state: 'open', consecutiveFailures: 5, consecutiveSuccesses: 0, openedAt, trialInFlight: false });
const halfOpen = (extra: Partial<BreakerState> = {}): BreakerState => ({
  scope,
  state: 'half-open',
  consecutiveFailures: 5,
  consecutiveSuccesses: 0,
  openedAt: 0,
  trialInFlight: false,
  ...extra,
});

describe('recordBreakerOutcome', () => {
  const cases: Array<{ name: string; from: BreakerState; success: boolean; now: number; to: BreakerState['state']; failures?: number; successes?: number; transition?: string }> = [
    { name: 'closed + failure below threshold stays closed', from: closed(3), success: false, now: 1, to: 'closed', failures: 4 },
    { name: 'closed + 5th consecutive failure opens', from: closed(4), success: false, now: 1, to: 'open', failures: 5, transition: 'closed->open' },
    { name: 'closed + success resets the failure count', from: closed(4), success: true, now: 1, to: 'closed', failures: 0 },
    { name: 'open + late failure stays open', from: open(0), success: false, now: 10, to: 'open', failures: 6 },
    { name: 'open + late success stays open', from: open(0), success: true, now: 10, to: 'open' },
    { name: 'open + failure after the open period: half-open then reopened', from: open(0), success: false, now: 300_000, to: 'open', transition: 'half-open->open' },
    { name: 'half-open + first success stays half-open', from: halfOpen({ trialInFlight: true, trialStartedAt: 5 }), success: true, now: 10, to: 'half-open', successes: 1 },
    { name: 'half-open + second success closes', from: halfOpen({ consecutiveSuccesses: 1, trialInFlight: true }), success: true, now: 10, to: 'closed', failures: 0, successes: 0, transition: 'half-open->closed' },
    { name: 'half-open + failure reopens', from: halfOpen({ consecutiveSuccesses: 1, trialInFlight: true }), success: false, now: 10, to: 'open', successes: 0, transition: 'half-open->open' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const step = recordBreakerOutcome(c.from, c.success, policy, c.now);
      expect(step.state.state).toBe(c.to);
      if (c.failures !== undefined) expect(step.state.consecutiveFailures).toBe(c.failures);
      if (c.successes !== undefined) expect(step.state.consecutiveSuccesses).toBe(c.successes);
      const last = step.transitions.at(-1);
      expect(last ? `${last.from}->${last.to}` : undefined).toBe(c.transition);
    });
  }

  it('reopening restarts the open period at the failure time', () => {
    const step = recordBreakerOutcome(halfOpen({ trialInFlight: true }), false, policy, 42_000);
    expect(step.state.openedAt).toBe(42_000);
    expect(step.state.trialInFlight).toBe(false);
  });

  it('a success in half-open frees the trial slot for the next trial', () => {
    const step = recordBreakerOutcome(halfOpen({ trialInFlight: true, trialStartedAt: 1 }), true, policy, 2);
    expect(step.state.trialInFlight).toBe(false);
    expect(acquireBreakerPermit(step.state, policy, 3).allowed).toBe(true);
  });

  it('the threshold comes from the policy', () => {
    const strict = { ...policy, failureThreshold: 1 };
    expect(recordBreakerOutcome(closed(), false, strict, 0).state.state).toBe('open');
  });
});

describe('acquireBreakerPermit', () => {
  const cases: Array<{ name: string; from: BreakerState; now: number; allowed: boolean; to: BreakerState['state']; trial?: boolean }> = [
    { name: 'closed allows', from: closed(2), now: 0, allowed: true, to: 'closed' },
    { name: 'open refuses during the open period', from: open(1_000), now: 300_999, allowed: false, to: 'open' },
    { name: 'open half-opens when the period has elapsed and hands out the trial', from: open(1_000), now: 301_000, allowed: true, to: 'half-open', trial: true },
    { name: 'half-open with a free slot hands out the trial', from: halfOpen(), now: 5, allowed: true, to: 'half-open', trial: true },
    { name: 'half-open with the trial in flight refuses', from: halfOpen({ trialInFlight: true, trialStartedAt: 5 }), now: 6, allowed: false, to: 'half-open', trial: true },
    { name: 'a trial never reported frees its slot after openMs', from: halfOpen({ trialInFlight: true, trialStartedAt: 5 }), now: 300_005, allowed: true, to: 'half-open', trial: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const step = acquireBreakerPermit(c.from, policy, c.now);
      expect(step.allowed).toBe(c.allowed);
      expect(step.state.state).toBe(c.to);
      if (c.trial !== undefined) expect(step.state.trialInFlight).toBe(c.trial);
    });
  }

  it('only one of two back-to-back acquires in half-open gets the trial', () => {
    const first = acquireBreakerPermit(halfOpen(), policy, 1);
    const second = acquireBreakerPermit(first.state, policy, 2);
    expect([first.allowed, second.allowed]).toEqual([true, false]);
  });

  it('records the open→half-open transition it caused', () => {
    const step = acquireBreakerPermit(open(0), policy, 300_000);
    expect(step.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['open->half-open']);
  });
});

describe('advanceBreaker and scopes', () => {
  it('leaves closed and unexpired open breakers alone', () => {
    expect(advanceBreaker(closed(1), policy, 1e12).transitions).toEqual([]);
    expect(advanceBreaker(open(10), policy, 300_009).state.state).toBe('open');
  });

  it.each([
    ['cluster', 'prod', 'shop', 'cluster:prod'],
    ['namespace', 'prod', 'shop', 'namespace:prod/shop'],
    ['namespace', 'prod', undefined, 'cluster:prod'],
  ] as const)('scope %s for %s/%s is %s', (kind, cluster, ns, expected) => {
    expect(breakerScopeFor(kind, cluster, ns)).toBe(expected);
  });
});
