import type { KubeObject } from '../../../domain/kube.js';
import { cpuMillis, memoryMi, parseQuantity } from '../../../kube/quantity.js';
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

function requestOf(pod: KubeObject, resource: string): string | undefined {
  const values = ((pod.spec?.containers as Array<{ resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }>) ?? [])
    .map((c) => c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource])
    .filter((v): v is string => v !== undefined);
  if (values.length === 0) return undefined;
  if (resource === 'cpu') return `${values.reduce((n, v) => n + (cpuMillis(v) ?? 0), 0)}m`;
  if (resource === 'memory') return `${values.reduce((n, v) => n + (memoryMi(v) ?? 0), 0)}Mi`;
  return String(values.reduce((n, v) => n + (parseQuantity(v) ?? 0), 0));
}

function mostFree(facts: Parameters<RunbookRule['diagnose']>[0], resource: string): string | undefined {
  const nodes = (facts.nodes ?? []).filter((n) => n.ready && !n.cordoned);
  if (resource === 'cpu' && nodes.length) return `${Math.max(...nodes.map((n) => n.allocatable.cpuMillis - n.requested.cpuMillis))}m`;
  if (resource === 'memory' && nodes.length) return `${Math.max(...nodes.map((n) => n.allocatable.memoryMi - n.requested.memoryMi))}Mi`;
  if (resource === 'pods' && nodes.length) return String(Math.max(...nodes.map((n) => n.allocatable.pods - n.requested.pods)));
  const advertised = (facts.nodeObjects ?? []).map((n) => parseQuantity(n.status?.allocatable?.[resource]) ?? 0);
  if (advertised.length === 0) return undefined;
  const max = Math.max(...advertised);
  return max === 0 ? `0 (no node advertises ${resource})` : `${max} allocatable (before other pods' use)`;
}
