import type { RunbookRule } from '../rule-types.js';
import { planRollback, rollbackActions } from '../plan-rollback.js';

const FAILING = /CrashLoopBackOff|Error|Completed|ContainerCannotRun|StartError|RunContainerError|ImagePullBackOff|ErrImagePull|InvalidImageName|ErrImageNeverPull|OOMKilled/;

/**
 * The newest revision's pods fail (as the revision history reports them) while an earlier revision is known good, and
 * no more specific rule read the failure from the pods themselves: roll back.
 */
export const rolloutRegressionRule: RunbookRule = {
  id: 'rollout-regression',
  class: 'rollout',
  diagnose(facts, settings) {
    const [newest] = facts.history;
    const w = facts.workload;
    if (!w || !newest || !newest.podReasons.some((r) => FAILING.test(r))) return undefined;
    const plan = planRollback(facts);
    if (!plan) return undefined;
    const kind = newest.podReasons.some((r) => /Image/.test(r)) ? 'an image pull failure' : 'a crash loop';
    return {
      rootCause: `revision ${plan.from} of ${w.name} introduced ${kind} (${newest.podReasons.join(', ')}); revision ${plan.revision} ${plan.confidence >= 0.9 ? 'was healthy' : 'ran before it'}`,
      confidence: plan.confidence,
      evidence: plan.evidence,
      action: rollbackActions(facts, w, settings, plan),
    };
  },
};
