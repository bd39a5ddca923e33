// Shared pod predicates (active, ready, available) and the one way controllers delete things.
import type { SimObject, SimStore } from '../store/types.js';

/** A graceful delete, as the API server's DELETE does it; absent from the SimStore contract, present in MemoryStore. */
interface GracefulStore {
  markDeleting?(resource: string, namespace: string | undefined, name: string, graceSeconds: number): unknown;
}

export const isTerminalPod = (pod: SimObject): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
export const isActivePod = (pod: SimObject): boolean => !pod.metadata.deletionTimestamp && !isTerminalPod(pod);

export function podReadyCondition(pod: SimObject): { status: string; lastTransitionTime?: string } | undefined {
  return ((pod.status?.conditions ?? []) as Array<{ type: string; status: string; lastTransitionTime?: string }>).find((c) => c.type === 'Ready');
}

export const isPodReady = (pod: SimObject): boolean => podReadyCondition(pod)?.status === 'True';

/**
 * Available = Ready for at least minReadySeconds (cluster seconds, so scaled by speed).
 * Returns the real ms until it becomes available when it is ready but not yet available.
 */
export function podAvailability(pod: SimObject, minReadySeconds: number, nowMs: number, speed: number, readySinceMs?: number): { available: boolean; waitMs?: number } {
  const ready = podReadyCondition(pod);
  if (ready?.status !== 'True') return { available: false };
  if (!minReadySeconds) return { available: true };
  // Timestamps on objects have whole seconds; at high speeds the controller's own observation is the better clock.
  const parsed = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
  const since = readySinceMs !== undefined ? Math.max(parsed, readySinceMs) : parsed;
  const needMs = (minReadySeconds * 1000) / speed;
  const elapsed = nowMs - since;
  return elapsed >= needMs ? { available: true } : { available: false, waitMs: needMs - elapsed };
}

/**
 * Deletes an object the way `kubectl delete` would: bound pods get a deletionTimestamp (their kubelet finishes the
 * job), everything else goes at once. Never throws for an object that is already gone.
 */
export function deleteObject(store: SimStore, resource: string, object: SimObject, graceSeconds = 30): void {
  const { namespace, name } = object.metadata;
  const graceful = (store as unknown as GracefulStore).markDeleting;
  try {
    if (resource === 'pods' && object.spec?.nodeName && graceful) {
      const grace = object.spec?.terminationGracePeriodSeconds ?? graceSeconds;
      graceful.call(store, resource, namespace, name, grace > 0 ? grace : 1);
      return;
    }
    const current = store.get(resource, namespace, name);
    if (current && current.metadata.uid === object.metadata.uid) store.remove(resource, namespace, name);
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Orders pods so that the ones a ReplicaSet should delete first come first (controller.ActivePods). */
export function compareForDeletion(a: SimObject, b: SimObject): number {
  const assigned = (p: SimObject): number => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: SimObject): number => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: SimObject): number => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  if (isPodReady(a) && isPodReady(b)) {
    const since = (p: SimObject): number => Date.parse(podReadyCondition(p)?.lastTransitionTime ?? '') || 0;
    if (since(a) !== since(b)) return since(b) - since(a);
  }
  const restarts = (p: SimObject): number =>
    ((p.status?.containerStatuses ?? []) as Array<{ restartCount?: number }>).reduce((m, c) => Math.max(m, c.restartCount ?? 0), 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: SimObject): number => Date.parse(p.metadata.creationTimestamp) || 0;
  return created(b) - created(a);
}
