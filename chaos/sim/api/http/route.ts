// Splits an API path into group/version, namespace, resource, name and subresource.

import { findResource, type ResourceInfo } from '../resource-types.js';

export type Route =
  | { type: 'resource'; info: ResourceInfo; namespace?: string; name?: string; subresource?: string }
  | { type: 'group-version'; group: string; version: string }
  | { type: 'unknown-resource' }
  | { type: 'not-found' };

/** Routes /api/v1/... and /apis/<g>/<v>/...; `servedGV` says whether a group/version exists. */
export function routeApiPath(segments: string[], servedGV: (group: string, version: string) => boolean): Route {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    if (segments.length < 2) return { type: 'not-found' };
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    if (segments.length < 3) return { type: 'not-found' };
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else return { type: 'not-found' };
  if (!servedGV(group, version)) return { type: 'not-found' };
  if (rest.length === 0) return { type: 'group-version', group, version };

  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespaced = findResource(group, version, rest[2]);
    const isNamespaceSub = group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
    if (!isNamespaceSub) {
      if (!namespaced || !namespaced.namespaced || rest.length > 5) return { type: 'unknown-resource' };
      return { type: 'resource', info: namespaced, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
  }
  const info = findResource(group, version, rest[0]);
  if (!info || rest.length > 3) return { type: 'unknown-resource' };
  return { type: 'resource', info, name: rest[1], subresource: rest[2] };
}
