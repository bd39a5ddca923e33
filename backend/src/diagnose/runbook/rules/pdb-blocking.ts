import type { RunbookRule } from '../rule-types.js';
import { selects } from '../pod-facts.js';

/** A PodDisruptionBudget that allows no disruption while a node hosting the pods is being drained (cordoned). */
export const pdbBlockingRule: RunbookRule = {
  id: 'pdb-blocking',
  class: 'disruption',
  diagnose(facts) {
    const pods = facts.pods;
    const pdb = (facts.pdbs ?? []).find((p) => Number(p.status?.disruptionsAllowed ?? 1) === 0 && pods.some((pod) => selects(p.spec?.selector?.matchLabels, pod.metadata.labels)));
    if (!pdb) return undefined;
    const draining = (facts.nodeObjects ?? []).filter((n) => n.spec?.unschedulable && pods.some((p) => p.spec?.nodeName === n.metadata.name));
    const evicting = (facts.events ?? []).some((e) => /disruption budget|Cannot evict/i.test(String(e.message ?? '')));
    if (draining.length === 0 && !evicting) return undefined;
    const bound = pdb.spec?.minAvailable !== undefined ? `minAvailable ${pdb.spec.minAvailable}` : `maxUnavailable ${pdb.spec?.maxUnavailable}`;
    return {
      rootCause: `PodDisruptionBudget ${pdb.metadata.name} (${bound}) allows 0 disruptions (${pdb.status?.currentHealthy ?? '?'} healthy, ${pdb.status?.desiredHealthy ?? '?'} required), so evicting pods from ${draining.map((n) => n.metadata.name).join(', ') || 'the node being drained'} is blocked`,
      confidence: 0.8,
      evidence: [
        { fact: `pdb ${pdb.metadata.name}: disruptionsAllowed 0, currentHealthy ${pdb.status?.currentHealthy}, desiredHealthy ${pdb.status?.desiredHealthy}, expectedPods ${pdb.status?.expectedPods}`, source: 'get_pdb' },
        ...draining.map((n) => ({
          fact: `node ${n.metadata.name} is cordoned (being drained) and still hosts ${pods.filter((p) => p.spec?.nodeName === n.metadata.name).map((p) => p.metadata.name).join(', ')}`,
          source: 'check_node_capacity',
        })),
      ],
      humanStep: `add replicas so the budget allows a disruption, or relax ${pdb.metadata.name} for the maintenance; the agent never deletes pods past a budget`,
    };
  },
};
