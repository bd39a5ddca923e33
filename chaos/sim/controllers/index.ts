import type { SimStore } from '../store/types.js';

export interface ControllerOptions {
  /** Simulated time runs this many times faster than real time (back-off, probes, pulls). */
  speed: number;
  /** Number of nodes to register (default 3: 4 CPU / 8Gi / 110 pods). */
  nodes: number;
  nodePrefix?: string;
}

export interface RunningControllers {
  stop(): Promise<void>;
}

/**
 * PLACEHOLDER until the controllers land: registers nothing and runs nothing.
 * The sim-controllers branch replaces this with the controller-manager, scheduler, kubelets and node lifecycle.
 */
export function startControllers(_store: SimStore, _options: ControllerOptions): RunningControllers {
  return { stop: async () => undefined };
}
