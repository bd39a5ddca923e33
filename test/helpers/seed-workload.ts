// Seeds kube-sim's store with a Deployment, its ReplicaSets (one per revision) and pods in chosen states, for
// tests that need an exact cluster state without waiting for controllers (and for the benchmark's 2,000 pods).
import type { SimObject } from '../../chaos/sim/store/types.js';

interface StoreLike {
  create(resource: string, object: SimObject, options?: { skipAdmission?: boolean }): SimObject;
  updateStatus(resource: string, object: SimObject, options?: { skipAdmission?: boolean }): SimObject;
  peek?(resource: string, namespace: string | undefined, name: string): SimObject | undefined;
}

export type PodState =
  | 'ready'
  | 'crashloop'
  | 'oomkilled'
  | 'imagepull'
  | 'configerror'
  | 'unready'
  | 'pending-unschedulable';

export interface RevisionSpec {
  image: string;
  replicas: number;
  podState: PodState;
  memoryLimit?: string;
  memoryRequest?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  /** Log text served for every container of these pods. */
  log?: string;
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  /** Oldest first; the last one is the Deployment's current template. */
  revisions: RevisionSpec[];
  /** Deployment spec.replicas (default: the newest revision's replicas + the older ones still up). */
  replicas?: number;
  service?: boolean;
  readinessProbe?: boolean;
  annotations?: Record<string, string>;
}

const ts = (offsetSeconds: number) => new Date(Date.now() - offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function create(store: StoreLike, resource: string, object: Record<string, unknown>, status?: unknown): SimObject {
  const created = store.create(resource, object as unknown as SimObject, { skipAdmission: true });
  if (status === undefined) return created;
  return store.updateStatus(resource, { ...created, status } as SimObject, { skipAdmission: true });
}

export function ensureNamespace(store: StoreLike, namespace: string): void {
  if (store.peek?.('namespaces', undefined, namespace)) return;
  try {
    create(store, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  } catch {
    // already there
  }
}

function container(name: string, rev: RevisionSpec, probe: boolean) {
  return {
    name,
    image: rev.image,
    resources: {
      requests: { cpu: '100m', memory: rev.memoryRequest ?? '64Mi' },
      limits: { memory: rev.memoryLimit ?? '128Mi' },
    },
    env: rev.env,
    ...(probe ? { readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 } } : {}),
  };
}

export function containerStatus(name: string, image: string, state: PodState): Record<string, unknown> {
  const base = { name, image, imageID: '', containerID: `sim://${name}` };
  switch (state) {
    case 'ready':
      return { ...base, ready: true, started: true, restartCount: 0, state: { running: { startedAt: ts(600) } } };
    case 'unready':
      return { ...base, ready: false, started: true, restartCount: 0, state: { running: { startedAt: ts(300) } } };
    case 'crashloop':
      return {
        ...base,
        ready: false,
        restartCount: 5,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 2m40s restarting failed container=${name}` } },
        lastState: { terminated: { reason: 'Error', exitCode: 1, startedAt: ts(100), finishedAt: ts(90) } },
      };
    case 'oomkilled':
      return {
        ...base,
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container' } },
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, startedAt: ts(100), finishedAt: ts(90) } },
      };
    case 'imagepull':
      return { ...base, ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } } };
    case 'configerror':
      return { ...base, ready: false, restartCount: 0, state: { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "web-config" not found' } } };
    case 'pending-unschedulable':
      return { ...base, ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } };
  }
}

function podStatus(state: PodState, cname: string, image: string): Record<string, unknown> {
  if (state === 'pending-unschedulable') {
    return {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 node(s) were unschedulable.' }],
    };
  }
  const ready = state === 'ready';
  return {
    phase: 'Running',
    startTime: ts(600),
    podIP: '10.244.0.10',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Initialized', status: 'True' },
      { type: 'ContainersReady', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'ContainersNotReady' }) },
      { type: 'Ready', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'ContainersNotReady' }) },
    ],
    containerStatuses: [containerStatus(cname, image, state)],
  };
}

/** Creates the Deployment, ReplicaSets, pods (and optionally a Service + Endpoints). Returns the pod names. */
export function seedWorkload(store: StoreLike, spec: WorkloadSpec): { pods: string[] } {
  const { namespace: ns, name } = spec;
  ensureNamespace(store, ns);
  const labels = { app: name };
  const newest = spec.revisions[spec.revisions.length - 1];
  const replicas = spec.replicas ?? spec.revisions.reduce((n, r) => n + r.replicas, 0);
  const deployment = create(
    store,
    'deployments',
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels, annotations: { 'deployment.kubernetes.io/revision': String(spec.revisions.length), ...spec.annotations } },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container('app', newest, Boolean(spec.readinessProbe))] } },
      },
    },
    {
      observedGeneration: 1,
      replicas,
      readyReplicas: spec.revisions.filter((r) => r.podState === 'ready').reduce((n, r) => n + r.replicas, 0),
      conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
    },
  );
  const pods: string[] = [];
  spec.revisions.forEach((rev, index) => {
    const hash = `r${index + 1}x${name.length}`.toLowerCase();
    const rsName = `${name}-${hash}`;
    const rsLabels = { ...labels, 'pod-template-hash': hash };
    const rs = create(
      store,
      'replicasets',
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace: ns,
          labels: rsLabels,
          annotations: { 'deployment.kubernetes.io/revision': String(index + 1), 'deployment.kubernetes.io/desired-replicas': String(replicas || 3) },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deployment.metadata.uid, controller: true }],
        },
        spec: { replicas: rev.replicas, selector: { matchLabels: rsLabels }, template: { metadata: { labels: rsLabels }, spec: { containers: [container('app', rev, Boolean(spec.readinessProbe))] } } },
      },
      { replicas: rev.replicas, readyReplicas: rev.podState === 'ready' ? rev.replicas : 0, availableReplicas: rev.podState === 'ready' ? rev.replicas : 0 },
    );
    for (let i = 0; i < rev.replicas; i++) {
      const podName = `${rsName}-p${i}`;
      pods.push(podName);
      create(
        store,
        'pods',
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: podName,
            namespace: ns,
            labels: rsLabels,
            annotations: rev.log ? { 'sim.oncall-agent.dev/log.app': rev.log } : undefined,
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid, controller: true }],
          },
          spec: { containers: [container('app', rev, Boolean(spec.readinessProbe))], ...(rev.podState === 'pending-unschedulable' ? {} : { nodeName: 'sim-node-1' }) },
        },
        podStatus(rev.podState, 'app', rev.image),
      );
    }
  });
  if (spec.service) {
    create(store, 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  return { pods };
}

/** Warning events on one object, for tests and the benchmark. */
export function seedEvents(store: StoreLike, ns: string, count: number, involved: { kind: string; name: string }, message: (i: number) => string): void {
  for (let i = 0; i < count; i++) {
    create(store, 'events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involved.name}.${i.toString(16)}`, namespace: ns },
      involvedObject: { kind: involved.kind, name: involved.name, namespace: ns },
      reason: i % 3 === 0 ? 'BackOff' : 'Pulled',
      message: message(i),
      type: i % 3 === 0 ? 'Warning' : 'Normal',
      count: 1,
      firstTimestamp: ts(count - i),
      lastTimestamp: ts(count - i),
      source: { component: 'kubelet' },
    });
  }
}

/** A Ready node; cordonedSecondsAgo marks it unschedulable with the taint's timeAdded. */
export function seedNode(store: StoreLike, name: string, options: { cordonedSecondsAgo?: number; cpu?: string; memory?: string } = {}): void {
  const cordoned = options.cordonedSecondsAgo !== undefined;
  create(
    store,
    'nodes',
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: cordoned
        ? { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: ts(options.cordonedSecondsAgo!) }] }
        : {},
    },
    {
      allocatable: { cpu: options.cpu ?? '4', memory: options.memory ?? '8Gi', pods: '110' },
      capacity: { cpu: options.cpu ?? '4', memory: options.memory ?? '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  );
}
