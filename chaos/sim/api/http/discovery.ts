// Legacy discovery documents (/api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v>) and /version, generated from the
// resource table. kubectl's aggregated-discovery Accept gets these legacy documents, as a 1.26 server answers.

import { RESOURCE_TYPES, servedGroupVersions, type ResourceInfo } from '../resource-types.js';

/**
 * The version kube-sim reports: the kubelets report v1.32.0, and kubectl here is v1.32, so the server claims the
 * same minor (no skew warning). Behaviour follows the v1.26 captures where they differ (legacy discovery only).
 */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function resourceEntries(info: ResourceInfo): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = {
    name: info.resource,
    singularName: '',
    namespaced: info.namespaced,
    kind: info.kind,
    verbs: info.verbs,
  };
  if (info.shortNames) main.shortNames = info.shortNames;
  if (info.categories) main.categories = info.categories;
  const out = [main];
  for (const sub of info.subresources) {
    const entry: Record<string, unknown> = { name: `${info.resource}/${sub.name}`, singularName: '', namespaced: info.namespaced };
    if (sub.group !== undefined) {
      entry.group = sub.group;
      entry.version = sub.version;
    }
    entry.kind = sub.kind;
    entry.verbs = sub.verbs;
    out.push(entry);
  }
  return out;
}

export function apiVersionsDocument(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** APIResourceList for one group/version, or undefined when it is not served. */
export function resourceListDocument(group: string, version: string): unknown | undefined {
  const infos = RESOURCE_TYPES.filter((r) => r.group === group && r.version === version);
  if (!infos.length) return undefined;
  const groupVersion = group ? `${group}/${version}` : version;
  const resources = infos
    .slice()
    .sort((a, b) => (a.resource < b.resource ? -1 : 1))
    .flatMap(resourceEntries);
  return group
    ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources }
    : { kind: 'APIResourceList', groupVersion, resources };
}

function groupEntry(group: string): Record<string, unknown> {
  const versions = servedGroupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupListDocument(): unknown {
  const groups: string[] = [];
  for (const gv of servedGroupVersions()) if (gv.group && !groups.includes(gv.group)) groups.push(gv.group);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupEntry) };
}

export function groupDocument(group: string): unknown | undefined {
  if (!servedGroupVersions().some((gv) => gv.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group) };
}
