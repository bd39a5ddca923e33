// Deletion as the real apiserver does it: graceful pods, finalizers for Foreground/Orphan propagation, namespaces
// held until emptied. Used by the DELETE handler, eviction, the garbage collector and the namespace cleaner.

import type { MemoryStore } from '../store/memory-store.js';
import { conflict, notFound } from '../store/errors.js';
import type { SimObject } from '../store/types.js';
import { findResourceByStorageKey } from './resource-types.js';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteRequest {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteResult {
  object: SimObject;
  /** True when the object is gone now; false when it waits for its kubelet or finalizers. */
  removed: boolean;
}

function podGracePeriod(pod: SimObject, requested: number | undefined): number {
  // Unbound and finished pods have no kubelet to wait for: the server deletes them at once.
  if (!pod.spec?.nodeName) return 0;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
  const grace = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  return grace < 0 ? 1 : grace;
}

export function deleteObject(store: MemoryStore, resource: string, namespace: string | undefined, name: string, request: DeleteRequest = {}): DeleteResult {
  const info = findResourceByStorageKey(resource);
  if (!info) throw new Error(`unknown resource ${resource}`);
  const existing = store.peek(resource, info.namespaced ? namespace : undefined, name);
  if (!existing) throw notFound(info, name);
  const pre = request.preconditions;
  if (pre?.uid && pre.uid !== existing.metadata.uid) {
    throw conflict(info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
    throw conflict(
      info,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
    );
  }
  const addFinalizers: string[] = [];
  if (request.propagationPolicy === 'Foreground') addFinalizers.push('foregroundDeletion');
  if (request.propagationPolicy === 'Orphan') addFinalizers.push('orphan');

  if (resource === 'namespaces') {
    // Held with spec.finalizers ["kubernetes"] until the namespace cleaner has emptied it.
    const result = store.markDeleting(resource, undefined, name, 0, { addFinalizers, dryRun: request.dryRun, hold: true });
    if (!request.dryRun && result.object.status?.phase !== 'Terminating') {
      const current = store.get(resource, undefined, name);
      if (current) {
        const updated = store.updateStatus(resource, { ...current, status: { ...(current.status ?? {}), phase: 'Terminating' } }, { skipAdmission: true });
        return { object: updated, removed: false };
      }
    }
    return result;
  }

  const grace = resource === 'pods' ? podGracePeriod(existing, request.gracePeriodSeconds) : 0;
  return store.markDeleting(resource, info.namespaced ? namespace : undefined, name, grace, { addFinalizers, dryRun: request.dryRun });
}
