import type { KubeObject } from '../../domain/kube.js';
import type { Evidence } from '../../domain/proposal.js';
import { sumRequests, type NodeCapacity } from '../../tools/check-node-capacity.js';
import { isUnschedulable } from './pod-facts.js';

export type UncordonPlan = { ok: true; node: string; evidence: Evidence[] } | { ok: false; reason: string; evidence: Evidence[] };

/** Would the node take the pod if it were not cordoned: ready, selector, free room, no other NoSchedule taint. */
function fits(pod: KubeObject, node: NodeCapacity): boolean {
  if (!node.ready) return false;
  const selector = (pod.spec?.nodeSelector as Record<string, string>) ?? {};
  if (!Object.entries(selector).every(([k, v]) => node.labels?.[k] === v)) return false;
  const tolerations = (pod.spec?.tolerations as Array<{ key?: string; operator?: string }>) ?? [];
  const blocking = node.taints.filter((t) => !t.startsWith('node.kubernetes.io/unschedulable') && /:(NoSchedule|NoExecute)$/.test(t));
  if (blocking.some((t) => !tolerations.some((tol) => tol.operator === 'Exists' && !tol.key) && !tolerations.some((tol) => tol.key && t.startsWith(tol.key)))) {
    return false;
  }
  const req = sumRequests([pod]);
  return (
    node.allocatable.cpuMillis - node.requested.cpuMillis >= req.cpuMillis &&
    node.allocatable.memoryMi - node.requested.memoryMi >= req.memoryMi &&
    (node.allocatable.pods === 0 || node.requested.pods < node.allocatable.pods)
  );
}

/** Uncordon only when every node that fits the pending pods is cordoned; pick the one cordoned most recently. */
export function planUncordon(pods: KubeObject[], nodes: NodeCapacity[]): UncordonPlan {
  const pending = pods.filter(isUnschedulable);
  const evidence: Evidence[] = [{ fact: `${pending.length} pod(s) Pending with PodScheduled=False reason Unschedulable`, source: 'list_pods' }];
  if (pending.length === 0) return { ok: false, reason: 'no pod is Pending as unschedulable', evidence };
  const sample = pending[0];
  const fitting = nodes.filter((n) => fits(sample, n));
  const cordoned = fitting.filter((n) => n.cordoned);
  evidence.push({
    fact: `${nodes.length} node(s); ${fitting.length} would fit the pod; cordoned among them: ${cordoned.map((n) => n.name).join(', ') || 'none'}`,
    source: 'check_node_capacity',
  });
  if (fitting.length === 0) return { ok: false, reason: 'no node has room for the pending pods even if uncordoned: capacity must be added', evidence };
  if (cordoned.length < fitting.length) {
    return { ok: false, reason: 'some schedulable node fits the pending pods, so cordoning is not the cause; a human should look', evidence };
  }
  // Most recently cordoned first; nodes without a recorded time sort last, then by name for determinism.
  const [chosen] = [...cordoned].sort((a, b) => (b.cordonedAt ?? '').localeCompare(a.cordonedAt ?? '') || a.name.localeCompare(b.name));
  evidence.push({ fact: `node ${chosen.name} was cordoned${chosen.cordonedAt ? ` at ${chosen.cordonedAt}` : ''} (most recent)`, source: 'check_node_capacity' });
  return { ok: true, node: chosen.name, evidence };
}
