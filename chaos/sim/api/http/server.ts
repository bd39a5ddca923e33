// kube-sim's API server: HTTPS on loopback, discovery, OpenAPI, resources and subresources over the store.

import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { MemoryStore } from '../../store/memory-store.js';
import { badRequest, methodNotAllowed, resourceNotFound } from '../../store/errors.js';
import { servedGroupVersions, storageKeyOf } from '../resource-types.js';
import type { HandlerContext } from './context.js';
import { apiVersionsDocument, groupDocument, groupListDocument, resourceListDocument, SERVER_VERSION } from './discovery.js';
import { healthResponse } from './health-checks.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { loadOpenApiModels } from './openapi-schemas.js';
import { handleGet, handleList } from './reads.js';
import { sendError, sendJson, sendPageNotFound, sendText } from './respond.js';
import { routeApiPath } from './route.js';
import { handleAccessReview, handleBinding, handleEviction, handleLog, handleScale } from './subresources.js';
import { WatchHub } from './watch-hub.js';
import type { RuntimeSlot } from '../../kubelet/runtime-view.js';
import { handleMetrics } from './metrics.js';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate } from './writes.js';

export interface SimServerOptions {
  store: MemoryStore;
  host?: string;
  port?: number;
  tls?: { key: string; cert: string };
  /** Bearer token clients must present; undefined = no authentication. */
  token?: string;
  now?: () => number;
  /** Filled in by the kubelets once they start (logs, metrics). */
  runtime?: RuntimeSlot;
}

export interface RunningSimServer {
  url: string;
  port: number;
  hub: WatchHub;
  close(): Promise<void>;
}

const MAX_BODY = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const header = req.headers.authorization ?? '';
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isServed(group: string, version: string): boolean {
  return servedGroupVersions().some((gv) => gv.group === group && gv.version === version);
}

export async function startSimServer(options: SimServerOptions): Promise<RunningSimServer> {
  const now = options.now ?? (() => Date.now());
  const hub = new WatchHub(options.store, now);
  const runtime: RuntimeSlot = options.runtime ?? {};
  const host = options.host ?? '127.0.0.1';
  let serverAddress = `${host}:0`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!authorized(req, options.token)) {
        sendJson(res, 401, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
        return;
      }
      const url = new URL(req.url ?? '/', 'https://kube-sim');
      let segments: string[];
      try {
        segments = url.pathname.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
      } catch {
        throw badRequest(`invalid path: ${url.pathname}`);
      }
      const method = req.method ?? 'GET';
      const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
      if (serveNonResource(res, method, segments, serverAddress, url.searchParams.has('verbose'))) return;

      const route = routeApiPath(segments, isServed);
      if (route.type === 'not-found') return sendPageNotFound(res);
      if (route.type === 'group-version') {
        if (method !== 'GET') throw methodNotAllowed();
        return sendJson(res, 200, resourceListDocument(route.group, route.version));
      }
      if (route.type === 'unknown-resource') throw resourceNotFound();
      const ctx: HandlerContext = {
        req,
        res,
        store: options.store,
        hub,
        now,
        info: route.info,
        resource: storageKeyOf(route.info),
        namespace: route.info.namespaced ? route.namespace : undefined,
        name: route.name,
        subresource: route.subresource,
        query: url.searchParams,
        body,
        runtime,
      };
      dispatch(ctx, method, route.namespace);
    } catch (error) {
      sendError(res, error);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(req, res);
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  serverAddress = `${host}:${port}`;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
  return {
    url,
    port,
    hub,
    close: async () => {
      hub.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Serves an OpenAPI answer once the schema models are loaded (the first request loads them). */
async function whenOpenApiReady(res: ServerResponse, send: () => void): Promise<void> {
  try {
    await loadOpenApiModels();
    send();
  } catch (error) {
    if (!res.headersSent) sendText(res, 500, `openapi: ${(error as Error).message}`);
  }
}

/** /version, /healthz, discovery roots and OpenAPI; returns false when the path is an API resource path. */
function serveNonResource(res: ServerResponse, method: string, segments: string[], serverAddress: string, verbose: boolean): boolean {
  const path = segments.join('/');
  if (method !== 'GET' && ['version', 'api', 'apis', 'healthz', 'livez', 'readyz'].includes(path)) {
    sendError(res, methodNotAllowed());
    return true;
  }
  switch (path) {
    case 'version':
      sendText(res, 200, JSON.stringify(SERVER_VERSION, null, 2), 'application/json');
      return true;
    case 'api':
      sendJson(res, 200, apiVersionsDocument(serverAddress));
      return true;
    case 'apis':
      sendJson(res, 200, groupListDocument());
      return true;
    case 'openapi/v3':
      void whenOpenApiReady(res, () => sendText(res, 200, JSON.stringify(openApiRoot()), 'text/plain; charset=utf-8'));
      return true;
    default:
      break;
  }
  if (['healthz', 'livez', 'readyz'].includes(segments[0]) && method === 'GET') {
    const body = healthResponse(segments[0], segments.length > 1 ? segments.slice(1).join('/') : undefined, verbose);
    if (body === undefined) sendPageNotFound(res);
    else sendText(res, 200, body);
    return true;
  }
  if (segments[0] === 'openapi') {
    void whenOpenApiReady(res, () => {
      const doc = segments[1] === 'v3' ? openApiGroupVersion(segments.slice(2).join('/')) : undefined;
      if (doc) sendText(res, 200, JSON.stringify(doc), 'text/plain; charset=utf-8');
      else sendPageNotFound(res);
    });
    return true;
  }
  if (segments[0] === 'apis' && segments.length === 2) {
    const doc = groupDocument(segments[1]);
    if (doc) sendJson(res, 200, doc);
    else sendPageNotFound(res);
    return true;
  }
  if (segments[0] !== 'api' && segments[0] !== 'apis') {
    sendPageNotFound(res);
    return true;
  }
  return false;
}

function dispatch(ctx: HandlerContext, method: string, urlNamespace: string | undefined): void {
  const { info, name, subresource } = ctx;
  if (info.namespaced && !urlNamespace && (name || method !== 'GET')) {
    // Named or write requests on a namespaced resource need /namespaces/<ns>/ in the path.
    throw resourceNotFound();
  }
  if (subresource) {
    const known = info.subresources.find((s) => s.name === subresource);
    if (!known || !name) throw resourceNotFound();
    const verb = { GET: 'get', PUT: 'update', PATCH: 'patch', POST: 'create' }[method];
    if (!verb || !known.verbs.includes(verb)) throw methodNotAllowed();
    if (subresource === 'scale') return handleScale(ctx, method);
    if (subresource === 'log') return handleLog(ctx);
    if (subresource === 'binding') return handleBinding(ctx, name);
    if (subresource === 'eviction') return handleEviction(ctx);
    if (subresource === 'status') {
      if (method === 'GET') return handleGet(ctx);
      if (method === 'PUT') return handleUpdate(ctx);
      return handlePatch(ctx);
    }
    throw methodNotAllowed();
  }
  if (info.group === 'metrics.k8s.io') {
    if (method !== 'GET') throw methodNotAllowed();
    return handleMetrics(ctx);
  }
  if (info.resource === 'selfsubjectaccessreviews') {
    if (method !== 'POST' || name) throw methodNotAllowed();
    return handleAccessReview(ctx);
  }
  if (info.resource === 'bindings') {
    if (method !== 'POST' || name) throw methodNotAllowed();
    return handleBinding(ctx, undefined);
  }
  const can = (verb: string) => info.verbs.includes(verb);
  if (!name) {
    if (method === 'GET' && can('list')) return handleList(ctx);
    if (method === 'POST' && can('create')) return handleCreate(ctx);
    if (method === 'DELETE' && can('deletecollection')) return handleDeleteCollection(ctx);
    throw methodNotAllowed();
  }
  if (method === 'GET' && can('get')) return handleGet(ctx);
  if (method === 'PUT' && can('update')) return handleUpdate(ctx);
  if (method === 'PATCH' && can('patch')) return handlePatch(ctx);
  if (method === 'DELETE' && can('delete')) return handleDelete(ctx);
  throw methodNotAllowed();
}
