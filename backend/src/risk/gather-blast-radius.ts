import type { KubeObject, ReadableKind } from '../domain/kube.js';
import type { ClusterReader } from '../domain/ports.js';
import { workloadKey, type BlastRadiusFacts, type PdbFact, type PodFact, type WorkloadFact } from './blast-radius.js';
import { selectorToQuery, type LabelSelector } from './label-selector.js';
import type { ParsedKubectl } from './parse.js';
import { resourceTypeOfKind } from '../kube/resource-types.js';

export interface GatherOptions {
  /** Namespace kubectl uses when the command names none (the agent's context namespace). */
  defaultNamespace?: string;
  /** Bound on objects read per list and names looked up, so a broad command cannot make us read the whole cluster. */
  limit?: number;
}

// The workload kinds whose pods a command can take away; their resource names come from the one table in kube/.
const WORKLOAD_KINDS: readonly ReadableKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];
// A selector nothing satisfies: a PDB without a selector covers no pod (policy/v1 semantics for a nil selector).
const MATCH_NOTHING: LabelSelector = { matchExpressions: [{ key: '', operator: 'MatchNothing' }] };

const isReady = (pod: KubeObject) =>
  Array.isArray(pod.status?.conditions) && pod.status.conditions.some((c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True');

function controllerOf(obj: KubeObject) {
  return obj.metadata.ownerReferences?.find((o) => o.controller) ?? obj.metadata.ownerReferences?.[0];
}

/** spec.replicas from the last-applied configuration (only that field is read: the rest may hold env values). */
function lastAppliedReplicas(obj: KubeObject): number | undefined {
  const applied = obj.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (!applied) return undefined;
  try {
    const n = Number((JSON.parse(applied) as { spec?: { replicas?: unknown } }).spec?.replicas);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

const asStrings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).filter(([, x]) => typeof x === 'string' || typeof x === 'number').map(([k, x]) => [k, String(x)]));

function workloadFact(kind: string, obj: KubeObject): WorkloadFact {
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  const daemon = kind === 'DaemonSet';
  const containers = (obj.spec?.template?.spec?.containers as Array<{ name?: string; resources?: { limits?: unknown; requests?: unknown } }> | undefined) ?? [];
  return {
    key: workloadKey(kind, namespace, name),
    kind,
    namespace,
    name,
    desired: Number(daemon ? obj.status?.desiredNumberScheduled : (obj.spec?.replicas ?? 1)) || 0,
    ready: Number(daemon ? obj.status?.numberReady : obj.status?.readyReplicas) || 0,
    recordedReplicas: lastAppliedReplicas(obj),
    containers: containers.map((c) => ({ name: c.name ?? '', limits: asStrings(c.resources?.limits), requests: asStrings(c.resources?.requests) })),
  };
}

/** The largest desired-replicas any of a Deployment's ReplicaSets recorded: where "scale back" may return to. */
async function recordedByReplicaSets(deployment: KubeObject, reader: ClusterReader, limit: number): Promise<number | undefined> {
  const selector = deployment.spec?.selector as LabelSelector | undefined;
  if (!selector) return undefined;
  const sets = await reader.list('ReplicaSet', deployment.metadata.namespace, { labelSelector: selectorToQuery(selector), limit });
  const counts = sets
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid))
    .map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']))
    .filter((n) => Number.isInteger(n) && n >= 0);
  return counts.length ? Math.max(...counts) : undefined;
}

/**
 * Reads what assessBlastRadius needs for one parsed command: the pods it acts on, their controlling workloads and
 * ready counts, the PDBs in their namespaces, and the endpoints of Services it deletes. Read-only; bounded by `limit`.
 */
export async function gatherBlastRadiusFacts(cmd: ParsedKubectl, reader: ClusterReader, options: GatherOptions = {}): Promise<BlastRadiusFacts> {
  const limit = options.limit ?? 200;
  const namespace = cmd.allNamespaces ? undefined : (cmd.namespace ?? options.defaultNamespace ?? 'default');
  const listOptions = { labelSelector: cmd.selector, fieldSelector: cmd.fieldSelector, limit };
  const names = (resource: string) => cmd.targets.filter((t) => t.resource === resource && t.name).map((t) => t.name as string).slice(0, limit);
  const named = (resource: string) => cmd.targets.some((t) => t.resource === resource && t.name);
  const pods: KubeObject[] = [];
  const workloads = new Map<string, WorkloadFact>();
  const facts: BlastRadiusFacts = { pods: [], workloads: [], pdbs: [], services: [] };

  if (cmd.verb === 'drain' || cmd.verb === 'cordon') {
    for (const node of names('nodes')) pods.push(...(await reader.list('Pod', undefined, { fieldSelector: `spec.nodeName=${node}`, limit })));
  } else if (cmd.resources.includes('pods')) {
    if (named('pods')) {
      for (const name of names('pods')) {
        const pod = namespace === undefined ? undefined : await reader.get('Pod', namespace, name);
        if (pod) pods.push(pod);
      }
    } else if (cmd.all || cmd.selector || cmd.fieldSelector) {
      pods.push(...(await reader.list('Pod', namespace, listOptions)));
    }
  }
  for (const kind of WORKLOAD_KINDS) {
    const resource = resourceTypeOfKind(kind)!.plural;
    if (!cmd.resources.includes(resource) && !(cmd.resources.includes('all') && kind !== 'ReplicaSet')) continue;
    const objects = named(resource) && namespace !== undefined
      ? (await Promise.all(names(resource).map((n) => reader.get(kind, namespace, n)))).filter((o): o is KubeObject => !!o)
      : await reader.list(kind, namespace, listOptions);
    const scaling = cmd.verb === 'scale' || (cmd.patch?.replicaValues.length ?? 0) > 0;
    for (const obj of objects) {
      const fact = workloadFact(kind, obj);
      if (scaling && kind === 'Deployment') {
        const fromSets = await recordedByReplicaSets(obj, reader, limit);
        if (fromSets !== undefined) fact.recordedReplicas = Math.max(fact.recordedReplicas ?? 0, fromSets);
      }
      workloads.set(fact.key, fact);
      const selector = obj.spec?.selector as LabelSelector | undefined;
      if (selector) pods.push(...(await reader.list('Pod', fact.namespace, { labelSelector: selectorToQuery(selector), limit })));
    }
  }
  if (cmd.verb === 'delete' && cmd.resources.includes('services') && namespace !== undefined) {
    for (const name of names('services')) {
      const endpoints = await reader.get('Endpoints', namespace, name);
      const ready = ((endpoints?.subsets as Array<{ addresses?: unknown[] }> | undefined) ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
      facts.services.push({ namespace, name, readyEndpoints: ready });
    }
  }

  const owners = new Map<string, string | undefined>();
  const seen = new Set<string>();
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? namespace ?? 'default';
    const id = `${ns}/${pod.metadata.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const fact: PodFact = { namespace: ns, name: pod.metadata.name ?? '', ready: isReady(pod), node: pod.spec?.nodeName, labels: pod.metadata.labels ?? {} };
    const ref = controllerOf(pod);
    if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) fact.staysOnDrain = true;
    if (ref) {
      const refKey = `${ref.kind}/${ns}/${ref.name}`;
      if (!owners.has(refKey)) owners.set(refKey, await resolveOwner(ref.kind, ns, ref.name, reader, workloads));
      fact.owner = owners.get(refKey);
      if (ref.kind === 'DaemonSet') fact.staysOnDrain = true;
    }
    facts.pods.push(fact);
  }
  for (const ns of new Set(facts.pods.map((p) => p.namespace))) {
    for (const pdb of await reader.list('PodDisruptionBudget', ns, { limit })) {
      const entry: PdbFact = {
        namespace: ns,
        name: pdb.metadata.name ?? '',
        disruptionsAllowed: Number(pdb.status?.disruptionsAllowed ?? 0) || 0,
        selector: (pdb.spec?.selector as LabelSelector | undefined) ?? MATCH_NOTHING,
      };
      facts.pdbs.push(entry);
    }
  }
  facts.workloads = [...workloads.values()];
  return facts;
}

/** Follows Pod → ReplicaSet → Deployment; records the workload it ends at. Returns its key, or undefined. */
async function resolveOwner(kind: string, namespace: string, name: string, reader: ClusterReader, workloads: Map<string, WorkloadFact>): Promise<string | undefined> {
  if (!['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Deployment'].includes(kind)) return workloadKey(kind, namespace, name);
  const obj = await reader.get(kind as ReadableKind, namespace, name);
  if (!obj) return workloadKey(kind, namespace, name);
  const parent = kind === 'ReplicaSet' ? controllerOf(obj) : undefined;
  if (parent?.kind === 'Deployment') return resolveOwner('Deployment', namespace, parent.name, reader, workloads);
  const fact = workloadFact(kind, obj);
  if (!workloads.has(fact.key)) workloads.set(fact.key, fact);
  return fact.key;
}
