// The built-in write strategies, by store key. Every create/update through the store runs these.

/* eslint-disable @typescript-eslint/no-explicit-any */

import type { FieldError } from '../store/errors.js';
import type { SimObject } from '../store/types.js';
import { admitLimitRange } from './admission/limit-range.js';
import { admitQuota } from './admission/quota.js';
import { defaultPodSpec, admitNewPodSpec, qosClassOf } from './defaults/pod-spec.js';
import { defaultCronJob, defaultJob, validateJobSpec } from './defaults/job.js';
import { defaultService, validateService } from './defaults/service.js';
import type { ResourceStrategy, WriteContext } from './strategy.js';
import { validateLabels, validateObjectName, validatePodSpec, validateReplicas, validateWorkload } from './validation.js';
import type { NameRule } from './names.js';

function metaErrors(object: SimObject, rule: NameRule): FieldError[] {
  return [...validateObjectName(object, rule), ...validateLabels(object.metadata.labels, 'metadata.labels')];
}

function quota(resource: string) {
  return (object: SimObject, context: WriteContext) => admitQuota(resource, object, context);
}

function defaultTemplate(spec: any): void {
  if (!spec?.template) return;
  spec.template.metadata ??= {};
  if (spec.template.metadata.creationTimestamp === undefined) spec.template.metadata.creationTimestamp = null;
  defaultPodSpec(spec.template.spec);
}

const POD_MUTABLE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function podSpecChangeErrors(next: any, old: any): FieldError[] {
  const strip = (spec: any) => {
    const copy = JSON.parse(JSON.stringify(spec ?? {}));
    for (const c of [...(copy.containers ?? []), ...(copy.initContainers ?? [])]) delete c.image;
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    delete copy.terminationGracePeriodSeconds;
    return JSON.stringify(copy);
  };
  if (strip(next) === strip(old)) return [];
  return [{ type: 'FieldValueForbidden', field: 'spec', message: `Forbidden: ${POD_MUTABLE_MESSAGE}` }];
}

const pods: ResourceStrategy = {
  applyDefaults(object, context) {
    object.spec ??= {};
    defaultPodSpec(object.spec);
    if (context.operation === 'create') {
      admitNewPodSpec(object.spec);
      object.status = { phase: 'Pending', qosClass: qosClassOf(object.spec) };
    }
  },
  validate(object, context) {
    const errors = [...metaErrors(object, 'subdomain'), ...validatePodSpec(object.spec, 'spec')];
    if (context.operation === 'update' && context.old && !context.trusted) {
      errors.push(...podSpecChangeErrors(object.spec, context.old.spec));
    }
    return errors;
  },
  // As on the apiserver, LimitRanger runs before ResourceQuota.
  admit(object, context) {
    admitLimitRange(object, context);
    admitQuota('pods', object, context);
  },
};

function workload(resource: string, defaults: (spec: any) => void): ResourceStrategy {
  return {
    applyDefaults(object, context) {
      object.spec ??= {};
      defaults(object.spec);
      defaultTemplate(object.spec);
      if (context.operation === 'create') object.status = {};
    },
    validate(object, context) {
      return [...metaErrors(object, 'subdomain'), ...validateWorkload(object, context.old)];
    },
    admit: quota(resource),
  };
}

const rollingUpdate = (spec: any) => {
  spec.strategy ??= { type: 'RollingUpdate' };
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
};

const simple = (rule: NameRule, resource?: string, extra?: Partial<ResourceStrategy>): ResourceStrategy => ({
  validate: (object) => metaErrors(object, rule),
  ...(resource ? { admit: quota(resource) } : {}),
  ...extra,
});

export const BUILTIN_STRATEGIES: Record<string, ResourceStrategy> = {
  pods,
  deployments: workload('deployments', (spec) => {
    spec.replicas ??= 1;
    rollingUpdate(spec);
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
  }),
  replicasets: workload('replicasets', (spec) => {
    spec.replicas ??= 1;
  }),
  statefulsets: workload('statefulsets', (spec) => {
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
  }),
  daemonsets: workload('daemonsets', (spec) => {
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
    spec.revisionHistoryLimit ??= 10;
  }),
  services: {
    applyDefaults: (object, context) => defaultService(object, context),
    validate: (object, context) => [...metaErrors(object, 'dns1035'), ...validateService(object, context)],
    admit: quota('services'),
  },
  namespaces: simple('label', undefined, {
    applyDefaults(object, context) {
      object.metadata.labels = { ...(object.metadata.labels ?? {}), 'kubernetes.io/metadata.name': object.metadata.name };
      object.spec = { finalizers: ['kubernetes'], ...(object.spec ?? {}) };
      if (context.operation === 'create') object.status = { phase: 'Active' };
    },
  }),
  configmaps: simple('subdomain', 'configmaps'),
  secrets: simple('subdomain', 'secrets', {
    applyDefaults(object) {
      object.type ??= 'Opaque';
    },
  }),
  persistentvolumeclaims: simple('subdomain', 'persistentvolumeclaims', {
    applyDefaults(object, context) {
      object.spec ??= {};
      object.spec.volumeMode ??= 'Filesystem';
      if (context.operation === 'create') object.status = { phase: 'Pending' };
    },
  }),
  resourcequotas: simple('subdomain', 'resourcequotas'),
  serviceaccounts: simple('subdomain'),
  endpoints: simple('subdomain'),
  limitranges: simple('subdomain'),
  events: simple('subdomain'),
  nodes: simple('subdomain'),
  controllerrevisions: simple('subdomain'),
  horizontalpodautoscalers: simple('subdomain', undefined, {
    // autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: minReplicas 1 and, without metrics, CPU at 80%.
    applyDefaults(object) {
      object.spec ??= {};
      object.spec.minReplicas ??= 1;
      if (!Array.isArray(object.spec.metrics) || object.spec.metrics.length === 0) {
        object.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      }
    },
    validate: (object) => [...metaErrors(object, 'subdomain'), ...validateReplicas(object.spec?.maxReplicas, 'spec.maxReplicas')],
  }),
  poddisruptionbudgets: simple('subdomain'),
  jobs: {
    applyDefaults: (object, context) => defaultJob(object, context.operation === 'create'),
    validate: (object) => [...metaErrors(object, 'subdomain'), ...validateJobSpec(object.spec, 'spec'), ...validatePodSpec(object.spec?.template?.spec, 'spec.template.spec')],
  },
  cronjobs: simple('subdomain', undefined, {
    applyDefaults: (object) => defaultCronJob(object),
    validate: (object) => [
      ...metaErrors(object, 'subdomain'),
      ...(object.spec?.schedule ? [] : [{ type: 'FieldValueRequired', field: 'spec.schedule', message: 'Required value' } as FieldError]),
      ...validateJobSpec(object.spec?.jobTemplate?.spec, 'spec.jobTemplate.spec'),
      ...validatePodSpec(object.spec?.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec'),
    ],
  }),
  persistentvolumes: simple('subdomain'),
  storageclasses: simple('subdomain'),
  ingresses: simple('subdomain'),
  ingressclasses: simple('subdomain'),
  networkpolicies: simple('subdomain', undefined, {
    applyDefaults(object) {
      object.spec ??= {};
      object.spec.policyTypes ??= ['Ingress'];
    },
  }),
};
