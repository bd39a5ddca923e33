import type { RunbookRule } from '../rule-types.js';
import { planUncordon } from '../unschedulable-rule.js';
import { isUnschedulable } from '../pod-facts.js';
import { nameOf } from '../rule-helpers.js';

/** Pending and unschedulable, and no more specific predicate explained it: the capacity summary, as before. */
export const schedulingUnexplainedRule: RunbookRule = {
  id: 'scheduling-unexplained',
  class: 'scheduling',
  diagnose(facts) {
    if (!facts.nodes || !facts.pods.some(isUnschedulable)) return undefined;
    const plan = planUncordon(facts.pods, facts.nodes);
    const why = plan.ok ? '' : plan.reason;
    return {
      rootCause: `pods of ${nameOf(facts)} are Pending as unschedulable: ${why || 'the scheduler found no node'}`,
      confidence: 0.6,
      evidence: plan.evidence,
      humanStep: why.includes('capacity') ? 'add capacity; the agent never lowers requests to fit' : 'read the FailedScheduling events of the pods',
    };
  },
};
