// garbage-collector: deletes dependents whose owners are gone (Background), deletes dependents before their
// owner for the foregroundDeletion finalizer (Foreground), and strips ownerReferences for the orphan finalizer.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { byOwnerUid, objectKey } from './object-cache.js';
import { deleteObject } from './pod-helpers.js';
import { errorCode, unconditional } from './sim-object.js';
import { createWorkQueue } from './work-queue.js';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';
const SWEEP_SECONDS = 60;

/** Resources that may have owners, and the kinds that may own them. */
export const GC_RESOURCES = ['pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'services', 'configmaps', 'secrets', 'controllerrevisions', 'endpoints', 'horizontalpodautoscalers', 'poddisruptionbudgets', 'persistentvolumeclaims'];
const KIND_TO_RESOURCE: Record<string, string> = {
  Pod: 'pods',
  ReplicaSet: 'replicasets',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Service: 'services',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Node: 'nodes',
  Namespace: 'namespaces',
  ControllerRevision: 'controllerrevisions',
  PersistentVolumeClaim: 'persistentvolumeclaims',
};
const CLUSTER_SCOPED = new Set(['Node', 'Namespace']);

interface GracefulStore {
  markDeleting?(resource: string, ns: string | undefined, name: string, grace: number, options?: { addFinalizers?: string[] }): unknown;
}

export function startGarbageCollector(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  for (const r of GC_RESOURCES) cache.addIndex(r, 'owner', byOwnerUid);
  const queue = createWorkQueue('garbage-collector', reconcile);

  const dependentsOf = (uid: string): Array<{ resource: string; object: SimObject }> =>
    GC_RESOURCES.flatMap((resource) => cache.byIndex(resource, 'owner', uid).map((object) => ({ resource, object })));

  const ownerExists = (dependent: SimObject, ref: { kind: string; name: string; uid: string }): boolean => {
    const resource = KIND_TO_RESOURCE[ref.kind];
    if (!resource) return true; // unknown kinds (CRDs): never collect on their account
    const owner = cache.get(resource, CLUSTER_SCOPED.has(ref.kind) ? undefined : dependent.metadata.namespace, ref.name);
    return owner?.metadata.uid === ref.uid;
  };

  for (const resource of GC_RESOURCES) {
    cache.on(resource, (event, old) => {
      const o = event.object;
      if (event.type === 'DELETED') queue.add(`owner:${o.metadata.uid}`);
      else if (o.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).some((f) => f === FOREGROUND || f === ORPHAN)) queue.add(`${resource}|${objectKey(o)}`);
      if (event.type === 'DELETED' && old) {
        // A dependent vanished: its foreground owner may now be free to go.
        for (const ref of old.metadata.ownerReferences ?? []) {
          const r = KIND_TO_RESOURCE[ref.kind];
          if (r) queue.add(`${r}|${CLUSTER_SCOPED.has(ref.kind) ? ref.name : `${old.metadata.namespace}/${ref.name}`}`);
        }
      }
    });
  }

  function collectOrphansOf(uid: string): void {
    for (const { resource, object } of dependentsOf(uid)) {
      const refs = object.metadata.ownerReferences ?? [];
      const alive = refs.filter((r) => r.uid !== uid && ownerExists(object, r));
      if (alive.length > 0) {
        store.update(resource, unconditional(object, { metadata: { ...object.metadata, ownerReferences: refs.filter((r) => r.uid !== uid) } }), { skipAdmission: true });
      } else if (!object.metadata.deletionTimestamp) {
        deleteObject(store, resource, object);
      }
    }
  }

  function finalize(resource: string, key: string): void {
    const [ns, name] = key.includes('/') ? key.split('/') : [undefined, key];
    const owner = cache.get(resource, ns, name);
    if (!owner?.metadata.deletionTimestamp) return;
    const finalizers = owner.metadata.finalizers ?? [];
    const dependents = dependentsOf(owner.metadata.uid);
    if (finalizers.includes(ORPHAN)) {
      for (const { resource: r, object } of dependents) {
        const refs = (object.metadata.ownerReferences ?? []).filter((x) => x.uid !== owner.metadata.uid);
        store.update(r, unconditional(object, { metadata: { ...object.metadata, ownerReferences: refs.length ? refs : undefined } }), { skipAdmission: true });
      }
      removeFinalizer(resource, owner, ORPHAN);
      return;
    }
    if (!finalizers.includes(FOREGROUND)) return;
    const blocking = dependents.filter(({ object }) => (object.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.blockOwnerDeletion));
    for (const { resource: r, object } of dependents) {
      if (object.metadata.deletionTimestamp) continue;
      const graceful = (store as unknown as GracefulStore).markDeleting;
      const hasOwnDependents = dependentsOf(object.metadata.uid).length > 0;
      if (graceful && hasOwnDependents) graceful.call(store, r, object.metadata.namespace, object.metadata.name, 0, { addFinalizers: [FOREGROUND] });
      else deleteObject(store, r, object);
    }
    if (blocking.length === 0) removeFinalizer(resource, owner, FOREGROUND);
  }

  function removeFinalizer(resource: string, owner: SimObject, finalizer: string): void {
    const current = cache.get(resource, owner.metadata.namespace, owner.metadata.name);
    if (!current) return;
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    store.update(resource, unconditional(current, { metadata: { ...current.metadata, finalizers: finalizers.length ? finalizers : undefined } }), { skipAdmission: true });
  }

  function reconcile(key: string): void {
    try {
      if (key.startsWith('owner:')) collectOrphansOf(key.slice(6));
      else {
        const i = key.indexOf('|');
        finalize(key.slice(0, i), key.slice(i + 1));
      }
    } catch (error) {
      if (errorCode(error) !== 404) throw error;
    }
  }

  /** Dependents whose owner vanished while nobody watched (or before we started). */
  const sweep = (): void => {
    for (const resource of GC_RESOURCES) {
      for (const object of cache.list(resource)) {
        const refs = object.metadata.ownerReferences ?? [];
        for (const ref of refs) if (!ownerExists(object, ref)) queue.add(`owner:${ref.uid}`);
        if (object.metadata.deletionTimestamp && (object.metadata.finalizers ?? []).length) queue.add(`${resource}|${objectKey(object)}`);
      }
    }
  };
  sweep();
  const cancel = clock.every(SWEEP_SECONDS, sweep);
  return {
    stop: () => {
      cancel();
      queue.stop();
    },
  };
}
