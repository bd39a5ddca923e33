// The one table of Kubernetes resource types: risk scoring resolves kubectl's spellings with it, the execute stage
// names the objects it acts on with it (audit refs, Event targets, lock keys), rollback spells kubectl arguments with it.
/**
 * Every built-in resource type of a Kubernetes 1.32 cluster, as data, with the spellings kubectl accepts.
 * Matches `kubectl api-resources` for core, apps, batch, networking, policy, rbac, storage, apiextensions,
 * admissionregistration, autoscaling, certificates, coordination, events, discovery, scheduling, node, flowcontrol,
 * apiregistration, authentication and authorization.
 */

export interface ResourceType {
  /** Canonical name: the plural, lower case ("deployments"). */
  plural: string;
  singular: string;
  shortNames: string[];
  kind: string;
  /** "" for the core group. */
  group: string;
  namespaced: boolean;
}

// [plural, singular, short names, Kind, group, namespaced]
type Row = [string, string, string[], string, string, boolean];

const ROWS: Row[] = [
  ['bindings', 'binding', [], 'Binding', '', true],
  ['componentstatuses', 'componentstatus', ['cs'], 'ComponentStatus', '', false],
  ['configmaps', 'configmap', ['cm'], 'ConfigMap', '', true],
  ['endpoints', 'endpoints', ['ep'], 'Endpoints', '', true],
  ['events', 'event', ['ev'], 'Event', '', true],
  ['limitranges', 'limitrange', ['limits'], 'LimitRange', '', true],
  ['namespaces', 'namespace', ['ns'], 'Namespace', '', false],
  ['nodes', 'node', ['no'], 'Node', '', false],
  ['persistentvolumeclaims', 'persistentvolumeclaim', ['pvc'], 'PersistentVolumeClaim', '', true],
  ['persistentvolumes', 'persistentvolume', ['pv'], 'PersistentVolume', '', false],
  ['pods', 'pod', ['po'], 'Pod', '', true],
  ['podtemplates', 'podtemplate', [], 'PodTemplate', '', true],
  ['replicationcontrollers', 'replicationcontroller', ['rc'], 'ReplicationController', '', true],
  ['resourcequotas', 'resourcequota', ['quota'], 'ResourceQuota', '', true],
  ['secrets', 'secret', [], 'Secret', '', true],
  ['serviceaccounts', 'serviceaccount', ['sa'], 'ServiceAccount', '', true],
  ['services', 'service', ['svc'], 'Service', '', true],
  ['mutatingwebhookconfigurations', 'mutatingwebhookconfiguration', [], 'MutatingWebhookConfiguration', 'admissionregistration.k8s.io', false],
  ['validatingadmissionpolicies', 'validatingadmissionpolicy', [], 'ValidatingAdmissionPolicy', 'admissionregistration.k8s.io', false],
  ['validatingadmissionpolicybindings', 'validatingadmissionpolicybinding', [], 'ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', false],
  ['validatingwebhookconfigurations', 'validatingwebhookconfiguration', [], 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io', false],
  ['mutatingadmissionpolicies', 'mutatingadmissionpolicy', [], 'MutatingAdmissionPolicy', 'admissionregistration.k8s.io', false],
  ['mutatingadmissionpolicybindings', 'mutatingadmissionpolicybinding', [], 'MutatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', false],
  ['customresourcedefinitions', 'customresourcedefinition', ['crd', 'crds'], 'CustomResourceDefinition', 'apiextensions.k8s.io', false],
  ['apiservices', 'apiservice', [], 'APIService', 'apiregistration.k8s.io', false],
  ['controllerrevisions', 'controllerrevision', [], 'ControllerRevision', 'apps', true],
  ['daemonsets', 'daemonset', ['ds'], 'DaemonSet', 'apps', true],
  ['deployments', 'deployment', ['deploy'], 'Deployment', 'apps', true],
  ['replicasets', 'replicaset', ['rs'], 'ReplicaSet', 'apps', true],
  ['statefulsets', 'statefulset', ['sts'], 'StatefulSet', 'apps', true],
  ['selfsubjectreviews', 'selfsubjectreview', [], 'SelfSubjectReview', 'authentication.k8s.io', false],
  ['tokenreviews', 'tokenreview', [], 'TokenReview', 'authentication.k8s.io', false],
  ['localsubjectaccessreviews', 'localsubjectaccessreview', [], 'LocalSubjectAccessReview', 'authorization.k8s.io', true],
  ['selfsubjectaccessreviews', 'selfsubjectaccessreview', [], 'SelfSubjectAccessReview', 'authorization.k8s.io', false],
  ['selfsubjectrulesreviews', 'selfsubjectrulesreview', [], 'SelfSubjectRulesReview', 'authorization.k8s.io', false],
  ['subjectaccessreviews', 'subjectaccessreview', [], 'SubjectAccessReview', 'authorization.k8s.io', false],
  ['horizontalpodautoscalers', 'horizontalpodautoscaler', ['hpa'], 'HorizontalPodAutoscaler', 'autoscaling', true],
  ['cronjobs', 'cronjob', ['cj'], 'CronJob', 'batch', true],
  ['jobs', 'job', [], 'Job', 'batch', true],
  ['certificatesigningrequests', 'certificatesigningrequest', ['csr'], 'CertificateSigningRequest', 'certificates.k8s.io', false],
  ['clustertrustbundles', 'clustertrustbundle', [], 'ClusterTrustBundle', 'certificates.k8s.io', false],
  ['leases', 'lease', [], 'Lease', 'coordination.k8s.io', true],
  ['endpointslices', 'endpointslice', [], 'EndpointSlice', 'discovery.k8s.io', true],
  ['flowschemas', 'flowschema', [], 'FlowSchema', 'flowcontrol.apiserver.k8s.io', false],
  ['prioritylevelconfigurations', 'prioritylevelconfiguration', [], 'PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io', false],
  ['ingressclasses', 'ingressclass', [], 'IngressClass', 'networking.k8s.io', false],
  ['ingresses', 'ingress', ['ing'], 'Ingress', 'networking.k8s.io', true],
  ['ipaddresses', 'ipaddress', ['ip'], 'IPAddress', 'networking.k8s.io', false],
  ['networkpolicies', 'networkpolicy', ['netpol'], 'NetworkPolicy', 'networking.k8s.io', true],
  ['servicecidrs', 'servicecidr', [], 'ServiceCIDR', 'networking.k8s.io', false],
  ['runtimeclasses', 'runtimeclass', [], 'RuntimeClass', 'node.k8s.io', false],
  ['poddisruptionbudgets', 'poddisruptionbudget', ['pdb'], 'PodDisruptionBudget', 'policy', true],
  ['clusterrolebindings', 'clusterrolebinding', [], 'ClusterRoleBinding', 'rbac.authorization.k8s.io', false],
  ['clusterroles', 'clusterrole', [], 'ClusterRole', 'rbac.authorization.k8s.io', false],
  ['rolebindings', 'rolebinding', [], 'RoleBinding', 'rbac.authorization.k8s.io', true],
  ['roles', 'role', [], 'Role', 'rbac.authorization.k8s.io', true],
  ['priorityclasses', 'priorityclass', ['pc'], 'PriorityClass', 'scheduling.k8s.io', false],
  ['csidrivers', 'csidriver', [], 'CSIDriver', 'storage.k8s.io', false],
  ['csinodes', 'csinode', [], 'CSINode', 'storage.k8s.io', false],
  ['csistoragecapacities', 'csistoragecapacity', [], 'CSIStorageCapacity', 'storage.k8s.io', true],
  ['storageclasses', 'storageclass', ['sc'], 'StorageClass', 'storage.k8s.io', false],
  ['volumeattachments', 'volumeattachment', [], 'VolumeAttachment', 'storage.k8s.io', false],
  ['volumeattributesclasses', 'volumeattributesclass', ['vac'], 'VolumeAttributesClass', 'storage.k8s.io', false],
  ['resourceclaims', 'resourceclaim', [], 'ResourceClaim', 'resource.k8s.io', true],
  ['resourceclaimtemplates', 'resourceclaimtemplate', [], 'ResourceClaimTemplate', 'resource.k8s.io', true],
  ['deviceclasses', 'deviceclass', [], 'DeviceClass', 'resource.k8s.io', false],
  ['resourceslices', 'resourceslice', [], 'ResourceSlice', 'resource.k8s.io', false],
];

export const RESOURCE_TYPES: readonly ResourceType[] = ROWS.map(([plural, singular, shortNames, kind, group, namespaced]) => ({
  plural,
  singular,
  shortNames,
  kind,
  group,
  namespaced,
}));

/**
 * Built-in categories: a category name selects every type that declares it, so `kubectl delete api-extensions --all`
 * deletes every CRD, webhook configuration and APIService. (Categories declared by CRDs are unknown here; such names
 * stay unknown types and get no more than the verb's level.)
 */
export const CATEGORIES: Record<string, readonly string[]> = {
  all: [] as string[],
  'api-extensions': [
    'customresourcedefinitions', 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'apiservices',
    'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
  ],
};

/** kubectl's "all" category: what `kubectl get all` / `delete all` expands to. */
export const ALL_CATEGORY = [
  'pods',
  'services',
  'daemonsets',
  'deployments',
  'replicasets',
  'statefulsets',
  'horizontalpodautoscalers',
  'cronjobs',
  'jobs',
  'replicationcontrollers',
];

CATEGORIES.all = ALL_CATEGORY;

const BY_ALIAS = new Map<string, ResourceType>();
for (const type of RESOURCE_TYPES) {
  for (const alias of [type.plural, type.singular, type.kind.toLowerCase(), ...type.shortNames]) {
    // events.k8s.io/Event shares "events"/"ev" with core; the first row (core) wins, as in kubectl.
    if (!BY_ALIAS.has(alias)) BY_ALIAS.set(alias, type);
  }
}

export interface ResolvedResource {
  /** Canonical plural for a built-in type; otherwise the spelling lower-cased (a CRD or a typo). */
  name: string;
  known: boolean;
  /** The ".group" (or ".version.group") suffix as written, if any. */
  group?: string;
  /** True for a category ("all", "api-extensions"); its member types are in CATEGORIES. */
  category?: boolean;
}

/**
 * Resolves any spelling kubectl accepts: plural, singular, short name, Kind in any case, "type.group" and
 * "type.version.group". When the head before the first dot is a built-in alias we take it, whatever the suffix says:
 * a wrong group makes kubectl fail, while a CRD that reuses a built-in name (nodes.example.com) is rare, and treating it
 * as the built-in only ever errs on the strict side.
 */
export function resolveResource(spelling: string): ResolvedResource {
  const lower = spelling.toLowerCase();
  if (lower in CATEGORIES) return { name: lower, known: true, category: true };
  const exact = BY_ALIAS.get(lower);
  if (exact) return { name: exact.plural, known: true };
  const dot = lower.indexOf('.');
  if (dot > 0) {
    const head = BY_ALIAS.get(lower.slice(0, dot));
    if (head) return { name: head.plural, known: true, group: lower.slice(dot + 1) };
  }
  return { name: lower, known: false };
}

export function resourceType(plural: string): ResourceType | undefined {
  return BY_ALIAS.get(plural);
}

const BY_KIND = new Map<string, ResourceType>();
// First row wins, as for aliases: Event is the core v1 one.
for (const type of RESOURCE_TYPES) if (!BY_KIND.has(type.kind)) BY_KIND.set(type.kind, type);

/** The built-in type of a Kind ("Deployment"), exact case as the API spells it. */
export function resourceTypeOfKind(kind: string): ResourceType | undefined {
  return BY_KIND.get(kind);
}

/** Served versions other than v1 that a 1.32 API server prefers (the rest of every group is at v1). */
const PREFERRED_VERSIONS: Record<string, string> = {
  horizontalpodautoscalers: 'v2',
  mutatingadmissionpolicies: 'v1alpha1',
  mutatingadmissionpolicybindings: 'v1alpha1',
  clustertrustbundles: 'v1alpha1',
  ipaddresses: 'v1beta1',
  servicecidrs: 'v1beta1',
  volumeattributesclasses: 'v1beta1',
  resourceclaims: 'v1beta1',
  resourceclaimtemplates: 'v1beta1',
  deviceclasses: 'v1beta1',
  resourceslices: 'v1beta1',
};

/** "apps/v1", "v1", "autoscaling/v2": the apiVersion an object of this type is written with. */
export function apiVersionOf(type: ResourceType): string {
  const version = PREFERRED_VERSIONS[type.plural] ?? 'v1';
  return type.group ? `${type.group}/${version}` : version;
}
