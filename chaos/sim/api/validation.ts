// Field validation for the fields kube-sim's users touch, with the real apiserver's wording.

/* eslint-disable @typescript-eslint/no-explicit-any */

import type { FieldError } from '../store/errors.js';
import type { SimObject } from '../store/types.js';
import { checkName, type NameRule } from './names.js';
import { isValidQuantity } from './quantity.js';
import { matchesSelector } from './selectors.js';

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${quote(value)}: ${detail}` };
}

export function required(field: string, detail?: string): FieldError {
  return { type: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' };
}

export function validateObjectName(object: SimObject, rule: NameRule): FieldError[] {
  const name = object.metadata.name;
  const problem = checkName(name, rule);
  return problem ? [invalidValue('metadata.name', name, problem)] : [];
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function validateLabels(labels: unknown, field: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      errors.push(
        invalidValue(
          field,
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
    void key;
  }
  return errors;
}

export function validateReplicas(value: unknown, field: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) return [invalidValue(field, value, 'must be an integer')];
  return value < 0 ? [invalidValue(field, value, 'must be greater than or equal to 0')] : [];
}

function validateResources(resources: any, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const kind of ['limits', 'requests']) {
    const values = resources?.[kind];
    if (!values || typeof values !== 'object') continue;
    for (const [name, value] of Object.entries(values)) {
      if (!isValidQuantity(value)) {
        errors.push(invalidValue(`${field}.${kind}[${name}]`, value, 'must be a valid quantity'));
      }
    }
  }
  const limits = resources?.limits ?? {};
  const requests = resources?.requests ?? {};
  for (const name of Object.keys(requests)) {
    if (limits[name] === undefined) continue;
    // Compare numerically; invalid quantities were reported above.
    const req = Number.parseFloat(String(toNumberString(requests[name])));
    const lim = Number.parseFloat(String(toNumberString(limits[name])));
    if (Number.isFinite(req) && Number.isFinite(lim) && req > lim) {
      errors.push(invalidValue(`${field}.requests`, requests[name], `must be less than or equal to ${name} limit of ${limits[name]}`));
    }
  }
  return errors;
}

import { parseQuantity } from './quantity.js';
function toNumberString(value: unknown): number {
  return parseQuantity(value) ?? Number.NaN;
}

function validateContainers(list: any, field: string, names: Set<string>, requireOne: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    if (requireOne) errors.push(required(field));
    return errors;
  }
  list.forEach((container: any, index: number) => {
    const path = `${field}[${index}]`;
    const name = container?.name;
    if (!name) errors.push(required(`${path}.name`));
    else {
      const problem = checkName(name, 'label');
      if (problem) errors.push(invalidValue(`${path}.name`, name, problem));
      else if (names.has(name)) errors.push({ type: 'FieldValueDuplicate', field: `${path}.name`, message: `Duplicate value: ${quote(name)}` });
      names.add(name);
    }
    if (!container?.image) errors.push(required(`${path}.image`));
    // The real validateContainerCommon order: ports, then imagePullPolicy, then resources.
    const ports = Array.isArray(container?.ports) ? container.ports : [];
    ports.forEach((port: any, i: number) => {
      const n = port?.containerPort;
      if (typeof n !== 'number' || n < 1 || n > 65535) {
        errors.push(invalidValue(`${path}.ports[${i}].containerPort`, n, 'must be between 1 and 65535, inclusive'));
      }
    });
    const pullPolicy = container?.imagePullPolicy;
    if (pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
      errors.push({
        type: 'FieldValueNotSupported',
        field: `${path}.imagePullPolicy`,
        message: `Unsupported value: ${quote(pullPolicy)}: supported values: "Always", "IfNotPresent", "Never"`,
      });
    }
    errors.push(...validateResources(container?.resources, `${path}.resources`));
  });
  return errors;
}

export function validatePodSpec(spec: any, field: string): FieldError[] {
  if (!spec || typeof spec !== 'object') return [required(field)];
  const names = new Set<string>();
  const errors = [
    ...validateContainers(spec.containers, `${field}.containers`, names, true),
    ...validateContainers(spec.initContainers, `${field}.initContainers`, names, false),
  ];
  const policies = ['Always', 'OnFailure', 'Never'];
  if (spec.restartPolicy && !policies.includes(spec.restartPolicy)) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: `${field}.restartPolicy`,
      message: `Unsupported value: ${quote(spec.restartPolicy)}: supported values: "Always", "OnFailure", "Never"`,
    });
  }
  const volumeNames = new Set<string>();
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((volume: any, i: number) => {
    if (!volume?.name) errors.push(required(`${field}.volumes[${i}].name`));
    else if (volumeNames.has(volume.name)) {
      errors.push({ type: 'FieldValueDuplicate', field: `${field}.volumes[${i}].name`, message: `Duplicate value: ${quote(volume.name)}` });
    }
    volumeNames.add(volume?.name);
  });
  return errors;
}

/** Selector/template consistency for Deployments, ReplicaSets, StatefulSets, DaemonSets. */
export function validateWorkload(object: SimObject, old: SimObject | undefined): FieldError[] {
  const spec = object.spec ?? {};
  const errors: FieldError[] = [...validateReplicas(spec.replicas, 'spec.replicas')];
  const selector = spec.selector;
  const isNil = selector === undefined || selector === null;
  const isEmpty = !isNil && !(Object.keys(selector.matchLabels ?? {}).length || (selector.matchExpressions ?? []).length);
  // A nil selector is required (DaemonSets excepted) and, as labels.Nothing(), matches no template; an empty one is
  // rejected on its own and, as labels.Everything(), skips the template check (apps/validation).
  if (isNil && object.kind !== 'DaemonSet') errors.push(required('spec.selector'));
  if (isEmpty) {
    const what = object.kind === 'StatefulSet' ? 'statefulset' : object.kind === 'DaemonSet' ? 'daemonset' : 'deployment';
    errors.push({ type: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${goSelector(selector)}: empty selector is invalid for ${what}` });
  }
  const labels = spec.template?.metadata?.labels ?? {};
  if (!isEmpty && (isNil || !matchesSelector(selector, labels))) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(selector)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.selector',
      message: `Invalid value: ${goSelector(selector)}: field is immutable`,
    });
  }
  errors.push(...validatePodSpec(spec.template?.spec, 'spec.template.spec'));
  return errors;
}

function goMap(labels: Record<string, string>): string {
  const body = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(', ');
  return `map[string]string{${body}}`;
}

/** Go's %#v of a *metav1.LabelSelector (nil map/slice fields print as `(nil)`). */
function goSelector(selector: any): string {
  const labels = selector?.matchLabels;
  const matchLabels = labels ? goMap(labels) : 'map[string]string(nil)';
  const exprs: any[] | undefined = selector?.matchExpressions;
  const goStrings = (values: string[] | undefined) => (values ? `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)');
  const matchExpressions = exprs
    ? `[]v1.LabelSelectorRequirement{${exprs.map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e?.key ?? '')}, Operator:${JSON.stringify(e?.operator ?? '')}, Values:${goStrings(e?.values)}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:${matchExpressions}}`;
}

