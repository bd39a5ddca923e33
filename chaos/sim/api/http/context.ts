// What every resource handler gets: the parsed request, the store, the watch hub and a clock.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MemoryStore } from '../../store/memory-store.js';
import { badRequest, unsupportedMediaType } from '../../store/errors.js';
import type { ResourceInfo } from '../resource-types.js';
import { storageKeyOf } from '../resource-types.js';
import type { WatchHub } from './watch-hub.js';
import { decodeKubernetesProtobuf } from './protobuf.js';
import { storageViewOf } from './storage-views.js';
import type { SimObject } from '../../store/types.js';
import type { RuntimeSlot } from '../../kubelet/runtime-view.js';

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  store: MemoryStore;
  hub: WatchHub;
  now: () => number;
  info: ResourceInfo;
  /** Store key ("pods", "events.events.k8s.io"). */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  body: Buffer;
  /** The kubelets' answers (logs written by the program model, usage for metrics); empty without controllers. */
  runtime: RuntimeSlot;
}

export function makeStorageKey(info: ResourceInfo): string {
  return storageKeyOf(info);
}

/** JSON of a stored object as this request's API shows it (events.k8s.io/v1 converts core Events, etc.). */
export function viewJson(ctx: HandlerContext, object: SimObject): string {
  const view = storageViewOf(ctx.info);
  return view ? JSON.stringify(view.toView(object)) : ctx.store.jsonOf(object);
}

/** A write result as this request's API shows it. */
export function viewObject(ctx: HandlerContext, object: SimObject): SimObject {
  return storageViewOf(ctx.info)?.toView(object) ?? object;
}

/** A request body (in this request's API shape) in the store's shape. */
export function storageObject(ctx: HandlerContext, body: Record<string, unknown>): SimObject {
  return storageViewOf(ctx.info)?.fromView(body) ?? (body as unknown as SimObject);
}

/** Parses the JSON body; the real server's message for garbage mentions the expected kind. */
const GO_SYNTAX: Array<[RegExp, string]> = [
  [/Expected ':' after property name/, 'after object key'],
  [/Expected ',' or '}' after property value/, 'after object key:value pair'],
  [/Expected ',' or ']' after array element/, 'after array element'],
  [/Expected double-quoted property name/, 'looking for beginning of object key string'],
  [/non-whitespace character after JSON/, 'after top-level value'],
];

/** encoding/json's wording for a syntax error (what the real server puts in its 400), from V8's SyntaxError. */
function goJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof SyntaxError)) return message;
  const position = Number(/at position (\d+)/.exec(message)?.[1] ?? NaN);
  if (text.trim() === '' || /end of JSON|Unterminated/i.test(message) || position >= text.trimEnd().length) return 'unexpected end of JSON input';
  if (!Number.isFinite(position)) return message;
  const context = GO_SYNTAX.find(([pattern]) => pattern.test(message))?.[1] ?? 'looking for beginning of value';
  return `invalid character '${text[position]}' ${context}`;
}

export function parseBody(ctx: HandlerContext, expectedKind: string): Record<string, unknown> {
  const contentType = ctx.req.headers['content-type'] ?? '';
  // kubectl's typed "create <kind>" subcommands send protobuf bodies.
  if (contentType.startsWith('application/vnd.kubernetes.protobuf')) return decodeKubernetesProtobuf(ctx.body);
  if (/cbor/.test(contentType)) throw unsupportedMediaType();
  const text = ctx.body.toString('utf8');
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    const preview = text.length > 30 ? `${text.slice(0, 30)} ...` : text;
    const reason = goJsonError(text, error);
    throw badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; json parse error: ${reason} (${preview})`,
    );
  }
}

/** dryRun=All (the only value the real server accepts). */
export function isDryRun(ctx: HandlerContext, options?: Record<string, unknown>): boolean {
  const values = ctx.query.getAll('dryRun');
  const fromBody = Array.isArray(options?.dryRun) ? (options?.dryRun as string[]) : [];
  for (const v of [...values, ...fromBody]) {
    if (v !== 'All') throw badRequest(`Invalid dry run value: ${v}`);
  }
  return values.length + fromBody.length > 0;
}
