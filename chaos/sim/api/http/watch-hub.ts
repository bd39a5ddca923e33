// Streams watch events to HTTP clients: JSON lines (or one-row Tables), filtered by namespace and selectors,
// resumed from the store's bounded history (too old → 200 then one ERROR event with a 410 Expired Status).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { expired } from '../../store/errors.js';
import type { HistoryEntry, MemoryStore } from '../../store/memory-store.js';
import type { SimObject, WatchEventType } from '../../store/types.js';
import { fieldsMatch, labelsMatch, type FieldRequirement, type LabelRequirement } from '../selectors.js';
import { renderTableWatchObject, type IncludeObject } from './table.js';

export interface WatchRequest {
  resource: string;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** undefined → start with ADDED events for every current object. */
  sinceResourceVersion?: number;
  table?: { includeObject: IncludeObject };
  timeoutSeconds: number;
  bookmarks: boolean;
  /** kind/apiVersion of the watched objects (BOOKMARK events carry an empty object of that kind). */
  kind: string;
  apiVersion: string;
  /** Converts stored objects to the API shape watched (events.k8s.io/v1). */
  view?: (object: SimObject) => SimObject;
}

interface Watcher {
  request: WatchRequest;
  res: ServerResponse;
  sentColumns: boolean;
  timer: NodeJS.Timeout;
  bookmarkTimer?: NodeJS.Timeout;
}

export class WatchHub {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: MemoryStore, private readonly now: () => number) {
    this.unsubscribe = store.subscribeShared((entry) => this.dispatch(entry));
  }

  /** Number of open watch streams (tests, stop()). */
  get size(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  open(req: IncomingMessage, res: ServerResponse, request: WatchRequest): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const watcher: Watcher = {
      request,
      res,
      sentColumns: false,
      timer: setTimeout(() => this.close(watcher), request.timeoutSeconds * 1000),
    };
    watcher.timer.unref();
    let backlog: HistoryEntry[] | undefined;
    if (request.sinceResourceVersion === undefined) {
      const lines: string[] = [];
      for (const object of this.store.peekList(request.resource, request.namespace)) {
        if (this.matches(request, object)) lines.push(this.line(watcher, 'ADDED', object));
      }
      if (lines.length) res.write(lines.join(''));
    } else {
      backlog = this.store.historySince(request.sinceResourceVersion);
      if (!backlog) {
        const status = expired(`too old resource version: ${request.sinceResourceVersion} (${this.store.firstRevisionKept() + 1})`).status;
        res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        clearTimeout(watcher.timer);
        return;
      }
    }
    let set = this.watchers.get(request.resource);
    if (!set) {
      set = new Set();
      this.watchers.set(request.resource, set);
    }
    set.add(watcher);
    if (backlog) for (const entry of backlog) if (entry.resource === request.resource) this.deliver(watcher, entry);
    if (request.bookmarks) {
      watcher.bookmarkTimer = setInterval(() => this.bookmark(watcher), 60_000);
      watcher.bookmarkTimer.unref();
    }
    const onGone = () => this.close(watcher);
    req.on('close', onGone);
    res.on('close', onGone);
  }

  closeAll(): void {
    for (const set of this.watchers.values()) for (const watcher of [...set]) this.close(watcher);
    this.unsubscribe();
  }

  private close(watcher: Watcher): void {
    clearTimeout(watcher.timer);
    if (watcher.bookmarkTimer) clearInterval(watcher.bookmarkTimer);
    this.watchers.get(watcher.request.resource)?.delete(watcher);
    if (!watcher.res.writableEnded) watcher.res.end();
  }

  private dispatch(entry: HistoryEntry): void {
    const set = this.watchers.get(entry.resource);
    if (!set) return;
    for (const watcher of set) this.deliver(watcher, entry);
  }

  private deliver(watcher: Watcher, entry: HistoryEntry): void {
    const { request } = watcher;
    const isMatch = this.matches(request, entry.object);
    let type: WatchEventType = entry.type;
    if (entry.type === 'MODIFIED') {
      const wasMatch = entry.previous ? this.matches(request, entry.previous) : isMatch;
      if (!isMatch && !wasMatch) return;
      if (!isMatch) type = 'DELETED';
      else if (!wasMatch) type = 'ADDED';
    } else if (!isMatch) return;
    watcher.res.write(this.line(watcher, type, entry.object));
  }

  private bookmark(watcher: Watcher): void {
    const rv = this.store.currentResourceVersion();
    const { kind, apiVersion } = watcher.request;
    const info = { kind, apiVersion, metadata: { resourceVersion: rv, creationTimestamp: null } };
    watcher.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: info })}\n`);
  }

  private matches(request: WatchRequest, object: SimObject): boolean {
    if (request.namespace && object.metadata.namespace !== request.namespace) return false;
    if (request.labels.length && !labelsMatch(request.labels, object.metadata.labels)) return false;
    if (request.fields.length && !fieldsMatch(request.fields, object)) return false;
    return true;
  }

  private line(watcher: Watcher, type: WatchEventType, object: SimObject): string {
    if (!watcher.request.table) {
      const json = watcher.request.view ? JSON.stringify(watcher.request.view(object)) : this.store.jsonOf(object);
      return `{"type":"${type}","object":${json}}\n`;
    }
    const withColumns = !watcher.sentColumns;
    watcher.sentColumns = true;
    const table = renderTableWatchObject(this.store, watcher.request.resource, object, {
      includeObject: watcher.request.table.includeObject,
      withColumns,
      now: this.now(),
      view: watcher.request.view,
    });
    return `{"type":"${type}","object":${table}}\n`;
  }
}
