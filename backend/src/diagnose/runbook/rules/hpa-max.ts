import type { RunbookRule } from '../rule-types.js';
import { conditionOf, hpaOf } from '../hpa-facts.js';

/** The HPA is pinned at maxReplicas while it wants more. */
export const hpaMaxRule: RunbookRule = {
  id: 'hpa-max',
  class: 'autoscaling',
  diagnose(facts) {
    const hpa = hpaOf(facts);
    if (!hpa) return undefined;
    const max = Number(hpa.spec?.maxReplicas ?? 0);
    const current = Number(hpa.status?.currentReplicas ?? 0);
    const limited = conditionOf(hpa, 'ScalingLimited');
    if (!(current >= max && max > 0) || (limited && limited.status !== 'True')) return undefined;
    return {
      rootCause: `HorizontalPodAutoscaler ${hpa.metadata.name} is pinned at maxReplicas ${max} (current ${current}, desired ${hpa.status?.desiredReplicas ?? '?'}): ${facts.workload!.name} cannot scale further for its load`,
      confidence: 0.75,
      evidence: [
        { fact: `hpa ${hpa.metadata.name}: currentReplicas ${current}, desiredReplicas ${hpa.status?.desiredReplicas ?? '?'}, maxReplicas ${max}`, source: 'get_hpa_status' },
        ...(limited ? [{ fact: `ScalingLimited=${limited.status} ${limited.reason ?? ''}: ${String(limited.message ?? '').slice(0, 200)}`, source: 'get_hpa_status' }] : []),
      ],
      humanStep: `raise maxReplicas of ${hpa.metadata.name} if the cluster has room, or reduce the load`,
    };
  },
};
