// The re-check before resolving, per kind, on fixture objects shaped as the API server returns them.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../backend/src/domain/kube.js';
import type { ClusterReader } from '../../../backend/src/domain/ports.js';
import { evaluateDaemonSetRollout, evaluateStatefulSetRollout } from '../../../backend/src/verify/evaluate-workload-rollout.js';
import { recheckSymptom } from '../../../backend/src/verify/recheck-symptom.js';

const sts = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 3): KubeObject => ({
  metadata: { name: 'db', namespace: 'data', generation },
  spec: { replicas: 3, selector: { matchLabels: { app: 'db' } }, ...spec },
  status,
});
const stsDone = { observedGeneration: 3, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: 'db-7c9', updateRevision: 'db-7c9' };

const ds = (status: Record<string, unknown>, spec: Record<string, unknown> = {}, generation = 2): KubeObject => ({
  metadata: { name: 'agent', namespace: 'ops', generation },
  spec: { selector: { matchLabels: { app: 'agent' } }, ...spec },
  status,
});
const dsDone = { observedGeneration: 2, desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberMisscheduled: 0 };

describe('evaluateStatefulSetRollout', () => {
  it.each<[string, KubeObject | undefined, boolean, RegExp]>([
    ['complete', sts({}, stsDone), true, /3\/3 ready, 3\/3 updated/],
    ['generation not observed', sts({}, { ...stsDone, observedGeneration: 2 }), false, /not observed/],
    ['a replica not ready', sts({}, { ...stsDone, readyReplicas: 2 }), false, /2\/3 ready/],
    ['not all updated', sts({}, { ...stsDone, updatedReplicas: 1, currentRevision: 'db-5d1' }), false, /1\/3 updated.*not current/],
    ['update revision not current yet', sts({}, { ...stsDone, currentRevision: 'db-5d1' }), false, /db-7c9 not current/],
    ['partitioned: only the ordinals from the partition up must be updated', sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, { ...stsDone, updatedReplicas: 1, currentRevision: 'db-5d1' }), true, /1\/3 updated \(partition 2\)/],
    ['OnDelete: readiness decides', sts({ updateStrategy: { type: 'OnDelete' } }, { ...stsDone, updatedReplicas: 0, currentRevision: 'db-5d1' }), true, /OnDelete/],
    ['missing', undefined, false, /not found/],
  ])('%s', (_name, object, ok, detail) => {
    const result = evaluateStatefulSetRollout(object);
    expect(result.ok).toBe(ok);
    expect(result.detail).toMatch(detail);
  });
});

describe('evaluateDaemonSetRollout', () => {
  it.each<[string, KubeObject | undefined, boolean, RegExp]>([
    ['complete', ds(dsDone), true, /2\/2 scheduled pods/],
    ['generation not observed', ds({ ...dsDone, observedGeneration: 1 }), false, /not observed/],
    ['a node still runs the old pod', ds({ ...dsDone, updatedNumberScheduled: 1 }), false, /1\/2 updated/],
    ['a pod not ready', ds({ ...dsDone, numberReady: 1, numberAvailable: 1, numberUnavailable: 1 }), false, /1\/2 ready.*1 unavailable/],
    ['OnDelete does not wait for updates', ds({ ...dsDone, updatedNumberScheduled: 0 }, { updateStrategy: { type: 'OnDelete' } }), true, /complete/],
    ['missing', undefined, false, /not found/],
  ])('%s', (_name, object, ok, detail) => {
    const result = evaluateDaemonSetRollout(object);
    expect(result.ok).toBe(ok);
    expect(result.detail).toMatch(detail);
  });
});

const pod = (name: string, labels: Record<string, string>, opts: { ready?: boolean; waiting?: string } = {}): KubeObject => ({
  metadata: { name, namespace: 'x', labels },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    containerStatuses: [{ name: 'c', restartCount: 0, ready: opts.ready !== false, state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: {} } }],
  },
});

/** A ClusterReader over fixture objects (get by kind/namespace/name; list pods by an a=b selector). */
function fixtureReader(objects: Array<{ kind: string; namespace?: string; object: KubeObject }>): ClusterReader {
  return {
    get: async (kind, namespace, name) => objects.find((o) => o.kind === kind && o.object.metadata.name === name && (kind === 'Node' || o.namespace === namespace))?.object,
    list: async (kind, namespace, options) => {
      const wanted = Object.fromEntries((options?.labelSelector ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
      return objects
        .filter((o) => o.kind === kind && o.namespace === namespace)
        .map((o) => o.object)
        .filter((o) => Object.entries(wanted).every(([k, v]) => o.metadata.labels?.[k] === v));
    },
    readLog: async () => '',
  };
}

describe('recheckSymptom', () => {
  it('a StatefulSet is clean with its rollout complete and every pod ready; a crash-looping pod keeps it open', async () => {
    const pods = ['db-0', 'db-1', 'db-2'].map((n) => ({ kind: 'Pod', namespace: 'data', object: pod(n, { app: 'db' }) }));
    const clean = await recheckSymptom({ kind: 'StatefulSet', namespace: 'data', name: 'db' }, fixtureReader([{ kind: 'StatefulSet', namespace: 'data', object: sts({}, stsDone) }, ...pods]));
    expect(clean).toEqual({ clean: true, detail: expect.stringMatching(/^statefulset data\/db: rollout complete.*3 pods ready/) });
    const looping = [...pods.slice(0, 2), { kind: 'Pod', namespace: 'data', object: pod('db-2', { app: 'db' }, { ready: false, waiting: 'CrashLoopBackOff' }) }];
    // The status can lag the kubelet: the pods decide.
    const dirty = await recheckSymptom({ kind: 'statefulset', namespace: 'data', name: 'db' }, fixtureReader([{ kind: 'StatefulSet', namespace: 'data', object: sts({}, stsDone) }, ...looping]));
    expect(dirty).toEqual({ clean: false, detail: 'statefulset data/db: pods still failing: db-2: CrashLoopBackOff' });
  });

  it('a DaemonSet is clean with every scheduled pod updated and ready, not with a rollout under way', async () => {
    const pods = ['agent-a', 'agent-b'].map((n) => ({ kind: 'Pod', namespace: 'ops', object: pod(n, { app: 'agent' }) }));
    expect((await recheckSymptom({ kind: 'DaemonSet', namespace: 'ops', name: 'agent' }, fixtureReader([{ kind: 'DaemonSet', namespace: 'ops', object: ds(dsDone) }, ...pods]))).clean).toBe(true);
    const rolling = await recheckSymptom({ kind: 'DaemonSet', namespace: 'ops', name: 'agent' }, fixtureReader([{ kind: 'DaemonSet', namespace: 'ops', object: ds({ ...dsDone, updatedNumberScheduled: 1 }) }, ...pods]));
    expect(rolling).toEqual({ clean: false, detail: 'daemonset ops/agent: rollout not complete: 1/2 updated' });
  });

  it('a Service is clean with a ready endpoint address, not with only not-ready ones, nor as ExternalName', async () => {
    const service = (type = 'ClusterIP'): KubeObject => ({ metadata: { name: 'api', namespace: 'shop' }, spec: { type, selector: { app: 'api' } } });
    const endpoints = (subsets: unknown[]): KubeObject => ({ metadata: { name: 'api', namespace: 'shop' }, subsets } as KubeObject);
    const read = (svc: KubeObject, eps?: KubeObject) => fixtureReader([{ kind: 'Service', namespace: 'shop', object: svc }, ...(eps ? [{ kind: 'Endpoints', namespace: 'shop', object: eps }] : [])]);
    expect(await recheckSymptom({ kind: 'Service', namespace: 'shop', name: 'api' }, read(service(), endpoints([{ addresses: [{ ip: '10.0.0.5' }], notReadyAddresses: [{ ip: '10.0.0.6' }] }])))).toEqual({ clean: true, detail: 'service shop/api: 1 ready endpoint addresses' });
    expect(await recheckSymptom({ kind: 'Service', namespace: 'shop', name: 'api' }, read(service(), endpoints([{ notReadyAddresses: [{ ip: '10.0.0.6' }] }])))).toEqual({ clean: false, detail: 'service shop/api: no ready endpoint addresses (1 not ready)' });
    expect((await recheckSymptom({ kind: 'Service', namespace: 'shop', name: 'api' }, read(service()))).clean).toBe(false);
    expect((await recheckSymptom({ kind: 'Service', namespace: 'shop', name: 'api' }, read(service('ExternalName')))).detail).toMatch(/ExternalName/);
    expect((await recheckSymptom({ kind: 'Service', namespace: 'shop', name: 'gone' }, read(service()))).detail).toBe('service shop/gone not found');
  });

  it('a Node is clean when Ready and schedulable; cordoned or NotReady it is not', async () => {
    const node = (spec: Record<string, unknown>, ready: string): KubeObject => ({ metadata: { name: 'worker-1' }, spec, status: { conditions: [{ type: 'Ready', status: ready }] } });
    const read = (n: KubeObject) => fixtureReader([{ kind: 'Node', object: n }]);
    expect(await recheckSymptom({ kind: 'Node', name: 'worker-1' }, read(node({}, 'True')))).toEqual({ clean: true, detail: 'node worker-1: node is Ready and schedulable' });
    expect((await recheckSymptom({ kind: 'Node', name: 'worker-1' }, read(node({ unschedulable: true }, 'True')))).detail).toBe('node worker-1: node is cordoned (unschedulable)');
    expect((await recheckSymptom({ kind: 'Node', name: 'worker-1' }, read(node({}, 'False')))).clean).toBe(false);
  });

  it('a kind without a re-check is never clean', async () => {
    expect(await recheckSymptom({ kind: 'CronJob', namespace: 'x', name: 'nightly' }, fixtureReader([]))).toEqual({ clean: false, detail: 'no re-check for CronJob yet; a human resolves this incident' });
  });
});
