import type { RunbookRule } from '../rule-types.js';
import { planUncordon } from '../unschedulable-rule.js';
import { isUnschedulable } from '../pod-facts.js';
import { nameOf } from '../rule-helpers.js';

/** Above SKIP_BELOW_CONFIDENCE (0.7), below YOLO_MIN_CONFIDENCE (0.8): proposed, never run without a human by default. */
export const UNCORDON_CONFIDENCE = 0.75;

/** Every node that would fit the pending pods is cordoned: uncordon the most recently cordoned one. */
export const schedulingCordonedRule: RunbookRule = {
  id: 'scheduling-cordoned',
  class: 'scheduling',
  diagnose(facts) {
    if (!facts.nodes || !facts.pods.some(isUnschedulable)) return undefined;
    const plan = planUncordon(facts.pods, facts.nodes);
    if (!plan.ok) return undefined;
    const w = facts.workload;
    const selector = w?.selector ?? facts.target.selector;
    // A cordon is a human's decision (maintenance, a bad node), and undoing it opens the node to every pending pod:
    // the confidence stays below YOLO_MIN_CONFIDENCE, so YOLO asks a human rather than uncordon on its own.
    return {
      rootCause: `pods of ${nameOf(facts)} are Pending: every node that fits them is cordoned (${plan.node} most recently)`,
      confidence: UNCORDON_CONFIDENCE,
      evidence: plan.evidence,
      action: {
        command: `kubectl uncordon ${plan.node}`,
        description: `Uncordon ${plan.node}, the most recently cordoned node that fits the pending pods (someone cordoned it: a human confirms)`,
        confidence: UNCORDON_CONFIDENCE,
        expectedEffect: `the pending pods of ${w?.name ?? 'the workload'} are scheduled on ${plan.node} and become ready`,
        postconditions: selector
          ? [{ type: 'podsReady', namespace: facts.target.namespace, selector, minReady: Math.max(1, Number(w?.object.spec?.replicas ?? 1)) }]
          : [{ type: 'nodeSchedulable', node: plan.node }],
      },
    };
  },
};
