// @kubernetes/client-node 1.x against kube-sim: list, watch, informer, patch with each content type, logs,
// eviction honouring a PodDisruptionBudget, and watch resumption errors.

import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, PolicyV1Api, Watch, makeInformer, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/index.js';
import { eventually } from '../../helpers/kubectl.js';
import { addNode, addPod } from './sim-fixtures.js';

let sim: RunningSim;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  sim = await startSim({ withoutControllers: true });
  kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  addNode(sim.store, 'node-1');
});

afterAll(async () => {
  await sim?.stop();
});

const deploymentBody = {
  metadata: { name: 'api', labels: { app: 'api' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: { containers: [{ name: 'api', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }, { name: 'sidecar', image: 'busybox:1.36' }] },
    },
  },
};

describe('client-node against kube-sim', () => {
  it('creates and lists with label and field selectors', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'a', labels: { tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } });
    await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'b', labels: { tier: 'db' } }, spec: { containers: [{ name: 'c', image: 'redis:7' }] } } });
    const web = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'tier notin (db)' });
    expect(web.items.map((p) => p.metadata?.name)).toEqual(['a']);
    const byName = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.name==b' });
    expect(byName.items.map((p) => p.spec?.containers[0].image)).toEqual(['redis:7']);
    expect(Number(byName.metadata?.resourceVersion)).toBeGreaterThan(0);
    const pod = await core.readNamespacedPod({ name: 'a', namespace: 'default' });
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.serviceAccountName).toBe('default');
  });

  it('patches a deployment with strategic, merge and JSON patches', async () => {
    await apps.createNamespacedDeployment({ namespace: 'default', body: deploymentBody });
    await apps.patchNamespacedDeployment(
      { name: 'api', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'api', image: 'nginx:1.27' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await apps.patchNamespacedDeployment(
      { name: 'api', namespace: 'default', body: { metadata: { annotations: { owner: 'sre' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const patched = await apps.patchNamespacedDeployment(
      { name: 'api', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(patched.spec?.replicas).toBe(3);
    expect(patched.metadata?.annotations?.owner).toBe('sre');
    // The strategic patch merged by container name: the sidecar survived, the api image changed.
    expect(patched.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['api=nginx:1.27', 'sidecar=busybox:1.36']);
    expect(patched.metadata?.generation).toBe(3);
    // Server-side apply needs a field manager (422 without one, as on the real server).
    const ssa = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
    await expect(apps.patchNamespacedDeployment({ name: 'api', namespace: 'default', body: { spec: { replicas: 2 } } }, ssa)).rejects.toMatchObject({ code: 422 });
    const applied = await apps.patchNamespacedDeployment(
      { name: 'api', namespace: 'default', fieldManager: 'test', force: true, body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 2 } } },
      ssa,
    );
    expect(applied.spec?.replicas).toBe(2);
  });

  it('watches from a resourceVersion and sees ADDED, MODIFIED and DELETED', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const events: string[] = [];
    const watch = new Watch(kc);
    const request = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type, object: { metadata: { name: string } }) => events.push(`${type} ${object.metadata.name}`),
      () => undefined,
    );
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w' }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'w', namespace: 'default', body: { data: { a: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'default' });
    await eventually(() => events.length >= 3);
    request.abort();
    expect(events).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
  });

  it('keeps an informer cache in sync', async () => {
    const informer = makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default', labelSelector: 'informed=yes' }), 'informed=yes');
    const added: string[] = [];
    informer.on('add', (pod: V1Pod) => added.push(pod.metadata!.name!));
    await informer.start();
    try {
      await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'inf-1', labels: { informed: 'yes' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } });
      await eventually(() => informer.get('inf-1', 'default'));
      await core.deleteNamespacedPod({ name: 'inf-1', namespace: 'default' });
      await eventually(() => !informer.get('inf-1', 'default'));
      expect(added).toContain('inf-1');
      expect(informer.list('default').every((p) => p.metadata?.labels?.informed === 'yes')).toBe(true);
    } finally {
      await informer.stop();
    }
  });

  it('reads a container log (all lines, tail, previous)', async () => {
    addPod(sim.store, 'logger', { node: 'node-1', crashLoop: true, annotations: { 'sim.oncall-agent.dev/log.app': 'one\ntwo\nthree' } });
    expect(await core.readNamespacedPodLog({ name: 'logger', namespace: 'default' })).toBe('one\ntwo\nthree\n');
    expect(await core.readNamespacedPodLog({ name: 'logger', namespace: 'default', tailLines: 2, previous: true })).toBe('two\nthree\n');
  });

  it('eviction: 429 while a PodDisruptionBudget allows no disruption, 201 otherwise', async () => {
    const policy = kc.makeApiClient(PolicyV1Api);
    addPod(sim.store, 'guarded', { node: 'node-1', labels: { app: 'guarded' } });
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'default',
      body: { metadata: { name: 'guard' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } },
    });
    const evict = () => core.createNamespacedPodEviction({ name: 'guarded', namespace: 'default', body: { metadata: { name: 'guarded', namespace: 'default' } } });
    await expect(evict()).rejects.toMatchObject({ code: 429 });
    await policy.deleteNamespacedPodDisruptionBudget({ name: 'guard', namespace: 'default' });
    await evict();
    const pod = await core.readNamespacedPod({ name: 'guarded', namespace: 'default' });
    expect(pod.metadata?.deletionTimestamp).toBeTruthy();
  });

  it('deleting a deployment garbage-collects its ReplicaSets (Background) or orphans them (Orphan)', async () => {
    for (const name of ['gc-bg', 'gc-orphan']) {
      const d = await apps.createNamespacedDeployment({ namespace: 'default', body: { ...deploymentBody, metadata: { name, labels: { app: 'api' } } } });
      await apps.createNamespacedReplicaSet({
        namespace: 'default',
        body: {
          metadata: { name: `${name}-rs`, labels: { app: 'api' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata!.uid!, controller: true }] },
          spec: { replicas: 0, selector: deploymentBody.spec.selector, template: deploymentBody.spec.template },
        },
      });
    }
    await apps.deleteNamespacedDeployment({ name: 'gc-bg', namespace: 'default', propagationPolicy: 'Background' });
    await apps.deleteNamespacedDeployment({ name: 'gc-orphan', namespace: 'default', propagationPolicy: 'Orphan' });
    await eventually(async () => {
      const names = (await apps.listNamespacedReplicaSet({ namespace: 'default' })).items.map((r) => r.metadata?.name);
      return !names.includes('gc-bg-rs') && names.includes('gc-orphan-rs');
    });
    const orphan = await apps.readNamespacedReplicaSet({ name: 'gc-orphan-rs', namespace: 'default' });
    expect(orphan.metadata?.ownerReferences).toBeUndefined();
    await eventually(async () => !(await apps.listNamespacedDeployment({ namespace: 'default' })).items.some((d) => d.metadata?.name === 'gc-orphan'));
  });
});

describe('events.k8s.io/v1 is a view of core/v1 Events', () => {
  it('an event created through one API is read through the other', async () => {
    const { EventsV1Api } = await import('@kubernetes/client-node');
    const events = kc.makeApiClient(EventsV1Api);
    await events.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'view.1' },
        eventTime: new Date(),
        reportingController: 'oncall-agent',
        reportingInstance: 'test',
        action: 'Remediate',
        reason: 'RolledBack',
        note: 'rolled back deployment/api',
        type: 'Normal',
        regarding: { kind: 'Deployment', namespace: 'default', name: 'api' },
      },
    });
    const core1 = await core.readNamespacedEvent({ name: 'view.1', namespace: 'default' });
    expect([core1.message, core1.involvedObject.name, core1.reportingComponent]).toEqual(['rolled back deployment/api', 'api', 'oncall-agent']);
    await core.createNamespacedEvent({
      namespace: 'default',
      body: { metadata: { name: 'view.2' }, involvedObject: { kind: 'Pod', name: 'a', namespace: 'default' }, reason: 'BackOff', message: 'Back-off', type: 'Warning', count: 3 },
    });
    const listed = await events.listNamespacedEvent({ namespace: 'default', fieldSelector: 'regarding.name=a' });
    expect(listed.items.map((e) => [e.metadata?.name, e.note, e.deprecatedCount, e.regarding?.kind])).toEqual([['view.2', 'Back-off', 3, 'Pod']]);
  });
});

describe('collections and namespaces', () => {
  it('deletecollection removes what the selector matches; deleting a namespace empties and removes it', async () => {
    await core.createNamespace({ body: { metadata: { name: 'scratch' } } });
    for (const [name, tier] of [['c1', 'x'], ['c2', 'x'], ['c3', 'y']]) {
      await core.createNamespacedConfigMap({ namespace: 'scratch', body: { metadata: { name, labels: { tier } } } });
    }
    await core.deleteCollectionNamespacedConfigMap({ namespace: 'scratch', labelSelector: 'tier=x' });
    expect((await core.listNamespacedConfigMap({ namespace: 'scratch' })).items.map((c) => c.metadata?.name)).toEqual(['c3']);
    // A finalizer holds one object back, so the namespace stays Terminating until it is released.
    await core.patchNamespacedConfigMap(
      { name: 'c3', namespace: 'scratch', body: { metadata: { finalizers: ['example.com/hold'] } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const deleting = await core.deleteNamespace({ name: 'scratch' });
    expect((deleting as { status?: { phase?: string } }).status?.phase).toBe('Terminating');
    await expect(core.createNamespacedConfigMap({ namespace: 'scratch', body: { metadata: { name: 'late' } } })).rejects.toMatchObject({ code: 403 });
    const held = await eventually(async () => (await core.readNamespacedConfigMap({ name: 'c3', namespace: 'scratch' })).metadata?.deletionTimestamp);
    expect(held).toBeTruthy();
    expect((await core.readNamespace({ name: 'scratch' })).status?.phase).toBe('Terminating');
    await core.patchNamespacedConfigMap({ name: 'c3', namespace: 'scratch', body: { metadata: { finalizers: null } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await eventually(async () => (await core.listNamespace()).items.every((n) => n.metadata?.name !== 'scratch'));
    expect((await core.listNamespacedConfigMap({ namespace: 'scratch' })).items).toEqual([]);
  });
});
