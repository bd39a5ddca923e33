import { AppsV1Api, AutoscalingV2Api, BatchV1Api, CoreV1Api, PolicyV1Api, StorageV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ClusterReader } from '../domain/ports.js';
import type { KubeObject, ListOptions, LogOptions, ReadableKind } from '../domain/kube.js';
import { ClusterReadError, describeApiFailure, statusCodeOf } from './cluster-read-error.js';
import { makeKeepAliveApiClient } from './keep-alive-api.js';

interface Apis {
  core: CoreV1Api;
  apps: AppsV1Api;
  autoscaling: AutoscalingV2Api;
  policy: PolicyV1Api;
  batch: BatchV1Api;
  storage: StorageV1Api;
}

type Named = { name: string; namespace: string };
type Listed = { namespace: string } & ListOptions;

/** How to read one kind: the plural (for messages), and the typed calls. Secret is not in ReadableKind and not here. */
interface KindReader {
  plural: string;
  namespaced: boolean;
  read(apis: Apis, args: Named): Promise<unknown>;
  list(apis: Apis, args: Listed): Promise<{ items: unknown[] }>;
  listAll(apis: Apis, args: ListOptions): Promise<{ items: unknown[] }>;
}

const KINDS: Record<ReadableKind, KindReader> = {
  Job: {
    plural: 'jobs',
    namespaced: true,
    read: (a, x) => a.batch.readNamespacedJob(x),
    list: (a, x) => a.batch.listNamespacedJob(x),
    listAll: (a, x) => a.batch.listJobForAllNamespaces(x),
  },
  CronJob: {
    plural: 'cronjobs',
    namespaced: true,
    read: (a, x) => a.batch.readNamespacedCronJob(x),
    list: (a, x) => a.batch.listNamespacedCronJob(x),
    listAll: (a, x) => a.batch.listCronJobForAllNamespaces(x),
  },
  ControllerRevision: {
    plural: 'controllerrevisions',
    namespaced: true,
    read: (a, x) => a.apps.readNamespacedControllerRevision(x),
    list: (a, x) => a.apps.listNamespacedControllerRevision(x),
    listAll: (a, x) => a.apps.listControllerRevisionForAllNamespaces(x),
  },
  PersistentVolumeClaim: {
    plural: 'persistentvolumeclaims',
    namespaced: true,
    read: (a, x) => a.core.readNamespacedPersistentVolumeClaim(x),
    list: (a, x) => a.core.listNamespacedPersistentVolumeClaim(x),
    listAll: (a, x) => a.core.listPersistentVolumeClaimForAllNamespaces(x),
  },
  PersistentVolume: {
    plural: 'persistentvolumes',
    namespaced: false,
    read: (a, x) => a.core.readPersistentVolume({ name: x.name }),
    list: (a, x) => a.core.listPersistentVolume(withoutNamespace(x)),
    listAll: (a, x) => a.core.listPersistentVolume(x),
  },
  StorageClass: {
    plural: 'storageclasses',
    namespaced: false,
    read: (a, x) => a.storage.readStorageClass({ name: x.name }),
    list: (a, x) => a.storage.listStorageClass(withoutNamespace(x)),
    listAll: (a, x) => a.storage.listStorageClass(x),
  },
  Pod: {
    plural: 'pods',
    namespaced: true,
    read: (a, x) => a.core.readNamespacedPod(x),
    list: (a, x) => a.core.listNamespacedPod(x),
    listAll: (a, x) => a.core.listPodForAllNamespaces(x),
  },
  Deployment: {
    plural: 'deployments',
    namespaced: true,
    read: (a, x) => a.apps.readNamespacedDeployment(x),
    list: (a, x) => a.apps.listNamespacedDeployment(x),
    listAll: (a, x) => a.apps.listDeploymentForAllNamespaces(x),
  },
  ReplicaSet: {
    plural: 'replicasets',
    namespaced: true,
    read: (a, x) => a.apps.readNamespacedReplicaSet(x),
    list: (a, x) => a.apps.listNamespacedReplicaSet(x),
    listAll: (a, x) => a.apps.listReplicaSetForAllNamespaces(x),
  },
  StatefulSet: {
    plural: 'statefulsets',
    namespaced: true,
    read: (a, x) => a.apps.readNamespacedStatefulSet(x),
    list: (a, x) => a.apps.listNamespacedStatefulSet(x),
    listAll: (a, x) => a.apps.listStatefulSetForAllNamespaces(x),
  },
  DaemonSet: {
    plural: 'daemonsets',
    namespaced: true,
    read: (a, x) => a.apps.readNamespacedDaemonSet(x),
    list: (a, x) => a.apps.listNamespacedDaemonSet(x),
    listAll: (a, x) => a.apps.listDaemonSetForAllNamespaces(x),
  },
  Service: {
    plural: 'services',
    namespaced: true,
    read: (a, x) => a.core.readNamespacedService(x),
    list: (a, x) => a.core.listNamespacedService(x),
    listAll: (a, x) => a.core.listServiceForAllNamespaces(x),
  },
  Endpoints: {
    plural: 'endpoints',
    namespaced: true,
    read: (a, x) => a.core.readNamespacedEndpoints(x),
    list: (a, x) => a.core.listNamespacedEndpoints(x),
    listAll: (a, x) => a.core.listEndpointsForAllNamespaces(x),
  },
  Node: {
    plural: 'nodes',
    namespaced: false,
    read: (a, x) => a.core.readNode({ name: x.name }),
    list: (a, x) => a.core.listNode(withoutNamespace(x)),
    listAll: (a, x) => a.core.listNode(x),
  },
  Event: {
    plural: 'events',
    namespaced: true,
    read: (a, x) => a.core.readNamespacedEvent(x),
    list: (a, x) => a.core.listNamespacedEvent(x),
    listAll: (a, x) => a.core.listEventForAllNamespaces(x),
  },
  Namespace: {
    plural: 'namespaces',
    namespaced: false,
    read: (a, x) => a.core.readNamespace({ name: x.name }),
    list: (a, x) => a.core.listNamespace(withoutNamespace(x)),
    listAll: (a, x) => a.core.listNamespace(x),
  },
  ConfigMap: {
    plural: 'configmaps',
    namespaced: true,
    read: (a, x) => a.core.readNamespacedConfigMap(x),
    list: (a, x) => a.core.listNamespacedConfigMap(x),
    listAll: (a, x) => a.core.listConfigMapForAllNamespaces(x),
  },
  ResourceQuota: {
    plural: 'resourcequotas',
    namespaced: true,
    read: (a, x) => a.core.readNamespacedResourceQuota(x),
    list: (a, x) => a.core.listNamespacedResourceQuota(x),
    listAll: (a, x) => a.core.listResourceQuotaForAllNamespaces(x),
  },
  LimitRange: {
    plural: 'limitranges',
    namespaced: true,
    read: (a, x) => a.core.readNamespacedLimitRange(x),
    list: (a, x) => a.core.listNamespacedLimitRange(x),
    listAll: (a, x) => a.core.listLimitRangeForAllNamespaces(x),
  },
  HorizontalPodAutoscaler: {
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    read: (a, x) => a.autoscaling.readNamespacedHorizontalPodAutoscaler(x),
    list: (a, x) => a.autoscaling.listNamespacedHorizontalPodAutoscaler(x),
    listAll: (a, x) => a.autoscaling.listHorizontalPodAutoscalerForAllNamespaces(x),
  },
  PodDisruptionBudget: {
    plural: 'poddisruptionbudgets',
    namespaced: true,
    read: (a, x) => a.policy.readNamespacedPodDisruptionBudget(x),
    list: (a, x) => a.policy.listNamespacedPodDisruptionBudget(x),
    listAll: (a, x) => a.policy.listPodDisruptionBudgetForAllNamespaces(x),
  },
};

function withoutNamespace(x: Listed): ListOptions {
  const { namespace: _ns, ...rest } = x;
  return rest;
}

/**
 * client-node 1.x returns class instances with Date fields; the agent works on plain wire-shaped JSON.
 * A JSON round trip is enough: field names match the wire format for every kind read here.
 */
function toPlain(value: unknown): KubeObject {
  return JSON.parse(JSON.stringify(value)) as KubeObject;
}

function where(kind: ReadableKind, namespace: string | undefined): string {
  return KINDS[kind].namespaced ? (namespace ? ` in ${namespace}` : ' in all namespaces') : '';
}

/** The metadata-only list form (meta.k8s.io/v1, served by every API server since 1.15): names without data. */
export const PARTIAL_METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/** Default bound on one read (CLUSTER_READ_TIMEOUT_MS). */
export const DEFAULT_READ_TIMEOUT_MS = 15_000;

/** ClusterReader over @kubernetes/client-node typed APIs. Read-only by construction: it holds no write calls. */
export function createClientNodeReader(kc: KubeConfig, options: { timeoutMs?: number } = {}): ClusterReader {
  const shared = {};
  const bound = { timeoutMs: options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS };
  const apis: Apis = {
    core: makeKeepAliveApiClient(kc, CoreV1Api, shared, bound),
    apps: makeKeepAliveApiClient(kc, AppsV1Api, shared, bound),
    autoscaling: makeKeepAliveApiClient(kc, AutoscalingV2Api, shared, bound),
    policy: makeKeepAliveApiClient(kc, PolicyV1Api, shared, bound),
    batch: makeKeepAliveApiClient(kc, BatchV1Api, shared, bound),
    storage: makeKeepAliveApiClient(kc, StorageV1Api, shared, bound),
  };
  // Secrets only ever through this client: it asks for metadata alone, so their data never reaches the agent.
  const secretMetadata = makeKeepAliveApiClient(kc, CoreV1Api, shared, { ...bound, accept: PARTIAL_METADATA_LIST_ACCEPT });

  return {
    async get(kind, namespace, name) {
      const reader = KINDS[kind];
      if (!reader) throw new ClusterReadError(`refusing to read kind ${String(kind)}: not a readable kind`, undefined);
      if (reader.namespaced && !namespace) throw new ClusterReadError(`cannot get ${reader.plural} ${name}: a namespace is required`, undefined);
      try {
        return toPlain(await reader.read(apis, { name, namespace: namespace ?? '' }));
      } catch (error) {
        if (statusCodeOf(error) === 404) return undefined;
        throw new ClusterReadError(`failed to get ${reader.plural} ${name}${where(kind, namespace)}: ${describeApiFailure(error)}`, statusCodeOf(error), {
          cause: error,
        });
      }
    },

    async list(kind, namespace, options = {}) {
      const reader = KINDS[kind];
      if (!reader) throw new ClusterReadError(`refusing to list kind ${String(kind)}: not a readable kind`, undefined);
      try {
        const result =
          reader.namespaced && namespace ? await reader.list(apis, { namespace, ...options }) : await reader.listAll(apis, options);
        return (result.items ?? []).map(toPlain);
      } catch (error) {
        if (statusCodeOf(error) === 404) return [];
        throw new ClusterReadError(`failed to list ${reader.plural}${where(kind, namespace)}: ${describeApiFailure(error)}`, statusCodeOf(error), {
          cause: error,
        });
      }
    },

    async listSecretNames(namespace) {
      let list: { kind?: string; items?: Array<{ metadata?: { name?: string } }> };
      try {
        list = await secretMetadata.listNamespacedSecret({ namespace });
      } catch (error) {
        if (statusCodeOf(error) === 404) return [];
        throw new ClusterReadError(`failed to list secret names in ${namespace}: ${describeApiFailure(error)}`, statusCodeOf(error), { cause: error });
      }
      // A server (or proxy) that ignored the metadata-only Accept sent whole Secrets: keep nothing of them.
      if (list.kind !== 'PartialObjectMetadataList') throw new ClusterReadError(`refusing secret names in ${namespace}: the server answered ${String(list.kind)}, not a metadata-only list`, undefined);
      return (list.items ?? []).map((i) => i.metadata?.name ?? '').filter(Boolean);
    },

    async readLog(namespace, pod, options: LogOptions = {}) {
      try {
        const text = await apis.core.readNamespacedPodLog({
          name: pod,
          namespace,
          container: options.container,
          previous: options.previous,
          tailLines: options.tailLines,
          limitBytes: options.limitBytes,
        });
        return typeof text === 'string' ? text : '';
      } catch (error) {
        const status = statusCodeOf(error);
        // A container that has not started (or has no previous instance) has no log: that is data, not a failure.
        if (status === 404 || status === 400) return '';
        const which = options.container ? ` container ${options.container}` : '';
        throw new ClusterReadError(`failed to read logs of pod ${pod}${which} in ${namespace}: ${describeApiFailure(error)}`, status, { cause: error });
      }
    },
  };
}
