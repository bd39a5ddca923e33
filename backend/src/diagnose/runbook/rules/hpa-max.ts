import type { KubeObject } from '../../../domain/kube.js';
import type { RunbookRule } from '../rule-types.js';
import { conditionOf, hpaOf } from '../hpa-facts.js';

interface MetricSpec {
  type?: string;
  resource?: { name?: string; target?: { averageUtilization?: number; averageValue?: string } };
}
interface MetricStatus {
  type?: string;
  resource?: { name?: string; current?: { averageUtilization?: number; averageValue?: string } };
}

/** "cpu at 250% of request against a 50% target": the resource metrics the HPA reports beside their targets. */
function loadOf(hpa: KubeObject): string | undefined {
  const targets = (hpa.spec?.metrics as MetricSpec[] | undefined) ?? [];
  const parts = ((hpa.status?.currentMetrics as MetricStatus[] | undefined) ?? []).flatMap((m) => {
    const name = m.resource?.name;
    if (m.type !== 'Resource' || !name) return [];
    const target = targets.find((t) => t.type === 'Resource' && t.resource?.name === name)?.resource?.target;
    const current = m.resource?.current;
    if (current?.averageUtilization !== undefined && target?.averageUtilization !== undefined) return [`${name} at ${current.averageUtilization}% of request against a ${target.averageUtilization}% target`];
    if (current?.averageValue !== undefined && target?.averageValue !== undefined) return [`${name} at ${current.averageValue} per pod against a ${target.averageValue} target`];
    return [];
  });
  return parts.length ? parts.join(', ') : undefined;
}

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
    const load = loadOf(hpa);
    return {
      rootCause: `HorizontalPodAutoscaler ${hpa.metadata.name} is pinned at maxReplicas ${max} (current ${current}, desired ${hpa.status?.desiredReplicas ?? '?'}): ${facts.workload!.name} cannot scale further for its load${load ? ` (${load})` : ''}`,
      confidence: 0.75,
      evidence: [
        { fact: `hpa ${hpa.metadata.name}: currentReplicas ${current}, desiredReplicas ${hpa.status?.desiredReplicas ?? '?'}, maxReplicas ${max}`, source: 'get_hpa_status' },
        ...(limited ? [{ fact: `ScalingLimited=${limited.status} ${limited.reason ?? ''}: ${String(limited.message ?? '').slice(0, 200)}`, source: 'get_hpa_status' }] : []),
      ],
      // Raising the maximum is a capacity decision (cost, the cluster's room, what the load is): never the agent's guess.
      humanStep: `raise maxReplicas of ${hpa.metadata.name} if the cluster has room, or reduce the load; the agent changes no autoscaling limit`,
    };
  },
};
