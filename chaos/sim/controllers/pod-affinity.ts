// The InterPodAffinity filter (pkg/scheduler/framework/plugins/interpodaffinity/filtering.go): required pod
// affinity and anti-affinity by topology key, and the existing pods' anti-affinity towards the incoming pod.
// Reason texts are the plugin's ErrReason* constants; Filter checks affinity, then anti-affinity, then the existing
// pods' anti-affinity, and returns the first that fails.
import type { SimObject } from '../store/types.js';
import type { LabelSelector } from './label-selector.js';
import { matchesSelector } from './label-selector.js';
import type { NodeInfo } from './scheduler-fit.js';

export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";

interface AffinityTerm {
  labelSelector?: LabelSelector;
  topologyKey: string;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
}

const required = (pod: SimObject, kind: 'podAffinity' | 'podAntiAffinity'): AffinityTerm[] =>
  (pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as AffinityTerm[];

/** Does `candidate` fall under `term` written in a pod of namespace `ownerNs`? (namespaceSelector: any namespace) */
function termMatches(term: AffinityTerm, ownerNs: string | undefined, candidate: SimObject): boolean {
  const namespaces = term.namespaces?.length ? term.namespaces : term.namespaceSelector ? undefined : [ownerNs];
  if (namespaces && !namespaces.includes(candidate.metadata.namespace)) return false;
  return Boolean(term.labelSelector) && matchesSelector(term.labelSelector, candidate.metadata.labels);
}

const live = (p: SimObject): boolean => !p.metadata.deletionTimestamp;

/** The first InterPodAffinity reason `pod` fails on `info`'s node, or undefined. */
export function interPodAffinityFailure(pod: SimObject, info: NodeInfo, cluster: NodeInfo[]): string | undefined {
  const affinity = required(pod, 'podAffinity');
  if (!affinity.length && !required(pod, 'podAntiAffinity').length && !cluster.some((c) => c.antiAffinityPods?.length)) return undefined;
  const labels = info.node.metadata.labels ?? {};
  const sameDomain = (other: NodeInfo, key: string): boolean => labels[key] !== undefined && other.node.metadata.labels?.[key] === labels[key];

  if (affinity.length) {
    const satisfied = affinity.every((term) => cluster.some((other) => sameDomain(other, term.topologyKey) && (other.pods ?? []).some((p) => live(p) && termMatches(term, pod.metadata.namespace, p))));
    if (!satisfied) {
      // The first pod of a group that selects itself may go anywhere that has the topology key.
      const anyMatch = affinity.some((term) => cluster.some((other) => (other.pods ?? []).some((p) => live(p) && termMatches(term, pod.metadata.namespace, p))));
      const selfMatch = affinity.every((term) => termMatches(term, pod.metadata.namespace, pod));
      if (anyMatch || !selfMatch || affinity.some((t) => labels[t.topologyKey] === undefined)) return ERR_AFFINITY;
    }
  }
  for (const term of required(pod, 'podAntiAffinity')) {
    for (const other of cluster) {
      if (!sameDomain(other, term.topologyKey)) continue;
      if ((other.pods ?? []).some((p) => live(p) && p.metadata.uid !== pod.metadata.uid && termMatches(term, pod.metadata.namespace, p))) return ERR_ANTI_AFFINITY;
    }
  }
  for (const other of cluster) {
    for (const existing of other.antiAffinityPods ?? []) {
      if (!live(existing) || existing.metadata.uid === pod.metadata.uid) continue;
      for (const term of required(existing, 'podAntiAffinity')) {
        if (termMatches(term, existing.metadata.namespace, pod) && sameDomain(other, term.topologyKey)) return ERR_EXISTING_ANTI_AFFINITY;
      }
    }
  }
  return undefined;
}
