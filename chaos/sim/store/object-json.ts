// JSON helpers for stored objects: deep copies, the real server's key order, store keys.

import type { SimObject } from './types.js';

/** Plain-JSON deep copy; stored objects are JSON, and this is faster than structuredClone for them. */
export function cloneObject<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value)) as T;
}

const METADATA_ORDER = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];

/** Orders keys as the real server serialises them (kind, apiVersion, metadata first; metadata in Go field order). */
export function canonicalize(object: SimObject): SimObject {
  const metadata: Record<string, unknown> = {};
  for (const key of METADATA_ORDER) if (object.metadata[key] !== undefined) metadata[key] = object.metadata[key];
  for (const [key, value] of Object.entries(object.metadata)) if (!(key in metadata) && value !== undefined) metadata[key] = value;
  const out: Record<string, unknown> = { kind: object.kind, apiVersion: object.apiVersion, metadata };
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'kind' && key !== 'apiVersion' && key !== 'metadata' && value !== undefined) out[key] = value;
  }
  return out as SimObject;
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
