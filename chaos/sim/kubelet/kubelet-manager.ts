// Runs one NodeKubelet per simulated node: routes bound pods to their node's kubelet, batches status writes, and
// owns heartbeats, leases and the dead-kubelet freeze.
import type { SimClock } from '../controllers/clock.js';
import type { ObjectCache } from '../controllers/object-cache.js';
import { errorCode, unconditional } from '../controllers/sim-object.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { SimObject, SimStore } from '../store/types.js';
import type { ImageCatalog } from './image-catalog.js';
import { NodeKubelet } from './node-kubelet.js';
import type { NodeCapacity, NodeHealth } from './node-status.js';
import { HEARTBEAT_REAL_MS, LEASE_RENEW_SECONDS, heartbeatStatus, isHeartbeatStopped, registerNode, renewLease } from './node-status.js';
import type { PodRuntime } from './pod-runtime.js';
import type { RuntimeView } from './runtime-view.js';
import { memoryMiFor } from './container-behaviour.js';
import { quantityOr } from '../controllers/quantity.js';
import { buildPodStatus } from './pod-runtime.js';

export interface KubeletManagerOptions {
  store: SimStore;
  cache: ObjectCache;
  clock: SimClock;
  recorder: EventRecorder;
  catalog: ImageCatalog;
  nodeNames: string[];
  capacity: NodeCapacity;
  /** Nodes whose kubelet is dead from the start (--stop-heartbeat). */
  stopHeartbeat?: string[];
  /** The sim's own log (default: stderr, each distinct line once). */
  note?: (line: string) => void;
}

/** The simulated kubelets of every node. */
export interface KubeletManager {
  readonly health: NodeHealth;
  kubelet(nodeName: string): NodeKubelet | undefined;
  /** Logs and usage for the API server (pods/log, metrics.k8s.io). */
  readonly runtime: RuntimeView;
  stop(): void;
}

export function startKubelets(options: KubeletManagerOptions): KubeletManager {
  const { store, cache, clock } = options;
  const stopList = new Set(options.stopHeartbeat ?? []);
  const health: NodeHealth = new Map();
  const kubelets = new Map<string, NodeKubelet>();
  const frozen = new Set<string>();
  const dirty = new Map<string, PodRuntime>();
  const pendingPods = new Map<string, SimObject>();
  let writing = false;
  let flushScheduled: NodeJS.Immediate | undefined;
  let stopped = false;

  const scheduleFlush = (): void => {
    if (!flushScheduled && !stopped) flushScheduled = setImmediate(flush);
  };
  const markDirty = (rt: PodRuntime): void => {
    dirty.set(rt.uid, rt);
    scheduleFlush();
  };

  const note = options.note ?? onceToStderr();
  const nodeMemoryMi = quantityOr(options.capacity.memory, 8 * 2 ** 30) / 2 ** 20;
  options.nodeNames.forEach((name, i) => {
    registerNode(store, name, i + 1, options.capacity, clock.now());
    kubelets.set(
      name,
      new NodeKubelet({
        nodeName: name,
        nodeIndex: i + 1,
        clock,
        recorder: options.recorder,
        catalog: options.catalog,
        lookup: (resource, ns, n) => cache.get(resource, ns, n),
        nodeMemoryMi,
        note,
        markDirty,
      }),
    );
  });

  const writeStatus = (rt: PodRuntime, kubelet: NodeKubelet): void => {
    const current = cache.get('pods', rt.namespace, rt.name);
    if (!current || current.metadata.uid !== rt.uid) {
      kubelet.forget(rt.uid);
      return;
    }
    const status = buildPodStatus(rt, current, '127.0.0.1', clock.now());
    try {
      if (JSON.stringify(status) !== JSON.stringify(current.status)) {
        store.updateStatus('pods', unconditional(current, { status }), { skipAdmission: true });
      }
      if (rt.deleting) {
        const latest = store.get('pods', rt.namespace, rt.name);
        if (latest?.metadata.uid === rt.uid) store.remove('pods', rt.namespace, rt.name);
        kubelet.forget(rt.uid);
      }
    } catch (error) {
      if (errorCode(error) === 404) kubelet.forget(rt.uid);
      else throw error;
    }
  };

  function flush(): void {
    flushScheduled = undefined;
    // Route pod changes first so a deletion seen in this tick wins over a status write.
    for (const pod of pendingPods.values()) kubelets.get(pod.spec?.nodeName)?.syncPod(pod);
    pendingPods.clear();
    const batch = [...dirty.values()];
    dirty.clear();
    writing = true;
    try {
      for (const rt of batch) {
        const nodeName = rt.pod.spec?.nodeName as string;
        const kubelet = kubelets.get(nodeName);
        if (!kubelet || rt.removed) continue;
        if (frozen.has(nodeName)) continue;
        try {
          writeStatus(rt, kubelet);
        } catch (error) {
          console.error(`kube-sim: kubelet ${nodeName} failed to write pod ${rt.namespace}/${rt.name}:`, error instanceof Error ? error.message : error);
        }
      }
    } finally {
      writing = false;
    }
  }

  cache.on('pods', (event) => {
    const pod = event.object;
    const kubelet = kubelets.get(pod.spec?.nodeName);
    if (!kubelet) return;
    if (event.type === 'DELETED') {
      pendingPods.delete(pod.metadata.uid);
      kubelet.forget(pod.metadata.uid);
      return;
    }
    if (!writing) {
      const rt = kubelet.pods.get(pod.metadata.uid);
      if (rt) rt.overwritten = true;
    }
    pendingPods.set(pod.metadata.uid, pod);
    scheduleFlush();
  });

  const heartbeat = (name: string): void => {
    const node = cache.get('nodes', undefined, name);
    if (!node || isHeartbeatStopped(node, stopList)) return;
    try {
      store.updateStatus('nodes', unconditional(node, { status: heartbeatStatus(node, clock.now()) }), { skipAdmission: true });
    } catch (error) {
      console.error(`kube-sim: heartbeat of ${name} failed:`, error instanceof Error ? error.message : error);
    }
  };
  let leasesSupported = true;
  const renew = (name: string): void => {
    const node = cache.get('nodes', undefined, name);
    if (!node || isHeartbeatStopped(node, stopList)) return;
    health.set(name, clock.now());
    if (!leasesSupported) return;
    try {
      renewLease(store, clock, name);
    } catch {
      leasesSupported = false;
    }
  };

  // Freeze/unfreeze pods when a node's heartbeat annotation changes, and write everything back on thaw.
  const syncFreeze = (): void => {
    for (const name of kubelets.keys()) {
      const dead = isHeartbeatStopped(cache.get('nodes', undefined, name), stopList);
      if (dead && !frozen.has(name)) frozen.add(name);
      if (!dead && frozen.has(name)) {
        frozen.delete(name);
        renew(name);
        heartbeat(name);
        for (const rt of kubelets.get(name)!.pods.values()) markDirty(rt);
      }
    }
  };
  cache.on('nodes', () => setImmediate(() => !stopped && syncFreeze()));
  // The kubelet's recordNodeSchedulableEvent: cordon/uncordon show up as NodeNotSchedulable/NodeSchedulable on the
  // node, with the kubelet's node reference (uid = node name), as `kubectl describe node` reads them.
  const lastUnschedulable = new Map<string, boolean>();
  cache.on('nodes', (event) => {
    const name = event.object.metadata.name;
    if (event.type === 'DELETED' || !kubelets.has(name)) return;
    const unschedulable = Boolean(event.object.spec?.unschedulable);
    if ((lastUnschedulable.get(name) ?? false) === unschedulable) return;
    lastUnschedulable.set(name, unschedulable);
    setImmediate(() => {
      if (stopped || isHeartbeatStopped(cache.get('nodes', undefined, name), stopList)) return;
      const nodeRef = { kind: 'Node', metadata: { name, uid: name } } as unknown as SimObject;
      const status = unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable';
      options.recorder.record(nodeRef, 'Normal', status, `Node ${name} status is now: ${status}`, { component: 'kubelet', host: name });
    });
  });
  syncFreeze();

  for (const name of kubelets.keys()) {
    renew(name);
    heartbeat(name);
  }
  const cancels = [
    clock.everyReal(HEARTBEAT_REAL_MS, () => kubelets.forEach((_k, name) => heartbeat(name))),
    clock.every(LEASE_RENEW_SECONDS, () => kubelets.forEach((_k, name) => renew(name))),
    // The kubelet's periodic sync: write back statuses that another writer overwrote (e.g. Ready=False from the
    // node lifecycle controller) once this node is alive again.
    clock.every(10, () => {
      for (const [name, kubelet] of kubelets) {
        if (frozen.has(name)) continue;
        for (const rt of kubelet.pods.values()) {
          if (rt.overwritten) {
            rt.overwritten = false;
            markDirty(rt);
          }
        }
      }
    }),
  ];

  // Pods already bound when we start (a restarted sim over a kept store) are picked up like new ones.
  for (const pod of cache.list('pods')) {
    if (kubelets.has(pod.spec?.nodeName)) pendingPods.set(pod.metadata.uid, pod);
  }
  scheduleFlush();

  const live = (uid: string, nodeName: string): PodRuntime | undefined => {
    if (frozen.has(nodeName)) return undefined;
    return kubelets.get(nodeName)?.pods.get(uid);
  };
  const runtime: RuntimeView = {
    containerLogs(uid, nodeName, container, previous) {
      const rt = live(uid, nodeName);
      const c = rt && [...rt.containers, ...rt.inits].find((x) => x.name === container);
      if (!c?.run) return undefined;
      return previous ? c.previousLogs : c.logs;
    },
    podUsage(uid, nodeName) {
      const rt = live(uid, nodeName);
      if (!rt || rt.stage !== 'main') return undefined;
      const running = rt.containers.filter((c) => 'running' in c.state && c.run);
      // metrics-server leaves out pods it has no container samples for.
      if (running.length === 0) return undefined;
      // The memory-mi annotation overrides the model's working set here too.
      const memoryMi = (c: (typeof running)[number]): number => memoryMiFor(c.name, rt.pod.metadata.annotations) ?? c.run?.memoryMi ?? 0;
      return running.map((c) => ({ name: c.name, cpu: (c.run?.cpuMilli ?? 0) / 1000, memory: Math.round(memoryMi(c) * 2 ** 20) }));
    },
  };

  return {
    health,
    runtime,
    kubelet: (name) => kubelets.get(name),
    stop: () => {
      stopped = true;
      cancels.forEach((c) => c());
      if (flushScheduled) clearImmediate(flushScheduled);
    },
  };
}

/** Writes each distinct line once per process (bounded), so a 2,000-pod sim does not repeat itself. */
function onceToStderr(): (line: string) => void {
  const seen = new Set<string>();
  return (line) => {
    const key = line.replace(/^pod \S+ container \S+: /, '');
    if (seen.has(key) || seen.size > 500) return;
    seen.add(key);
    console.warn(`kube-sim: ${line}`);
  };
}
