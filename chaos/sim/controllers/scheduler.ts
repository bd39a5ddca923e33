// default-scheduler: binds pending pods to nodes in batches, records Scheduled / FailedScheduling, and retries
// unschedulable pods when nodes or pods change.
import type { EventRecorder } from '../events/event-recorder.js';
import type { SimObject, SimStore } from '../store/types.js';
import type { SimClock } from './clock.js';
import type { ObjectCache } from './object-cache.js';
import { objectKey } from './object-cache.js';
import type { NodeInfo } from './scheduler-fit.js';
import type { FitResult } from './scheduler-fit.js';
import { addUsage, fitNode, leastRequestedScore, nodeAllocatable, podRequests, readyStatus, unschedulableMessage } from './scheduler-fit.js';
import { volumePreFilter } from './volume-binding.js';
import { unconditional } from './sim-object.js';

const SCHEDULER = 'default-scheduler';
// The scheduler records through events.k8s.io (reportingInstance "default-scheduler-<host>"), not the legacy recorder.
const SCHEDULER_SOURCE = { component: SCHEDULER, reportingInstance: `${SCHEDULER}-kube-sim` };
/** Unschedulable pods are retried at least this often (cluster seconds), like the scheduler's periodic flush. */
const RETRY_SECONDS = 30;

function wantsScheduling(pod: SimObject): boolean {
  return (
    !pod.spec?.nodeName &&
    !pod.metadata.deletionTimestamp &&
    (pod.spec?.schedulerName ?? SCHEDULER) === SCHEDULER &&
    !['Succeeded', 'Failed'].includes(pod.status?.phase)
  );
}

const isTerminal = (pod: SimObject): boolean => ['Succeeded', 'Failed'].includes(pod.status?.phase);

function nodeSignature(node: SimObject): string {
  return JSON.stringify([node.spec?.unschedulable, node.spec?.taints, node.metadata.labels, node.status?.allocatable, readyStatus(node)]);
}

export function startScheduler(store: SimStore, cache: ObjectCache, clock: SimClock, recorder: EventRecorder): { stop(): void } {
  const pending = new Set<string>();
  const unschedulable = new Set<string>();
  let scheduled: NodeJS.Immediate | undefined;
  let stopped = false;

  const kick = (): void => {
    if (!scheduled && !stopped) scheduled = setImmediate(run);
  };
  const retryUnschedulable = (): void => {
    for (const key of unschedulable) pending.add(key);
    unschedulable.clear();
    if (pending.size) kick();
  };

  cache.on('pods', (event, old) => {
    const pod = event.object;
    const key = objectKey(pod);
    if (event.type === 'DELETED') {
      pending.delete(key);
      unschedulable.delete(key);
      if (pod.spec?.nodeName) retryUnschedulable();
      return;
    }
    if (wantsScheduling(pod)) {
      if (!unschedulable.has(key)) {
        pending.add(key);
        kick();
      }
    } else if (pod.spec?.nodeName && (pod.metadata.deletionTimestamp || isTerminal(pod)) && old && !old.metadata.deletionTimestamp && !isTerminal(old)) {
      retryUnschedulable();
    }
  });
  // A claim that binds (or a StorageClass that appears) can make a Pending pod schedulable.
  cache.on('persistentvolumeclaims', () => retryUnschedulable());
  cache.on('storageclasses', () => retryUnschedulable());
  cache.on('nodes', (event, old) => {
    if (event.type === 'DELETED' || !old || nodeSignature(old) !== nodeSignature(event.object)) retryUnschedulable();
  });

  // Per-node pod lists are only needed when a pod in the batch has inter-pod (anti-)affinity terms; bound pods with
  // anti-affinity are always tracked (addUsage), so their rules hold against every incoming pod.
  const nodeInfos = (withPods: boolean): NodeInfo[] => {
    const infos = new Map<string, NodeInfo>();
    for (const node of cache.list('nodes')) {
      infos.set(node.metadata.name, { node, allocatable: nodeAllocatable(node), requested: { cpu: 0, memory: 0, pods: 0 }, pods: withPods ? [] : undefined });
    }
    for (const pod of cache.list('pods')) {
      const info = infos.get(pod.spec?.nodeName);
      if (info && !isTerminal(pod)) addUsage(info, podRequests(pod), pod);
    }
    return [...infos.values()].sort((a, b) => (a.node.metadata.name < b.node.metadata.name ? -1 : 1));
  };

  const bind = (pod: SimObject, info: NodeInfo): SimObject => {
    const nodeName = info.node.metadata.name;
    const bound = store.update('pods', unconditional(pod, { spec: { ...pod.spec, nodeName } }), { skipAdmission: true });
    const at = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditions = ((bound.status?.conditions ?? []) as Array<{ type: string }>).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at } as { type: string });
    store.updateStatus('pods', unconditional(bound, { status: { ...bound.status, conditions } }), { skipAdmission: true });
    recorder.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`, { ...SCHEDULER_SOURCE, action: 'Binding' });
    return bound;
  };

  const markUnschedulable = (pod: SimObject, message: string): void => {
    const existing = ((pod.status?.conditions ?? []) as Array<Record<string, unknown>>).find((c) => c.type === 'PodScheduled');
    if (!existing || existing.status !== 'False' || existing.message !== message) {
      const at = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const conditions = ((pod.status?.conditions ?? []) as Array<{ type: string }>).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: at, reason: 'Unschedulable', message } as { type: string });
      store.updateStatus('pods', unconditional(pod, { status: { ...pod.status, phase: 'Pending', conditions } }), { skipAdmission: true });
    }
    recorder.record(pod, 'Warning', 'FailedScheduling', message, { ...SCHEDULER_SOURCE, action: 'Scheduling' });
  };

  function run(): void {
    scheduled = undefined;
    if (stopped || pending.size === 0) return;
    const keys = [...pending];
    pending.clear();
    const withPods = keys.some((key) => {
      const [ns, name] = key.split('/');
      const affinity = cache.get('pods', ns, name)?.spec?.affinity;
      return Boolean(affinity?.podAffinity || affinity?.podAntiAffinity);
    });
    const infos = nodeInfos(withPods);
    for (const key of keys) {
      const [ns, name] = key.split('/');
      const pod = cache.get('pods', ns, name);
      if (!pod || !wantsScheduling(pod)) continue;
      const request = podRequests(pod);
      const preFilter = volumePreFilter(pod, cache);
      if (preFilter) {
        unschedulable.add(key);
        safely(key, () => markUnschedulable(pod, unschedulableMessage(infos.map(() => [preFilter]), preFilter)));
        continue;
      }
      const failures: FitResult[] = [];
      let best: NodeInfo | undefined;
      let bestScore = -1;
      for (const info of infos) {
        const fit = fitNode(pod, info, request, infos);
        failures.push(fit);
        if (fit.reasons.length) continue;
        const score = leastRequestedScore(info, request);
        if (score > bestScore + 1e-12 || (Math.abs(score - bestScore) <= 1e-12 && best && info.requested.pods < best.requested.pods)) {
          best = info;
          bestScore = score;
        }
      }
      const chosen = best;
      safely(key, () => {
        if (chosen) {
          const bound = bind(pod, chosen);
          addUsage(chosen, request, bound);
        } else {
          unschedulable.add(key);
          markUnschedulable(pod, unschedulableMessage(failures));
        }
      });
    }
  }

  function safely(key: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      console.error(`kube-sim: scheduler failed on ${key}:`, error instanceof Error ? error.message : error);
    }
  }

  for (const pod of cache.list('pods')) if (wantsScheduling(pod)) pending.add(objectKey(pod));
  kick();
  const cancel = clock.every(RETRY_SECONDS, retryUnschedulable);
  return {
    stop: () => {
      stopped = true;
      cancel();
      if (scheduled) clearImmediate(scheduled);
    },
  };
}
