import { describe, expect, it } from 'vitest';
import { diffSnapshots, resourceOf, stateOf, type Snapshot } from '../../../chaos/harness/cluster-snapshot.js';

const deployment = (over: { generation?: number; replicas?: number; uid?: string; statusReady?: number } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid: over.uid ?? 'u1', generation: over.generation ?? 1, resourceVersion: String(Math.random()), labels: { app: 'web' } },
  spec: { replicas: over.replicas ?? 2 },
  status: { readyReplicas: over.statusReady ?? 2 },
});

const node = (over: { unschedulable?: boolean; taints?: Array<{ key: string; effect: string }>; heartbeat?: string } = {}) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1', uid: 'n', annotations: { 'node.alpha.kubernetes.io/ttl': over.heartbeat ?? '0' } },
  spec: { unschedulable: over.unschedulable, taints: over.taints },
  status: { conditions: [] },
});

const snap = (...items: Array<Record<string, unknown>>): Snapshot => new Map(items.map((i) => stateOf(i)).map((s) => [`${s.resource}/${s.namespace ?? ''}/${s.name}`, s]));

describe('cluster snapshot diff', () => {
  it('maps kinds to the resource names kubectl uses', () => {
    expect(resourceOf('apps/v1', 'Deployment')).toBe('deployments.apps');
    expect(resourceOf('v1', 'Pod')).toBe('pods');
    expect(resourceOf('networking.k8s.io/v1', 'NetworkPolicy')).toBe('networkpolicies.networking.k8s.io');
    expect(resourceOf('networking.k8s.io/v1', 'Ingress')).toBe('ingresses.networking.k8s.io');
  });

  it('ignores status churn and resourceVersion, sees a spec write with its generation delta', () => {
    expect(diffSnapshots(snap(deployment()), snap(deployment({ statusReady: 0 })))).toEqual([]);
    expect(diffSnapshots(snap(deployment()), snap(deployment({ generation: 2, replicas: 3 })))).toEqual([
      { resource: 'deployments.apps', namespace: 'shop', name: 'web', change: 'modified', generationDelta: 1 },
    ]);
  });

  it('reports creations, deletions, and a delete-and-recreate under the same name', () => {
    expect(diffSnapshots(snap(deployment()), snap())).toEqual([{ resource: 'deployments.apps', namespace: 'shop', name: 'web', change: 'deleted' }]);
    expect(diffSnapshots(snap(), snap(deployment()))).toEqual([{ resource: 'deployments.apps', namespace: 'shop', name: 'web', change: 'created' }]);
    expect(diffSnapshots(snap(deployment()), snap(deployment({ uid: 'u2' }))).map((c) => c.change)).toEqual(['deleted', 'created']);
  });

  it('on nodes sees a cordon or uncordon but not the controllers\' annotations and taints', () => {
    expect(diffSnapshots(snap(node()), snap(node({ heartbeat: '5', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] })))).toEqual([]);
    const cordoned = node({ unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
    expect(diffSnapshots(snap(cordoned), snap(node()))).toEqual([{ resource: 'nodes', namespace: undefined, name: 'n1', change: 'modified' }]);
  });
});

describe('direct writes', () => {
  it('counts a rollout as one write, and a pod deleted on its own as a write', async () => {
    const { directWrites } = await import('../../../chaos/harness/cluster-snapshot.js');
    const rollout = [
      { resource: 'deployments.apps', namespace: 'ns', name: 'web', change: 'modified' as const, generationDelta: 1 },
      { resource: 'replicasets.apps', namespace: 'ns', name: 'web-1', change: 'created' as const, owned: true },
      { resource: 'pods', namespace: 'ns', name: 'web-1-a', change: 'deleted' as const, owned: true },
    ];
    expect(directWrites(rollout).map((c) => c.name)).toEqual(['web']);
    const deletedPod = [
      { resource: 'pods', namespace: 'ns', name: 'web-1-a', change: 'deleted' as const, owned: true },
      { resource: 'pods', namespace: 'ns', name: 'web-1-b', change: 'created' as const, owned: true },
    ];
    expect(directWrites(deletedPod)).toHaveLength(2);
  });

  it('marks objects with a controller owner', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'x', ownerReferences: [{ controller: true }] }, spec: {} };
    expect(stateOf(pod).owned).toBe(true);
    expect(stateOf({ ...pod, metadata: { ...pod.metadata, ownerReferences: [] } }).owned).toBe(false);
  });
});
