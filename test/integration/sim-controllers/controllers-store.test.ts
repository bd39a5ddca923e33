// The controllers driven straight through the store (no HTTP): workload controllers, endpoints, quota, PDB, HPA,
// rollout strategies and deadlines, with a fast clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startControllers } from '../../../chaos/sim/controllers/index.js';
import type { RunningControllers } from '../../../chaos/sim/controllers/index.js';
import { MemoryStore } from '../../../chaos/sim/store/memory-store.js';
import type { SimObject } from '../../../chaos/sim/store/types.js';
import { eventually } from '../../helpers/kubectl.js';

let store: MemoryStore;
let controllers: RunningControllers;

const make = (apiVersion: string, kind: string, name: string, rest: Record<string, unknown>, meta: Record<string, unknown> = {}): SimObject =>
  ({ apiVersion, kind, metadata: { name, namespace: 'default', ...meta }, ...rest }) as unknown as SimObject;

const template = (app: string, container: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25', ...container }] },
});

const podsOf = (app: string): SimObject[] => store.list('pods', 'default').filter((p) => p.metadata.labels?.app === app);
const ready = (p: SimObject): boolean => (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

beforeEach(() => {
  store = new MemoryStore();
  store.create('namespaces', make('v1', 'Namespace', 'default', {}, { namespace: undefined }), { skipAdmission: true });
  controllers = startControllers(store, { speed: 100, nodes: 3 });
});

afterEach(async () => {
  await controllers.stop();
});

describe('workload controllers', () => {
  it('StatefulSet creates name-0..N-1 in order, each after the previous is Ready, and scales down from the top', async () => {
    const order: string[] = [];
    store.subscribe((e) => e.type === 'ADDED' && e.resource === 'pods' && order.push(e.object.metadata.name));
    store.create('statefulsets', make('apps/v1', 'StatefulSet', 'db', { spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db') } }));
    await eventually(() => podsOf('db').length === 3 && podsOf('db').every(ready));
    expect(order).toEqual(['db-0', 'db-1', 'db-2']);
    const sts = store.get('statefulsets', 'default', 'db')!;
    await eventually(() => store.get('statefulsets', 'default', 'db')!.status?.readyReplicas === 3);
    store.update('statefulsets', { ...sts, metadata: { ...sts.metadata, resourceVersion: '' }, spec: { ...sts.spec, replicas: 1 } });
    await eventually(() => podsOf('db').map((p) => p.metadata.name).join() === 'db-0');
  });

  it('DaemonSet runs one pod per node, including cordoned ones', async () => {
    const node = store.get('nodes', undefined, 'sim-node-2')!;
    store.update('nodes', { ...node, spec: { ...node.spec, unschedulable: true } }, { skipAdmission: true });
    store.create('daemonsets', make('apps/v1', 'DaemonSet', 'agent', { spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') } }));
    await eventually(() => podsOf('agent').length === 3 && podsOf('agent').every(ready));
    expect(new Set(podsOf('agent').map((p) => p.spec.nodeName))).toEqual(new Set(['sim-node-1', 'sim-node-2', 'sim-node-3']));
    await eventually(() => store.get('daemonsets', 'default', 'agent')!.status?.numberReady === 3);
    expect(store.get('daemonsets', 'default', 'agent')!.status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3 });
  });

  it('DaemonSet rollback replaces the crash-looping pods of the bad revision at once', async () => {
    store.create('daemonsets', make('apps/v1', 'DaemonSet', 'logs', { spec: { selector: { matchLabels: { app: 'logs' } }, template: template('logs') } }));
    await eventually(() => podsOf('logs').length === 3 && podsOf('logs').every(ready));
    const good = podsOf('logs')[0].metadata.labels?.['controller-revision-hash'];
    const setTemplate = (t: Record<string, unknown>) => {
      const ds = store.get('daemonsets', 'default', 'logs')!;
      store.update('daemonsets', { ...ds, metadata: { ...ds.metadata, resourceVersion: '' }, spec: { ...ds.spec, template: t } });
    };
    const bad = template('logs');
    setTemplate({ ...bad, metadata: { ...bad.metadata, annotations: { 'sim.oncall-agent.dev/exit-code.app': '1' } } });
    await eventually(() => podsOf('logs').some((p) => p.metadata.labels?.['controller-revision-hash'] !== good && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1));
    setTemplate(template('logs'));
    await eventually(() => podsOf('logs').length === 3 && podsOf('logs').every((p) => ready(p) && p.metadata.labels?.['controller-revision-hash'] === good));
  });

  it('Endpoints list ready pods in addresses and the others in notReadyAddresses', async () => {
    store.create('deployments', make('apps/v1', 'Deployment', 'web', { spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web', { ports: [{ name: 'http', containerPort: 8080 }] }) } }));
    store.create('pods', make('v1', 'Pod', 'sick', { spec: template('web').spec }, { labels: { app: 'web' }, annotations: { 'sim.oncall-agent.dev/probe-fail.app': 'readiness' } }));
    store.create('services', make('v1', 'Service', 'web', { spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }));
    await eventually(() => {
      const ep = store.get('endpoints', 'default', 'web');
      const subsets = (ep?.subsets ?? []) as Array<{ addresses?: unknown[]; notReadyAddresses?: unknown[]; ports?: Array<{ port: number }> }>;
      const readyCount = subsets.reduce((t, s) => t + (s.addresses?.length ?? 0), 0);
      const notReady = subsets.reduce((t, s) => t + (s.notReadyAddresses?.length ?? 0), 0);
      return readyCount === 2 && notReady === 1 ? subsets : undefined;
    });
    const ports = (store.get('endpoints', 'default', 'web')!.subsets as Array<{ ports: Array<{ port: number }> }>).map((s) => s.ports?.[0]?.port);
    expect(ports).toContain(8080);
  });

  it('Recreate scales the old ReplicaSet to 0 before the new one comes up', async () => {
    store.create('deployments', make('apps/v1', 'Deployment', 'rec', { spec: { replicas: 2, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'rec' } }, template: template('rec') } }));
    await eventually(() => store.get('deployments', 'default', 'rec')!.status?.availableReplicas === 2);
    let overlap = false;
    store.subscribe(() => {
      const images = new Set(podsOf('rec').filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0].image));
      if (images.size > 1) overlap = true;
    });
    const d = store.get('deployments', 'default', 'rec')!;
    store.update('deployments', { ...d, metadata: { ...d.metadata, resourceVersion: '' }, spec: { ...d.spec, template: template('rec', { image: 'nginx:1.27' }) } });
    await eventually(() => {
      const current = store.get('deployments', 'default', 'rec')!;
      const s = current.status;
      const images = podsOf('rec').map((p) => p.spec.containers[0].image);
      return s?.observedGeneration === current.metadata.generation && s.updatedReplicas === 2 && s.availableReplicas === 2 && images.join() === 'nginx:1.27,nginx:1.27';
    });
    expect(overlap).toBe(false);
    expect(store.get('deployments', 'default', 'rec')!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('a stuck rollout reports ProgressDeadlineExceeded; pause holds a template change back', async () => {
    store.create('deployments', make('apps/v1', 'Deployment', 'slow', { spec: { replicas: 1, progressDeadlineSeconds: 30, selector: { matchLabels: { app: 'slow' } }, template: template('slow', { image: 'nginx:does-not-exist' }) } }));
    const cond = await eventually(() => (store.get('deployments', 'default', 'slow')!.status?.conditions ?? []).find((c: { reason: string }) => c.reason === 'ProgressDeadlineExceeded'));
    expect(cond).toMatchObject({ type: 'Progressing', status: 'False' });
    expect(cond.message).toMatch(/^ReplicaSet "slow-[a-z0-9]+" has timed out progressing\.$/);

    const d = store.get('deployments', 'default', 'slow')!;
    store.update('deployments', { ...d, metadata: { ...d.metadata, resourceVersion: '' }, spec: { ...d.spec, paused: true, template: template('slow') } });
    await eventually(() => (store.get('deployments', 'default', 'slow')!.status?.conditions ?? []).some((c: { reason: string }) => c.reason === 'DeploymentPaused'));
    expect(store.list('replicasets', 'default').filter((r) => r.metadata.name.startsWith('slow-'))).toHaveLength(1);
    const paused = store.get('deployments', 'default', 'slow')!;
    store.update('deployments', { ...paused, metadata: { ...paused.metadata, resourceVersion: '' }, spec: { ...paused.spec, paused: false } });
    await eventually(() => store.get('deployments', 'default', 'slow')!.status?.availableReplicas === 1);
  });

  it('keeps revisionHistoryLimit old ReplicaSets and counts pods available only after minReadySeconds', async () => {
    store.create('deployments', make('apps/v1', 'Deployment', 'hist', { spec: { replicas: 1, revisionHistoryLimit: 1, minReadySeconds: 20, selector: { matchLabels: { app: 'hist' } }, template: template('hist') } }));
    let sawReadyButUnavailable = false;
    store.subscribe((e) => {
      if (e.resource === 'replicasets' && e.object.metadata.name.startsWith('hist-') && (e.object.status?.readyReplicas ?? 0) > (e.object.status?.availableReplicas ?? 0)) sawReadyButUnavailable = true;
    });
    for (const image of ['nginx:1.26', 'nginx:1.27', 'nginx:1.25-alpine']) {
      await eventually(() => store.get('deployments', 'default', 'hist')!.status?.availableReplicas === 1 && store.get('deployments', 'default', 'hist')!.status?.updatedReplicas === 1);
      const d = store.get('deployments', 'default', 'hist')!;
      store.update('deployments', { ...d, metadata: { ...d.metadata, resourceVersion: '' }, spec: { ...d.spec, template: template('hist', { image }) } });
      await eventually(() => {
        const current = store.get('deployments', 'default', 'hist')!;
        return current.status?.observedGeneration === current.metadata.generation && current.status?.updatedReplicas === 1 && current.status?.replicas === 1 && current.status?.availableReplicas === 1;
      });
    }
    await eventually(() => store.list('replicasets', 'default').filter((r) => r.metadata.name.startsWith('hist-')).length === 2);
    const revisions = store.list('replicasets', 'default').filter((r) => r.metadata.name.startsWith('hist-')).map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
    expect(revisions).toEqual(['3', '4']);
    expect(sawReadyButUnavailable).toBe(true);
  });

  it('changing a running pod image restarts that container with the new image', async () => {
    store.create('pods', make('v1', 'Pod', 'solo', { spec: template('solo').spec }, { labels: { app: 'solo' } }));
    await eventually(() => ready(store.get('pods', 'default', 'solo')!));
    const pod = store.get('pods', 'default', 'solo')!;
    store.update('pods', { ...pod, metadata: { ...pod.metadata, resourceVersion: '' }, spec: { ...pod.spec, containers: [{ ...pod.spec.containers[0], image: 'nginx:1.27' }] } });
    const status = await eventually(() => {
      const cs = store.get('pods', 'default', 'solo')!.status?.containerStatuses?.[0];
      return cs?.image === 'nginx:1.27' && cs.state.running && cs.ready ? cs : undefined;
    });
    expect(status.restartCount).toBe(1);
    const events = store.list('events', 'default').filter((e) => (e.involvedObject as { name: string }).name === 'solo').map((e) => e.message);
    expect(events).toContain('Container app definition changed, will be restarted');
  });
});

describe('robustness', () => {
  it('objects with malformed ownerReferences or annotations are stored and run; nothing throws into the write', async () => {
    const spec = { containers: [{ name: 'c', image: 'nginx:1.25', resources: { limits: { memory: '1Mi' } } }] };
    expect(() => store.create('pods', make('v1', 'Pod', 'odd-refs', { spec }, { ownerReferences: 'bogus' as unknown as [] }))).not.toThrow();
    expect(() => store.create('pods', make('v1', 'Pod', 'null-ref', { spec }, { ownerReferences: [null] as unknown as [] }))).not.toThrow();
    store.create('pods', make('v1', 'Pod', 'odd-memory', { spec }, { annotations: { 'sim.oncall-agent.dev/memory-mi.c': 'lots', 'sim.oncall-agent.dev/exit-code.c': 'x' } }));
    await eventually(() => ['odd-refs', 'null-ref', 'odd-memory'].every((n) => ready(store.get('pods', 'default', n)!)));
  });
});

describe('quota, PDB and HPA', () => {
  it('ResourceQuota status counts usage, and a ReplicaSet over quota records FailedCreate with the 403 message', async () => {
    store.create('resourcequotas', make('v1', 'ResourceQuota', 'q', { spec: { hard: { pods: '2', 'requests.cpu': '1' } } }));
    store.create('deployments', make('apps/v1', 'Deployment', 'q', { spec: { replicas: 3, selector: { matchLabels: { app: 'q' } }, template: template('q', { resources: { requests: { cpu: '100m' } } }) } }));
    await eventually(() => store.get('resourcequotas', 'default', 'q')!.status?.used?.pods === '2');
    expect(store.get('resourcequotas', 'default', 'q')!.status).toEqual({ hard: { pods: '2', 'requests.cpu': '1' }, used: { pods: '2', 'requests.cpu': '200m' } });
    const failed = await eventually(() => store.list('events', 'default').find((e) => e.reason === 'FailedCreate'));
    expect(failed.message).toMatch(/^Error creating: pods "q-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2$/);
    expect(failed.source).toEqual({ component: 'replicaset-controller' });
  });

  it('PDB status follows healthy pods', async () => {
    store.create('deployments', make('apps/v1', 'Deployment', 'pdb', { spec: { replicas: 3, selector: { matchLabels: { app: 'pdb' } }, template: template('pdb') } }));
    store.create('poddisruptionbudgets', make('policy/v1', 'PodDisruptionBudget', 'pdb', { spec: { minAvailable: 2, selector: { matchLabels: { app: 'pdb' } } } }));
    const status = await eventually(() => {
      const s = store.get('poddisruptionbudgets', 'default', 'pdb')!.status;
      return s?.currentHealthy === 3 ? s : undefined;
    });
    expect(status).toMatchObject({ expectedPods: 3, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
    expect(status.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });
  });

  it('HPA scales the target from the simulated utilization within min/max', async () => {
    store.create('deployments', make('apps/v1', 'Deployment', 'busy', { spec: { replicas: 2, selector: { matchLabels: { app: 'busy' } }, template: template('busy') } }));
    store.create(
      'horizontalpodautoscalers',
      make(
        'autoscaling/v2',
        'HorizontalPodAutoscaler',
        'busy',
        { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'busy' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } },
        { annotations: { 'sim.oncall-agent.dev/cpu-utilization': '200' } },
      ),
    );
    await eventually(() => store.get('deployments', 'default', 'busy')!.spec.replicas === 5);
    const status = await eventually(() => {
      const s = store.get('horizontalpodautoscalers', 'default', 'busy')!.status;
      return s?.desiredReplicas === 5 ? s : undefined;
    });
    expect(status.currentMetrics[0].resource.current.averageUtilization).toBe(200);
    expect(store.list('events', 'default').some((e) => e.reason === 'SuccessfulRescale' && String(e.message).startsWith('New size: 5; reason: cpu resource utilization (percentage of request) above target'))).toBe(true);
  });
});
