// daemonset-controller: one pod per eligible node (nodeSelector, affinity, tolerated taints; cordoned nodes
// included, as DaemonSet pods tolerate unschedulable; a new NoSchedule taint leaves a running pod alone), bound through the scheduler by node affinity, rolled one
// node at a time on template change (maxUnavailable; old pods that are not ready are replaced at once, as the real
// controller does).
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

/** spec.updateStrategy.rollingUpdate.maxUnavailable: a count, or a percentage of the desired pods rounded up (default 1). */
export function maxUnavailableOf(ds: SimObject, desired: number): number {
  const value = ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable as number | string | undefined;
  if (typeof value === 'number') return value;
  const percent = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return percent ? Math.ceil((Number(percent[1]) * desired) / 100) : 1;
}

/**
 * The old-revision pods a rolling update deletes now, as the real controller's rollingUpdate (maxSurge 0) picks them:
 * an old pod that is not available is always replaced (so a rollback replaces a crash-looping revision at once); an
 * available one only while fewer than maxUnavailable pods are unavailable. A node without a pod, or with both
 * revisions, counts as unavailable.
 */
export function podsToReplace(nodes: SimObject[], byNode: Map<string, SimObject[]>, hash: string, maxUnavailable: number): SimObject[] {
  let unavailable = 0;
  const replace: SimObject[] = [];
  const candidates: SimObject[] = [];
  for (const node of nodes) {
    const list = byNode.get(node.metadata.name) ?? [];
    const fresh = list.find((p) => p.metadata.labels?.[REVISION_LABEL] === hash);
    const old = list.find((p) => p.metadata.labels?.[REVISION_LABEL] !== hash);
    if (!fresh === !old) unavailable++;
    else if (fresh) unavailable += isPodReady(fresh) ? 0 : 1;
    else if (!isPodReady(old!)) {
      replace.push(old!);
      unavailable++;
    } else if (unavailable < maxUnavailable) candidates.push(old!);
  }
  return [...replace, ...candidates.slice(0, Math.max(0, Math.min(maxUnavailable - unavailable, candidates.length)))];
}

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
      if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        for (const p of podsToReplace(eligible, byNode, hash, maxUnavailableOf(ds, eligible.length))) {
          deleteObject(store, 'pods', p);
          controllerEvent(ctx, COMPONENT, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        }
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
