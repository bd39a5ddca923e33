// deployment-controller: one ReplicaSet per pod template, RollingUpdate (maxSurge/maxUnavailable) and Recreate
// rollouts, proportional-enough scaling, pause, revision bookkeeping for `kubectl rollout`, history cleanup, and
// status with the Progressing/Available conditions. Modelled on pkg/controller/deployment.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, controllerOwnerKey, splitKey } from './controller-context.js';
import { syncDeploymentStatus } from './deployment-status.js';
import {
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  REVISION,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newRSAnnotations,
  newRSNewReplicas,
  replicasAnnotations,
  revisionOf,
  specReplicas,
  sumSpec,
  sumStatus,
} from './deployment-util.js';
import { byControllerUid, objectKey } from './object-cache.js';
import { isTerminalPod } from './pod-helpers.js';
import { errorCode, newObject, unconditional } from './sim-object.js';
import { computeTemplateHash, templatesEqual } from './template-hash.js';
import { createRequeue, createWorkQueue } from './work-queue.js';

const COMPONENT = 'deployment-controller';

interface Sync {
  d: SimObject;
  newRS?: SimObject;
  olds: SimObject[];
  /** A Progressing condition decided while syncing (NewReplicaSetCreated / FoundNewReplicaSet). */
  progressing?: { reason: string; message: string };
}

const byCreation = (a: SimObject, b: SimObject): number =>
  a.metadata.creationTimestamp === b.metadata.creationTimestamp ? (a.metadata.name < b.metadata.name ? -1 : 1) : a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1;

export function startDeploymentController(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  cache.addIndex('replicasets', 'controller', byControllerUid);
  const queue = createWorkQueue(COMPONENT, reconcile);

  cache.on('deployments', (event) => queue.add(objectKey(event.object)));
  cache.on('replicasets', (event) => {
    const key = controllerOwnerKey(event.object, 'Deployment');
    if (key) queue.add(key);
  });
  cache.on('pods', (event) => {
    // Recreate waits for old pods to be gone.
    if (event.type !== 'DELETED') return;
    const rsKey = controllerOwnerKey(event.object, 'ReplicaSet');
    if (!rsKey) return;
    const [ns, name] = splitKey(rsKey);
    const rs = cache.get('replicasets', ns, name);
    const key = rs && controllerOwnerKey(rs, 'Deployment');
    if (key) queue.add(key);
  });

  const requeueAfterMs = createRequeue(queue, (ms, fn) => clock.afterReal(Math.max(1, ms), fn), clock.now);

  const refresh = (o: SimObject, resource: string): SimObject => cache.get(resource, o.metadata.namespace, o.metadata.name) ?? o;

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const d = cache.get('deployments', ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const rsList = cache.byIndex('replicasets', 'controller', d.metadata.uid).filter((rs) => !rs.metadata.deletionTimestamp);
    const sync: Sync = { d, olds: [], newRS: undefined };
    const paused = Boolean(d.spec?.paused);
    if (paused || isScalingEvent(d, rsList)) {
      loadReplicaSets(sync, rsList, false);
      scale(sync);
      if (paused) cleanup(sync);
    } else if (d.spec?.strategy?.type === 'Recreate') {
      rolloutRecreate(sync, rsList);
    } else {
      rolloutRolling(sync, rsList);
    }
    const wait = syncDeploymentStatus(ctx, refresh(d, 'deployments'), sync.newRS && refresh(sync.newRS, 'replicasets'), sync.olds.map((o) => refresh(o, 'replicasets')), sync.progressing);
    if (wait !== undefined) requeueAfterMs(key, wait);
  }

  function isScalingEvent(d: SimObject, rsList: SimObject[]): boolean {
    const desired = d.spec?.replicas ?? 1;
    return rsList.some((rs) => specReplicas(rs) > 0 && rs.metadata.annotations?.[DESIRED_REPLICAS] !== undefined && Number(rs.metadata.annotations[DESIRED_REPLICAS]) !== desired);
  }

  /** getAllReplicaSetsAndSyncRevision: finds (or creates) the new ReplicaSet and keeps revisions in order. */
  function loadReplicaSets(sync: Sync, rsList: SimObject[], create: boolean): void {
    const { d } = sync;
    const existing = rsList.filter((rs) => templatesEqual(rs.spec?.template, d.spec?.template)).sort(byCreation)[0];
    sync.olds = rsList.filter((rs) => rs !== existing).sort(byCreation);
    const newRevision = maxRevision(sync.olds) + 1;
    if (existing) {
      const annotations = newRSAnnotations(d, existing, newRevision, true);
      let rs = existing;
      // getNewReplicaSet also carries a changed spec.minReadySeconds over to the new ReplicaSet.
      const minReady = d.spec?.minReadySeconds ?? 0;
      const minReadyChanged = (existing.spec?.minReadySeconds ?? 0) !== minReady;
      if (minReadyChanged || JSON.stringify(annotations) !== JSON.stringify(existing.metadata.annotations ?? {})) {
        const spec = { ...existing.spec };
        if (minReady) spec.minReadySeconds = minReady;
        else delete spec.minReadySeconds;
        rs = store.update('replicasets', unconditional(existing, { metadata: { ...existing.metadata, annotations }, spec }), { skipAdmission: true });
      }
      sync.newRS = rs;
      const cond = (d.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Progressing');
      if (!cond) sync.progressing = { reason: 'FoundNewReplicaSet', message: `Found new replica set "${rs.metadata.name}"` };
      setDeploymentRevision(d, annotations[REVISION]);
      return;
    }
    if (!create) return;
    const collisionCount = d.status?.collisionCount ?? 0;
    const hash = computeTemplateHash(d.spec?.template, collisionCount);
    const replicas = newRSNewReplicas(d, sync.olds, undefined);
    const template = JSON.parse(JSON.stringify(d.spec?.template ?? {}));
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), 'pod-template-hash': hash };
    const selector = JSON.parse(JSON.stringify(d.spec?.selector ?? {}));
    selector.matchLabels = { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash };
    const annotations = newRSAnnotations(d, undefined, newRevision, false);
    const rsName = `${d.metadata.name}-${hash}`;
    try {
      sync.newRS = store.create(
        'replicasets',
        newObject(
          'apps/v1',
          'ReplicaSet',
          {
            name: rsName,
            namespace: d.metadata.namespace,
            labels: { ...(template.metadata.labels ?? {}) },
            annotations,
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          // minReadySeconds is omitempty in Go: a zero never shows in the ReplicaSet's JSON.
          { spec: { replicas, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template } },
        ),
        { skipAdmission: true },
      );
    } catch (error) {
      if (errorCode(error) !== 409) throw error;
      const clash = cache.get('replicasets', d.metadata.namespace, rsName);
      if (clash && templatesEqual(clash.spec?.template, d.spec?.template)) {
        sync.newRS = clash;
        return;
      }
      // A hash collision: bump collisionCount so the next sync hashes differently.
      store.updateStatus('deployments', unconditional(d, { status: { ...d.status, collisionCount: collisionCount + 1 } }), { skipAdmission: true });
      return;
    }
    if (replicas > 0) controllerEvent(ctx, COMPONENT, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} to ${replicas}`);
    sync.progressing = { reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` };
    setDeploymentRevision(d, annotations[REVISION]);
  }

  function setDeploymentRevision(d: SimObject, revision: string | undefined): void {
    const current = refresh(d, 'deployments');
    if (!revision || current.metadata.annotations?.[REVISION] === revision) return;
    const annotations = { ...(current.metadata.annotations ?? {}), [REVISION]: revision };
    store.update('deployments', unconditional(current, { metadata: { ...current.metadata, annotations } }), { skipAdmission: true });
  }

  /** scaleReplicaSetAndRecordEvent: returns true when spec.replicas changed. */
  function scaleRS(sync: Sync, rs: SimObject, replicas: number): boolean {
    const current = refresh(rs, 'replicasets');
    const from = specReplicas(current);
    const wanted = replicasAnnotations(sync.d);
    const annotations = { ...(current.metadata.annotations ?? {}), ...wanted };
    const annotationsChanged = current.metadata.annotations?.[DESIRED_REPLICAS] !== wanted[DESIRED_REPLICAS] || current.metadata.annotations?.[MAX_REPLICAS] !== wanted[MAX_REPLICAS];
    if (from === replicas && !annotationsChanged) return false;
    const updated = store.update('replicasets', unconditional(current, { metadata: { ...current.metadata, annotations }, spec: { ...current.spec, replicas } }), { skipAdmission: true });
    if (sync.newRS?.metadata.uid === updated.metadata.uid) sync.newRS = updated;
    sync.olds = sync.olds.map((o) => (o.metadata.uid === updated.metadata.uid ? updated : o));
    if (from !== replicas) {
      const verb = replicas > from ? 'up' : 'down';
      controllerEvent(ctx, COMPONENT, sync.d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${current.metadata.name} to ${replicas} from ${from}`);
    }
    return from !== replicas;
  }

  /** sync(): scaling while paused or when spec.replicas changed mid-flight. */
  function scale(sync: Sync): void {
    const { d } = sync;
    const desired = d.spec?.replicas ?? 1;
    const all = [...(sync.newRS ? [sync.newRS] : []), ...sync.olds];
    const active = all.filter((rs) => specReplicas(rs) > 0);
    if (active.length <= 1) {
      const target = active[0] ?? sync.newRS ?? [...sync.olds].sort((a, b) => revisionOf(b) - revisionOf(a))[0];
      if (target) scaleRS(sync, target, desired);
      return;
    }
    const allowed = desired > 0 ? desired + maxSurge(d) : 0;
    let toAdd = allowed - sumSpec(active);
    if (toAdd > 0 && sync.newRS) {
      scaleRS(sync, sync.newRS, specReplicas(sync.newRS) + toAdd);
      return;
    }
    // Scale down the oldest first, the new ReplicaSet last.
    const order = [...sync.olds.filter((rs) => specReplicas(rs) > 0), ...(sync.newRS ? [sync.newRS] : [])];
    for (const rs of order) {
      if (toAdd >= 0) break;
      const take = Math.min(specReplicas(rs), -toAdd);
      scaleRS(sync, rs, specReplicas(rs) - take);
      toAdd += take;
    }
    for (const rs of active) scaleRS(sync, refresh(rs, 'replicasets'), specReplicas(refresh(rs, 'replicasets')));
  }

  function rolloutRolling(sync: Sync, rsList: SimObject[]): void {
    loadReplicaSets(sync, rsList, true);
    const { d } = sync;
    const newRS = sync.newRS;
    if (!newRS) return;
    const desired = d.spec?.replicas ?? 1;
    // reconcileNewReplicaSet
    if (specReplicas(newRS) > desired) {
      scaleRS(sync, newRS, desired);
      return;
    }
    if (specReplicas(newRS) < desired) {
      const target = newRSNewReplicas(d, [newRS, ...sync.olds], newRS);
      if (target !== specReplicas(newRS) && scaleRS(sync, newRS, target)) return;
    }
    // reconcileOldReplicaSets
    if (reconcileOld(sync)) return;
    if (isComplete(d, sync)) cleanup(sync);
  }

  function reconcileOld(sync: Sync): boolean {
    const { d } = sync;
    const newRS = sync.newRS as SimObject;
    const olds = () => sync.olds.filter((rs) => specReplicas(rs) > 0);
    if (sumSpec(olds()) === 0) return false;
    const desired = d.spec?.replicas ?? 1;
    const minAvailable = desired - maxUnavailable(d);
    const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = sumSpec([newRS, ...sync.olds]) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let changed = false;
    // cleanupUnhealthyReplicas: unavailable old pods go first.
    let cleaned = 0;
    for (const rs of olds()) {
      if (cleaned >= maxScaledDown) break;
      const unavailable = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (unavailable <= 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unavailable);
      changed = scaleRS(sync, rs, specReplicas(rs) - n) || changed;
      cleaned += n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    const all = [sync.newRS as SimObject, ...sync.olds];
    const available = sumStatus(all, 'availableReplicas');
    if (available > minAvailable) {
      const total = available - minAvailable;
      let done = 0;
      for (const rs of olds()) {
        if (done >= total) break;
        const n = Math.min(specReplicas(rs), total - done);
        changed = scaleRS(sync, rs, specReplicas(rs) - n) || changed;
        done += n;
      }
    }
    return changed;
  }

  function rolloutRecreate(sync: Sync, rsList: SimObject[]): void {
    loadReplicaSets(sync, rsList, false);
    let scaledDown = false;
    for (const rs of sync.olds) if (specReplicas(rs) > 0) scaledDown = scaleRS(sync, rs, 0) || scaledDown;
    if (scaledDown) return;
    const oldPodsRunning = sync.olds.some((rs) => cache.byIndex('pods', 'controller', rs.metadata.uid).some((p) => !isTerminalPod(p)));
    if (oldPodsRunning) return;
    if (!sync.newRS) loadReplicaSets(sync, rsList, true);
    if (sync.newRS) scaleRS(sync, sync.newRS, sync.d.spec?.replicas ?? 1);
    if (isComplete(sync.d, sync)) cleanup(sync);
  }

  function isComplete(d: SimObject, sync: Sync): boolean {
    const desired = d.spec?.replicas ?? 1;
    const newRS = sync.newRS && refresh(sync.newRS, 'replicasets');
    const all = [...(newRS ? [newRS] : []), ...sync.olds.map((o) => refresh(o, 'replicasets'))];
    return (newRS?.status?.replicas ?? 0) === desired && sumStatus(all, 'replicas') === desired && sumStatus(all, 'availableReplicas') === desired;
  }

  /** cleanupDeployment: keep at most revisionHistoryLimit old, empty ReplicaSets. */
  function cleanup(sync: Sync): void {
    const limit = sync.d.spec?.revisionHistoryLimit ?? 10;
    const candidates = sync.olds
      .map((o) => refresh(o, 'replicasets'))
      .filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const excess = candidates.length - limit;
    for (const rs of candidates.slice(0, Math.max(0, excess))) {
      store.remove('replicasets', rs.metadata.namespace, rs.metadata.name);
      sync.olds = sync.olds.filter((o) => o.metadata.uid !== rs.metadata.uid);
    }
  }

  for (const d of cache.list('deployments')) queue.add(objectKey(d));
  return { stop: () => queue.stop() };
}
