// daemonset-controller: one pod per eligible node (nodeSelector, affinity, tolerated taints; cordoned nodes
// included, as DaemonSet pods tolerate unschedulable; a new NoSchedule taint leaves a running pod alone), bound through the scheduler by node affinity, rolled one
// node at a time on template change.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, controllerOwnerKey, sameStatus, splitKey } from './controller-context.js';
import { indexControllerRevisions, syncControllerRevision } from './controller-revisions.js';
import { byControllerUid, objectKey } from './object-cache.js';
import { deleteObject, isActivePod, isPodReady } from './pod-helpers.js';
import { podFromTemplate } from './replicaset-controller.js';
import { daemonPodPlacement } from './scheduler-fit.js';
import { writeOwnStatus } from './sim-object.js';
import { computeTemplateHash } from './template-hash.js';
import { FAILED_CREATE_RETRY_SECONDS } from './replicaset-controller.js';
import { createRequeue, createWorkQueue } from './work-queue.js';

const COMPONENT = 'daemonset-controller';
const REVISION_LABEL = 'controller-revision-hash';

/** The tolerations every DaemonSet pod gets (daemon.AddOrUpdateDaemonPodTolerations). */
export const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

const nodeOfPod = (pod: SimObject): string | undefined =>
  pod.spec?.nodeName ?? pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];

export function startDaemonSetController(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  cache.addIndex('pods', 'controller', byControllerUid);
  indexControllerRevisions(ctx);
  const queue = createWorkQueue(COMPONENT, reconcile);
  const requeueAfterMs = createRequeue(queue, clock.afterReal);
  cache.on('daemonsets', (event) => queue.add(objectKey(event.object)));
  cache.on('pods', (event) => {
    const key = controllerOwnerKey(event.object, 'DaemonSet');
    if (key) queue.add(key);
  });
  cache.on('nodes', (event, old) => {
    if (old && JSON.stringify([old.metadata.labels, old.spec]) === JSON.stringify([event.object.metadata.labels, event.object.spec])) return;
    for (const ds of cache.list('daemonsets')) queue.add(objectKey(ds));
  });

  const withTolerations = (ds: SimObject, nodeName: string): Record<string, unknown> => {
    const own = (ds.spec?.template?.spec?.tolerations ?? []) as Array<{ key?: string; effect?: string }>;
    const tolerations = [...own, ...DAEMON_TOLERATIONS.filter((t) => !own.some((o) => o.key === t.key && o.effect === t.effect))];
    const affinity = {
      ...(ds.spec?.template?.spec?.affinity ?? {}),
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } },
    };
    return { tolerations, affinity };
  };

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const ds = cache.get('daemonsets', ns, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = computeTemplateHash(ds.spec?.template);
    syncControllerRevision(ctx, ds, hash);
    const pods = cache.byIndex('pods', 'controller', ds.metadata.uid).filter(isActivePod);
    const eligible: SimObject[] = [];
    const keepNames = new Set<string>();
    for (const node of cache.list('nodes')) {
      const probe = { ...podFromTemplate(ds, 'apps/v1'), spec: { ...ds.spec?.template?.spec, ...withTolerations(ds, node.metadata.name) } } as SimObject;
      const placement = daemonPodPlacement(probe, node);
      if (placement.shouldRun) eligible.push(node);
      if (placement.shouldContinueRunning) keepNames.add(node.metadata.name);
    }
    const eligibleNames = new Set(eligible.map((n) => n.metadata.name));
    const byNode = new Map<string, SimObject[]>();
    for (const p of pods) {
      const n = nodeOfPod(p) ?? '';
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    try {
      for (const node of eligible) {
        const nodeName = node.metadata.name;
        const existing = byNode.get(nodeName) ?? [];
        if (existing.length === 0) {
          const pod = podFromTemplate(ds, 'apps/v1', { labels: { [REVISION_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) }, spec: withTolerations(ds, nodeName) });
          const created = store.create('pods', pod);
          controllerEvent(ctx, COMPONENT, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } else for (const extra of existing.slice(1)) deleteObject(store, 'pods', extra);
      }
      for (const [nodeName, list] of byNode) {
        if (keepNames.has(nodeName)) continue;
        for (const p of list) {
          deleteObject(store, 'pods', p);
          controllerEvent(ctx, COMPONENT, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        }
      }
      // RollingUpdate with maxUnavailable 1: replace one stale pod at a time, only while all others are ready.
      const stale = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] !== hash);
      if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && stale.length && pods.every(isPodReady)) {
        deleteObject(store, 'pods', stale[0]);
        controllerEvent(ctx, COMPONENT, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${stale[0].metadata.name}`);
      }
    } catch (error) {
      // The real controller records podControl's "Error creating: ..." and retries with back-off.
      controllerEvent(ctx, COMPONENT, ds, 'Warning', 'FailedCreate', `Error creating: ${error instanceof Error ? error.message : String(error)}`);
      requeueAfterMs(key, clock.toRealMs(FAILED_CREATE_RETRY_SECONDS));
    }
    const current = cache.byIndex('pods', 'controller', ds.metadata.uid).filter(isActivePod);
    const scheduledOn = (p: SimObject) => eligibleNames.has(nodeOfPod(p) ?? '');
    const ready = current.filter((p) => scheduledOn(p) && isPodReady(p)).length;
    const status: Record<string, unknown> = {
      currentNumberScheduled: current.filter((p) => p.spec?.nodeName && scheduledOn(p)).length,
      numberMisscheduled: current.filter((p) => p.spec?.nodeName && !scheduledOn(p)).length,
      desiredNumberScheduled: eligible.length,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: current.filter((p) => p.metadata.labels?.[REVISION_LABEL] === hash).length,
      numberAvailable: ready,
      numberUnavailable: Math.max(0, eligible.length - ready),
    };
    for (const k of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled']) if (status[k] === 0) delete status[k];
    if (sameStatus(status, ds.status)) return;
    writeOwnStatus(store, 'daemonsets', ds, status);
  }

  for (const d of cache.list('daemonsets')) queue.add(objectKey(d));
  return { stop: () => queue.stop() };
}
