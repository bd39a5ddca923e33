// OpenAPI v3 component schemas for `kubectl explain`, built from @kubernetes/client-node's generated models (field
// names and types from attributeTypeMap, descriptions from the JSDoc in their .d.ts files). The patch operations in
// openapi.ts carry no requestBody, so kubectl apply keeps computing strategic merge patches from its built-in types;
// these schemas only feed explain.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
type Schema = Record<string, unknown>;

type Models = Record<string, { attributeTypeMap?: Attribute[] } | undefined>;
let models: Models = {};
let loading: Promise<void> | undefined;

/**
 * Loads client-node's models, once. Called before the first OpenAPI document is built: only kubectl apply, diff,
 * create and explain ask for OpenAPI, and the whole client library (tens of MB of heap) stays out of a sim that
 * only serves gets, lists and watches.
 */
export function loadOpenApiModels(): Promise<void> {
  loading ??= import('@kubernetes/client-node').then((k8s) => {
    models = k8s as unknown as Models;
  });
  return loading;
}
let modelsDir: string | undefined;

/** `V1ObjectMeta` → `io.k8s.sim.ObjectMeta`-style key whose last segment is what explain prints (`<ObjectMeta>`). */
function schemaKey(model: string): string {
  const short = model.replace(/^(Core|Events|Discovery|Storage|Autoscaling|Policy|Networking|Apps|Batch)?V\d+(alpha\d+|beta\d+)?/, '');
  return `io.k8s.sim.${model}.${short || model}`;
}

/** Field and class descriptions from the model's .d.ts (the Kubernetes OpenAPI text the client was generated from). */
function descriptionsOf(model: string): { type?: string; fields: Map<string, string> } {
  const fields = new Map<string, string>();
  try {
    modelsDir ??= join(dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node')), 'gen', 'models');
    const text = readFileSync(join(modelsDir, `${model}.d.ts`), 'utf8');
    const clean = (c: string) => c.split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trim()).filter(Boolean).join(' ').replace(/\\(['"])/g, '$1');
    const type = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/.exec(text)?.[1];
    for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*'([^']+)'\??:/g)) fields.set(m[2], clean(m[1]));
    return { type: type ? clean(type) : undefined, fields };
  } catch {
    return { fields };
  }
}

function propertyOf(type: string, format: string, visit: (model: string) => string): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: propertyOf(array[1], '', visit) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: propertyOf(map[1], '', visit) };
  if (type === 'string') return { type: 'string', ...(format ? { format } : {}) };
  if (type === 'number') return format.startsWith('int') ? { type: 'integer', format } : { type: 'number', ...(format ? { format } : {}) };
  if (type === 'boolean') return { type: 'boolean' };
  if (type === 'Date') return { type: 'string', format: 'date-time' };
  if (models[type]?.attributeTypeMap) return { allOf: [{ $ref: `#/components/schemas/${visit(type)}` }] };
  return { type: 'object' };
}

/** Schemas for the given kinds (`{ model: 'V1Deployment', gvk }`) and every model they reach. */
export function buildSchemas(roots: Array<{ model: string; gvk: { group: string; version: string; kind: string } }>): Record<string, Schema> {
  const schemas: Record<string, Schema> = {};
  const visit = (model: string): string => {
    const key = schemaKey(model);
    if (schemas[key]) return key;
    schemas[key] = {};
    const docs = descriptionsOf(model);
    const properties: Record<string, Schema> = {};
    for (const attr of models[model]?.attributeTypeMap ?? []) {
      const description = docs.fields.get(attr.name);
      properties[attr.baseName] = { ...(description ? { description } : {}), ...propertyOf(attr.type, attr.format, visit) };
    }
    schemas[key] = { ...(docs.type ? { description: docs.type } : {}), type: 'object', properties };
    return key;
  };
  for (const { model, gvk } of roots) {
    if (!models[model]?.attributeTypeMap) continue;
    const key = visit(model);
    schemas[key] = { ...schemas[key], 'x-kubernetes-group-version-kind': [gvk] };
  }
  return schemas;
}

/** The client-node model name for a served kind (`apps/v1 Deployment` → `V1Deployment`). */
export function modelNameOf(group: string, version: string, kind: string): string {
  const v = version.charAt(0).toUpperCase() + version.slice(1);
  if (kind === 'Event') return group === 'events.k8s.io' ? `Events${v}Event` : `Core${v}Event`;
  if (kind === 'EndpointPort') return `Discovery${v}EndpointPort`;
  return `${v}${kind}`;
}
