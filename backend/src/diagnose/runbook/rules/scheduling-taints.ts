import type { RunbookRule } from '../rule-types.js';
import { partMatching, schedulerEvidence, schedulingFailure } from '../parse-scheduling.js';
import { nameOf, recreateStep } from '../rule-helpers.js';

/** Taints the pods do not tolerate (other than the cordon taint, which the cordon rule owns). */
export const schedulingTaintsRule: RunbookRule = {
  id: 'scheduling-taints',
  class: 'scheduling',
  diagnose(facts) {
    const failure = schedulingFailure(facts.pods, facts.events);
    const part = failure && partMatching(failure, /had (untolerated )?taints?\b/);
    if (!failure || !part || /node\.kubernetes\.io\/unschedulable/.test(part.text)) return undefined;
    // Resources short on some nodes make the taint only part of the story: the resources rule speaks then. A node
    // selector excluding the other nodes (checked first by its own rule when it matches none) leaves the taint as the cause.
    if (failure.parts.some((p) => /^Insufficient /.test(p.text))) return undefined;
    const taints = [...new Set(failure.parts.filter((p) => /taint/.test(p.text) && !/unschedulable/.test(p.text)).map((p) => /\{([^}]*)\}/.exec(p.text)?.[1] ?? p.text))];
    return {
      rootCause: `pods of ${nameOf(facts)} are Pending: ${part.count ?? 'the'} node(s) have taint ${taints.join(', ')} that the pods do not tolerate`,
      confidence: 0.8,
      evidence: [schedulerEvidence(failure), { fact: `tolerations of pod ${failure.pod.metadata.name}: ${JSON.stringify(failure.pod.spec?.tolerations ?? []).slice(0, 200)}`, source: 'get_pod_status' }],
      humanStep: recreateStep(facts, `a toleration for ${taints.join(', ')} if the pods belong on those nodes, or untainted capacity`),
    };
  },
};
