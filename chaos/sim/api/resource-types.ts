// The resource table kube-sim serves. Discovery, OpenAPI, routing and the store all derive from it, so adding a
// resource here is enough for it to appear everywhere (verbs, short names and categories as on a real 1.26 server).

export interface SubresourceInfo {
  name: string;
  kind: string;
  verbs: string[];
  /** Set when the subresource speaks another group's kind (scale → autoscaling/v1 Scale, eviction → policy/v1). */
  group?: string;
  version?: string;
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Lower-case plural, also the store key (except `storageResource` overrides). */
  resource: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources: SubresourceInfo[];
  /** True for kinds whose metadata.generation the server maintains. */
  hasGeneration: boolean;
  /** Store key when it differs from `resource` (events.k8s.io/v1 events are a view of core events' storage). */
  storageResource?: string;
  storageVersionHash?: string;
}

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS = ['get', 'patch', 'update'];

function r(
  group: string,
  version: string,
  resource: string,
  kind: string,
  extra: Partial<ResourceInfo> = {},
): ResourceInfo {
  return {
    group,
    version,
    resource,
    kind,
    listKind: `${kind}List`,
    namespaced: true,
    verbs: ALL,
    subresources: [],
    hasGeneration: false,
    ...extra,
  };
}

const status = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: STATUS });
const scale: SubresourceInfo = { name: 'scale', kind: 'Scale', verbs: STATUS, group: 'autoscaling', version: 'v1' };

export const RESOURCE_TYPES: ResourceInfo[] = [
  r('', 'v1', 'bindings', 'Binding', { verbs: ['create'] }),
  r('', 'v1', 'configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  r('', 'v1', 'endpoints', 'Endpoints', { shortNames: ['ep'] }),
  r('', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  r('', 'v1', 'limitranges', 'LimitRange', { shortNames: ['limits'] }),
  r('', 'v1', 'namespaces', 'Namespace', {
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')],
  }),
  r('', 'v1', 'nodes', 'Node', { namespaced: false, shortNames: ['no'], subresources: [status('Node')] }),
  r('', 'v1', 'persistentvolumes', 'PersistentVolume', { namespaced: false, shortNames: ['pv'], subresources: [status('PersistentVolume')] }),
  r('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', {
    shortNames: ['pvc'],
    subresources: [status('PersistentVolumeClaim')],
  }),
  r('', 'v1', 'pods', 'Pod', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      status('Pod'),
    ],
  }),
  r('', 'v1', 'resourcequotas', 'ResourceQuota', { shortNames: ['quota'], subresources: [status('ResourceQuota')] }),
  r('', 'v1', 'secrets', 'Secret'),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', { shortNames: ['sa'] }),
  r('', 'v1', 'services', 'Service', { shortNames: ['svc'], categories: ['all'], subresources: [status('Service')] }),
  r('apps', 'v1', 'controllerrevisions', 'ControllerRevision', { hasGeneration: false }),
  r('apps', 'v1', 'daemonsets', 'DaemonSet', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [status('DaemonSet')],
    hasGeneration: true,
  }),
  r('apps', 'v1', 'deployments', 'Deployment', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [scale, status('Deployment')],
    hasGeneration: true,
  }),
  r('apps', 'v1', 'replicasets', 'ReplicaSet', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [scale, status('ReplicaSet')],
    hasGeneration: true,
  }),
  r('apps', 'v1', 'statefulsets', 'StatefulSet', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [scale, status('StatefulSet')],
    hasGeneration: true,
  }),
  r('batch', 'v1', 'cronjobs', 'CronJob', { shortNames: ['cj'], categories: ['all'], subresources: [status('CronJob')], hasGeneration: true }),
  r('batch', 'v1', 'jobs', 'Job', { categories: ['all'], subresources: [status('Job')], hasGeneration: true }),
  r('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  r('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  r('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', { namespaced: false, verbs: ['create'] }),
  r('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: [status('HorizontalPodAutoscaler')],
    hasGeneration: false,
  }),
  r('autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: [status('HorizontalPodAutoscaler')],
    hasGeneration: false,
  }),
  r('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', {
    shortNames: ['pdb'],
    subresources: [status('PodDisruptionBudget')],
    hasGeneration: true,
  }),
  r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', {
    shortNames: ['netpol'],
    subresources: [status('NetworkPolicy')],
    hasGeneration: true,
  }),
  r('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', { namespaced: false, hasGeneration: true }),
  r('networking.k8s.io', 'v1', 'ingresses', 'Ingress', { shortNames: ['ing'], subresources: [status('Ingress')], hasGeneration: true }),
  r('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', { namespaced: false, shortNames: ['sc'] }),
  r('events.k8s.io', 'v1', 'events', 'Event', { shortNames: ['ev'], storageResource: 'events' }),
  // metrics-server's aggregated API: computed from the kubelets' usage, never stored (api/http/metrics.ts).
  r('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', { namespaced: false, verbs: ['get', 'list'], storageResource: 'nodemetrics.metrics.k8s.io' }),
  r('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', { verbs: ['get', 'list'], storageResource: 'podmetrics.metrics.k8s.io' }),
];

/** Store key → resource info (core first, so the key `events` is core events). */
const BY_STORAGE = new Map<string, ResourceInfo>();
const BY_GVR = new Map<string, ResourceInfo>();
for (const info of RESOURCE_TYPES) {
  BY_GVR.set(`${info.group}/${info.version}/${info.resource}`, info);
  const key = storageKeyOf(info);
  if (!BY_STORAGE.has(key)) BY_STORAGE.set(key, info);
}

export function storageKeyOf(info: ResourceInfo): string {
  return info.storageResource ?? info.resource;
}

/** Looks a resource up by the store key controllers use ("pods", "deployments"). */
export function findResourceByStorageKey(key: string): ResourceInfo | undefined {
  return BY_STORAGE.get(key);
}

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return BY_GVR.get(`${group}/${version}/${resource}`);
}

/** "deployments.apps" / "pods": the qualified resource the real server names in error messages. */
export function qualifiedResource(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** Group/versions in discovery order. */
export function servedGroupVersions(): Array<{ group: string; version: string }> {
  const seen = new Set<string>();
  const out: Array<{ group: string; version: string }> = [];
  for (const info of RESOURCE_TYPES) {
    const key = `${info.group}/${info.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ group: info.group, version: info.version });
  }
  return out;
}
