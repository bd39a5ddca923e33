// replicaset-controller: keeps spec.replicas active pods per ReplicaSet, deletes the least valuable first, and
// reports replicas / fullyLabeled / ready / available.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, controllerOwnerKey, sameStatus, splitKey } from './controller-context.js';
import { matchesSelector } from './label-selector.js';
import { byControllerUid } from './object-cache.js';
import { objectKey } from './object-cache.js';
import { compareForDeletion, deleteObject, isActivePod, isPodReady, podAvailability } from './pod-helpers.js';
import { errorCode, newObject, writeOwnStatus } from './sim-object.js';
import { createRequeue, createWorkQueue } from './work-queue.js';

const COMPONENT = 'replicaset-controller';
const BURST = 500;
/** After a failed create (quota), try again this many cluster seconds later. */
export const FAILED_CREATE_RETRY_SECONDS = 5;

/** A pod for a ReplicaSet/StatefulSet/DaemonSet from its template. */
export function podFromTemplate(owner: SimObject, ownerApiVersion: string, extra: { name?: string; labels?: Record<string, string>; spec?: Record<string, unknown> } = {}): SimObject {
  const template = owner.spec?.template ?? {};
  return newObject(
    'v1',
    'Pod',
    {
      name: extra.name as string,
      generateName: extra.name ? undefined : `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
      annotations: template.metadata?.annotations ? { ...template.metadata.annotations } : undefined,
      ownerReferences: [{ apiVersion: ownerApiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    { spec: { ...JSON.parse(JSON.stringify(template.spec ?? {})), ...(extra.spec ?? {}) } },
  );
}

export function startReplicaSetController(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  cache.addIndex('pods', 'controller', byControllerUid);
  const queue = createWorkQueue(COMPONENT, reconcile);
  /** When this controller first saw each pod Ready (real ms): finer than the second-resolution condition time. */
  const readySince = new Map<string, number>();

  cache.on('replicasets', (event) => queue.add(objectKey(event.object)));
  cache.on('pods', (event) => {
    const uid = event.object.metadata.uid;
    if (event.type === 'DELETED' || !isPodReady(event.object)) readySince.delete(uid);
    else if (!readySince.has(uid)) readySince.set(uid, clock.now());
    const key = controllerOwnerKey(event.object, 'ReplicaSet');
    if (key) queue.add(key);
  });

  const requeueAfterMs = createRequeue(queue, clock.afterReal);

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const rs = cache.get('replicasets', ns, name);
    if (!rs) return;
    const owned = () => cache.byIndex('pods', 'controller', rs.metadata.uid);
    const active = owned().filter(isActivePod);
    const desired = rs.spec?.replicas ?? 1;
    if (!rs.metadata.deletionTimestamp) {
      if (active.length < desired) createPods(rs, Math.min(BURST, desired - active.length), key);
      else if (active.length > desired) {
        for (const pod of [...active].sort(compareForDeletion).slice(0, active.length - desired)) {
          deleteObject(store, 'pods', pod);
          controllerEvent(ctx, COMPONENT, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        }
      }
    }
    updateStatus(rs, owned().filter(isActivePod), key);
  }

  function createPods(rs: SimObject, count: number, key: string): void {
    for (let i = 0; i < count; i++) {
      try {
        const pod = store.create('pods', podFromTemplate(rs, 'apps/v1'));
        controllerEvent(ctx, COMPONENT, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        controllerEvent(ctx, COMPONENT, rs, 'Warning', 'FailedCreate', `Error creating: ${message}`);
        if (errorCode(error) === 403 || errorCode(error) === 409 || errorCode(error) === 500) requeueAfterMs(key, clock.toRealMs(FAILED_CREATE_RETRY_SECONDS));
        return;
      }
    }
  }

  function updateStatus(rs: SimObject, active: SimObject[], key: string): void {
    const minReady = rs.spec?.minReadySeconds ?? 0;
    let available = 0;
    let soonest = Infinity;
    for (const pod of active) {
      const a = podAvailability(pod, minReady, clock.now(), clock.speed, readySince.get(pod.metadata.uid));
      if (a.available) available++;
      else if (a.waitMs !== undefined) soonest = Math.min(soonest, a.waitMs);
    }
    if (soonest < Infinity) requeueAfterMs(key, soonest + 5);
    const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
    const status: Record<string, unknown> = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => matchesSelector({ matchLabels: templateLabels }, p.metadata.labels)).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
    };
    // The real controller omits zero counts (omitempty), keeping replicas.
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) if (status[k] === 0) delete status[k];
    const conditions = rs.status?.conditions;
    if (conditions) status.conditions = conditions;
    if (sameStatus(status, rs.status)) return;
    writeOwnStatus(store, 'replicasets', rs, status);
  }

  for (const rs of cache.list('replicasets')) queue.add(objectKey(rs));
  return { stop: () => queue.stop() };
}
