// kube-sim's controller-manager, scheduler and kubelets, started over a SimStore. Everything reads through one
// shared cache and writes only through the store, so every change is visible to watchers like a client's write.
import { createEventRecorder } from '../events/event-recorder.js';
import { createImageCatalog } from '../kubelet/image-catalog.js';
import type { ImageCatalogOptions } from '../kubelet/image-catalog.js';
import { startKubelets } from '../kubelet/kubelet-manager.js';
import type { NodeCapacity } from '../kubelet/node-status.js';
import { DEFAULT_CAPACITY } from '../kubelet/node-status.js';
import type { SimStore } from '../store/types.js';
import type { RuntimeSlot } from '../kubelet/runtime-view.js';
import { createSimClock } from './clock.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { startDaemonSetController } from './daemonset-controller.js';
import { startDeploymentController } from './deployment-controller.js';
import { startEndpointsController } from './endpoints-controller.js';
import { startHpaController } from './hpa-controller.js';
import { startJobController } from './job-controller.js';
import { startCronJobController } from './cronjob-controller.js';
import { startNamespaceBootstrap } from './namespace-bootstrap.js';
import { startNodeLifecycleController } from './node-lifecycle.js';
import { createObjectCache } from './object-cache.js';
import { startPdbController } from './pdb-controller.js';
import { startQuotaController } from './quota-controller.js';
import { startReplicaSetController } from './replicaset-controller.js';
import { startScheduler } from './scheduler.js';
import { startStatefulSetController } from './statefulset-controller.js';
import { startVolumeController } from './volume-controller.js';

export interface ControllerOptions {
  /** Simulated time runs this many times faster than real time (back-off, probes, pulls). Default 10. */
  speed: number;
  /** Number of nodes to register (default 3: 4 CPU / 8Gi / 110 pods). */
  nodes: number;
  /** Node names are `<nodePrefix>-1..N` (default "sim-node"). */
  nodePrefix?: string;
  /** Per-node capacity (default 4 CPU / 8Gi / 110 pods). */
  nodeCapacity?: Partial<NodeCapacity>;
  /** Nodes whose kubelet is dead from the start (--stop-heartbeat). */
  stopHeartbeat?: string[];
  /** Extra images/repositories that exist for the simulated runtime. */
  images?: ImageCatalogOptions;
  /** Receives the kubelets' view (logs, usage) for the API server. */
  runtime?: RuntimeSlot;
  /** The sim's own log (default: each distinct line once on stderr). */
  note?: (line: string) => void;
}

export interface RunningControllers {
  stop(): Promise<void>;
}

export const DEFAULT_NODE_PREFIX = 'sim-node';

// Garbage collection lives in the API half (chaos/sim/garbage-collector.ts), started by startSim.
const CACHED_RESOURCES = [
  'pods',
  'replicasets',
  'deployments',
  'statefulsets',
  'daemonsets',
  'services',
  'endpoints',
  'endpointslices',
  'jobs',
  'cronjobs',
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'resourcequotas',
  'horizontalpodautoscalers',
  'poddisruptionbudgets',
  'nodes',
  'namespaces',
  'serviceaccounts',
  'controllerrevisions',
  'persistentvolumes',
  'storageclasses',
];

/** Starts every controller, the scheduler and one kubelet per node. stop() clears every timer and subscription. */
export function startControllers(store: SimStore, options: ControllerOptions): RunningControllers {
  const clock = createSimClock(options.speed > 0 ? options.speed : 10);
  const cache = createObjectCache(store, CACHED_RESOURCES);
  const recorder = createEventRecorder(store, clock.now);
  const ctx: ControllerContext = { store, cache, clock, recorder };
  const prefix = options.nodePrefix ?? DEFAULT_NODE_PREFIX;
  const nodeNames = Array.from({ length: Math.max(0, options.nodes) }, (_, i) => `${prefix}-${i + 1}`);

  const controllers: Controller[] = [startNamespaceBootstrap(ctx)];
  const kubelets = startKubelets({
    store,
    cache,
    clock,
    recorder,
    catalog: createImageCatalog(options.images),
    nodeNames,
    capacity: { ...DEFAULT_CAPACITY, ...(options.nodeCapacity ?? {}) },
    stopHeartbeat: options.stopHeartbeat,
    note: options.note,
  });
  if (options.runtime) options.runtime.view = kubelets.runtime;
  controllers.push(
    kubelets,
    startNodeLifecycleController(ctx, kubelets.health),
    startScheduler(store, cache, clock, recorder),
    startReplicaSetController(ctx),
    startDeploymentController(ctx),
    startStatefulSetController(ctx),
    startVolumeController(ctx),
    startDaemonSetController(ctx),
    startEndpointsController(ctx),
    startQuotaController(ctx),
    startPdbController(ctx),
    startHpaController(ctx),
    startJobController(ctx),
    startCronJobController(ctx),
  );

  return {
    stop: async () => {
      for (const c of controllers.reverse()) c.stop();
      clock.stop();
      cache.stop();
    },
  };
}
