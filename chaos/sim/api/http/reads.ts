// get, list (selectors, limit/continue, Tables) and watch.

import type { SimObject } from '../../store/types.js';
import { badRequest, notFound } from '../../store/errors.js';
import { checkFieldSelector, fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector } from '../selectors.js';
import { viewJson, type HandlerContext } from './context.js';
import { isEventsView, toCoreEventFields } from './event-view.js';
import { storageViewOf } from './storage-views.js';
import { sendJsonText } from './respond.js';
import { parseIncludeObject, renderTableList, wantsTable } from './table.js';
import { partialListJson, partialObjectJson, wantsPartialMetadata } from './partial-metadata.js';

function listItemJson(ctx: HandlerContext, object: SimObject): string {
  // List items carry no kind/apiVersion on the real server; stored JSON starts with exactly those two keys.
  const json = viewJson(ctx, object);
  const prefix = `{"kind":${JSON.stringify(object.kind)},"apiVersion":${JSON.stringify(object.apiVersion)},`;
  return json.startsWith(prefix) ? `{${json.slice(prefix.length)}` : json;
}

function encodeContinue(rv: string, key: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: `${key}\u0000` })).toString('base64');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start?: string };
    if (typeof parsed.start !== 'string') throw new Error('no start');
    return parsed.start;
  } catch {
    throw badRequest(`invalid continue token`);
  }
}

const keyOf = (o: SimObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

export function handleGet(ctx: HandlerContext): void {
  const object = ctx.store.peek(ctx.resource, ctx.namespace, ctx.name as string);
  if (!object) throw notFound(ctx.info, ctx.name as string);
  if (wantsTable(ctx.req.headers.accept)) {
    const text = renderTableList(ctx.store, ctx.resource, [object], {
      includeObject: parseIncludeObject(ctx.query.get('includeObject')),
      resourceVersion: object.metadata.resourceVersion,
      now: ctx.now(),
      view: storageViewOf(ctx.info)?.toView,
    });
    sendJsonText(ctx.res, 200, text);
    return;
  }
  const partial = wantsPartialMetadata(ctx.req.headers.accept);
  if (partial) {
    sendJsonText(ctx.res, 200, partialObjectJson(ctx.store, object, partial));
    return;
  }
  sendJsonText(ctx.res, 200, viewJson(ctx, object));
}

export function handleList(ctx: HandlerContext): void {
  const labels = parseLabelSelector(ctx.query.get('labelSelector'));
  const fields = isEventsView(ctx.info)
    ? toCoreEventFields(parseFieldSelector(ctx.query.get('fieldSelector')))
    : parseFieldSelector(ctx.query.get('fieldSelector'));
  checkFieldSelector(ctx.resource, fields);
  const watch = ctx.query.get('watch');
  if (watch === 'true' || watch === '1') {
    const rvText = ctx.query.get('resourceVersion');
    const since = rvText && rvText !== '0' ? Number(rvText) : undefined;
    if (since !== undefined && !Number.isFinite(since)) throw badRequest(`invalid resource version: ${rvText}`);
    const timeout = Number(ctx.query.get('timeoutSeconds') ?? '') || 1800;
    ctx.hub.open(ctx.req, ctx.res, {
      resource: ctx.resource,
      namespace: ctx.namespace,
      labels,
      fields,
      sinceResourceVersion: since,
      table: wantsTable(ctx.req.headers.accept) ? { includeObject: parseIncludeObject(ctx.query.get('includeObject')) } : undefined,
      timeoutSeconds: timeout,
      bookmarks: ctx.query.get('allowWatchBookmarks') === 'true',
      view: storageViewOf(ctx.info)?.toView,
      kind: ctx.info.kind,
      apiVersion: ctx.info.group ? `${ctx.info.group}/${ctx.info.version}` : ctx.info.version,
    });
    return;
  }

  const resourceVersion = ctx.store.currentResourceVersion();
  let objects = ctx.store.peekList(ctx.resource, ctx.namespace).filter(
    (o) => (!labels.length || labelsMatch(labels, o.metadata.labels)) && (!fields.length || fieldsMatch(fields, o)),
  );
  const token = ctx.query.get('continue');
  if (token) {
    const start = decodeContinue(token);
    // The token holds the last key + NUL: the next page starts strictly after that key (etcd semantics).
    objects = objects.filter((o) => keyOf(o) >= start);
  }
  const limit = Number(ctx.query.get('limit') ?? '0');
  let continueToken: string | undefined;
  let remainingItemCount: number | undefined;
  if (limit > 0 && objects.length > limit) {
    remainingItemCount = objects.length - limit;
    objects = objects.slice(0, limit);
    continueToken = encodeContinue(resourceVersion, keyOf(objects[objects.length - 1]));
  }

  if (wantsTable(ctx.req.headers.accept)) {
    const text = renderTableList(ctx.store, ctx.resource, objects, {
      includeObject: parseIncludeObject(ctx.query.get('includeObject')),
      resourceVersion,
      continueToken,
      remainingItemCount,
      now: ctx.now(),
      view: storageViewOf(ctx.info)?.toView,
    });
    sendJsonText(ctx.res, 200, text);
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion };
  if (continueToken) {
    metadata.continue = continueToken;
    metadata.remainingItemCount = remainingItemCount;
  }
  const apiVersion = ctx.info.group ? `${ctx.info.group}/${ctx.info.version}` : ctx.info.version;
  const partial = wantsPartialMetadata(ctx.req.headers.accept);
  if (partial) {
    sendJsonText(ctx.res, 200, partialListJson(ctx.store, objects, partial, metadata, { apiVersion, kind: ctx.info.kind }));
    return;
  }
  const items = objects.map((o) => listItemJson(ctx, o)).join(',');
  sendJsonText(
    ctx.res,
    200,
    `{"kind":${JSON.stringify(ctx.info.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(metadata)},"items":[${items}]}`,
  );
}
