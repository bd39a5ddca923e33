import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../chaos/sim/store/memory-store.js';
import { SimApiError } from '../../../chaos/sim/store/errors.js';
import type { SimObject, WatchEvent } from '../../../chaos/sim/store/types.js';

function seeded(): MemoryStore {
  const store = new MemoryStore();
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as unknown as SimObject);
  return store;
}

const deployment = (name: string, replicas = 2): SimObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  }) as unknown as SimObject;

const pod = (name: string, extra: Record<string, unknown> = {}): SimObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25', ...extra }] },
  }) as unknown as SimObject;

function catchError(fn: () => unknown): SimApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SimApiError) return error;
    throw error;
  }
  throw new Error('expected a SimApiError');
}

describe('MemoryStore', () => {
  it('assigns uid, creationTimestamp, generation and a growing global resourceVersion', () => {
    const store = seeded();
    const a = store.create('deployments', deployment('a'));
    const b = store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } } as unknown as SimObject);
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a.metadata.generation).toBe(1);
    expect(b.metadata.generation).toBeUndefined();
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(store.currentResourceVersion()).toBe(b.metadata.resourceVersion);
    expect(b.metadata.namespace).toBe('default');
  });

  it('defaults deployments and pods like the real server', () => {
    const store = seeded();
    const d = store.create('deployments', deployment('web'));
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(d.status).toEqual({});
    const p = store.create('pods', pod('p', { image: 'nginx', resources: { limits: { memory: '64Mi' } } }));
    expect(p.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(p.spec.containers[0].resources.requests).toEqual({ memory: '64Mi' });
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.volumes[0].name).toMatch(/^kube-api-access-/);
    expect(p.spec.tolerations.map((t: { key: string }) => t.key)).toEqual(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'Burstable' });
  });

  it('bumps generation only on spec change and rejects stale resourceVersions with the real Conflict', () => {
    const store = seeded();
    const created = store.create('deployments', deployment('web'));
    const labelled = store.update('deployments', { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } });
    expect(labelled.metadata.generation).toBe(1);
    const scaled = store.update('deployments', { ...labelled, spec: { ...labelled.spec, replicas: 5 } });
    expect(scaled.metadata.generation).toBe(2);
    const error = catchError(() => store.update('deployments', { ...created, spec: { ...created.spec, replicas: 1 } }));
    expect(error.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 409,
    });
    // A no-op update writes nothing.
    const again = store.update('deployments', scaled);
    expect(again.metadata.resourceVersion).toBe(scaled.metadata.resourceVersion);
  });

  it('status updates never change spec or generation; spec updates never change status', () => {
    const store = seeded();
    const created = store.create('deployments', deployment('web'));
    const withStatus = store.updateStatus('deployments', { ...created, spec: { replicas: 9 }, status: { replicas: 2 } });
    expect(withStatus.spec.replicas).toBe(2);
    expect(withStatus.status).toEqual({ replicas: 2 });
    expect(withStatus.metadata.generation).toBe(1);
    const updated = store.update('deployments', { ...withStatus, status: { replicas: 7 } });
    expect(updated.status).toEqual({ replicas: 2 });
  });

  it('returns copies, and calls subscribers synchronously with ADDED/MODIFIED/DELETED', () => {
    const store = seeded();
    const events: WatchEvent[] = [];
    const unsubscribe = store.subscribe((e) => events.push(e));
    const created = store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } as unknown as SimObject);
    created.data = { mutated: 'yes' };
    expect(store.get('configmaps', 'default', 'c')?.data).toEqual({ a: '1' });
    store.update('configmaps', { ...store.get('configmaps', 'default', 'c')!, data: { a: '2' } });
    store.remove('configmaps', 'default', 'c');
    unsubscribe();
    expect(events.map((e) => [e.type, e.resource])).toEqual([
      ['ADDED', 'configmaps'],
      ['MODIFIED', 'configmaps'],
      ['DELETED', 'configmaps'],
    ]);
    expect(store.get('configmaps', 'default', 'c')).toBeUndefined();
  });

  it('dryRun persists nothing but shows uid and creationTimestamp', () => {
    const store = seeded();
    const rv = store.currentResourceVersion();
    const result = store.create('deployments', deployment('dry'), { dryRun: true });
    expect(result.metadata.uid).toBeTruthy();
    expect(result.metadata.resourceVersion).toBeUndefined();
    expect(store.get('deployments', 'default', 'dry')).toBeUndefined();
    expect(store.currentResourceVersion()).toBe(rv);
  });

  it('answers real NotFound, AlreadyExists and Invalid errors', () => {
    const store = seeded();
    store.create('deployments', deployment('web'));
    expect(catchError(() => store.create('deployments', deployment('web'))).status.message).toBe('deployments.apps "web" already exists');
    const missingNs = catchError(() => store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'nope' } } as unknown as SimObject));
    expect(missingNs.status).toMatchObject({ code: 404, message: 'namespaces "nope" not found', details: { name: 'nope', kind: 'namespaces' } });
    const negative = catchError(() => store.create('deployments', deployment('neg', -1)));
    expect(negative.status.message).toBe('Deployment.apps "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const badPod = catchError(() =>
      store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bad-pod' },
        spec: { containers: [{ name: 'Bad_C' }] },
      } as unknown as SimObject),
    );
    expect(badPod.status.details?.causes?.map((c) => c.field)).toEqual(['spec.containers[0].name', 'spec.containers[0].image']);
    expect(badPod.status.code).toBe(422);
  });

  it('generateName gives a 5-character suffix', () => {
    const store = seeded();
    const created = store.create('pods', { ...pod(''), metadata: { generateName: 'web-', namespace: 'default' } } as unknown as SimObject);
    expect(created.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('quota admission rejects pods beyond the hard limit with 403 Forbidden, also for controller writes', () => {
    const store = seeded();
    store.create('resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: '1' } } } as unknown as SimObject);
    store.create('pods', pod('one'));
    const error = catchError(() => store.create('pods', pod('two')));
    expect(error.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "two" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1',
    });
    expect(store.create('pods', pod('three'), { skipAdmission: true }).metadata.name).toBe('three');
  });

  it('LimitRange admission refuses a container over a Container max (or under a min) with the apiserver message', () => {
    const store = seeded();
    store.create('limitranges', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'mem-cap' }, spec: { limits: [{ type: 'Container', max: { memory: '128Mi' }, min: { cpu: '10m' } }] } } as unknown as SimObject);
    const sized = (name: string, resources: Record<string, unknown>) => {
      const p = pod(name) as unknown as { spec: { containers: Array<Record<string, unknown>> } };
      p.spec.containers = p.spec.containers.map((c) => ({ ...c, resources }));
      return p as unknown as SimObject;
    };
    const error = catchError(() => store.create('pods', sized('big', { limits: { memory: '256Mi' } })));
    expect(error.status).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "big" is forbidden: maximum memory usage per Container is 128Mi, but limit is 256Mi' });
    const both = catchError(() => store.create('pods', sized('both', { requests: { cpu: '5m' }, limits: { memory: '1Gi' } })));
    expect(both.status.message).toBe('pods "both" is forbidden: [minimum cpu usage per Container is 10m, but request is 5m, maximum memory usage per Container is 128Mi, but limit is 1Gi]');
    expect(store.create('pods', sized('fits', { limits: { memory: '128Mi' } })).metadata.name).toBe('fits');
    expect(store.create('pods', pod('unbounded')).metadata.name).toBe('unbounded');
  });

  it('graceful deletion sets deletionTimestamp; finalizer removal deletes', () => {
    const store = seeded();
    store.create('pods', pod('p'));
    const marked = store.markDeleting('pods', 'default', 'p', 30);
    expect(marked.removed).toBe(false);
    expect(marked.object.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(store.get('pods', 'default', 'p')?.metadata.deletionTimestamp).toBeTruthy();
    store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', finalizers: ['x/y'] } } as unknown as SimObject);
    store.markDeleting('configmaps', 'default', 'f', 0);
    const held = store.get('configmaps', 'default', 'f')!;
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    store.update('configmaps', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    expect(store.get('configmaps', 'default', 'f')).toBeUndefined();
  });

  it('keeps a bounded history for watch resumption', () => {
    const store = new MemoryStore({ historySize: 10 });
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as unknown as SimObject);
    for (let i = 0; i < 30; i++) {
      store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } } as unknown as SimObject);
    }
    expect(store.historySince(1)).toBeUndefined();
    const recent = store.historySince(Number(store.currentResourceVersion()) - 3);
    expect(recent?.map((e) => e.object.metadata.name)).toEqual(['c27', 'c28', 'c29']);
  });
});
