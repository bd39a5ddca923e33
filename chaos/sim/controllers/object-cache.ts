// An informer-like cache over SimStore: one subscription, per-resource maps and secondary indexes, so controllers
// never rescan the store on every event. Listeners must only enqueue work: the store calls them synchronously
// inside its writes, and writing from there would re-enter the store.
import type { SimObject, SimStore, WatchEvent } from '../store/types.js';

/** MemoryStore's copy-free subscription (its entries carry type, resource and the committed object). */
interface SharedSubscribe {
  subscribeShared?(listener: (event: WatchEvent) => void): () => void;
}

export type IndexFn = (object: SimObject) => string[];
export type CacheListener = (event: WatchEvent, old: SimObject | undefined) => void;

/** Read side shared by every controller. Objects are the store's; treat them as immutable. */
export interface ObjectCache {
  get(resource: string, namespace: string | undefined, name: string): SimObject | undefined;
  list(resource: string, namespace?: string): SimObject[];
  byIndex(resource: string, index: string, value: string): SimObject[];
  addIndex(resource: string, index: string, fn: IndexFn): void;
  on(resource: string, listener: CacheListener): void;
  stop(): void;
}

function reportListenerError(event: WatchEvent, error: unknown): void {
  const name = `${event.object?.metadata?.namespace ?? ''}/${event.object?.metadata?.name ?? '?'}`;
  console.error(`kube-sim: controller cache could not handle ${event.type} ${event.resource} ${name}:`, error instanceof Error ? error.message : error);
}

export const objectKey = (o: { metadata: { namespace?: string; name: string } }): string =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;

interface ResourceCache {
  objects: Map<string, SimObject>;
  indexes: Map<string, { fn: IndexFn; values: Map<string, Set<string>> }>;
  listeners: CacheListener[];
}

export function createObjectCache(store: SimStore, resources: string[]): ObjectCache {
  const caches = new Map<string, ResourceCache>();
  const cacheFor = (resource: string): ResourceCache => {
    let c = caches.get(resource);
    if (!c) {
      c = { objects: new Map(), indexes: new Map(), listeners: [] };
      caches.set(resource, c);
    }
    return c;
  };

  const indexAdd = (c: ResourceCache, key: string, o: SimObject): void => {
    for (const idx of c.indexes.values()) {
      for (const v of idx.fn(o)) {
        let set = idx.values.get(v);
        if (!set) idx.values.set(v, (set = new Set()));
        set.add(key);
      }
    }
  };
  const indexRemove = (c: ResourceCache, key: string, o: SimObject): void => {
    for (const idx of c.indexes.values()) {
      for (const v of idx.fn(o)) {
        const set = idx.values.get(v);
        set?.delete(key);
        if (set && set.size === 0) idx.values.delete(v);
      }
    }
  };

  const apply = (event: WatchEvent): SimObject | undefined => {
    const c = cacheFor(event.resource);
    const key = objectKey(event.object);
    const old = c.objects.get(key);
    if (old) indexRemove(c, key, old);
    if (event.type === 'DELETED') {
      c.objects.delete(key);
    } else {
      c.objects.set(key, event.object);
      indexAdd(c, key, event.object);
    }
    return old;
  };

  for (const resource of resources) {
    const c = cacheFor(resource);
    let items: SimObject[] = [];
    try {
      items = store.list(resource);
    } catch {
      items = [];
    }
    for (const o of items) c.objects.set(objectKey(o), o);
  }

  // Runs inside the store's write: a malformed object must never turn a committed client write into an error.
  const onEvent = (event: WatchEvent): void => {
    if (!caches.has(event.resource)) return;
    let old: SimObject | undefined;
    try {
      old = apply(event);
    } catch (error) {
      reportListenerError(event, error);
      return;
    }
    for (const l of cacheFor(event.resource).listeners) {
      try {
        l(event, old);
      } catch (error) {
        reportListenerError(event, error);
      }
    }
  };
  // MemoryStore can hand over its committed (immutable) objects without a deep copy per event.
  const shared = (store as unknown as SharedSubscribe).subscribeShared;
  const unsubscribe = shared ? shared.call(store, onEvent) : store.subscribe(onEvent);

  return {
    get: (resource, namespace, name) => cacheFor(resource).objects.get(namespace ? `${namespace}/${name}` : name),
    list: (resource, namespace) => {
      const all = [...cacheFor(resource).objects.values()];
      return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
    },
    byIndex: (resource, index, value) => {
      const c = cacheFor(resource);
      const keys = c.indexes.get(index)?.values.get(value);
      if (!keys) return [];
      const out: SimObject[] = [];
      for (const k of keys) {
        const o = c.objects.get(k);
        if (o) out.push(o);
      }
      return out;
    },
    addIndex: (resource, index, fn) => {
      const c = cacheFor(resource);
      c.indexes.set(index, { fn, values: new Map() });
      const only = new Map([[index, c.indexes.get(index)!]]);
      for (const [key, o] of c.objects) indexAdd({ ...c, indexes: only }, key, o);
    },
    on: (resource, listener) => {
      cacheFor(resource).listeners.push(listener);
    },
    stop: unsubscribe,
  };
}

/** Index function: the uid of the controlling owner. */
export const byControllerUid: IndexFn = (o) => {
  const refs = o.metadata.ownerReferences;
  const ref = Array.isArray(refs) ? refs.find((r) => r?.controller) : undefined;
  return ref && typeof ref.uid === 'string' ? [ref.uid] : [];
};

/** Index function: every owner uid. */
export const byOwnerUid: IndexFn = (o) => {
  const refs = o.metadata.ownerReferences;
  return Array.isArray(refs) ? refs.map((r) => r?.uid).filter((u): u is string => typeof u === 'string') : [];
};

export const byNamespace: IndexFn = (o) => (o.metadata.namespace ? [o.metadata.namespace] : []);
