// What the API server may ask the kubelets (the parts of a real kubelet's API kube-sim serves): container logs
// written by the program model, and resource usage for metrics.k8s.io. startSim hands the same slot to both halves.

export interface ContainerUsage {
  name: string;
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

export interface RuntimeView {
  /** Log lines of the current (or previous) run, or undefined when the kubelet does not know the container. */
  containerLogs(podUid: string, nodeName: string, container: string, previous: boolean): string[] | undefined;
  /** Usage of a running pod's containers, or undefined when the pod is not running on a live kubelet. */
  podUsage(podUid: string, nodeName: string): ContainerUsage[] | undefined;
}

/** A late-bound RuntimeView: the API server starts before the kubelets. */
export interface RuntimeSlot {
  view?: RuntimeView;
}
