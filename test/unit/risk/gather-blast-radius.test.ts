import { describe, expect, it } from 'vitest';
import type { KubeObject, ListOptions, ReadableKind } from '../../../backend/src/domain/kube.js';
import type { ClusterReader } from '../../../backend/src/domain/ports.js';
import { assessBlastRadius, assessCommand, gatherBlastRadiusFacts, type ParsedKubectl } from '../../../backend/src/risk/index.js';
import { POLICY } from './corpus-helpers.js';

/**
 * An in-memory ClusterReader over fixed objects, honouring the port's contract (namespace undefined = all namespaces,
 * equality label selectors, spec.nodeName field selector). It records every call so the test can check the reads stay
 * bounded and read-only. The client-node implementation lives in cluster/ (diagnose branch).
 */
class FixtureClusterReader implements ClusterReader {
  readonly calls: string[] = [];
  constructor(private readonly objects: Array<KubeObject & { kind: ReadableKind }>) {}

  async get(kind: ReadableKind, namespace: string | undefined, name: string) {
    this.calls.push(`get ${kind} ${namespace}/${name}`);
    return this.objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace || !o.metadata.namespace));
  }

  async list(kind: ReadableKind, namespace: string | undefined, options: ListOptions = {}) {
    this.calls.push(`list ${kind} ${namespace ?? '*'} ${options.labelSelector ?? ''} ${options.fieldSelector ?? ''}`.trim());
    return this.objects.filter((o) => {
      if (o.kind !== kind || (namespace !== undefined && o.metadata.namespace !== namespace)) return false;
      for (const term of (options.labelSelector ?? '').split(',').filter(Boolean)) {
        const [k, v] = term.split('=');
        if (o.metadata.labels?.[k] !== v) return false;
      }
      const node = /^spec\.nodeName=(.+)$/.exec(options.fieldSelector ?? '');
      return !node || o.spec?.nodeName === node[1];
    });
  }

  async readLog() {
    return '';
  }
}

const ready = { conditions: [{ type: 'Ready', status: 'True' }] };
const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, uid: `${kind}-${name}`, controller: true }];
const cluster = (): Array<KubeObject & { kind: ReadableKind }> => [
  { kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } }, status: { readyReplicas: 2 } },
  { kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'shop', ownerReferences: owner('Deployment', 'web') }, spec: { replicas: 2 }, status: { readyReplicas: 2 } },
  { kind: 'Pod', metadata: { name: 'web-abc-1', namespace: 'shop', labels: { app: 'web' }, ownerReferences: owner('ReplicaSet', 'web-abc') }, spec: { nodeName: 'n1' }, status: ready },
  { kind: 'Pod', metadata: { name: 'web-abc-2', namespace: 'shop', labels: { app: 'web' }, ownerReferences: owner('ReplicaSet', 'web-abc') }, spec: { nodeName: 'n1' }, status: ready },
  { kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' }, spec: { selector: { matchLabels: { app: 'agent' } } }, status: { desiredNumberScheduled: 2, numberReady: 2 } },
  { kind: 'Pod', metadata: { name: 'agent-x', namespace: 'kube-system', labels: { app: 'agent' }, ownerReferences: owner('DaemonSet', 'agent') }, spec: { nodeName: 'n1' }, status: ready },
  { kind: 'Pod', metadata: { name: 'scratch', namespace: 'shop', labels: { run: 'scratch' } }, spec: { nodeName: 'n2' }, status: ready },
  { kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 1 } },
  { kind: 'Endpoints', metadata: { name: 'web', namespace: 'shop' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }] },
];

const parsed = (line: string): ParsedKubectl => assessCommand(line, POLICY).parsed as ParsedKubectl;

describe('gatherBlastRadiusFacts', () => {
  // kubectl reads drain's argument through the resource builder: "node/n1" and "nodes/n1" are node n1 too.
  it.each(['kubectl drain n1 --ignore-daemonsets', 'kubectl drain node/n1 --ignore-daemonsets', 'kubectl drain Nodes/n1 --ignore-daemonsets'])('drain: reads the node\'s pods, follows Pod → ReplicaSet → Deployment, and finds the PDB (%s)', async (line) => {
    const reader = new FixtureClusterReader(cluster());
    const cmd = parsed(line);
    const facts = await gatherBlastRadiusFacts(cmd, reader);
    expect(facts.pods.map((p) => [p.name, p.owner, p.staysOnDrain ?? false])).toEqual([
      ['web-abc-1', 'Deployment/shop/web', false],
      ['web-abc-2', 'Deployment/shop/web', false],
      ['agent-x', 'DaemonSet/kube-system/agent', true],
    ]);
    expect(facts.workloads).toContainEqual(expect.objectContaining({ key: 'Deployment/shop/web', kind: 'Deployment', namespace: 'shop', name: 'web', desired: 2, ready: 2 }));
    expect(facts.pdbs.map((p) => p.name)).toEqual(['web']);
    const blast = assessBlastRadius(cmd, facts);
    expect(blast.level).toBe('high');
    expect(blast.podsTouched).toBe(2);
    expect(blast.reasons).toEqual([
      'leaves Deployment shop/web with no ready replica (2 ready now)',
      'violates PodDisruptionBudget shop/web: it allows 1 disruption(s), the command removes 2 covered pod(s)',
    ]);
    expect(reader.calls.every((c) => c.startsWith('get ') || c.startsWith('list '))).toBe(true);
  });

  it('deleting one of two pods: one ready replica stays, the PDB allows it', async () => {
    const cmd = parsed('kubectl delete pod web-abc-1 -n shop');
    const blast = assessBlastRadius(cmd, await gatherBlastRadiusFacts(cmd, new FixtureClusterReader(cluster())));
    expect(blast).toEqual({ level: 'low', reasons: [], podsTouched: 1 });
  });

  it('deleting a bare pod and a missing pod', async () => {
    const cmd = parsed('kubectl delete pod scratch ghost -n shop');
    const blast = assessBlastRadius(cmd, await gatherBlastRadiusFacts(cmd, new FixtureClusterReader(cluster())));
    expect(blast.reasons).toEqual(['removes pod shop/scratch, which no controller recreates']);
  });

  it('scale to 0 and delete service read the workload, its pods and the endpoints', async () => {
    const scale = parsed('kubectl scale deploy web --replicas=0 -n shop');
    const s = assessBlastRadius(scale, await gatherBlastRadiusFacts(scale, new FixtureClusterReader(cluster())));
    expect(s.level).toBe('high');
    expect(s.podsTouched).toBe(2);
    const del = parsed('kubectl delete svc web -n shop');
    const d = assessBlastRadius(del, await gatherBlastRadiusFacts(del, new FixtureClusterReader(cluster())));
    expect(d.reasons).toEqual(['deletes Service shop/web, which routes traffic to 2 ready endpoint(s)']);
  });

  it('uses the default namespace when the command names none', async () => {
    const reader = new FixtureClusterReader(cluster());
    await gatherBlastRadiusFacts(parsed('kubectl delete pod web-abc-1'), reader, { defaultNamespace: 'shop' });
    expect(reader.calls[0]).toBe('get Pod shop/web-abc-1');
  });
});
