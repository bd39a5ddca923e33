// The garbage collector and namespace cleaner of kube-sim (kube-controller-manager's garbagecollector and namespace
// controllers, simplified): dependents of deleted owners are deleted (Background/Foreground) or orphaned (Orphan),
// and a terminating namespace is emptied then removed. Work runs after the write that triggered it (setImmediate),
// never inside a store callback.

import type { HistoryEntry, MemoryStore } from './store/memory-store.js';
import { cloneObject } from './store/memory-store.js';
import type { SimObject } from './store/types.js';
import { deleteObject } from './api/delete-object.js';
import { RESOURCE_TYPES, storageKeyOf } from './api/resource-types.js';

const NAMESPACED_KEYS = [...new Set(RESOURCE_TYPES.filter((r) => r.namespaced && r.verbs.includes('list')).map(storageKeyOf))];

export interface RunningGarbageCollector {
  stop(): void;
  /** Runs pending work now (tests). */
  flush(): void;
}

/** Dependents by owner uid, kept from the change stream so a cascade never scans every object. */
class OwnerIndex {
  private readonly byOwner = new Map<string, Map<string, { resource: string; namespace?: string; name: string }>>();

  constructor(store: MemoryStore) {
    for (const resource of NAMESPACED_KEYS) for (const object of store.peekList(resource)) this.add(resource, object);
  }

  observe(entry: HistoryEntry): void {
    if (entry.previous) this.remove(entry.resource, entry.previous);
    if (entry.type === 'DELETED') this.remove(entry.resource, entry.object);
    else this.add(entry.resource, entry.object);
  }

  dependents(uid: string): Array<{ resource: string; namespace?: string; name: string }> {
    return [...(this.byOwner.get(uid)?.values() ?? [])];
  }

  private add(resource: string, object: SimObject): void {
    for (const ref of object.metadata.ownerReferences ?? []) {
      let set = this.byOwner.get(ref.uid);
      if (!set) {
        set = new Map();
        this.byOwner.set(ref.uid, set);
      }
      set.set(`${resource}\u0000${object.metadata.namespace ?? ''}\u0000${object.metadata.name}`, {
        resource,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
      });
    }
  }

  private remove(resource: string, object: SimObject): void {
    for (const ref of object.metadata.ownerReferences ?? []) {
      const set = this.byOwner.get(ref.uid);
      set?.delete(`${resource}\u0000${object.metadata.namespace ?? ''}\u0000${object.metadata.name}`);
      if (set && set.size === 0) this.byOwner.delete(ref.uid);
    }
  }
}

export function startGarbageCollector(store: MemoryStore): RunningGarbageCollector {
  const index = new OwnerIndex(store);
  const pending: HistoryEntry[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  let stopped = false;

  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = setImmediate(() => {
      scheduled = undefined;
      flush();
    });
  };

  const unsubscribe = store.subscribeShared((entry) => {
    index.observe(entry);
    const meta = entry.object.metadata;
    const interesting =
      entry.type === 'DELETED' ||
      (meta.deletionTimestamp && (meta.finalizers?.length || entry.resource === 'namespaces'));
    if (!interesting) return;
    pending.push(entry);
    schedule();
  });

  const flush = () => {
    // Processing may enqueue more work (cascades); keep going until quiet, bounded to avoid a runaway loop.
    for (let round = 0; round < 100 && pending.length; round++) {
      const batch = pending.splice(0, pending.length);
      for (const entry of batch) {
        try {
          process(store, index, entry);
        } catch {
          // The object changed under us (already deleted, conflict): the next event will retry.
        }
      }
    }
  };

  return {
    stop() {
      stopped = true;
      if (scheduled) clearImmediate(scheduled);
      unsubscribe();
    },
    flush,
  };
}

function dependentsOf(store: MemoryStore, index: OwnerIndex, owner: SimObject): Array<{ resource: string; object: SimObject }> {
  const out: Array<{ resource: string; object: SimObject }> = [];
  for (const ref of index.dependents(owner.metadata.uid)) {
    const object = store.peek(ref.resource, ref.namespace, ref.name);
    if (object?.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid)) out.push({ resource: ref.resource, object });
  }
  return out;
}

function ownerStillExists(store: MemoryStore, dependent: SimObject, exceptUid: string): boolean {
  return (dependent.metadata.ownerReferences ?? []).some((ref) => {
    if (ref.uid === exceptUid) return false;
    const resource = RESOURCE_TYPES.find((r) => r.kind === ref.kind && ref.apiVersion === (r.group ? `${r.group}/${r.version}` : r.version));
    if (!resource) return false;
    const found = store.peek(storageKeyOf(resource), resource.namespaced ? dependent.metadata.namespace : undefined, ref.name);
    return found?.metadata.uid === ref.uid;
  });
}

function removeFinalizer(store: MemoryStore, resource: string, object: SimObject, finalizer: string): void {
  const current = store.get(resource, object.metadata.namespace, object.metadata.name);
  if (!current?.metadata.finalizers?.includes(finalizer)) return;
  current.metadata.finalizers = current.metadata.finalizers.filter((f) => f !== finalizer);
  store.update(resource, current, { skipAdmission: true });
}

function orphan(store: MemoryStore, index: OwnerIndex, owner: SimObject): void {
  for (const { resource, object } of dependentsOf(store, index, owner)) {
    const copy = cloneObject(object);
    copy.metadata.ownerReferences = copy.metadata.ownerReferences?.filter((r) => r.uid !== owner.metadata.uid);
    if (!copy.metadata.ownerReferences?.length) delete copy.metadata.ownerReferences;
    store.update(resource, copy, { skipAdmission: true });
  }
}

function deleteDependents(store: MemoryStore, index: OwnerIndex, owner: SimObject, policy: 'Background' | 'Foreground'): number {
  let remaining = 0;
  for (const { resource, object } of dependentsOf(store, index, owner)) {
    remaining++;
    if (object.metadata.deletionTimestamp) continue;
    if (ownerStillExists(store, object, owner.metadata.uid)) {
      const copy = cloneObject(object);
      copy.metadata.ownerReferences = copy.metadata.ownerReferences?.filter((r) => r.uid !== owner.metadata.uid);
      store.update(resource, copy, { skipAdmission: true });
      remaining--;
      continue;
    }
    const result = deleteObject(store, resource, object.metadata.namespace, object.metadata.name, { propagationPolicy: policy });
    if (result.removed) remaining--;
  }
  return remaining;
}

function process(store: MemoryStore, index: OwnerIndex, entry: HistoryEntry): void {
  const object = entry.object;
  if (entry.type === 'DELETED') {
    if (entry.resource !== 'namespaces') deleteDependents(store, index, object, 'Background');
    // A dependent went away: its owner may be waiting in foreground deletion, or its namespace may now be empty.
    for (const ref of object.metadata.ownerReferences ?? []) {
      const resource = RESOURCE_TYPES.find((r) => r.kind === ref.kind && ref.apiVersion === (r.group ? `${r.group}/${r.version}` : r.version));
      if (!resource) continue;
      const key = storageKeyOf(resource);
      const owner = store.peek(key, resource.namespaced ? object.metadata.namespace : undefined, ref.name);
      if (owner?.metadata.finalizers?.includes('foregroundDeletion') && owner.metadata.deletionTimestamp) {
        if (dependentsOf(store, index, owner).length === 0) removeFinalizer(store, key, owner, 'foregroundDeletion');
      }
    }
    const ns = object.metadata.namespace;
    if (ns) {
      const namespace = store.peek('namespaces', undefined, ns);
      if (namespace?.metadata.deletionTimestamp) cleanNamespace(store, namespace);
    }
    return;
  }
  const current = store.peek(entry.resource, object.metadata.namespace, object.metadata.name);
  if (!current || current.metadata.uid !== object.metadata.uid || !current.metadata.deletionTimestamp) return;
  if (entry.resource === 'namespaces') {
    cleanNamespace(store, current);
    return;
  }
  if (current.metadata.finalizers?.includes('orphan')) {
    orphan(store, index, current);
    removeFinalizer(store, entry.resource, current, 'orphan');
    return;
  }
  if (current.metadata.finalizers?.includes('foregroundDeletion')) {
    if (deleteDependents(store, index, current, 'Foreground') === 0) removeFinalizer(store, entry.resource, current, 'foregroundDeletion');
  }
}

function cleanNamespace(store: MemoryStore, namespace: SimObject): void {
  const name = namespace.metadata.name;
  let remaining = 0;
  for (const resource of NAMESPACED_KEYS) {
    for (const object of store.peekList(resource, name)) {
      remaining++;
      if (object.metadata.deletionTimestamp) continue;
      try {
        if (deleteObject(store, resource, name, object.metadata.name, { propagationPolicy: 'Background' }).removed) remaining--;
      } catch {
        remaining--;
      }
    }
  }
  if (remaining === 0 && store.peek('namespaces', undefined, name)) store.remove('namespaces', undefined, name);
}
