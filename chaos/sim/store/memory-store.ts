// The in-memory store behind kube-sim: one global resourceVersion counter (like etcd's revision), per-resource maps,
// a bounded event history for watches, and defaulting/validation/admission on every write.
// Stored objects are never mutated after commit: readers inside the sim may share them (peek*), callers get copies.

import { randomUUID } from 'node:crypto';
import { findResourceByStorageKey, type ResourceInfo } from '../api/resource-types.js';
import { BUILTIN_STRATEGIES } from '../api/strategies.js';
import type { ResourceStrategy, StoreReader, WriteContext } from '../api/strategy.js';
import { generateNameFrom } from '../api/names.js';
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound, type FieldError } from './errors.js';
import type { SimObject, SimStore, WatchEvent, WatchEventType, WriteOptions } from './types.js';
import { canonicalize, cloneObject, keyOf, sameJson } from './object-json.js';
import { WatchHistory, type HistoryEntry } from './watch-history.js';

export type { HistoryEntry } from './watch-history.js';

export { cloneObject } from './object-json.js';

export interface MemoryStoreOptions {
  /** How many committed changes to keep for watch resumption (older → 410 Expired). Default 10,000. */
  historySize?: number;
  /** Override or extend the per-resource strategies (tests). */
  strategies?: Record<string, ResourceStrategy>;
  /** Clock for creationTimestamp/deletionTimestamp. */
  now?: () => Date;
}

export class MemoryStore implements SimStore, StoreReader {
  private readonly tables = new Map<string, Map<string, SimObject>>();
  /** Sorted keys per resource, rebuilt lazily after a key is added or removed. */
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly listeners = new Set<(event: WatchEvent) => void>();
  private readonly history: WatchHistory;
  private readonly strategies: Record<string, ResourceStrategy>;
  private readonly now: () => Date;
  private revision = 1;
  /** Serialised JSON per committed object, computed on first use (list responses reuse it). */
  private readonly jsonCache = new WeakMap<SimObject, string>();
  private readonly metadataJsonCache = new WeakMap<SimObject, string>();

  constructor(options: MemoryStoreOptions = {}) {
    this.history = new WatchHistory(options.historySize ?? 10_000);
    this.strategies = { ...BUILTIN_STRATEGIES, ...(options.strategies ?? {}) };
    this.now = options.now ?? (() => new Date());
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  get(resource: string, namespace: string | undefined, name: string): SimObject | undefined {
    const found = this.peek(resource, namespace, name);
    return found ? cloneObject(found) : undefined;
  }

  list(resource: string, namespace?: string): SimObject[] {
    return this.peekList(resource, namespace).map((o) => cloneObject(o));
  }

  /** The committed object itself: callers must not mutate it. */
  peek(resource: string, namespace: string | undefined, name: string): SimObject | undefined {
    return this.table(resource).get(keyOf(namespace, name));
  }

  /** Committed objects in etcd key order ("<namespace>/<name>" byte order), as the real server lists. Read-only. */
  peekList(resource: string, namespace?: string): readonly SimObject[] {
    const table = this.table(resource);
    const keys = this.sortedKeysOf(resource, table);
    const out: SimObject[] = [];
    if (namespace === undefined) {
      for (const key of keys) out.push(table.get(key) as SimObject);
      return out;
    }
    const prefix = `${namespace}/`;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < keys.length && keys[i].startsWith(prefix); i++) out.push(table.get(keys[i]) as SimObject);
    return out;
  }

  private sortedKeysOf(resource: string, table: Map<string, SimObject>): string[] {
    let keys = this.sortedKeys.get(resource);
    if (!keys) {
      keys = [...table.keys()].sort();
      this.sortedKeys.set(resource, keys);
    }
    return keys;
  }

  /** JSON text of a committed object, cached. */
  jsonOf(object: SimObject): string {
    let text = this.jsonCache.get(object);
    if (text === undefined) {
      text = JSON.stringify(object);
      this.jsonCache.set(object, text);
    }
    return text;
  }

  /** JSON text of a committed object's metadata, cached (Table rows' PartialObjectMetadata). */
  metadataJsonOf(object: SimObject): string {
    let text = this.metadataJsonCache.get(object);
    if (text === undefined) {
      text = JSON.stringify(object.metadata);
      this.metadataJsonCache.set(object, text);
    }
    return text;
  }

  currentResourceVersion(): string {
    return String(this.revision);
  }

  /** Committed changes with rv > since, or undefined when `since` is older than the kept history (→ 410). */
  historySince(since: number): HistoryEntry[] | undefined {
    return this.history.since(since, this.revision);
  }

  /** The oldest resourceVersion a watch may start from. */
  firstRevisionKept(): number {
    return this.history.firstRevisionKept();
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Internal subscription that receives the committed (shared, read-only) object without a copy. */
  subscribeShared(listener: (entry: HistoryEntry) => void): () => void {
    this.sharedListeners.add(listener);
    return () => this.sharedListeners.delete(listener);
  }

  private readonly sharedListeners = new Set<(entry: HistoryEntry) => void>();

  // ---- writes ------------------------------------------------------------------------------------------------

  create(resource: string, input: SimObject, options: WriteOptions = {}): SimObject {
    const info = this.infoOf(resource);
    const object = cloneObject(input);
    object.apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
    object.kind = info.kind;
    object.metadata = object.metadata ?? ({} as SimObject['metadata']);
    const metadata = object.metadata;
    if (!info.namespaced) delete metadata.namespace;
    else if (!metadata.namespace) metadata.namespace = 'default';
    if (info.namespaced && info.resource !== 'namespaces' && !this.peek('namespaces', undefined, metadata.namespace as string)) {
      throw notFound({ resource: 'namespaces', group: '' }, metadata.namespace as string);
    }
    const namespaceObject = info.namespaced ? this.peek('namespaces', undefined, metadata.namespace as string) : undefined;
    if (namespaceObject?.metadata.deletionTimestamp) {
      throw forbidden(info, metadata.name ?? '', `unable to create new content in namespace ${metadata.namespace} because it is being terminated`);
    }
    if (!metadata.name && metadata.generateName) metadata.name = generateNameFrom(metadata.generateName);
    if (!metadata.name) {
      throw invalid(info.kind, info.group, '', [
        { type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' },
      ]);
    }
    for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink']) {
      delete metadata[key];
    }
    const context = this.context('create', info, undefined, options);
    this.runStrategy(resource, object, context, options);
    if (this.peek(resource, metadata.namespace, metadata.name)) throw alreadyExists(info, metadata.name);

    // A strategy may have chosen the uid already (Jobs put it in their generated selector).
    metadata.uid ??= randomUUID();
    metadata.creationTimestamp = this.timestamp();
    if (info.hasGeneration) metadata.generation = 1;
    const stored = canonicalize(object);
    if (options.dryRun) return cloneObject(stored);
    this.commit(resource, 'ADDED', stored);
    return cloneObject(stored);
  }

  update(resource: string, input: SimObject, options: WriteOptions = {}): SimObject {
    return this.write(resource, input, options, false);
  }

  updateStatus(resource: string, input: SimObject, options: WriteOptions = {}): SimObject {
    return this.write(resource, input, options, true);
  }

  remove(resource: string, namespace: string | undefined, name: string): SimObject | undefined {
    const info = this.infoOf(resource);
    const ns = info.namespaced ? namespace : undefined;
    const existing = this.peek(resource, ns, name);
    if (!existing) return undefined;
    this.table(resource).delete(keyOf(ns, name));
    this.sortedKeys.delete(resource);
    const removed = canonicalize({ ...existing, metadata: { ...existing.metadata, resourceVersion: String(this.revision + 1) } });
    this.emit(resource, 'DELETED', removed);
    return cloneObject(removed);
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  /**
   * Starts a graceful or finalizer-blocked deletion: sets deletionTimestamp (+ grace) and optional finalizers.
   * Objects with grace 0 and no finalizers are removed at once. Returns the object as stored (or removed).
   */
  markDeleting(
    resource: string,
    namespace: string | undefined,
    name: string,
    graceSeconds: number,
    options: { addFinalizers?: string[]; dryRun?: boolean; hold?: boolean } = {},
  ): { object: SimObject; removed: boolean } {
    const info = this.infoOf(resource);
    const ns = info.namespaced ? namespace : undefined;
    const old = this.peek(resource, ns, name);
    if (!old) throw notFound(info, name);
    const finalizers = [...(old.metadata.finalizers ?? [])];
    for (const f of options.addFinalizers ?? []) if (!finalizers.includes(f)) finalizers.push(f);
    if (finalizers.length === 0 && graceSeconds === 0 && !options.hold) {
      if (options.dryRun) return { object: cloneObject(old), removed: true };
      return { object: this.remove(resource, ns, name) as SimObject, removed: true };
    }
    if (old.metadata.deletionTimestamp) {
      // Already terminating: a shorter grace period may still shorten it; nothing else changes.
      const currentGrace = old.metadata.deletionGracePeriodSeconds ?? 0;
      if (graceSeconds >= currentGrace && sameJson(finalizers, old.metadata.finalizers ?? [])) return { object: cloneObject(old), removed: false };
    }
    const deletionTimestamp = old.metadata.deletionTimestamp && (old.metadata.deletionGracePeriodSeconds ?? 0) <= graceSeconds
      ? old.metadata.deletionTimestamp
      : this.timestamp(graceSeconds);
    const next = cloneObject(old);
    next.metadata.finalizers = finalizers.length ? finalizers : undefined;
    return {
      object: this.write(resource, next, { dryRun: options.dryRun, skipAdmission: true }, false, {
        deletionTimestamp,
        deletionGracePeriodSeconds: graceSeconds,
      }),
      removed: false,
    };
  }

  private write(
    resource: string,
    input: SimObject,
    options: WriteOptions,
    statusOnly: boolean,
    deletion?: { deletionTimestamp: string; deletionGracePeriodSeconds: number },
  ): SimObject {
    const info = this.infoOf(resource);
    const namespace = info.namespaced ? input.metadata?.namespace || 'default' : undefined;
    const name = input.metadata?.name;
    if (!name) throw badRequest('name is required for an update');
    const old = this.peek(resource, namespace, name);
    if (!old) throw notFound(info, name);
    const requestedRv = input.metadata.resourceVersion;
    if (requestedRv && requestedRv !== old.metadata.resourceVersion) throw conflict(info, name);
    if (input.metadata.uid && input.metadata.uid !== old.metadata.uid) {
      throw conflict(info, name, `Precondition failed: UID in precondition: ${input.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
    }

    let next: SimObject;
    const hasStatusSubresource = info.subresources.some((s) => s.name === 'status');
    if (statusOnly) {
      // Committed objects are immutable, so the new version may share everything but status with the old one.
      next = { ...old, metadata: { ...old.metadata }, status: cloneObject(input.status) };
    } else {
      next = cloneObject(input);
      next.apiVersion = old.apiVersion;
      next.kind = old.kind;
      // Writes to the main resource cannot change status where a /status subresource exists, as on the real server.
      if (hasStatusSubresource) next.status = cloneObject(old.status);
      // Only the delete path (markDeleting) sets deletionTimestamp; updates cannot add, change or clear it.
      const keep = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'generateName'];
      for (const key of keep) {
        if (key === 'generateName' && next.metadata.generateName !== undefined) continue;
        if (deletion && (key === 'deletionTimestamp' || key === 'deletionGracePeriodSeconds')) {
          (next.metadata as Record<string, unknown>)[key] = deletion[key];
          continue;
        }
        if (old.metadata[key] === undefined) delete next.metadata[key];
        else next.metadata[key] = old.metadata[key];
      }
      next.metadata.namespace = old.metadata.namespace;
      if (!info.namespaced) delete next.metadata.namespace;
      const context = this.context('update', info, old, options);
      this.runStrategy(resource, next, context, options);
      if (info.hasGeneration && !sameJson(old.spec, next.spec)) {
        next.metadata.generation = (old.metadata.generation ?? 0) + 1;
      }
      if (info.hasGeneration && next.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
        next.metadata.generation = (next.metadata.generation ?? 0) + 1;
      }
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    const stored = canonicalize(next);
    const storedJson = JSON.stringify(stored);
    // A write that changes nothing is not a write: same resourceVersion, no event (as on the real server).
    if (storedJson === this.jsonOf(old)) return JSON.parse(storedJson) as SimObject;
    if (options.dryRun) return JSON.parse(storedJson) as SimObject;

    const finalizers = stored.metadata.finalizers ?? [];
    const grace = stored.metadata.deletionGracePeriodSeconds;
    if (stored.metadata.deletionTimestamp && finalizers.length === 0 && !grace && !deletion && resource !== 'namespaces') {
      // Last finalizer removed from an object being deleted: the server deletes it now.
      this.table(resource).delete(keyOf(namespace, name));
      this.sortedKeys.delete(resource);
      stored.metadata.resourceVersion = String(this.revision + 1);
      this.emit(resource, 'DELETED', stored);
      return cloneObject(stored);
    }
    this.commit(resource, 'MODIFIED', stored, old);
    const copy = JSON.parse(storedJson) as SimObject;
    copy.metadata.resourceVersion = stored.metadata.resourceVersion;
    return copy;
  }

  private runStrategy(resource: string, object: SimObject, context: WriteContext, options: WriteOptions): void {
    const strategy = this.strategies[resource];
    strategy?.applyDefaults?.(object, context);
    const errors: FieldError[] = strategy?.validate?.(object, context) ?? [];
    if (errors.length) throw invalid(context.info.kind, context.info.group, object.metadata.name, errors);
    if (!options.skipAdmission) strategy?.admit?.(object, context);
  }

  private context(operation: 'create' | 'update', info: ResourceInfo, old: SimObject | undefined, options: WriteOptions): WriteContext {
    return { operation, info, old, reader: this, trusted: Boolean(options.skipAdmission) };
  }

  private commit(resource: string, type: WatchEventType, object: SimObject, previous?: SimObject): void {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    const table = this.table(resource);
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    if (!table.has(key)) this.sortedKeys.delete(resource);
    table.set(key, object);
    this.record(resource, type, object, previous);
  }

  private emit(resource: string, type: WatchEventType, object: SimObject): void {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    this.record(resource, type, object);
  }

  private record(resource: string, type: WatchEventType, object: SimObject, previous?: SimObject): void {
    const entry: HistoryEntry = previous ? { rv: this.revision, type, resource, object, previous } : { rv: this.revision, type, resource, object };
    this.history.push(entry);
    for (const listener of [...this.sharedListeners]) listener(entry);
    for (const listener of [...this.listeners]) listener({ type, resource, object: cloneObject(object) });
  }

  private table(resource: string): Map<string, SimObject> {
    let table = this.tables.get(resource);
    if (!table) {
      table = new Map();
      this.tables.set(resource, table);
    }
    return table;
  }

  private infoOf(resource: string): ResourceInfo {
    const info = findResourceByStorageKey(resource);
    if (!info) throw new Error(`kube-sim store: unknown resource "${resource}"`);
    return info;
  }

  private timestamp(offsetSeconds = 0): string {
    return new Date(this.now().getTime() + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}
