import type { RunbookRule } from '../rule-types.js';
import { partMatching, schedulerEvidence, schedulingFailure } from '../parse-scheduling.js';
import { nameOf } from '../rule-helpers.js';

/** Required pod anti-affinity over a topology with fewer domains than replicas. */
export const schedulingAntiAffinityRule: RunbookRule = {
  id: 'scheduling-anti-affinity',
  class: 'scheduling',
  diagnose(facts) {
    const failure = schedulingFailure(facts.pods, facts.events);
    if (!failure || !partMatching(failure, /anti-affinity/)) return undefined;
    const terms = (failure.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution as Array<{ topologyKey?: string }>) ?? [];
    const key = terms[0]?.topologyKey ?? 'kubernetes.io/hostname';
    const domains = new Set((facts.nodeObjects ?? []).filter((n) => !n.spec?.unschedulable).map((n) => n.metadata.labels?.[key]).filter(Boolean)).size;
    const replicas = Number(facts.workload?.object.spec?.replicas ?? facts.pods.length);
    return {
      rootCause: `pods of ${nameOf(facts)} are Pending: required pod anti-affinity on ${key} needs ${replicas} distinct domains but the schedulable nodes offer ${domains}`,
      confidence: 0.8,
      evidence: [schedulerEvidence(failure), { fact: `topologyKey ${key}: ${domains} distinct value(s) among schedulable nodes; ${replicas} replicas wanted`, source: 'check_node_capacity' }],
      humanStep: `add nodes in more ${key} domains, make the anti-affinity preferred, or run fewer replicas`,
    };
  },
};
