// statefulset-controller: stable pods name-0..N-1 created in order (OrderedReady waits for each to be Running and
// Ready; Parallel does not), removed from the highest ordinal, and rolled one at a time on template change.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, controllerOwnerKey, sameStatus, splitKey } from './controller-context.js';
import { indexControllerRevisions, syncControllerRevision } from './controller-revisions.js';
import { byControllerUid, objectKey } from './object-cache.js';
import { deleteObject, isPodReady, isTerminalPod } from './pod-helpers.js';
import { podFromTemplate } from './replicaset-controller.js';
import { newObject, writeOwnStatus } from './sim-object.js';
import { computeTemplateHash } from './template-hash.js';
import { FAILED_CREATE_RETRY_SECONDS } from './replicaset-controller.js';
import { createRequeue, createWorkQueue } from './work-queue.js';

const COMPONENT = 'statefulset-controller';
const REVISION_LABEL = 'controller-revision-hash';

const ordinalOf = (sts: SimObject, pod: SimObject): number => {
  const m = new RegExp(`^${sts.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(pod.metadata.name);
  return m ? Number(m[1]) : -1;
};

export function startStatefulSetController(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  cache.addIndex('pods', 'controller', byControllerUid);
  indexControllerRevisions(ctx);
  const queue = createWorkQueue(COMPONENT, reconcile);
  const requeueAfterMs = createRequeue(queue, clock.afterReal);
  cache.on('statefulsets', (event) => queue.add(objectKey(event.object)));
  cache.on('persistentvolumeclaims', (event) => {
    if (event.type !== 'DELETED') return;
    for (const sts of cache.list('statefulsets')) if (sts.metadata.namespace === event.object.metadata.namespace && sts.spec?.volumeClaimTemplates?.length) queue.add(objectKey(sts));
  });
  cache.on('pods', (event) => {
    const key = controllerOwnerKey(event.object, 'StatefulSet');
    if (key) queue.add(key);
  });

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const sts = cache.get('statefulsets', ns, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const replicas = sts.spec?.replicas ?? 1;
    const parallel = sts.spec?.podManagementPolicy === 'Parallel';
    const updateRevision = syncControllerRevision(ctx, sts, computeTemplateHash(sts.spec?.template));
    const pods = new Map<number, SimObject>();
    for (const p of cache.byIndex('pods', 'controller', sts.metadata.uid)) pods.set(ordinalOf(sts, p), p);
    const healthy = (p: SimObject | undefined): boolean => Boolean(p && !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && isPodReady(p));

    try {
      let blocked = false;
      for (let i = 0; i < replicas && !blocked; i++) {
        const pod = pods.get(i);
        if (pod && isTerminalPod(pod) && !pod.metadata.deletionTimestamp) {
          deleteObject(store, 'pods', pod);
          controllerEvent(ctx, COMPONENT, sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`);
          blocked = !parallel;
        } else if (!pod) {
          blocked = !create(sts, i, updateRevision, key) || !parallel;
        } else if (!parallel && !healthy(pod)) blocked = true;
      }
      const extra = [...pods.entries()].filter(([i]) => i >= replicas).sort((a, b) => b[0] - a[0]);
      const terminating = [...pods.values()].some((p) => p.metadata.deletionTimestamp);
      if (!blocked && extra.length && !(terminating && !parallel)) {
        for (const [, pod] of parallel ? extra : extra.slice(0, 1)) {
          if (pod.metadata.deletionTimestamp) continue;
          deleteObject(store, 'pods', pod);
          controllerEvent(ctx, COMPONENT, sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`);
        }
      } else if (!blocked && !terminating && (sts.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
        const allHealthy = [...pods.entries()].filter(([i]) => i < replicas).every(([, p]) => healthy(p));
        const stale = [...pods.entries()]
          .filter(([i, p]) => i < replicas && i >= partition && p.metadata.labels?.[REVISION_LABEL] !== updateRevision)
          .sort((a, b) => b[0] - a[0])[0];
        if (stale && allHealthy) deleteObject(store, 'pods', stale[1]);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      controllerEvent(ctx, COMPONENT, sts, 'Warning', 'FailedDelete', message);
    }

    const owned = cache.byIndex('pods', 'controller', sts.metadata.uid).filter((p) => !isTerminalPod(p));
    const ready = owned.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length;
    const updated = owned.filter((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision).length;
    const status: Record<string, unknown> = {
      observedGeneration: sts.metadata.generation,
      replicas: owned.length,
      readyReplicas: ready,
      currentReplicas: updated,
      updatedReplicas: updated,
      currentRevision: updated === owned.length ? updateRevision : (sts.status?.currentRevision ?? updateRevision),
      updateRevision,
      collisionCount: 0,
      availableReplicas: ready,
    };
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
    if (sameStatus(status, sts.status)) return;
    writeOwnStatus(store, 'statefulsets', sts, status);
  }

  /**
   * The claims of pod `ordinal` from volumeClaimTemplates (<template>-<set>-<ordinal>), created when missing with
   * the controller's SuccessfulCreate/FailedCreate events; returns the pod volumes that point at them.
   */
  function ensureClaims(sts: SimObject, ordinal: number, podName: string): Array<Record<string, unknown>> {
    const volumes: Array<Record<string, unknown>> = [];
    for (const template of (sts.spec?.volumeClaimTemplates ?? []) as SimObject[]) {
      const templateName = template.metadata?.name;
      if (!templateName) continue;
      const claimName = `${templateName}-${sts.metadata.name}-${ordinal}`;
      volumes.push({ name: templateName, persistentVolumeClaim: { claimName } });
      if (cache.get('persistentvolumeclaims', sts.metadata.namespace, claimName)) continue;
      const labels = { ...(template.metadata?.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) };
      const claim = newObject(
        'v1',
        'PersistentVolumeClaim',
        { name: claimName, namespace: sts.metadata.namespace, labels, ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}) },
        { spec: JSON.parse(JSON.stringify(template.spec ?? {})) },
      );
      try {
        store.create('persistentvolumeclaims', claim);
        controllerEvent(ctx, COMPONENT, sts, 'Normal', 'SuccessfulCreate', `create Claim ${claimName} Pod ${podName} in StatefulSet ${sts.metadata.name} success`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        controllerEvent(ctx, COMPONENT, sts, 'Warning', 'FailedCreate', `create Claim ${claimName} for Pod ${podName} in StatefulSet ${sts.metadata.name} failed error: ${message}`);
        throw error;
      }
    }
    return volumes;
  }

  /** Creates pod `ordinal`; on failure (quota) records FailedCreate as the real controller does and retries later. */
  function create(sts: SimObject, ordinal: number, revision: string, key: string): boolean {
    const podName = `${sts.metadata.name}-${ordinal}`;
    let claimVolumes: Array<Record<string, unknown>>;
    try {
      claimVolumes = ensureClaims(sts, ordinal, podName);
    } catch {
      requeueAfterMs(key, clock.toRealMs(FAILED_CREATE_RETRY_SECONDS));
      return false;
    }
    const templateVolumes = ((sts.spec?.template?.spec?.volumes ?? []) as Array<{ name: string }>).filter((v) => !claimVolumes.some((c) => c.name === v.name));
    const pod = podFromTemplate(sts, 'apps/v1', {
      name: podName,
      labels: { [REVISION_LABEL]: revision, 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(ordinal) },
      spec: {
        hostname: podName,
        ...(sts.spec?.serviceName ? { subdomain: sts.spec.serviceName } : {}),
        ...(claimVolumes.length ? { volumes: [...JSON.parse(JSON.stringify(templateVolumes)), ...claimVolumes] } : {}),
      },
    });
    try {
      store.create('pods', pod);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      controllerEvent(ctx, COMPONENT, sts, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${sts.metadata.name} failed error: ${message}`);
      requeueAfterMs(key, clock.toRealMs(FAILED_CREATE_RETRY_SECONDS));
      return false;
    }
    controllerEvent(ctx, COMPONENT, sts, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${sts.metadata.name} successful`);
    return true;
  }

  for (const s of cache.list('statefulsets')) queue.add(objectKey(s));
  return { stop: () => queue.stop() };
}
