import { podReason } from '../../../tools/pod-summary.js';
import type { RunbookRule } from '../rule-types.js';
import { nameOf } from '../rule-helpers.js';

/** The last resort before "unknown": the pods fail for a reason no specific rule explains; say what they show. */
export const podsFailingRule: RunbookRule = {
  id: 'pods-failing',
  class: 'crash',
  diagnose(facts) {
    const failing = facts.pods.map((p) => ({ p, r: podReason(p) })).filter((x): x is { p: typeof x.p; r: string } => Boolean(x.r));
    if (failing.length === 0) return undefined;
    const reasons = [...new Set(failing.map((x) => x.r))];
    return {
      rootCause: `pods of ${nameOf(facts)} are failing (${reasons.join(', ')}) for a reason the runbook cannot name`,
      confidence: 0.5,
      evidence: failing.slice(0, 3).map(({ p, r }) => ({ fact: `pod ${p.metadata.name}: ${r}`, source: 'get_pod_status' })),
      humanStep: 'read the pods\' events and logs',
    };
  },
};
