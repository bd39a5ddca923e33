// What changed in the cluster between two moments, read from the cluster itself (never from the agent's audit).
// Each object is reduced to a fingerprint of what a write changes (metadata and spec, not status), so the
// controllers' and kubelets' own status churn does not count as a write, while any create, delete, scale,
// patch, cordon or label does.
import { createHash } from 'node:crypto';
import type { Kubectl } from './kubectl.js';

/** Written by controllers or by the agent's audit trail, never a remediation: not compared. */
const IGNORED = new Set([
  'events',
  'events.events.k8s.io',
  'leases.coordination.k8s.io',
  'endpoints',
  'endpointslices.discovery.k8s.io',
  'controllerrevisions.apps',
  'tokenreviews.authentication.k8s.io',
  'componentstatuses',
]);

export interface ObjectState {
  resource: string;
  namespace?: string;
  name: string;
  uid: string;
  fingerprint: string;
  generation?: number;
  /** Has a controller owner (a ReplicaSet's pod, a Deployment's ReplicaSet): its changes may be a consequence. */
  owned: boolean;
}

export type Snapshot = Map<string, ObjectState>;

export interface ClusterChange {
  resource: string;
  namespace?: string;
  name: string;
  change: 'created' | 'deleted' | 'modified';
  /** generation after − before, for objects that have one and were modified. */
  generationDelta?: number;
  /** The object has a controller owner. */
  owned?: boolean;
}

/** The listable, updatable resources of this cluster worth comparing (every kind a kubectl write could touch). */
export async function listComparableResources(kubectl: Kubectl): Promise<string[]> {
  const out = await kubectl.ok(['api-resources', '--verbs=list,update', '-o', 'name']);
  return out
    .split('\n')
    .map((s) => s.trim())
    .filter((r) => r && !IGNORED.has(r));
}

/** One `kubectl get r1,r2,… -A -o json`: every object's identity and write fingerprint. */
export async function takeSnapshot(kubectl: Kubectl, resources: readonly string[]): Promise<Snapshot> {
  const out = await kubectl.ok(['get', resources.join(','), '--all-namespaces', '--ignore-not-found', '-o', 'json'], { timeoutMs: 60_000, maxBuffer: 512 * 1024 * 1024 });
  const list = JSON.parse(out || '{"items":[]}') as { items?: KubeItem[] };
  const snapshot: Snapshot = new Map();
  for (const item of list.items ?? []) {
    const state = stateOf(item);
    snapshot.set(keyOf(state), state);
  }
  return snapshot;
}

interface KubeItem {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    ownerReferences?: Array<{ controller?: boolean }>;
    finalizers?: string[];
  };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

const keyOf = (s: Pick<ObjectState, 'resource' | 'namespace' | 'name'>) => `${s.resource}/${s.namespace ?? ''}/${s.name}`;

/** "Deployment" of apps/v1 → "deployments.apps"; core kinds stay plain ("pods"). */
export function resourceOf(apiVersion: string | undefined, kind: string | undefined): string {
  const plural = pluralOf(kind ?? 'unknown');
  const group = (apiVersion ?? 'v1').includes('/') ? (apiVersion ?? '').split('/')[0] : '';
  return group ? `${plural}.${group}` : plural;
}

function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** Pure: the identity and write fingerprint of one object. */
export function stateOf(item: KubeItem): ObjectState {
  const meta = item.metadata ?? {};
  const resource = resourceOf(item.apiVersion, item.kind);
  const { status: _status, metadata: _metadata, apiVersion: _a, kind: _k, ...body } = item;
  let annotations = meta.annotations ?? {};
  let spec = body.spec;
  if (resource === 'nodes') {
    // The kubelet and node controllers write node annotations and their own taints; a human's cordon/label is kept.
    annotations = {};
    const s = (spec ?? {}) as { unschedulable?: boolean; taints?: Array<{ key: string; effect: string; value?: string }> };
    const taints = (s.taints ?? []).filter((t) => !t.key.startsWith('node.kubernetes.io/') || t.key === 'node.kubernetes.io/unschedulable').map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`);
    spec = { unschedulable: Boolean(s.unschedulable), taints };
  }
  const fingerprint = hash({
    uid: meta.uid,
    labels: meta.labels ?? {},
    annotations,
    deleting: Boolean(meta.deletionTimestamp),
    finalizers: meta.finalizers ?? [],
    ...(resource === 'nodes' ? { spec } : body),
    generation: meta.generation,
  });
  const owned = (meta.ownerReferences ?? []).some((o) => o.controller);
  return { resource, namespace: meta.namespace || undefined, name: meta.name ?? '', uid: meta.uid ?? '', fingerprint, generation: meta.generation, owned };
}

function hash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Pure: every object created, deleted (or replaced: a new uid under the same name) or modified between two snapshots. */
export function diffSnapshots(before: Snapshot, after: Snapshot): ClusterChange[] {
  const changes: ClusterChange[] = [];
  for (const [key, was] of before) {
    const now = after.get(key);
    const id = { resource: was.resource, namespace: was.namespace, name: was.name, ...(was.owned ? { owned: true } : {}) };
    if (!now) changes.push({ ...id, change: 'deleted' });
    else if (now.uid !== was.uid) changes.push({ ...id, change: 'deleted' }, { ...id, change: 'created' });
    else if (now.fingerprint !== was.fingerprint) {
      const delta = was.generation !== undefined && now.generation !== undefined ? now.generation - was.generation : undefined;
      changes.push({ ...id, change: 'modified', ...(delta !== undefined ? { generationDelta: delta } : {}) });
    }
  }
  for (const [key, now] of after) {
    if (!before.has(key)) changes.push({ resource: now.resource, namespace: now.namespace, name: now.name, change: 'created', ...(now.owned ? { owned: true } : {}) });
  }
  return changes;
}

/**
 * Pure: the writes someone made, without their controllers' consequences. A change to an owned object (a pod, a
 * ReplicaSet) counts only when nothing unowned changed in its namespace: a rollout undo is one write, not the
 * dozen pods it replaces; a `kubectl delete pod` on its own still counts.
 */
export function directWrites(changes: ClusterChange[]): ClusterChange[] {
  const parents = new Set(changes.filter((c) => !c.owned).map((c) => c.namespace ?? ''));
  return changes.filter((c) => !c.owned || !parents.has(c.namespace ?? ''));
}

export function describeChange(c: ClusterChange): string {
  const where = c.namespace ? `${c.namespace}/` : '';
  return `${c.change} ${c.resource.split('.')[0]} ${where}${c.name}`;
}
