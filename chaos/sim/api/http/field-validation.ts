// fieldValidation=Strict|Warn|Ignore on writes. kube-sim knows each kind's top-level and metadata fields (no full
// schemas): an unknown one gives 400 "strict decoding error" (Strict) or a Warning header (Warn), as the real server.

import { badRequest } from '../../store/errors.js';
import type { ResourceInfo } from '../resource-types.js';
import { unknownSpecFields } from './known-fields.js';

const COMMON = ['apiVersion', 'kind', 'metadata'];
const TOP_LEVEL: Record<string, string[]> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  Event: [
    'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'series',
    'action', 'related', 'reportingComponent', 'reportingInstance',
  ],
  Endpoints: ['subsets'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  ControllerRevision: ['data', 'revision'],
  Binding: ['target'],
  EndpointSlice: ['addressType', 'endpoints', 'ports'],
  StorageClass: ['provisioner', 'parameters', 'reclaimPolicy', 'mountOptions', 'allowVolumeExpansion', 'volumeBindingMode', 'allowedTopologies'],
};
const METADATA = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];

function unknownFields(info: ResourceInfo, body: Record<string, unknown>): string[] {
  const allowed = new Set([...COMMON, ...(TOP_LEVEL[info.kind] ?? ['spec', 'status'])]);
  if (info.kind === 'Event' && info.group === 'events.k8s.io') {
    for (const k of ['regarding', 'note', 'reportingController', 'deprecatedSource', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp', 'deprecatedCount']) allowed.add(k);
  }
  const out = Object.keys(body).filter((k) => !allowed.has(k)).map((k) => k);
  const metadata = body.metadata;
  if (metadata && typeof metadata === 'object') {
    for (const k of Object.keys(metadata)) if (!METADATA.includes(k)) out.push(`metadata.${k}`);
  }
  out.push(...unknownSpecFields(info.kind, body.spec));
  return out;
}

/** Deletes one dotted path (`spec.template.spec.containers[0].imagee`) from `body`. */
function deletePath(body: Record<string, unknown>, path: string): void {
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let node: unknown = body;
  for (const key of keys.slice(0, -1)) {
    if (!node || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[key];
  }
  if (node && typeof node === 'object') delete (node as Record<string, unknown>)[keys[keys.length - 1]];
}

/**
 * Returns Warning header values (Warn) or throws 400 (Strict). Unknown fields never reach storage: the real server's
 * decoder drops them under Warn and Ignore, so they are deleted from `body` here. No parameter means Warn (the
 * server default since 1.27).
 */
export function checkFieldValidation(info: ResourceInfo, body: Record<string, unknown>, requested: string | null): string[] {
  const mode = requested ?? 'Warn';
  if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore') throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
  const unknown = unknownFields(info, body);
  if (!unknown.length) return [];
  for (const path of unknown) if (mode !== 'Strict') deletePath(body, path);
  if (mode === 'Ignore') return [];
  if (mode === 'Strict') {
    const list = unknown.map((f) => `unknown field "${f}"`).join(', ');
    throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${list}`);
  }
  return unknown.map((f) => `299 - "unknown field \\"${f}\\""`);
}
