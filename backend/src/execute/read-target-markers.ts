// The cluster side of the "target changed since the plan" check: which objects a plan's commands act on, and their
// change markers read through the cluster reader port (the comparison itself is pure, in target-marker.ts).
import type { KubeObject, ReadableKind } from '../domain/kube.js';
import type { ClusterReader } from '../domain/ports.js';
import { redactText } from '../redaction/redact.js';
import type { RiskPort } from './execute-deps.js';
import { markerOf, sameRef, unreadableMarker, type MarkerRef, type TargetMarker } from './target-marker.js';
import { namedTargetsOf, targetOf } from './target-of.js';

/**
 * Kinds the reader can get. A command on any other kind (Secret, which the agent never reads; Ingress, NetworkPolicy,
 * RBAC objects, …) carries no marker, and its plan is protected by the plan hash and the re-scoring only.
 */
const READABLE = new Set<string>([
  'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Service', 'Endpoints', 'Node', 'Namespace', 'ConfigMap',
  'ResourceQuota', 'LimitRange', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Job', 'CronJob', 'ControllerRevision',
  'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass',
] satisfies ReadableKind[]);

/** The readable objects the commands name, each once, in command order. Selector-wide commands name none. */
export function targetsOfCommands(risk: Pick<RiskPort, 'assess'>, commands: readonly string[]): MarkerRef[] {
  const refs: MarkerRef[] = [];
  for (const command of commands) {
    const parsed = risk.assess(command).parsed;
    const single = targetOf(parsed);
    for (const target of single ? [single] : namedTargetsOf(parsed)) {
      const { kind, namespace, name } = target.ref;
      const ref: MarkerRef = { kind, name, ...(namespace ? { namespace } : {}) };
      if (READABLE.has(kind) && !refs.some((r) => sameRef(r, ref))) refs.push(ref);
    }
  }
  return refs;
}

/** Reads one object; a failure throws (the caller decides whether that is "unknown" or "hold"). */
async function readOne(reader: ClusterReader, ref: MarkerRef): Promise<KubeObject | undefined> {
  return reader.get(ref.kind as ReadableKind, ref.namespace, ref.name);
}

/** Plan time: a target whose read fails is recorded as unreadable, so approving that plan is refused (fail closed). */
export async function recordTargetMarkers(reader: ClusterReader, refs: readonly MarkerRef[]): Promise<TargetMarker[]> {
  return Promise.all(refs.map(async (ref) => readOne(reader, ref).then((object) => markerOf(ref, object), (error: unknown) => unreadableMarker(ref, redactText(error instanceof Error ? error.message : String(error))))));
}

/** Approval time: the fresh markers; throws when a target cannot be read (the run then holds, nothing executes). */
export async function readFreshMarkers(reader: ClusterReader, refs: readonly MarkerRef[]): Promise<TargetMarker[]> {
  return Promise.all(refs.map(async (ref) => markerOf(ref, await readOne(reader, ref))));
}
