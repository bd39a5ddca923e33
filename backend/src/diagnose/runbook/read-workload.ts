import type { Target } from '../../domain/incident.js';
import type { KubeObject } from '../../domain/kube.js';
import type { ClusterReader } from '../../domain/ports.js';
import { selectorOf } from '../../tools/format.js';
import { selects } from './pod-facts.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Pod';

/** Any workload, seen the same way by every rule: its pod template, its pods' labels, how to name it to kubectl. */
export interface Workload {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  object: KubeObject;
  /** The pod spec the controller stamps out (a bare Pod: its own spec). */
  podSpec: { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; [key: string]: unknown };
  podLabels: Record<string, string>;
  /** kubectl's name for it: "deployment/web". */
  ref: string;
  /** The label selector of its pods, as a string, when it has one. */
  selector?: string;
  /** Whether its pod template can be changed in place (a bare Pod's cannot). */
  templated: boolean;
  ownsPod(pod: KubeObject, replicaSets: KubeObject[], jobs: KubeObject[]): boolean;
}

export interface ContainerSpec {
  name: string;
  image?: string;
  ports?: Array<{ containerPort: number; name?: string; protocol?: string }>;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  env?: Array<{ name: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  restartPolicy?: string;
  [key: string]: unknown;
}

export interface Probe {
  httpGet?: { path?: string; port?: number | string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  exec?: { command?: string[] };
  [key: string]: unknown;
}

const controllerOf = (o: KubeObject) => o.metadata.ownerReferences?.find((r) => r.controller) ?? o.metadata.ownerReferences?.[0];

/** The Workload view of a controller object (or a bare Pod). */
export function workloadFromObject(kind: WorkloadKind, object: KubeObject): Workload {
  const name = object.metadata.name ?? '';
  const template = kind === 'Pod' ? { metadata: object.metadata, spec: object.spec } : kind === 'CronJob' ? object.spec?.jobTemplate?.spec?.template : object.spec?.template;
  const matchLabels = kind === 'Pod' || kind === 'CronJob' ? undefined : (object.spec?.selector?.matchLabels as Record<string, string> | undefined);
  return {
    kind,
    name,
    namespace: object.metadata.namespace ?? '',
    object,
    podSpec: template?.spec ?? {},
    podLabels: (template?.metadata?.labels as Record<string, string>) ?? {},
    ref: `${kind.toLowerCase()}/${name}`,
    selector: selectorOf(matchLabels),
    templated: kind !== 'Pod',
    ownsPod(pod, replicaSets, jobs) {
      const owner = controllerOf(pod);
      if (kind === 'Pod') return pod.metadata.name === name;
      if (!owner) return false;
      if (kind === 'Deployment') {
        if (owner.kind !== 'ReplicaSet') return false;
        const rs = replicaSets.find((r) => r.metadata.name === owner.name);
        return rs ? controllerOf(rs)?.name === name && controllerOf(rs)?.kind === 'Deployment' : selects(matchLabels, pod.metadata.labels);
      }
      if (kind === 'CronJob') {
        if (owner.kind !== 'Job') return false;
        const job = jobs.find((j) => j.metadata.name === owner.name);
        return job ? controllerOf(job)?.kind === 'CronJob' && controllerOf(job)?.name === name : false;
      }
      return owner.kind === kind && owner.name === name;
    },
  };
}

/**
 * The workload behind the target: the target itself for a workload kind (Job and CronJob too), a Pod's controller (ReplicaSet →
 * Deployment, Job → CronJob), or the same-named Deployment behind a Service. Undefined when nothing exists.
 */
export async function readWorkload(reader: ClusterReader, target: Target): Promise<Workload | undefined> {
  const ns = target.namespace;
  if (!target.name) return undefined;
  if (target.kind === 'Deployment' || target.kind === 'StatefulSet' || target.kind === 'DaemonSet' || target.kind === 'Job' || target.kind === 'CronJob') {
    // A Job stays the Job (the run the alert is about; its rules name the CronJob that made it); a CronJob's pods
    // are those of its most recent Jobs (see gather-runbook-facts).
    const o = await reader.get(target.kind, ns, target.name);
    return o && workloadFromObject(target.kind, o);
  }
  if (target.kind === 'Service') return undefined;
  if (target.kind === 'Pod') {
    const pod = await reader.get('Pod', ns, target.name);
    if (!pod) return undefined;
    return (await controllerWorkload(reader, ns, pod)) ?? workloadFromObject('Pod', pod);
  }
  return undefined;
}

async function controllerWorkload(reader: ClusterReader, ns: string, pod: KubeObject): Promise<Workload | undefined> {
  const owner = controllerOf(pod);
  if (!owner) return undefined;
  if (owner.kind === 'ReplicaSet') {
    const rs = await reader.get('ReplicaSet', ns, owner.name);
    const d = rs && controllerOf(rs)?.kind === 'Deployment' ? await reader.get('Deployment', ns, controllerOf(rs)!.name) : undefined;
    return d && workloadFromObject('Deployment', d);
  }
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet') {
    const o = await reader.get(owner.kind, ns, owner.name);
    return o && workloadFromObject(owner.kind, o);
  }
  if (owner.kind === 'Job') {
    const job = await reader.get('Job', ns, owner.name);
    if (!job) return undefined;
    const cron = controllerOf(job);
    if (cron?.kind === 'CronJob') {
      const c = await reader.get('CronJob', ns, cron.name);
      if (c) return workloadFromObject('CronJob', c);
    }
    return workloadFromObject('Job', job);
  }
  return undefined;
}

/** Every container of a pod spec, init containers (including restartable sidecars) first, with which list it is in. */
export function allContainers(spec: Workload['podSpec'] | undefined): Array<ContainerSpec & { init: boolean }> {
  return [...(spec?.initContainers ?? []).map((c) => ({ ...c, init: true })), ...(spec?.containers ?? []).map((c) => ({ ...c, init: false }))];
}
