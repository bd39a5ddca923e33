// batch/v1 Job and CronJob defaulting and the validation kubectl users hit, as the real registry does it: the
// generated selector on the Job's own uid, completions/parallelism/backoffLimit defaults, restartPolicy rules.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { randomUUID } from 'node:crypto';
import type { FieldError } from '../../store/errors.js';
import type { SimObject } from '../../store/types.js';
import { defaultPodSpec } from './pod-spec.js';

/** SetDefaults_Job on a JobSpec (also a CronJob's jobTemplate.spec). */
function defaultJobSpec(spec: any): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  spec.template ??= {};
  spec.template.metadata ??= {};
  if (spec.template.metadata.creationTimestamp === undefined) spec.template.metadata.creationTimestamp = null;
  spec.template.spec ??= {};
  defaultPodSpec(spec.template.spec);
}

/** Job create: defaults plus the registry's generateSelector (unless spec.manualSelector). */
export function defaultJob(object: SimObject, create: boolean): void {
  const spec = ((object as any).spec ??= {});
  defaultJobSpec(spec);
  if (!create || spec.manualSelector === true) return;
  object.metadata.uid ??= randomUUID();
  const uid = object.metadata.uid;
  const name = object.metadata.name;
  spec.template.metadata.labels = {
    ...(spec.template.metadata.labels ?? {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  (object as any).status ??= {};
}

export function defaultCronJob(object: SimObject): void {
  const spec = ((object as any).spec ??= {});
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  spec.jobTemplate ??= {};
  spec.jobTemplate.spec ??= {};
  defaultJobSpec(spec.jobTemplate.spec);
}

/** ValidateJobSpec's restartPolicy and count rules (field paths under `prefix`). */
export function validateJobSpec(spec: any, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds']) {
    const value = spec?.[field];
    if (typeof value === 'number' && value < 0) {
      errors.push({ type: 'FieldValueInvalid', field: `${prefix}.${field}`, message: `Invalid value: ${value}: must be greater than or equal to 0` });
    }
  }
  const policy = spec?.template?.spec?.restartPolicy;
  if (policy !== 'OnFailure' && policy !== 'Never') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: `${prefix}.template.spec.restartPolicy`,
      message: `Unsupported value: ${JSON.stringify(policy ?? '')}: supported values: "OnFailure", "Never"`,
    });
  }
  return errors;
}
