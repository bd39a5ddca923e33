/**
 * A Kubernetes object as the cluster port returns it: plain JSON, typed only as far as the agent reads it.
 * Untrusted: names, annotations, messages and logs come from the cluster.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
    [key: string]: unknown;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  [key: string]: unknown;
}

/** Kinds the agent may read. Secret is deliberately absent: the agent never reads secret values. */
export type ReadableKind =
  | 'Pod'
  | 'Deployment'
  | 'ReplicaSet'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Service'
  | 'Endpoints'
  | 'Node'
  | 'Event'
  | 'Namespace'
  | 'ConfigMap'
  | 'ResourceQuota'
  | 'LimitRange'
  | 'HorizontalPodAutoscaler'
  | 'PodDisruptionBudget'
  | 'Job'
  | 'CronJob'
  | 'ControllerRevision'
  | 'PersistentVolumeClaim'
  | 'PersistentVolume'
  | 'StorageClass';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
}

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  limitBytes?: number;
}
