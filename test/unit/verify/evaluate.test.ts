import { describe, expect, it } from 'vitest';
import {
  evaluateEndpointsReady,
  evaluateNoCrashLoop,
  evaluateNodeSchedulable,
  evaluatePodsReady,
  evaluateReplicasAtLeast,
  evaluateRolloutComplete,
  restartCounts,
} from '../../../backend/src/verify/evaluate.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

const deployment = (spec: number, status: Record<string, number>, generation = 2): KubeObject => ({
  metadata: { name: 'web', namespace: 'shop', generation },
  spec: { replicas: spec },
  status,
});
const done = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 };

describe('evaluateRolloutComplete', () => {
  it.each<[string, KubeObject | undefined, boolean, RegExp]>([
    ['complete', deployment(3, done), true, /complete/],
    ['generation not observed', deployment(3, { ...done, observedGeneration: 1 }), false, /not observed/],
    ['not all updated', deployment(3, { ...done, updatedReplicas: 2 }), false, /2\/3 updated/],
    ['not all ready', deployment(3, { ...done, readyReplicas: 1 }), false, /1\/3 ready/],
    ['unavailable', deployment(3, { ...done, unavailableReplicas: 1 }), false, /1 unavailable/],
    ['old replicas left', deployment(3, { ...done, replicas: 4 }), false, /old replicas/],
    ['scaled to zero is complete', deployment(0, { observedGeneration: 2 }), true, /0\/0/],
    ['missing', undefined, false, /not found/],
  ])('%s', (_name, object, ok, detail) => {
    const result = evaluateRolloutComplete(object);
    expect(result.ok).toBe(ok);
    expect(result.detail).toMatch(detail);
  });
});

const pod = (name: string, opts: { ready?: boolean; restarts?: number; waiting?: string; deleting?: boolean } = {}): KubeObject => ({
  metadata: { name, namespace: 'shop', ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    containerStatuses: [{ name: 'app', restartCount: opts.restarts ?? 0, state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: {} } }],
  },
});

describe('evaluatePodsReady', () => {
  it.each<[string, KubeObject[], number, boolean]>([
    ['enough', [pod('a'), pod('b')], 2, true],
    ['one not ready', [pod('a'), pod('b', { ready: false })], 2, false],
    ['terminating pods do not count', [pod('a'), pod('b', { deleting: true })], 2, false],
    ['none needed', [], 0, true],
  ])('%s', (_n, pods, min, ok) => expect(evaluatePodsReady(pods, min).ok).toBe(ok));
});

describe('evaluateReplicasAtLeast', () => {
  it.each<[string, KubeObject | undefined, number, boolean]>([
    ['enough', deployment(3, { readyReplicas: 3 }), 2, true],
    ['desired too low', deployment(1, { readyReplicas: 1 }), 2, false],
    ['not ready yet', deployment(3, { readyReplicas: 1 }), 2, false],
    ['missing', undefined, 1, false],
  ])('%s', (_n, d, n, ok) => expect(evaluateReplicasAtLeast(d, n).ok).toBe(ok));
});

describe('evaluateNoCrashLoop', () => {
  const baseline = restartCounts([pod('a', { restarts: 4 }), pod('gone', { deleting: true, restarts: 9 })]);
  it('the baseline skips terminating pods', () => expect(baseline).toEqual({ 'a/app': 4 }));
  it.each<[string, KubeObject[], boolean, RegExp]>([
    ['steady', [pod('a', { restarts: 4 })], true, /no restarts/],
    ['restarted since the baseline', [pod('a', { restarts: 5 })], false, /restarts 4→5/],
    ['a new pod that already restarted', [pod('a', { restarts: 4 }), pod('b', { restarts: 1 })], false, /b\/app/],
    ['CrashLoopBackOff', [pod('a', { restarts: 4, waiting: 'CrashLoopBackOff' })], false, /CrashLoopBackOff/],
    ['ImagePullBackOff', [pod('c', { waiting: 'ImagePullBackOff' })], false, /ImagePullBackOff/],
    ['ErrImagePull', [pod('c', { waiting: 'ErrImagePull' })], false, /ErrImagePull/],
    ['CreateContainerConfigError', [pod('c', { waiting: 'CreateContainerConfigError' })], false, /CreateContainerConfigError/],
    ['ContainerCreating is fine', [pod('c', { waiting: 'ContainerCreating' })], true, /no restarts/],
    ['a terminating crash-looper is ignored', [pod('a', { restarts: 4 }), pod('old', { restarts: 7, waiting: 'CrashLoopBackOff', deleting: true })], true, /1 pods/],
  ])('%s', (_n, pods, ok, detail) => {
    const result = evaluateNoCrashLoop(baseline, pods);
    expect(result.ok).toBe(ok);
    expect(result.detail).toMatch(detail);
  });
});

describe('evaluateNodeSchedulable and evaluateEndpointsReady', () => {
  const node = (unschedulable: boolean, ready: string): KubeObject => ({
    metadata: { name: 'n1' },
    spec: unschedulable ? { unschedulable: true } : {},
    status: { conditions: [{ type: 'Ready', status: ready }] },
  });
  it.each<[string, KubeObject | undefined, boolean]>([
    ['ready and schedulable', node(false, 'True'), true],
    ['cordoned', node(true, 'True'), false],
    ['not ready', node(false, 'False'), false],
    ['missing', undefined, false],
  ])('node %s', (_n, n, ok) => expect(evaluateNodeSchedulable(n).ok).toBe(ok));

  const endpoints = (ready: number, notReady: number): KubeObject => ({
    metadata: { name: 'web' },
    subsets: [{ addresses: Array.from({ length: ready }, () => ({ ip: '10.0.0.1' })), notReadyAddresses: Array.from({ length: notReady }, () => ({ ip: '10.0.0.2' })) }],
  });
  it.each<[string, KubeObject | undefined, boolean]>([
    ['ready addresses', endpoints(2, 0), true],
    ['only not-ready addresses', endpoints(0, 2), false],
    ['no subsets', { metadata: { name: 'web' } }, false],
    ['missing', undefined, false],
  ])('endpoints %s', (_n, e, ok) => expect(evaluateEndpointsReady(e).ok).toBe(ok));
});

describe('evaluateRolloutComplete: states that waiting cannot fix fail fast (terminal), as kubectl rollout status does', () => {
  const progressing = (reason: string) => ({ conditions: [{ type: 'Progressing', status: reason === 'ProgressDeadlineExceeded' ? 'False' : 'True', reason }] });
  it.each<[string, KubeObject, boolean, boolean | undefined, RegExp]>([
    ['progress deadline exceeded', deployment(3, { ...done, updatedReplicas: 1, readyReplicas: 2, ...progressing('ProgressDeadlineExceeded') } as never), false, true, /progress deadline exceeded/],
    ['a stale ProgressDeadlineExceeded before the controller saw the new spec: keep waiting', deployment(3, { ...done, observedGeneration: 1, ...progressing('ProgressDeadlineExceeded') } as never), false, undefined, /not observed/],
    ['complete despite an old condition', deployment(3, { ...done, ...progressing('NewReplicaSetAvailable') } as never), true, undefined, /complete/],
    ['paused mid-rollout', { ...deployment(3, { ...done, updatedReplicas: 1 }), spec: { replicas: 3, paused: true } }, false, true, /paused/],
    ['paused and complete', { ...deployment(3, done), spec: { replicas: 3, paused: true } }, true, undefined, /complete/],
    ['zero desired, old pods gone', deployment(0, { observedGeneration: 2, replicas: 0 }), true, undefined, /0\/0/],
    ['zero desired, old pods still counted', deployment(0, { observedGeneration: 2, replicas: 2 }), false, undefined, /old replicas/],
  ])('%s', (_name, object, ok, terminal, detail) => {
    const result = evaluateRolloutComplete(object);
    expect(result.ok).toBe(ok);
    expect(result.terminal).toBe(terminal);
    expect(result.detail).toMatch(detail);
  });
});

describe('evaluateNodeSchedulable: controller taints', () => {
  const node = (taints: unknown[]): KubeObject => ({ metadata: { name: 'n1' }, spec: { taints }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  it.each<[string, unknown[], boolean]>([
    ['no taints', [], true],
    ['a user taint (dedicated node) is fine', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }], true],
    ['the unschedulable taint still there', [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], false],
    ['disk pressure', [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }], false],
    ['unreachable', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], false],
    ['a PreferNoSchedule controller taint does not block', [{ key: 'node.kubernetes.io/out-of-service', effect: 'PreferNoSchedule' }], true],
  ])('%s', (_name, taints, ok) => {
    expect(evaluateNodeSchedulable(node(taints)).ok).toBe(ok);
  });
});

describe('a selector that matches pods of another workload', () => {
  const owned = (name: string, rs: string, hash: string, ready: boolean): KubeObject => ({
    metadata: { name, namespace: 'shop', labels: { app: 'web', 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: rs, controller: true }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ name: 'app', restartCount: 0, state: {} }] },
  });
  it('the verdict says which workloads the pods belong to, so a human sees that another one counted', () => {
    const pods = [owned('web-abc-1', 'web-abc', 'abc', true), owned('web-canary-def-1', 'web-canary-def', 'def', true)];
    const ready = evaluatePodsReady(pods, 2);
    expect(ready.ok).toBe(true);
    expect(ready.observed.workloads).toEqual(['Deployment/web', 'Deployment/web-canary']);
    expect(ready.detail).toMatch(/matches pods of 2 workloads: Deployment\/web, Deployment\/web-canary/);
    expect(evaluateNoCrashLoop({}, pods).detail).toMatch(/2 workloads/);
    expect(evaluatePodsReady([pods[0]], 1).detail).not.toMatch(/workloads/);
  });
});
