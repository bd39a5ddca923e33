// node-lifecycle-controller + taint eviction: a node whose kubelet stops renewing its lease for 40 s (cluster) goes
// Unknown; NotReady/Unknown nodes get not-ready/unreachable taints, their pods are marked not Ready, and pods are
// evicted once their NoExecute tolerations run out (300 s by default), as in the real controller-manager.
import type { NodeHealth } from '../kubelet/node-status.js';
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, isoTime } from './controller-context.js';
import { deleteObject } from './pod-helpers.js';
import { readyStatus, tolerates } from './scheduler-fit.js';
import { errorCode, unconditional } from './sim-object.js';

const COMPONENT = 'node-controller';
export const NODE_MONITOR_GRACE_SECONDS = 40;
const MONITOR_PERIOD_SECONDS = 2;
const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** The taints a node should carry for its Ready status (others untouched). */
export function desiredTaints(node: SimObject, at: string): Taint[] {
  const others = ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.key !== NOT_READY && t.key !== UNREACHABLE);
  const ready = readyStatus(node);
  if (ready === 'True') return others;
  const key = ready === 'False' ? NOT_READY : UNREACHABLE;
  const existing = ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.key === key);
  const keep = (effect: string): Taint => existing.find((t) => t.effect === effect) ?? { key, effect, timeAdded: at };
  const noSchedule = keep('NoSchedule');
  delete noSchedule.timeAdded;
  return [...others, noSchedule, keep('NoExecute')];
}

/**
 * When a pod on a node with these NoExecute taints must go: 'now', a real-ms timestamp, or undefined (never).
 */
export function evictionDue(taints: Taint[], tolerations: Toleration[] | undefined, toRealMs: (s: number) => number): 'now' | number | undefined {
  let due: number | undefined;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const matching = (tolerations ?? []).filter((t) => tolerates([t], taint));
    if (matching.length === 0) return 'now';
    const seconds = matching.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
    if (seconds.length === 0) continue;
    const at = (Date.parse(taint.timeAdded ?? '') || Date.now()) + toRealMs(Math.max(0, Math.min(...seconds)));
    due = due === undefined ? at : Math.min(due, at);
  }
  return due;
}

export function startNodeLifecycleController(ctx: ControllerContext, health: NodeHealth): Controller {
  const { store, cache, clock } = ctx;
  cache.addIndex('pods', 'node', (p) => (p.spec?.nodeName ? [p.spec.nodeName as string] : []));
  const lastReady = new Map<string, string>();
  // The node lifecycle controller announces every node it starts tracking (as a real v1.26 control plane does in `kubectl get events --sort-by`).
  const registered = new Set<string>();

  // A node's grace runs from its last renewal, but never from before the controller last resumed: a pass that comes
  // late (the process stalled: a long GC, a busy shared CPU) could not see the renewals the kubelets could not make
  // either, so every node gets a fresh grace from then, as the real controller grants one when it starts. At speed 20
  // the 40 s grace is 2 real seconds: without this, any 2 s stall of the event loop flapped every node to Unknown.
  let lastPass = clock.now();
  let resumedAt = lastPass;
  const monitor = (): void => {
    const now = clock.now();
    const at = isoTime(now);
    if (now - lastPass > clock.toRealMs(NODE_MONITOR_GRACE_SECONDS) / 2) resumedAt = now;
    lastPass = now;
    for (let node of cache.list('nodes')) {
      const name = node.metadata.name;
      try {
        if (!registered.has(node.metadata.uid)) {
          registered.add(node.metadata.uid);
          controllerEvent(ctx, COMPONENT, node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
        }
        const renewed = health.get(name);
        if (renewed !== undefined && now - Math.max(renewed, resumedAt) > clock.toRealMs(NODE_MONITOR_GRACE_SECONDS) && readyStatus(node) !== 'Unknown') {
          const conditions = ((node.status?.conditions ?? []) as Array<Record<string, unknown>>).map((c) => ({
            ...c,
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
            lastTransitionTime: at,
          }));
          node = store.updateStatus('nodes', unconditional(node, { status: { ...node.status, conditions } }), { skipAdmission: true });
        }
        const ready = readyStatus(node);
        const taints = desiredTaints(node, at);
        if (JSON.stringify(taints) !== JSON.stringify(node.spec?.taints ?? [])) {
          // Conditional on the node as read: a taint or cordon written meanwhile (kubectl) wins, and the next pass
          // recomputes from it, instead of a stale copy putting back a taint a person just removed.
          const spec = { ...node.spec, taints: taints.length ? taints : undefined };
          try {
            node = store.update('nodes', { ...node, spec } as SimObject, { skipAdmission: true });
          } catch (error) {
            if (errorCode(error) !== 409) throw error;
            continue;
          }
        }
        const previous = lastReady.get(name) ?? 'True';
        lastReady.set(name, ready);
        const pods = cache.byIndex('pods', 'node', name);
        if (ready !== 'True' && previous === 'True') {
          controllerEvent(ctx, COMPONENT, node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
          for (const pod of pods) markPodNotReady(pod, at);
        }
        evict(node, pods, now);
      } catch (error) {
        if (errorCode(error) !== 404) console.error(`kube-sim: node lifecycle on ${name} failed:`, error instanceof Error ? error.message : error);
      }
    }
  };

  const markPodNotReady = (pod: SimObject, at: string): void => {
    const conditions = (pod.status?.conditions ?? []) as Array<Record<string, unknown>>;
    if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: at } : c));
    store.updateStatus('pods', unconditional(pod, { status: { ...pod.status, conditions: next } }), { skipAdmission: true });
  };

  const evict = (node: SimObject, pods: SimObject[], now: number): void => {
    const taints = (node.spec?.taints ?? []) as Taint[];
    if (!taints.some((t) => t.effect === 'NoExecute')) return;
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const due = evictionDue(taints, pod.spec?.tolerations, clock.toRealMs);
      if (due === undefined || (due !== 'now' && due > now)) continue;
      controllerEvent(ctx, 'taint-eviction-controller', pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
      deleteObject(store, 'pods', pod);
    }
  };

  const cancel = clock.every(MONITOR_PERIOD_SECONDS, monitor);
  // React to a patched node status without waiting for the next period.
  let pending: NodeJS.Immediate | undefined;
  cache.on('nodes', () => {
    if (!pending) pending = setImmediate(() => ((pending = undefined), monitor()));
  });
  return {
    stop: () => {
      cancel();
      if (pending) clearImmediate(pending);
    },
  };
}
