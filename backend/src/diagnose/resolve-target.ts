import type { Incident, Target } from '../domain/incident.js';
import type { ClusterReader } from '../domain/ports.js';
import type { KubeObject } from '../domain/kube.js';
import { selectorOf } from '../tools/format.js';
import { extractTargetCandidates, type TargetCandidate } from './target-candidates.js';
import { workloadOfPod, workloadOfPodName, workloadTarget } from './resolve-pod-owner.js';
import { resolveFromTitleTokens } from './resolve-from-title-tokens.js';

export type TargetResolution = { target: Target; candidates: TargetCandidate[] } | { target?: undefined; candidates: TargetCandidate[]; reason: string };

const MAX_CANDIDATES = 6;

/**
 * Finds what the incident is about: candidates from the alert's fields and title, each confirmed against the
 * cluster. A pod resolves to the workload that controls it. When the alert names an object that does not exist,
 * the namespace alone is not enough: guessing another workload there would act on the wrong thing.
 */
export async function resolveTarget(incident: Pick<Incident, 'title' | 'details'>, reader: ClusterReader): Promise<TargetResolution> {
  const all = extractTargetCandidates(incident);
  if (all.length === 0) {
    // No field or title pattern names one: the title's bare words, matched against the cluster (Alertmanager's and
    // Grafana's default descriptions carry label values without their keys).
    const byWords = incident.title ? await resolveFromTitleTokens(incident.title, reader) : undefined;
    if (byWords?.target) return { target: byWords.target, candidates: all };
    return { candidates: all, reason: `the alert names no namespace, workload, pod or service (custom_details or title)${byWords ? `; ${byWords.reason}` : ''}` };
  }
  // Bare namespaces only stand in when the alert names nothing more precise (a weak reading, such as Prometheus's
  // scrape `job` label, does not count: tried first, the namespace still stands in when it names nothing).
  const named = all.filter((c) => c.name || c.selector);
  const strong = named.filter((c) => !c.weak);
  const candidates = (strong.length > 0 ? named : [...named, ...all.filter((c) => !c.name && !c.selector)]).slice(0, MAX_CANDIDATES);
  const knownNamespace = candidates.find((c) => c.namespace)?.namespace;
  const misses: string[] = [];
  for (const candidate of candidates) {
    const c = { ...candidate, namespace: candidate.namespace ?? knownNamespace };
    const found = await confirm(c, reader);
    if (found.target) return { target: found.target, candidates };
    misses.push(found.miss ?? `${describe(c)} not found (${c.from})`);
  }
  // Patterns can misread prose ("pod restarts" in a title of label values): the bare words may still name it.
  const byWords = incident.title && !strong.some((c) => c.from.startsWith('custom_details')) ? await resolveFromTitleTokens(incident.title, reader) : undefined;
  // Only a named workload or pod: a bare namespace must not stand in for an object the alert named that is gone.
  if (byWords?.target?.kind) return { target: byWords.target, candidates };
  return { candidates, reason: `nothing the alert names exists in the cluster: ${misses.join('; ')}` };
}

function describe(c: TargetCandidate): string {
  if (c.kind === 'Node') return `node ${c.name}`;
  const kind = !c.kind || c.kind === 'Any' ? (c.name ? 'object' : 'namespace') : c.kind.toLowerCase();
  return `${kind} ${c.namespace ?? '?'}${c.name || c.selector ? `/${c.name ?? c.selector}` : ''}`;
}

type Confirmation = { target?: Target; miss?: string };

async function confirm(c: TargetCandidate, reader: ClusterReader): Promise<Confirmation> {
  if (c.kind === 'Node') {
    const node = c.name ? await reader.get('Node', undefined, c.name) : undefined;
    return node ? { target: { namespace: '', kind: 'Node', name: c.name, resolvedFrom: c.from } } : {};
  }
  if (!c.namespace) return confirmWithoutNamespace(c, reader);
  const ns = c.namespace;
  if (c.name && (c.kind === 'Deployment' || c.kind === 'Any')) {
    const d = await reader.get('Deployment', ns, c.name);
    if (d) return { target: workloadTarget(d, 'Deployment', c.from) };
  }
  if (c.name && (c.kind === 'StatefulSet' || c.kind === 'DaemonSet')) {
    const w = await reader.get(c.kind, ns, c.name);
    if (w) return { target: workloadTarget(w, c.kind, c.from) };
  }
  if (c.name && (c.kind === 'Job' || c.kind === 'CronJob')) {
    const job = await reader.get(c.kind, ns, c.name);
    if (job) return { target: workloadTarget(job, c.kind, c.from) };
    // A CronJob's Job is named <cronjob>-<scheduled minute>; when that run is gone (its TTL, a history limit), the
    // CronJob that made it is what the alert is about.
    const cron = c.kind === 'Job' ? /^(.+)-\d{6,}$/.exec(c.name) : null;
    const cronJob = cron ? await reader.get('CronJob', ns, cron[1]) : undefined;
    if (cronJob) return { target: workloadTarget(cronJob, 'CronJob', `${c.from} (job gone) → cronjob ${cron![1]}`) };
  }
  if (c.name && (c.kind === 'Pod' || c.kind === 'Any')) {
    const pod = await reader.get('Pod', ns, c.name);
    if (pod) return { target: await podTarget(pod, reader, c.from) };
    // The pod is gone (replaced since the alert fired): its name still says which ReplicaSet or StatefulSet made it.
    const owner = await workloadOfPodName(ns, c.name, reader, c.from);
    if (owner) return { target: owner };
  }
  if (c.name && (c.kind === 'Service' || c.kind === 'Any')) {
    const svc = await reader.get('Service', ns, c.name);
    if (svc) return { target: { namespace: ns, kind: 'Service', name: c.name, selector: selectorOf(svc.spec?.selector), resolvedFrom: c.from } };
  }
  if (!c.name && c.selector) {
    const pods = await reader.list('Pod', ns, { labelSelector: c.selector, limit: 5 });
    if (pods.length > 0) {
      const owner = await workloadOfPod(pods[0], reader, c.from);
      return { target: owner?.kind === 'Deployment' ? owner : { namespace: ns, selector: c.selector, resolvedFrom: c.from } };
    }
  }
  if (!c.name && !c.selector) {
    const namespace = await reader.get('Namespace', undefined, ns);
    if (namespace) return { target: { namespace: ns, resolvedFrom: c.from } };
  }
  return {};
}

/** A bare name: accept it only when exactly one object of the kind has it across the cluster. */
async function confirmWithoutNamespace(c: TargetCandidate, reader: ClusterReader): Promise<Confirmation> {
  if (!c.name) return {};
  const kinds: Array<'Deployment' | 'Pod' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Service'> = c.kind === 'Any' || !c.kind ? ['Deployment', 'Pod'] : c.kind === 'Node' ? [] : [c.kind];
  for (const kind of kinds) {
    const matches = (await reader.list(kind, undefined, { fieldSelector: `metadata.name=${c.name}` })).filter((o) => o.metadata.name === c.name);
    if (matches.length > 1) {
      const where = matches.map((m) => m.metadata.namespace).join(', ');
      return { miss: `${kind.toLowerCase()} ${c.name} exists in several namespaces (${where}) and the alert names none: ambiguous (${c.from})` };
    }
    if (matches.length === 1) {
      const from = `${c.from} (only ${kind.toLowerCase()} with that name)`;
      const only = matches[0];
      if (kind === 'Pod') return { target: await podTarget(only, reader, from) };
      if (kind === 'Service') return { target: { namespace: only.metadata.namespace ?? '', kind, name: c.name, selector: selectorOf(only.spec?.selector), resolvedFrom: from } };
      return { target: workloadTarget(only, kind, from) };
    }
  }
  return { miss: `${describe(c)} not found in any namespace (${c.from})` };
}

async function podTarget(pod: KubeObject, reader: ClusterReader, from: string): Promise<Target> {
  const ns = pod.metadata.namespace ?? '';
  return (await workloadOfPod(pod, reader, from)) ?? { namespace: ns, kind: 'Pod', name: pod.metadata.name, selector: selectorOf(pod.metadata.labels), resolvedFrom: from };
}
