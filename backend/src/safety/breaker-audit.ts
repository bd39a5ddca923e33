import type { AuditSink } from '../domain/ports.js';
import type { BreakerPolicy, BreakerTransition, SafetyStore } from './safety-store.js';

export interface BreakerAuditDeps {
  store: SafetyStore;
  audit: AuditSink;
  policy: BreakerPolicy;
  now: () => number;
  /** Called on every transition (e.g. to set the oncall_circuit_breaker_open gauge). */
  onTransition?: (transition: BreakerTransition) => void;
}

/**
 * Records an action's outcome (a failed execution or failed verification is `false`) and writes a
 * breaker.transition audit record when the breaker changes state.
 */
export async function recordBreakerOutcomeAudited(
  deps: BreakerAuditDeps,
  scope: string,
  success: boolean,
  incidentId?: string,
): Promise<BreakerTransition | undefined> {
  const now = deps.now();
  const transition = await deps.store.recordBreakerOutcome(scope, success, deps.policy, now);
  if (transition) {
    deps.onTransition?.(transition);
    await deps.audit.write({
      ts: new Date(now).toISOString(),
      type: 'breaker.transition',
      actor: 'agent',
      ...(incidentId ? { incidentId } : {}),
      data: { scope: transition.scope, from: transition.from, to: transition.to, reason: transition.reason },
    });
  }
  return transition;
}
