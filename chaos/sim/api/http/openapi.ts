// The smallest OpenAPI v3 kubectl accepts (found by experiment against a real kube-apiserver v1.26 with kubectl 1.32; see SEMANTICS.md, "API surface"): a root index and, per
// group/version, post/put/patch operations carrying x-kubernetes-group-version-kind and a fieldValidation
// parameter. kubectl then sends fieldValidation=Strict and leaves validation to the server.

import { createHash } from 'node:crypto';
import { RESOURCE_TYPES, servedGroupVersions } from '../resource-types.js';
import { buildSchemas, modelNameOf } from './openapi-schemas.js';

/** kubectl caches these documents by URL, so the hash in the URL must change whenever the document does. */
function hashOf(document: unknown): string {
  return createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiRoot(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of servedGroupVersions()) {
    const path = gvPath(group, version);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(openApiGroupVersion(path))}` };
  }
  return { paths };
}

const documents = new Map<string, unknown>();

/** The per-group-version document for `api/v1` or `apis/<g>/<v>`; undefined when not served. Built once. */
export function openApiGroupVersion(path: string): unknown | undefined {
  if (!documents.has(path)) documents.set(path, buildGroupVersion(path));
  return documents.get(path);
}

function buildGroupVersion(path: string): unknown | undefined {
  const gv = servedGroupVersions().find(({ group, version }) => gvPath(group, version) === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  const roots: Parameters<typeof buildSchemas>[0] = [];
  for (const info of RESOURCE_TYPES) {
    if (info.group !== gv.group || info.version !== gv.version) continue;
    const gvk = { group: info.group, version: info.version, kind: info.kind };
    roots.push({ model: modelNameOf(info.group, info.version, info.kind), gvk });
    if (!info.verbs.includes('create')) continue;
    const op = (action: string) => ({
      operationId: `${action}${info.kind}`,
      parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    const base = `/${path}${info.namespaced ? '/namespaces/{namespace}' : ''}/${info.resource}`;
    paths[base] = { post: op('post') };
    if (info.verbs.includes('update')) paths[`${base}/{name}`] = { put: op('put'), patch: op('patch') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: buildSchemas(roots) },
  };
}
