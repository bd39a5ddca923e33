// The contract between kube-sim's API server (chaos/sim/api/) and its controllers, scheduler and kubelets
// (chaos/sim/controllers/, chaos/sim/kubelet/). Controllers never speak HTTP: they read and write through this store,
// so every write they make is seen by watchers (kubectl, client-node informers) exactly like a client's write.

/** A stored object: plain JSON as the API server would return it. */
export interface SimObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    generation?: number;
    creationTimestamp: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    generateName?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
    finalizers?: string[];
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  [key: string]: unknown;
}

/** Identifies a resource type: group "" is core. `resource` is the lower-case plural ("pods", "deployments"). */
export interface ResourceType {
  group: string;
  version: string;
  resource: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: SimObject;
  /** The resource type the object belongs to (controllers use this to route). */
  resource: string;
}

export interface WriteOptions {
  /** Validate and default, return the result, persist nothing. */
  dryRun?: boolean;
  /** Skip admission (quota) — controllers writing status use this. */
  skipAdmission?: boolean;
}

/**
 * In-memory object store with a single global resourceVersion counter, like etcd's revision.
 * All methods are synchronous; watchers are called synchronously after each committed write.
 */
export interface SimStore {
  get(resource: string, namespace: string | undefined, name: string): SimObject | undefined;
  /** namespace undefined = all namespaces (or cluster-scoped). Returns deep copies. */
  list(resource: string, namespace?: string): SimObject[];
  /** Assigns uid, resourceVersion, creationTimestamp, generation (1 for objects with spec). Throws SimApiError. */
  create(resource: string, object: SimObject, options?: WriteOptions): SimObject;
  /** Full replacement; throws Conflict when object.metadata.resourceVersion is set and stale. Bumps generation when spec changes. */
  update(resource: string, object: SimObject, options?: WriteOptions): SimObject;
  /** Replace only .status (the /status subresource); never bumps generation. */
  updateStatus(resource: string, object: SimObject, options?: WriteOptions): SimObject;
  /** Removes the object now (no grace): emits DELETED. Returns the removed object, or undefined. */
  remove(resource: string, namespace: string | undefined, name: string): SimObject | undefined;
  /** Subscribe to every committed change of every resource. Returns an unsubscribe function. */
  subscribe(listener: (event: WatchEvent) => void): () => void;
  /** The current global resourceVersion. */
  currentResourceVersion(): string;
}
