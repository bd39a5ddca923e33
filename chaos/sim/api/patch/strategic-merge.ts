// Strategic merge patch with the real patchMergeKeys of the built-in types and the directives
// $patch (delete/replace/merge), $retainKeys, $setElementOrder/<list> and $deleteFromPrimitiveList/<list>.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { badRequest } from '../../store/errors.js';

type Json = any;

interface ListStrategy {
  /** Merge key for lists of objects; undefined for primitive lists merged as sets. */
  key?: string;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** patchStrategy/patchMergeKey of the built-in types, by field name and context (path of field names). */
export function listStrategyFor(path: string[]): ListStrategy | undefined {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return { key: 'name' };
    case 'ports':
      return CONTAINER_LISTS.has(parent) ? { key: 'containerPort' } : parent === 'spec' ? { key: 'port' } : undefined;
    case 'volumeMounts':
      return { key: 'mountPath' };
    case 'volumeDevices':
      return { key: 'devicePath' };
    case 'conditions':
      return { key: 'type' };
    case 'addresses':
      return parent === 'status' ? { key: 'type' } : undefined;
    case 'hostAliases':
      return { key: 'ip' };
    case 'ownerReferences':
      return { key: 'uid' };
    case 'topologySpreadConstraints':
      return { key: 'topologyKey' };
    case 'finalizers':
      return parent === 'metadata' ? {} : undefined;
    default:
      return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = (v: Json): Json => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** Applies a strategic merge patch to `original` (not mutated) and returns the result. */
export function applyStrategicMergePatch(original: Json, patch: Json): Json {
  if (!isObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(clone(original ?? {}), patch, []);
}

function mergeMap(original: Record<string, any>, patch: Record<string, any>, path: string[]): any {
  const directive = patch.$patch;
  if (directive === 'replace') {
    const out = clone(patch);
    delete out.$patch;
    return stripDirectives(out);
  }
  if (directive === 'delete') return undefined;
  const result: Record<string, any> = isObject(original) ? original : {};

  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set<string>(patch.$retainKeys);
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }

  const orders: Record<string, any[]> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/')) orders[key.slice('$setElementOrder/'.length)] = value as any[];
    else if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = new Set((value as any[]) ?? []);
      if (Array.isArray(result[field])) result[field] = result[field].filter((v: any) => !remove.has(v));
    }
  }

  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const childPath = [...path, key];
    if (isObject(value)) {
      const merged = mergeMap(isObject(result[key]) ? result[key] : {}, value, childPath);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(result[key]) ? result[key] : [], value, childPath);
    } else {
      result[key] = value;
    }
  }

  for (const [field, order] of Object.entries(orders)) {
    if (Array.isArray(result[field])) result[field] = applyOrder(result[field], order, listStrategyFor([...path, field]));
  }
  return result;
}

function mergeList(original: any[], patch: any[], path: string[]): any[] {
  const strategy = listStrategyFor(path);
  const replaceMarker = patch.findIndex((e) => isObject(e) && e.$patch === 'replace' && Object.keys(e).length === 1);
  if (replaceMarker >= 0) return stripDirectives(clone(patch.filter((_, i) => i !== replaceMarker)));
  if (!strategy) return stripDirectives(clone(patch));
  if (strategy.key === undefined) {
    // Primitive list with merge strategy: set union, original order first.
    const out = [...original];
    for (const value of patch) if (!out.includes(value)) out.push(value);
    return out;
  }
  const key = strategy.key;
  const out = [...original];
  for (const element of patch) {
    if (!isObject(element)) {
      out.push(element);
      continue;
    }
    const index = out.findIndex((o) => isObject(o) && o[key] === element[key] && element[key] !== undefined);
    if (element.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = mergeMap(out[index], element, path);
    else out.push(stripDirectives(mergeMap({}, element, path)));
  }
  return out.filter((e) => e !== undefined);
}

function applyOrder(list: any[], order: any[], strategy: ListStrategy | undefined): any[] {
  const keyOf = (e: any) => (strategy?.key && isObject(e) ? e[strategy.key] : isObject(e) ? JSON.stringify(e) : e);
  const orderKeys = order.map((o) => (strategy?.key && isObject(o) ? o[strategy.key] : o));
  const ordered: any[] = [];
  const used = new Set<number>();
  for (const k of orderKeys) {
    const index = list.findIndex((e, i) => !used.has(i) && keyOf(e) === k);
    if (index >= 0) {
      ordered.push(list[index]);
      used.add(index);
    }
  }
  // Elements the patch did not name (server-side additions) keep their place after the ordered ones.
  list.forEach((e, i) => {
    if (!used.has(i)) ordered.push(e);
  });
  return ordered;
}

function stripDirectives(value: any): any {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out;
}

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(original: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, any> = isObject(original) ? clone(original) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isObject(value)) result[key] = applyMergePatch(result[key], value);
    else result[key] = clone(value);
  }
  return result;
}
