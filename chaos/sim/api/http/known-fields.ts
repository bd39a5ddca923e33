// The field names of the structures people write by hand most (workload specs, pod specs, containers, services), so
// fieldValidation=Strict can reject typos like `replica:` or `imagePullPolicyy:` with the real server's paths.
// Structures not listed here are not checked below their top level.

/* eslint-disable @typescript-eslint/no-explicit-any */

type Shape = { fields: string[]; children?: Record<string, Shape | { list: Shape } | { map: true }> };

const OBJECT_META = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];

const CONTAINER_PORT: Shape = { fields: ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'] };
const ENV_VAR: Shape = { fields: ['name', 'value', 'valueFrom'] };
const RESOURCES: Shape = { fields: ['limits', 'requests', 'claims'] };
const CONTAINER: Shape = {
  fields: [
    'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts',
    'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy',
    'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
  ],
  children: { ports: { list: CONTAINER_PORT }, env: { list: ENV_VAR }, resources: RESOURCES },
};
const POD_SPEC: Shape = {
  fields: [
    'volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds',
    'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID',
    'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName',
    'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'enableServiceLinks',
    'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims',
    'resources',
  ],
  children: { containers: { list: CONTAINER }, initContainers: { list: CONTAINER } },
};
const TEMPLATE: Shape = { fields: ['metadata', 'spec'], children: { metadata: { fields: OBJECT_META }, spec: POD_SPEC } };
const SELECTOR: Shape = { fields: ['matchLabels', 'matchExpressions'] };

const SPECS: Record<string, Shape> = {
  Pod: POD_SPEC,
  Deployment: {
    fields: ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'],
    children: { template: TEMPLATE, selector: SELECTOR, strategy: { fields: ['type', 'rollingUpdate'] } },
  },
  ReplicaSet: { fields: ['replicas', 'minReadySeconds', 'selector', 'template'], children: { template: TEMPLATE, selector: SELECTOR } },
  StatefulSet: {
    fields: [
      'replicas', 'selector', 'template', 'volumeClaimTemplates', 'serviceName', 'podManagementPolicy', 'updateStrategy', 'revisionHistoryLimit',
      'minReadySeconds', 'persistentVolumeClaimRetentionPolicy', 'ordinals',
    ],
    children: { template: TEMPLATE, selector: SELECTOR },
  },
  DaemonSet: {
    fields: ['selector', 'template', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'],
    children: { template: TEMPLATE, selector: SELECTOR },
  },
  Service: {
    fields: [
      'ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP', 'loadBalancerSourceRanges',
      'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses', 'sessionAffinityConfig', 'ipFamilies',
      'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution',
    ],
    children: { ports: { list: { fields: ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'] } } },
  },
};

function walk(value: any, shape: Shape, path: string, out: string[]): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!shape.fields.includes(key)) {
      out.push(`${path}.${key}`);
      continue;
    }
    const child = shape.children?.[key];
    if (!child || 'map' in child) continue;
    if ('list' in child) {
      if (Array.isArray(value[key])) value[key].forEach((item: any, i: number) => walk(item, child.list, `${path}.${key}[${i}]`, out));
    } else walk(value[key], child, `${path}.${key}`, out);
  }
}

/** Unknown fields under `spec` for the kinds above, as dotted paths (`spec.template.spec.containers[0].imagee`). */
export function unknownSpecFields(kind: string, spec: unknown): string[] {
  const shape = SPECS[kind];
  if (!shape) return [];
  const out: string[] = [];
  walk(spec, shape, 'spec', out);
  return out;
}
