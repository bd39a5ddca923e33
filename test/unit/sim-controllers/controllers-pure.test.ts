import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, newRSAnnotations, newRSNewReplicas, resolveIntOrPercent, setCondition } from '../../../chaos/sim/controllers/deployment-util.js';
import { maxUnavailableOf, podsToReplace } from '../../../chaos/sim/controllers/daemonset-controller.js';
import { recommendReplicas, stabilise } from '../../../chaos/sim/controllers/hpa-controller.js';
import { matchesSelector } from '../../../chaos/sim/controllers/label-selector.js';
import { desiredTaints, evictionDue } from '../../../chaos/sim/controllers/node-lifecycle.js';
import { computePdbNumbers } from '../../../chaos/sim/controllers/pdb-controller.js';
import type { NodeInfo } from '../../../chaos/sim/controllers/scheduler-fit.js';
import { fitFailures, podRequests, unschedulableMessage } from '../../../chaos/sim/controllers/scheduler-fit.js';
import { computeTemplateHash, safeEncodeString, templatesEqual } from '../../../chaos/sim/controllers/template-hash.js';
import type { SimObject } from '../../../chaos/sim/store/types.js';

const obj = (o: Record<string, unknown>): SimObject => ({ metadata: { name: 'x', uid: 'u', resourceVersion: '1', creationTimestamp: '' }, apiVersion: 'v1', kind: 'X', ...o }) as SimObject;

describe('pod-template-hash', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
  it('is stable, key-order independent and uses the safe alphabet', () => {
    const h = computeTemplateHash(template);
    expect(h).toMatch(/^[bcdfg456789]{9,10}$/);
    expect(computeTemplateHash({ spec: template.spec, metadata: template.metadata })).toBe(h);
    expect(computeTemplateHash({ ...template, metadata: { labels: { app: 'web', 'pod-template-hash': 'zzz' } } })).toBe(h);
    expect(computeTemplateHash(template, 1)).not.toBe(h);
    expect(computeTemplateHash({ ...template, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } })).not.toBe(h);
  });
  it('maps decimal digits like rand.SafeEncodeString', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
  it('compares templates ignoring the hash label', () => {
    expect(templatesEqual({ metadata: { labels: { a: '1', 'pod-template-hash': 'h' } } }, { metadata: { labels: { a: '1' } } })).toBe(true);
  });
});

describe('deployment arithmetic', () => {
  const d = (replicas: number, surge?: number | string, unavailable?: number | string) =>
    obj({ spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } } });
  it.each([
    [10, '25%', '25%', 3, 2],
    [3, '25%', '25%', 1, 0],
    [4, 1, 0, 1, 0],
    [3, 0, 0, 0, 1],
    [5, '50%', '10%', 3, 0],
    [1, 0, '100%', 0, 1],
  ])('replicas %d surge %s unavailable %s → %d/%d', (r, s, u, es, eu) => {
    expect(maxSurge(d(r, s, u))).toBe(es);
    expect(maxUnavailable(d(r, s, u))).toBe(eu);
  });
  it('scales the new ReplicaSet up to replicas + surge', () => {
    const rs = (replicas: number) => obj({ spec: { replicas } });
    expect(newRSNewReplicas(d(3), [rs(3)], undefined)).toBe(1);
    expect(newRSNewReplicas(d(3), [rs(3), rs(1)], rs(1))).toBe(1);
    expect(newRSNewReplicas(d(3), [rs(2), rs(1)], rs(1))).toBe(2);
    expect(newRSNewReplicas(obj({ spec: { replicas: 4, strategy: { type: 'Recreate' } } }), [], undefined)).toBe(4);
  });
  it('resolves percentages', () => {
    expect(resolveIntOrPercent('25%', 10, true, '0')).toBe(3);
    expect(resolveIntOrPercent('25%', 10, false, '0')).toBe(2);
    expect(resolveIntOrPercent(undefined, 10, true, '25%')).toBe(3);
  });
  it('gives a reused ReplicaSet the next revision and a revision history', () => {
    const deployment = obj({ metadata: { name: 'web', uid: 'd', resourceVersion: '1', creationTimestamp: '', annotations: { owner: 'sre', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '4' } }, spec: { replicas: 2 } });
    const reused = obj({ metadata: { name: 'web-1', uid: 'r', resourceVersion: '1', creationTimestamp: '', annotations: { 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/revision-history': '1' } } });
    const out = newRSAnnotations(deployment, reused, 5, true);
    expect(out).toMatchObject({ owner: 'sre', 'deployment.kubernetes.io/revision': '5', 'deployment.kubernetes.io/revision-history': '1,2' });
    expect(out['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    expect(newRSAnnotations(deployment, undefined, 1, false)).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3' });
  });
  it('keeps a condition whose status and reason did not change', () => {
    const first = setCondition([], { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'm' }, 't1');
    expect(setCondition(first, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'm' }, 't2')).toBe(first);
    const refreshed = setCondition(first, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'm' }, 't2', true);
    expect(refreshed[0]).toMatchObject({ lastUpdateTime: 't2', lastTransitionTime: 't1' });
  });
});

describe('scheduler fit', () => {
  const node = (name: string, extra: Record<string, unknown> = {}) =>
    obj({
      metadata: { name, uid: name, resourceVersion: '1', creationTimestamp: '', labels: { disk: 'ssd' } },
      spec: extra.spec ?? {},
      status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: extra.ready ?? 'True' }] },
    });
  const info = (n: SimObject, cpu = 0, memory = 0, pods = 0): NodeInfo => ({ node: n, allocatable: { cpu: 4, memory: 8 * 2 ** 30, pods: 110 }, requested: { cpu, memory, pods } });
  const pod = (spec: Record<string, unknown>) => obj({ spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });

  it('sums requests (defaulting to limits) and honours init containers', () => {
    const p = pod({
      containers: [
        { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { name: 'b', resources: { limits: { cpu: '500m', memory: '128Mi' } } },
      ],
      initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }],
    });
    expect(podRequests(p)).toEqual({ cpu: 2, memory: 192 * 2 ** 20, pods: 1 });
  });

  it('reports the reasons in filter order', () => {
    expect(fitFailures(pod({}), info(node('n', { spec: { unschedulable: true } })))).toEqual(['node(s) were unschedulable']);
    expect(fitFailures(pod({}), info(node('n', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } })))).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
    expect(fitFailures(pod({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), info(node('n', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } })))).toEqual([]);
    expect(fitFailures(pod({}), info(node('n', { ready: 'False' })))).toEqual(['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
    expect(fitFailures(pod({ nodeSelector: { disk: 'hdd' } }), info(node('n')))).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
    const big = pod({ containers: [{ name: 'c', resources: { requests: { cpu: '3', memory: '7Gi' } } }] });
    expect(fitFailures(big, info(node('n'), 2, 2 * 2 ** 30))).toEqual(['Insufficient cpu', 'Insufficient memory']);
    expect(fitFailures(pod({}), info(node('n'), 0, 0, 110))).toEqual(['Too many pods']);
  });

  it('writes the real FailedScheduling message', () => {
    expect(unschedulableMessage([['node(s) were unschedulable'], ['Insufficient memory'], ['Insufficient memory']])).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect(unschedulableMessage([['node(s) were unschedulable'], ['node(s) were unschedulable'], ['node(s) were unschedulable']])).toBe(
      '0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });
});

describe('node lifecycle', () => {
  it('taints NotReady and Unknown nodes and clears the taints when Ready', () => {
    const n = (status: string, taints?: unknown[]) => obj({ spec: { taints }, status: { conditions: [{ type: 'Ready', status }] } });
    expect(desiredTaints(n('False'), 't').map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    expect(desiredTaints(n('Unknown'), 't').map((t) => t.key)).toEqual(['node.kubernetes.io/unreachable', 'node.kubernetes.io/unreachable']);
    expect(desiredTaints(n('True', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'x', effect: 'NoSchedule' }]), 't')).toEqual([{ key: 'x', effect: 'NoSchedule' }]);
  });
  it('evicts after the smallest tolerationSeconds, scaled', () => {
    const taints = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' }];
    const toRealMs = (s: number) => (s * 1000) / 10;
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    expect(evictionDue(taints, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], toRealMs)).toBe(t0 + 30_000);
    expect(evictionDue(taints, [], toRealMs)).toBe('now');
    expect(evictionDue(taints, [{ operator: 'Exists' }], toRealMs)).toBeUndefined();
  });
});

describe('HPA, PDB and selectors', () => {
  it('recommends replicas with the 10% tolerance', () => {
    expect(recommendReplicas(2, 160, 80)).toBe(4);
    expect(recommendReplicas(4, 84, 80)).toBe(4);
    expect(recommendReplicas(4, 20, 80)).toBe(1);
    expect(recommendReplicas(0, 200, 80)).toBe(0);
  });
  it('stabilises scale-down over the window and rate-limits scale-up', () => {
    expect(stabilise(4, 1, [{ at: 0, replicas: 4 }], 1000, 30_000)).toBe(4);
    expect(stabilise(4, 1, [{ at: 0, replicas: 4 }], 40_000, 30_000)).toBe(1);
    expect(stabilise(2, 20, [], 0, 30_000)).toBe(6);
    expect(stabilise(10, 50, [], 0, 30_000)).toBe(20);
  });
  it('computes PDB numbers', () => {
    const pod = (ready: boolean) => obj({ metadata: { name: 'p', uid: 'p', resourceVersion: '1', creationTimestamp: '', labels: { app: 'web' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
    const pdb = obj({ spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    expect(computePdbNumbers(pdb, [pod(true), pod(true), pod(true)])).toEqual({ expectedPods: 3, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
    expect(computePdbNumbers(obj({ spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'web' } } } }), [pod(true), pod(false)])).toEqual({ expectedPods: 2, currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0 });
  });
  it('matches set-based selectors', () => {
    const s = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }, { key: 'canary', operator: 'DoesNotExist' }] };
    expect(matchesSelector(s, { app: 'web', tier: 'front' })).toBe(true);
    expect(matchesSelector(s, { app: 'web', tier: 'back' })).toBe(false);
    expect(matchesSelector(s, { app: 'web', tier: 'edge', canary: 'y' })).toBe(false);
  });
});

describe('DaemonSet rolling update', () => {
  const node = (name: string) => obj({ metadata: { name, uid: name, resourceVersion: '1', creationTimestamp: '' } });
  const pod = (name: string, hash: string, isReady: boolean) =>
    obj({ metadata: { name, uid: name, resourceVersion: '1', creationTimestamp: '', labels: { 'controller-revision-hash': hash } }, status: { conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False' }] } });
  const nodes = ['n1', 'n2', 'n3'].map(node);
  const names = (pods: SimObject[]) => pods.map((p) => p.metadata.name);

  it('replaces one ready old pod at a time with maxUnavailable 1', () => {
    const byNode = new Map([['n1', [pod('a', 'old', true)]], ['n2', [pod('b', 'old', true)]], ['n3', [pod('c', 'old', true)]]]);
    expect(names(podsToReplace(nodes, byNode, 'new', 1))).toEqual(['a']);
    expect(names(podsToReplace(nodes, byNode, 'new', 2))).toEqual(['a', 'b']);
  });

  it('stops while a new pod is unavailable (a crash-looping update goes no further)', () => {
    const byNode = new Map([['n1', [pod('a', 'new', false)]], ['n2', [pod('b', 'old', true)]], ['n3', [pod('c', 'old', true)]]]);
    expect(podsToReplace(nodes, byNode, 'new', 1)).toEqual([]);
  });

  it('replaces every old pod that is not available at once, beyond maxUnavailable (a rollback of a crash loop)', () => {
    const byNode = new Map([['n1', [pod('a', 'bad', false)]], ['n2', [pod('b', 'bad', false)]], ['n3', [pod('c', 'good', true)]]]);
    expect(names(podsToReplace(nodes, byNode, 'good', 1))).toEqual(['a', 'b']);
  });

  it('reads maxUnavailable as a count or a percentage rounded up, default 1', () => {
    const ds = (maxUnavailable?: number | string) => obj({ spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: maxUnavailable === undefined ? undefined : { maxUnavailable } } } });
    expect(maxUnavailableOf(ds(), 3)).toBe(1);
    expect(maxUnavailableOf(ds(2), 3)).toBe(2);
    expect(maxUnavailableOf(ds('50%'), 3)).toBe(2);
    expect(maxUnavailableOf(ds('10%'), 3)).toBe(1);
  });
});
