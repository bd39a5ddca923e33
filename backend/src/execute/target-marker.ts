// Pure: what "the target changed since the plan" means. When an approval is requested, each object the plan acts on
// is recorded as a change marker; the approved-plan run compares a fresh marker with it and refuses on a difference.
//
// Why not metadata.resourceVersion: it moves on every write, status included. A crash-looping Deployment's status
// changes each time a pod restarts, so refusing on resourceVersion would refuse nearly every approval of exactly the
// workloads that need one. The marker is instead, in order of preference:
// - metadata.generation, where the server keeps one (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
//   PodDisruptionBudget, …): it moves only when the spec changes, which is what a human reviewed;
// - otherwise a hash of the parts a remediation reads and changes — spec, data/binaryData and labels (Node: cordon,
//   taints, labels; Service; ConfigMap; Pod in clusters before 1.33; PVC; Namespace) — leaving out status and
//   annotations, which kubelets and controllers rewrite all the time;
// - otherwise (an object with none of those) its resourceVersion.
// The object's uid is kept too: an object deleted and created again under the same name is another object.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import type { KubeObject } from '../domain/kube.js';

/** The object a marker is about (kind as the API names it). */
export interface MarkerRef {
  kind: string;
  namespace?: string;
  name: string;
}

export type MarkerBasis = 'generation' | 'content' | 'resourceVersion';

/** What the plan saw of one target. JSON-serialisable: it is stored with the approval. */
export interface TargetMarker {
  ref: MarkerRef;
  /** False: the object did not exist when the plan was made (a plan that creates it). */
  exists: boolean;
  /** Set when the read failed at plan time: the plan's view of this target is unknown. */
  unreadable?: string;
  uid?: string;
  basis?: MarkerBasis;
  /** The generation, a 16-hex-digit content hash, or the resourceVersion. */
  value?: string;
  /** For a content marker: which parts the hash covers ("spec", "data", "labels", …). */
  parts?: string[];
}

/** How one target differs from what the plan saw. */
export interface TargetChange {
  ref: MarkerRef;
  /** "generation 4 → 5", "was deleted", "its spec or labels changed", … */
  what: string;
}

const CONTENT_PARTS = ['spec', 'data', 'binaryData', 'labels'] as const;

/** The marker of an object as read now (undefined: it does not exist). */
export function markerOf(ref: MarkerRef, object: KubeObject | undefined): TargetMarker {
  if (!object) return { ref, exists: false };
  const uid = typeof object.metadata?.uid === 'string' ? { uid: object.metadata.uid } : {};
  const generation = object.metadata?.generation;
  if (typeof generation === 'number' && Number.isFinite(generation)) return { ref, exists: true, ...uid, basis: 'generation', value: String(generation) };
  const content = contentOf(object);
  const parts = Object.keys(content);
  if (parts.length > 0) return { ref, exists: true, ...uid, basis: 'content', value: hashOf(content), parts };
  return { ref, exists: true, ...uid, basis: 'resourceVersion', value: String(object.metadata?.resourceVersion ?? '') };
}

/** A marker for a target whose plan-time read failed: any later comparison reports it as changed (fail closed). */
export function unreadableMarker(ref: MarkerRef, reason: string): TargetMarker {
  return { ref, exists: false, unreadable: reason.slice(0, 300) };
}

/** How the target changed between the plan's marker and a fresh one; undefined when it did not. */
export function compareMarker(before: TargetMarker, now: TargetMarker): TargetChange | undefined {
  const ref = before.ref;
  const change = (what: string): TargetChange => ({ ref, what });
  if (before.unreadable !== undefined) return change(`its state when the plan was made is unknown (the read failed: ${before.unreadable})`);
  if (before.exists && !now.exists) return change('was deleted');
  if (!before.exists && now.exists) return change('was created');
  if (!before.exists && !now.exists) return undefined;
  if (before.uid && now.uid && before.uid !== now.uid) return change('was deleted and created again');
  if (before.basis !== now.basis) return change(`its change marker moved from ${before.basis ?? 'none'} to ${now.basis ?? 'none'}`);
  if (before.value === now.value) return undefined;
  switch (before.basis) {
    case 'generation':
      return change(`generation ${before.value} → ${now.value}`);
    case 'content':
      return change(`its ${joinOr(before.parts ?? ['content'])} changed`);
    default:
      return change(`resourceVersion ${before.value} → ${now.value}`);
  }
}

/** Every target that changed, in the plan's order. */
export function compareMarkers(before: readonly TargetMarker[], now: readonly TargetMarker[]): TargetChange[] {
  const changes: TargetChange[] = [];
  for (const marker of before) {
    const fresh = now.find((m) => sameRef(m.ref, marker.ref));
    const change = fresh ? compareMarker(marker, fresh) : { ref: marker.ref, what: 'could not be read again' };
    if (change) changes.push(change);
  }
  return changes;
}

/** "target deployment/web in shop changed since the plan (generation 4 → 5)" */
export function describeTargetChange(change: TargetChange): string {
  return `target ${refText(change.ref)} changed since the plan (${change.what})`;
}

/** "deployment/web in shop", "node/n1" */
export function refText(ref: MarkerRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}${ref.namespace ? ` in ${ref.namespace}` : ''}`;
}

export function sameRef(a: MarkerRef, b: MarkerRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

function contentOf(object: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of CONTENT_PARTS) {
    const value = part === 'labels' ? object.metadata?.labels : object[part];
    if (value !== undefined && value !== null) out[part] = value;
  }
  return out;
}

/** sha256 of a canonical JSON (keys sorted), so the same content always hashes the same whatever the key order. */
function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function joinOr(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? 'content') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}
