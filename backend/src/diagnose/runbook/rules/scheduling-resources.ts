import type { KubeObject } from '../../../domain/kube.js';
import { parseQuantity } from '../../../kube/quantity.js';
import { effectiveRequest } from '../../../kube/pod-requests.js';
import type { RunbookRule } from '../rule-types.js';
import { schedulerEvidence, schedulingFailure } from '../parse-scheduling.js';
import { nameOf } from '../rule-helpers.js';

/** Insufficient cpu, memory or an extended resource: which, how much one pod requests, the most any node has free. */
export const schedulingResourcesRule: RunbookRule = {
  id: 'scheduling-resources',
  class: 'scheduling',
  diagnose(facts) {
    const failure = schedulingFailure(facts.pods, facts.events);
    const parts = failure?.parts.filter((p) => /^Insufficient /.test(p.text)) ?? [];
    if (!failure || parts.length === 0) return undefined;
    const details = parts.map((p) => {
      const resource = p.text.replace(/^Insufficient /, '').trim();
      return { resource, count: p.count, requested: requestOf(failure.pod, resource), free: mostFree(facts, resource) };
    });
    const text = details.map((d) => `${d.resource} (${d.count ?? '?'} node(s) short; the pod requests ${d.requested ?? '?'}, the most free on any node is ${d.free ?? 'unknown'})`).join('; ');
    return {
      rootCause: `pods of ${nameOf(facts)} are Pending: insufficient ${details.map((d) => d.resource).join(' and ')} — ${text}`,
      confidence: 0.8,
      evidence: [schedulerEvidence(failure), ...details.map((d) => ({ fact: `${d.resource}: requested ${d.requested ?? '?'} per pod, most free on a node ${d.free ?? 'unknown'}`, source: 'check_node_capacity' }))],
      humanStep: `add capacity with ${details.map((d) => d.resource).join('/')} (or free some); the agent never lowers requests to make pods fit`,
    };
  },
};

/** The pod's effective request (init containers and native sidecars counted as the scheduler does), in readable units. */
function requestOf(pod: KubeObject, resource: string): string | undefined {
  const { amount, named } = effectiveRequest(pod.spec, resource);
  if (!named) return undefined;
  if (resource === 'cpu') return `${amount}m`;
  if (resource === 'memory') return `${amount}Mi`;
  return String(amount);
}

/** The most any schedulable node has free: allocatable minus what the pods on it request. */
function mostFree(facts: Parameters<RunbookRule['diagnose']>[0], resource: string): string | undefined {
  const nodes = (facts.nodes ?? []).filter((n) => n.ready && !n.cordoned);
  if (resource === 'cpu' && nodes.length) return `${Math.max(...nodes.map((n) => n.allocatable.cpuMillis - n.requested.cpuMillis))}m`;
  if (resource === 'memory' && nodes.length) return `${Math.max(...nodes.map((n) => n.allocatable.memoryMi - n.requested.memoryMi))}Mi`;
  if (resource === 'pods' && nodes.length) return String(Math.max(...nodes.map((n) => n.allocatable.pods - n.requested.pods)));
  const objects = facts.nodeObjects ?? [];
  const advertised = objects.map((o) => ({ name: o.metadata.name, allocatable: parseQuantity(o.status?.allocatable?.[resource]) ?? 0 }));
  if (advertised.length === 0) return undefined;
  if (advertised.every((a) => a.allocatable === 0)) return `0 (no node advertises ${resource})`;
  // With the pods' requests known (the capacity read of a Pending pod), free = allocatable - requested per node.
  if (nodes.length) {
    const free = nodes.map((n) => (advertised.find((a) => a.name === n.name)?.allocatable ?? 0) - (n.requestedOther?.[resource] ?? 0));
    const allocatable = Math.max(...advertised.map((a) => a.allocatable));
    return `${Math.max(0, ...free)} (of at most ${allocatable} allocatable, less what the pods on the node request)`;
  }
  return `${Math.max(...advertised.map((a) => a.allocatable))} allocatable (the pods' use unknown)`;
}
