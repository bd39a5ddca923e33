import type { Target } from '../domain/incident.js';
import type { KubeObject } from '../domain/kube.js';
import type { ClusterReader } from '../domain/ports.js';
import { selectorOf } from '../tools/format.js';

type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

function controllerOf(o: KubeObject | undefined): { kind: string; name: string } | undefined {
  const refs = o?.metadata.ownerReferences ?? [];
  return refs.find((r) => r.controller) ?? refs[0];
}

/** The Target of a workload object, with the selector of its pods (a CronJob has none: its Jobs' pods are found by owner). */
export function workloadTarget(w: KubeObject, kind: WorkloadKind, from: string): Target {
  return { namespace: w.metadata.namespace ?? '', kind, name: w.metadata.name, selector: selectorOf(w.spec?.selector?.matchLabels), resolvedFrom: from };
}

/** ReplicaSet → its Deployment (through the controller reference), when it has one. */
async function deploymentOfReplicaSet(ns: string, rsName: string, reader: ClusterReader, from: string): Promise<Target | undefined> {
  const rs = await reader.get('ReplicaSet', ns, rsName);
  const owner = controllerOf(rs);
  if (owner?.kind !== 'Deployment') return undefined;
  const d = await reader.get('Deployment', ns, owner.name);
  return d ? workloadTarget(d, 'Deployment', `${from} owned by deployment ${owner.name}`) : undefined;
}

/** The workload that controls a pod: Pod → ReplicaSet → Deployment, its StatefulSet / DaemonSet, or its Job. Else undefined. */
export async function workloadOfPod(pod: KubeObject, reader: ClusterReader, from: string): Promise<Target | undefined> {
  const ns = pod.metadata.namespace ?? '';
  const owner = controllerOf(pod);
  const via = `${from} → pod ${pod.metadata.name}`;
  if (owner?.kind === 'ReplicaSet') return deploymentOfReplicaSet(ns, owner.name, reader, via);
  if (owner?.kind === 'StatefulSet' || owner?.kind === 'DaemonSet' || owner?.kind === 'Job') {
    const w = await reader.get(owner.kind, ns, owner.name);
    return w ? workloadTarget(w, owner.kind, `${via} owned by ${owner.kind.toLowerCase()} ${owner.name}`) : undefined;
  }
  return undefined;
}

/**
 * A pod that no longer exists, by its name alone: `<deployment>-<pod-template-hash>-<suffix>` names a ReplicaSet,
 * `<statefulset>-<ordinal>` a StatefulSet. Only an object that exists and owns such pods is accepted.
 */
export async function workloadOfPodName(ns: string, podName: string, reader: ClusterReader, from: string): Promise<Target | undefined> {
  const via = `${from} → pod ${podName} (gone)`;
  const rs = /^(.+-[a-z0-9]{1,10})-[a-z0-9]{5}$/.exec(podName);
  if (rs) {
    const d = await deploymentOfReplicaSet(ns, rs[1], reader, `${via} from replicaset ${rs[1]}`);
    if (d) return d;
  }
  const ordinal = /^(.+)-\d+$/.exec(podName);
  if (ordinal) {
    const sts = await reader.get('StatefulSet', ns, ordinal[1]);
    if (sts) return workloadTarget(sts, 'StatefulSet', `${via} of statefulset ${ordinal[1]}`);
  }
  // `<job>-<suffix>`: a Job's pod.
  const job = /^(.+)-[a-z0-9]{5}$/.exec(podName);
  if (job) {
    const j = await reader.get('Job', ns, job[1]);
    if (j) return workloadTarget(j, 'Job', `${via} of job ${job[1]}`);
  }
  return undefined;
}
