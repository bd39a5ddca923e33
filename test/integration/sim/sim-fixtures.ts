// Shared objects for the kube-sim integration tests: write pods/nodes/events straight into the store the way the
// controllers and kubelets would, so API behaviour can be checked without them.

import type { MemoryStore } from '../../../chaos/sim/store/memory-store.js';
import type { SimObject } from '../../../chaos/sim/store/types.js';

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function addNode(store: MemoryStore, name: string): SimObject {
  return store.create(
    'nodes',
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'node-role.kubernetes.io/worker': '' } },
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
        nodeInfo: { kubeletVersion: 'v1.26.1', osImage: 'kube-sim', kernelVersion: '6.1.0', containerRuntimeVersion: 'sim://1.0' },
      },
    } as unknown as SimObject,
    { skipAdmission: true },
  );
}

/** A pod bound to `node` whose single container is in `state` (as a kubelet would report it). */
export function addPod(
  store: MemoryStore,
  name: string,
  options: { node?: string; labels?: Record<string, string>; annotations?: Record<string, string>; crashLoop?: boolean; image?: string } = {},
): SimObject {
  const pod = store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: options.labels ?? { app: name }, annotations: options.annotations },
    spec: { containers: [{ name: 'app', image: options.image ?? 'busybox:1.36' }], nodeName: options.node },
  } as unknown as SimObject);
  if (!options.node) return pod;
  const running = !options.crashLoop;
  const status = {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: iso(60_000) },
      { type: 'Ready', status: running ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: iso(60_000) },
      { type: 'ContainersReady', status: running ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: iso(60_000) },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(60_000) },
    ],
    hostIP: '127.0.0.1',
    podIP: '10.244.1.7',
    podIPs: [{ ip: '10.244.1.7' }],
    startTime: iso(60_000),
    containerStatuses: [
      running
        ? { name: 'app', state: { running: { startedAt: iso(60_000) } }, lastState: {}, ready: true, restartCount: 0, image: 'busybox:1.36', imageID: '', started: true }
        : {
            name: 'app',
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: iso(130_000), finishedAt: iso(125_000) } },
            ready: false,
            restartCount: 3,
            image: 'busybox:1.36',
            imageID: '',
            started: false,
          },
    ],
  };
  return store.updateStatus('pods', { ...pod, status: { ...pod.status, ...status } });
}

export function addEvent(store: MemoryStore, name: string, involved: SimObject, reason: string, message: string, secondsAgo: number, type = 'Normal'): SimObject {
  return store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: involved.metadata.namespace ?? 'default' },
    involvedObject: {
      kind: involved.kind,
      namespace: involved.metadata.namespace,
      name: involved.metadata.name,
      uid: involved.metadata.uid,
      apiVersion: involved.apiVersion,
    },
    reason,
    message,
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: iso(secondsAgo * 1000),
    lastTimestamp: iso(secondsAgo * 1000),
    count: 1,
    type,
  } as unknown as SimObject);
}
