import type { Incident, Target } from '../domain/incident.js';
import type { ClusterReader } from '../domain/ports.js';
import type { KubeObject } from '../domain/kube.js';
import { selectorOf } from '../tools/format.js';
import { extractTargetCandidates, type TargetCandidate } from './target-candidates.js';

export type TargetResolution = { target: Target; candidates: TargetCandidate[] } | { target?: undefined; candidates: TargetCandidate[]; reason: string };

const MAX_CANDIDATES = 6;

/**
 * Finds what the incident is about: candidates from the alert's fields and title, each confirmed against the
 * cluster. A pod resolves to its Deployment when it has one. Nothing confirmed → a reason for the escalation.
 */
export async function resolveTarget(incident: Pick<Incident, 'title' | 'details'>, reader: ClusterReader): Promise<TargetResolution> {
  const candidates = extractTargetCandidates(incident).slice(0, MAX_CANDIDATES);
  if (candidates.length === 0) {
    return { candidates, reason: 'the alert names no namespace, workload, pod or service (custom_details or title)' };
  }
  const knownNamespace = candidates.find((c) => c.namespace)?.namespace;
  const misses: string[] = [];
  for (const candidate of candidates) {
    const c = { ...candidate, namespace: candidate.namespace ?? knownNamespace };
    const target = await confirm(c, reader);
    if (target) return { target, candidates };
    misses.push(`${c.kind ?? 'namespace'} ${c.namespace ?? '?'}/${c.name ?? c.selector ?? ''} (${c.from})`);
  }
  return { candidates, reason: `nothing the alert names exists in the cluster: ${misses.join('; ')}` };
}

async function confirm(c: TargetCandidate, reader: ClusterReader): Promise<Target | undefined> {
  if (!c.namespace) {
    // A bare name: accept it only when exactly one deployment in the cluster has it.
    if (!c.name || (c.kind !== 'Deployment' && c.kind !== 'Any')) return undefined;
    const matches = (await reader.list('Deployment', undefined, { fieldSelector: `metadata.name=${c.name}` })).filter((d) => d.metadata.name === c.name);
    return matches.length === 1 ? deploymentTarget(matches[0], `${c.from} (only deployment with that name)`) : undefined;
  }
  const ns = c.namespace;
  if (c.name && (c.kind === 'Deployment' || c.kind === 'Any')) {
    const d = await reader.get('Deployment', ns, c.name);
    if (d) return deploymentTarget(d, c.from);
  }
  if (c.name && (c.kind === 'Pod' || c.kind === 'Any')) {
    const pod = await reader.get('Pod', ns, c.name);
    if (pod) return (await ownerDeployment(pod, reader, c.from)) ?? { namespace: ns, kind: 'Pod', name: c.name, selector: selectorOf(pod.metadata.labels), resolvedFrom: c.from };
  }
  if (c.name && (c.kind === 'Service' || c.kind === 'Any')) {
    const svc = await reader.get('Service', ns, c.name);
    if (svc) return { namespace: ns, kind: 'Service', name: c.name, selector: selectorOf(svc.spec?.selector), resolvedFrom: c.from };
  }
  if (!c.name && c.selector) {
    const pods = await reader.list('Pod', ns, { labelSelector: c.selector, limit: 5 });
    if (pods.length > 0) return (await ownerDeployment(pods[0], reader, c.from)) ?? { namespace: ns, selector: c.selector, resolvedFrom: c.from };
  }
  if (!c.name && !c.selector) {
    const namespace = await reader.get('Namespace', undefined, ns);
    if (namespace) return { namespace: ns, resolvedFrom: c.from };
  }
  return undefined;
}

function deploymentTarget(d: KubeObject, from: string): Target {
  return {
    namespace: d.metadata.namespace ?? '',
    kind: 'Deployment',
    name: d.metadata.name,
    selector: selectorOf(d.spec?.selector?.matchLabels),
    resolvedFrom: from,
  };
}

/** Pod → ReplicaSet → Deployment, through controller owner references. */
async function ownerDeployment(pod: KubeObject, reader: ClusterReader, from: string): Promise<Target | undefined> {
  const ns = pod.metadata.namespace ?? '';
  const rsRef = pod.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
  if (!rsRef) return undefined;
  const rs = await reader.get('ReplicaSet', ns, rsRef.name);
  const depRef = rs?.metadata.ownerReferences?.find((o) => o.kind === 'Deployment');
  if (!depRef) return undefined;
  const d = await reader.get('Deployment', ns, depRef.name);
  return d ? deploymentTarget(d, `${from} → pod ${pod.metadata.name} owned by deployment ${depRef.name}`) : undefined;
}
