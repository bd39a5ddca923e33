// create, update, patch, delete and deletecollection on a resource (main resource and /status).

import jsonpatch from 'fast-json-patch';
import { parse as parseYaml } from 'yaml';
import { badRequest, invalid, invalidRequest, notFound, successStatus, unsupportedMediaType } from '../../store/errors.js';
import { cloneObject } from '../../store/memory-store.js';
import type { SimObject } from '../../store/types.js';
import { deleteObject, type DeleteRequest, type PropagationPolicy } from '../delete-object.js';
import { applyMergePatch, applyStrategicMergePatch } from '../patch/strategic-merge.js';
import { checkFieldSelector, fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector } from '../selectors.js';
import { isDryRun, parseBody, storageObject, viewObject, type HandlerContext } from './context.js';
import { isEventsView, toCoreEventFields } from './event-view.js';
import { checkFieldValidation } from './field-validation.js';
import { findQuantityDecodeError } from './quantity-decoding.js';
import { sendJson, sendJsonText } from './respond.js';

function apiVersionOf(ctx: HandlerContext): string {
  return ctx.info.group ? `${ctx.info.group}/${ctx.info.version}` : ctx.info.version;
}

function warningHeaders(warnings: string[]): Record<string, string> {
  return warnings.length ? { Warning: warnings.join(', ') } : {};
}

function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value;
}

/** The decoding errors the real server gives for wrongly-typed well-known fields. */
function checkShape(ctx: HandlerContext, body: Record<string, unknown>): void {
  const kind = ctx.info.kind;
  const fail = (field: string, value: unknown, goType: string) =>
    badRequest(
      `${kind} in version "${ctx.info.version}" cannot be handled as a ${kind}: json: cannot unmarshal ${goTypeName(value)} into Go struct field ${field} of type ${goType}`,
    );
  const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (body.metadata !== undefined && !isMap(body.metadata)) throw fail(`${kind}.metadata`, body.metadata, 'v1.ObjectMeta');
  const metadata = (body.metadata ?? {}) as Record<string, unknown>;
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isMap(map)) throw fail(`ObjectMeta.metadata.${field}`, map, 'map[string]string');
    for (const value of Object.values(map as Record<string, unknown>)) {
      if (typeof value !== 'string') throw fail(`ObjectMeta.metadata.${field}`, value, 'string');
    }
  }
  if (body.spec !== undefined && body.spec !== null && !isMap(body.spec)) throw fail(`${kind}.spec`, body.spec, `v1.${kind}Spec`);
  const quantityError = findQuantityDecodeError(kind, body);
  if (quantityError) throw badRequest(`${kind} in version "${ctx.info.version}" cannot be handled as a ${kind}: ${quantityError}`);
}

function checkBodyIdentity(ctx: HandlerContext, body: Record<string, unknown>): SimObject {
  checkShape(ctx, body);
  const expected = apiVersionOf(ctx);
  if (body.apiVersion !== undefined && body.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (body.kind !== undefined && body.kind !== ctx.info.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${ctx.info.kind})`);
  }
  const object = storageObject(ctx, body);
  object.metadata = (object.metadata ?? {}) as SimObject['metadata'];
  if (ctx.info.namespaced) {
    const ns = object.metadata.namespace;
    if (ns && ctx.namespace && ns !== ctx.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = ctx.namespace;
  }
  return object;
}

export function handleCreate(ctx: HandlerContext): void {
  const body = parseBody(ctx, ctx.info.kind);
  const warnings = checkFieldValidation(ctx.info, body, ctx.query.get('fieldValidation'));
  const object = checkBodyIdentity(ctx, body);
  const created = ctx.store.create(ctx.resource, object, { dryRun: isDryRun(ctx) });
  sendJson(ctx.res, 201, viewObject(ctx, created), warningHeaders(warnings));
}

function writeUpdate(ctx: HandlerContext, object: SimObject, dryRun: boolean, warnings: string[] = []): void {
  const isStatus = ctx.subresource === 'status';
  const result = isStatus
    ? ctx.store.updateStatus(ctx.resource, object, { dryRun })
    : ctx.store.update(ctx.resource, object, { dryRun });
  sendJson(ctx.res, 200, viewObject(ctx, result), warningHeaders(warnings));
}

export function handleUpdate(ctx: HandlerContext): void {
  const body = parseBody(ctx, ctx.info.kind);
  const warnings = checkFieldValidation(ctx.info, body, ctx.query.get('fieldValidation'));
  const object = checkBodyIdentity(ctx, body);
  if (object.metadata.name && object.metadata.name !== ctx.name) {
    throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${ctx.name})`);
  }
  object.metadata.name = ctx.name as string;
  writeUpdate(ctx, object, isDryRun(ctx), warnings);
}

/** Applies a PATCH body of the request's content type to `current` (a plain copy). */
export function applyPatchBody(ctx: HandlerContext, current: Record<string, unknown>): Record<string, unknown> {
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim();
  if (type === 'application/json-patch+json') {
    const ops = parseBody(ctx, ctx.info.kind) as unknown;
    if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
    try {
      return jsonpatch.applyPatch(current, ops as jsonpatch.Operation[], true, true).newDocument as Record<string, unknown>;
    } catch {
      throw invalidRequest();
    }
  }
  if (type === 'application/merge-patch+json') return applyMergePatch(current, parseBody(ctx, ctx.info.kind));
  if (type === 'application/strategic-merge-patch+json') return applyStrategicMergePatch(current, parseBody(ctx, ctx.info.kind));
  throw unsupportedMediaType();
}

/**
 * Server-side apply, simplified: creates the object when missing, else merges the applied configuration with
 * strategic-merge semantics. Field ownership (managedFields, conflicts, removal of fields a manager stopped applying)
 * is not tracked.
 */
function handleApply(ctx: HandlerContext, current: SimObject | undefined): void {
  if (!ctx.query.get('fieldManager')) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [{ type: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }]);
  }
  if (ctx.subresource) throw unsupportedMediaType();
  let body: Record<string, unknown>;
  try {
    body = parseYaml(ctx.body.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw badRequest(`error decoding YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!body || typeof body !== 'object') throw badRequest('the applied configuration must be an object');
  const warnings = checkFieldValidation(ctx.info, body, ctx.query.get('fieldValidation'));
  const object = checkBodyIdentity(ctx, body);
  if (object.metadata.name && object.metadata.name !== ctx.name) {
    throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${ctx.name})`);
  }
  object.metadata.name = ctx.name as string;
  const dryRun = isDryRun(ctx);
  if (!current) {
    sendJson(ctx.res, 201, viewObject(ctx, ctx.store.create(ctx.resource, object, { dryRun })), warningHeaders(warnings));
    return;
  }
  const merged = applyStrategicMergePatch(viewObject(ctx, cloneObject(current)), viewObject(ctx, object)) as SimObject;
  const mergedCore = storageObject(ctx, merged as unknown as Record<string, unknown>);
  mergedCore.metadata.resourceVersion = object.metadata.resourceVersion ?? current.metadata.resourceVersion;
  writeUpdate(ctx, mergedCore, dryRun, warnings);
}

export function handlePatch(ctx: HandlerContext): void {
  const current = ctx.store.peek(ctx.resource, ctx.namespace, ctx.name as string);
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim();
  if (type === 'application/apply-patch+yaml') return handleApply(ctx, current);
  if (!current) throw notFound(ctx.info, ctx.name as string);
  const view = viewObject(ctx, cloneObject(current));
  const patched = applyPatchBody(ctx, view as unknown as Record<string, unknown>);
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) throw invalidRequest();
  const warnings = checkFieldValidation(ctx.info, patched, ctx.query.get('fieldValidation'));
  const object = storageObject(ctx, patched);
  object.metadata = { ...(object.metadata ?? {}), name: current.metadata.name, namespace: current.metadata.namespace } as SimObject['metadata'];
  writeUpdate(ctx, object, isDryRun(ctx), warnings);
}

function readDeleteRequest(ctx: HandlerContext): DeleteRequest & { bodyDryRun?: unknown } {
  let options: Record<string, unknown> = {};
  if (ctx.body.length && ctx.body.toString('utf8').trim()) options = parseBody(ctx, 'DeleteOptions');
  const policy = (ctx.query.get('propagationPolicy') ?? options.propagationPolicy) as PropagationPolicy | undefined;
  if (policy && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  const graceText = ctx.query.get('gracePeriodSeconds');
  const grace = graceText !== null ? Number(graceText) : (options.gracePeriodSeconds as number | undefined);
  return {
    propagationPolicy: policy,
    gracePeriodSeconds: grace,
    preconditions: options.preconditions as DeleteRequest['preconditions'],
    dryRun: isDryRun(ctx, options),
  };
}

export function handleDelete(ctx: HandlerContext): void {
  const request = readDeleteRequest(ctx);
  const result = deleteObject(ctx.store, ctx.resource, ctx.namespace, ctx.name as string, request);
  if (result.removed && ctx.resource !== 'pods') {
    const details: Record<string, unknown> = { name: result.object.metadata.name };
    if (ctx.info.group) details.group = ctx.info.group;
    details.kind = ctx.info.resource;
    details.uid = result.object.metadata.uid;
    sendJson(ctx.res, 200, successStatus(details as never));
    return;
  }
  sendJsonText(ctx.res, 200, JSON.stringify(viewObject(ctx, result.object)));
}

export function handleDeleteCollection(ctx: HandlerContext): void {
  const request = readDeleteRequest(ctx);
  const labels = parseLabelSelector(ctx.query.get('labelSelector'));
  const parsed = parseFieldSelector(ctx.query.get('fieldSelector'));
  const fields = isEventsView(ctx.info) ? toCoreEventFields(parsed) : parsed;
  checkFieldSelector(ctx.resource, fields);
  const targets = ctx.store
    .peekList(ctx.resource, ctx.namespace)
    .filter((o) => labelsMatch(labels, o.metadata.labels) && fieldsMatch(fields, o));
  const items: SimObject[] = [];
  for (const target of targets) {
    try {
      items.push(deleteObject(ctx.store, ctx.resource, target.metadata.namespace, target.metadata.name, request).object);
    } catch {
      // Already gone (a dependent removed by the GC meanwhile): the real server skips it too.
    }
  }
  sendJson(ctx.res, 200, {
    kind: ctx.info.listKind,
    apiVersion: apiVersionOf(ctx),
    metadata: { resourceVersion: ctx.store.currentResourceVersion() },
    items: items.map((item) => viewObject(ctx, item)).map((o) => {
      const { kind: _k, apiVersion: _a, ...rest } = o;
      return rest;
    }),
  });
}
