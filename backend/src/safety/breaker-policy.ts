// The circuit breaker's transition rules, pure. Both SafetyStore adapters run exactly these functions:
// the in-process one directly, the Redis one inside a WATCH/MULTI transaction (see redis-breaker.ts).
//
//   closed ──N consecutive failures──▶ open ──openMs elapsed──▶ half-open ──M consecutive successes──▶ closed
//                                       ▲                          │
//                                       └──────── any failure ─────┘
// Half-open hands out ONE trial slot at a time; each reported success frees the slot for the next trial.

import type { BreakerPolicy, BreakerState, BreakerTransition } from './safety-store.js';

export interface BreakerStep {
  state: BreakerState;
  /** Transitions this step caused, oldest first (a timed open→half-open may precede another). */
  transitions: BreakerTransition[];
}

/** A fresh breaker: closed, no history. */
export function initialBreakerState(scope: string): BreakerState {
  return { scope, state: 'closed', consecutiveFailures: 0, consecutiveSuccesses: 0 };
}

/** Applies the passage of time: an open breaker whose open period has elapsed becomes half-open. */
export function advanceBreaker(current: BreakerState, policy: BreakerPolicy, now: number): BreakerStep {
  if (current.state === 'open' && current.openedAt !== undefined && now >= current.openedAt + policy.openMs) {
    const state: BreakerState = {
      scope: current.scope,
      state: 'half-open',
      consecutiveFailures: current.consecutiveFailures,
      consecutiveSuccesses: 0,
      openedAt: current.openedAt,
      trialInFlight: false,
    };
    return { state, transitions: [transition(current, 'half-open', `open for ${Math.round(policy.openMs / 1000)} s; allowing one trial action`)] };
  }
  return { state: current, transitions: [] };
}

/** May an automatic action run now? In half-open this takes the single trial slot. */
export function acquireBreakerPermit(current: BreakerState, policy: BreakerPolicy, now: number): BreakerStep & { allowed: boolean } {
  const advanced = advanceBreaker(current, policy, now);
  const state = advanced.state;
  if (state.state === 'closed') return { ...advanced, allowed: true };
  if (state.state === 'open') return { ...advanced, allowed: false };
  // A trial handed out but never reported (its worker died) must not wedge the breaker forever.
  const trialStale = state.trialInFlight === true && (state.trialStartedAt === undefined || now >= state.trialStartedAt + policy.openMs);
  if (state.trialInFlight && !trialStale) return { ...advanced, allowed: false };
  return { state: { ...state, trialInFlight: true, trialStartedAt: now }, transitions: advanced.transitions, allowed: true };
}

/** Records a failed (false) or successful (true) action outcome. */
export function recordBreakerOutcome(current: BreakerState, success: boolean, policy: BreakerPolicy, now: number): BreakerStep {
  const advanced = advanceBreaker(current, policy, now);
  const state = advanced.state;
  const transitions = [...advanced.transitions];

  if (state.state === 'closed') {
    if (success) return { state: { ...state, consecutiveFailures: 0, consecutiveSuccesses: 0 }, transitions };
    const failures = state.consecutiveFailures + 1;
    if (failures >= policy.failureThreshold) {
      transitions.push(transition(state, 'open', `${failures} consecutive failures (threshold ${policy.failureThreshold})`));
      return { state: openState(state, failures, now), transitions };
    }
    return { state: { ...state, consecutiveFailures: failures, consecutiveSuccesses: 0 }, transitions };
  }

  if (state.state === 'open') {
    // A late report from an action that started before the breaker opened: counted, but it neither closes the
    // breaker nor extends the open period.
    return { state: success ? state : { ...state, consecutiveFailures: state.consecutiveFailures + 1 }, transitions };
  }

  // half-open
  if (!success) {
    transitions.push(transition(state, 'open', 'trial action failed in half-open'));
    return { state: openState(state, state.consecutiveFailures + 1, now), transitions };
  }
  const successes = state.consecutiveSuccesses + 1;
  if (successes >= policy.halfOpenSuccesses) {
    transitions.push(transition(state, 'closed', `${successes} consecutive successful trial actions`));
    return { state: initialBreakerState(state.scope), transitions };
  }
  return { state: { ...state, consecutiveSuccesses: successes, trialInFlight: false, trialStartedAt: undefined }, transitions };
}

/** The scope a breaker guards: `cluster:<name>` by default, or `namespace:<cluster>/<ns>`. */
export function breakerScopeFor(kind: 'cluster' | 'namespace', cluster: string, namespace?: string): string {
  if (kind === 'namespace' && namespace) return `namespace:${cluster}/${namespace}`;
  return `cluster:${cluster}`;
}

/** The BreakerPolicy the config describes. */
export function breakerPolicyFromConfig(config: {
  BREAKER_FAILURE_THRESHOLD: number;
  BREAKER_OPEN_SECONDS: number;
  BREAKER_HALF_OPEN_SUCCESSES: number;
}): BreakerPolicy {
  return {
    failureThreshold: config.BREAKER_FAILURE_THRESHOLD,
    openMs: config.BREAKER_OPEN_SECONDS * 1000,
    halfOpenSuccesses: config.BREAKER_HALF_OPEN_SUCCESSES,
  };
}

function openState(state: BreakerState, failures: number, now: number): BreakerState {
  return { scope: state.scope, state: 'open', consecutiveFailures: failures, consecutiveSuccesses: 0, openedAt: now, trialInFlight: false };
}

function transition(from: BreakerState, to: BreakerTransition['to'], reason: string): BreakerTransition {
  return { scope: from.scope, from: from.state, to, reason };
}
