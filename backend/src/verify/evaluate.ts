// Pure postcondition evaluation: cluster state in, "holds or not" plus a short observed summary out.
// The polling loop (verify-postconditions.ts) decides when to look; these decide what the state means.
import type { KubeObject } from '../domain/kube.js';

export interface Evaluation {
  ok: boolean;
  /** One line for the audit trail and the human: what was seen. */
  detail: string;
  observed: Record<string, unknown>;
  /** The state cannot get better by waiting (progress deadline exceeded, paused): fail now, not at the deadline. */
  terminal?: boolean;
}

/** Waiting reasons that mean a container will not come up on its own. */
export const BAD_WAITING_REASONS = ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'RunContainerError'];

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** observedGeneration ≥ generation, updated = ready = available = desired, nothing unavailable. */
export function evaluateRolloutComplete(deployment: KubeObject | undefined): Evaluation {
  if (!deployment) return { ok: false, detail: 'deployment not found', observed: { found: false } };
  const desired = deployment.spec?.replicas ?? 1;
  const s = deployment.status ?? {};
  const observed = {
    generation: num(deployment.metadata.generation),
    observedGeneration: num(s.observedGeneration),
    desired,
    updated: num(s.updatedReplicas),
    ready: num(s.readyReplicas),
    available: num(s.availableReplicas),
    unavailable: num(s.unavailableReplicas),
    total: num(s.replicas),
  };
  const problems: string[] = [];
  if (observed.observedGeneration < observed.generation) problems.push(`generation ${observed.generation} not observed yet (${observed.observedGeneration})`);
  if (observed.updated !== desired) problems.push(`${observed.updated}/${desired} updated`);
  if (observed.ready !== desired) problems.push(`${observed.ready}/${desired} ready`);
  if (observed.available !== desired) problems.push(`${observed.available}/${desired} available`);
  if (observed.unavailable > 0) problems.push(`${observed.unavailable} unavailable`);
  if (observed.total > desired) problems.push(`${observed.total - desired} old replicas still running`);
  if (problems.length && observed.observedGeneration >= observed.generation) {
    // As `kubectl rollout status`: once the controller has seen the current spec, these conditions are final.
    const conditions: Array<{ type?: string; status?: string; reason?: string; message?: string }> = s.conditions ?? [];
    const progressing = conditions.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return { ok: false, terminal: true, detail: `rollout failed: progress deadline exceeded (${problems.join(', ')})`, observed };
    }
    if (deployment.spec?.paused) return { ok: false, terminal: true, detail: `rollout cannot progress: the deployment is paused (${problems.join(', ')})`, observed };
  }
  return problems.length
    ? { ok: false, detail: `rollout not complete: ${problems.join(', ')}`, observed }
    : { ok: true, detail: `rollout complete: ${desired}/${desired} updated, ready and available`, observed };
}

export function isPodReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conditions: Array<{ type?: string; status?: string }> = pod.status?.conditions ?? [];
  return pod.status?.phase === 'Running' && conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** At least minReady pods of the selector are Ready (terminating pods do not count). */
export function evaluatePodsReady(pods: readonly KubeObject[], minReady: number): Evaluation {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter(isPodReady).length;
  const workloads = workloadsOf(live);
  const observed = { pods: live.length, ready, minReady, workloads };
  return ready >= minReady
    ? { ok: true, detail: `${ready} pods ready (need ${minReady})${sharedSelectorNote(workloads)}`, observed }
    : { ok: false, detail: `${ready}/${minReady} pods ready${sharedSelectorNote(workloads)}`, observed };
}

/** The deployment wants at least n replicas and has at least n ready. */
export function evaluateReplicasAtLeast(deployment: KubeObject | undefined, n: number): Evaluation {
  if (!deployment) return { ok: false, detail: 'deployment not found', observed: { found: false } };
  const desired = num(deployment.spec?.replicas ?? 1);
  const ready = num(deployment.status?.readyReplicas);
  const observed = { desired, ready, n };
  return desired >= n && ready >= n
    ? { ok: true, detail: `${ready} replicas ready (need ${n})`, observed }
    : { ok: false, detail: `desired ${desired}, ready ${ready}, need at least ${n}`, observed };
}

/** Restart counts per "pod/container", for the crash-loop window's baseline. */
export function restartCounts(pods: readonly KubeObject[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    for (const cs of containerStatuses(pod)) out[`${pod.metadata.name}/${cs.name}`] = num(cs.restartCount);
  }
  return out;
}

/**
 * No live pod is waiting for a bad reason, and no container restarted since the baseline.
 * A pod that appeared after the baseline counts every restart it has (they all happened inside the window).
 */
export function evaluateNoCrashLoop(baseline: Record<string, number>, pods: readonly KubeObject[]): Evaluation {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const waiting: string[] = [];
  const restarted: string[] = [];
  for (const pod of live) {
    for (const cs of containerStatuses(pod)) {
      const key = `${pod.metadata.name}/${cs.name}`;
      const reason = cs.state?.waiting?.reason;
      if (reason && BAD_WAITING_REASONS.includes(reason)) waiting.push(`${key}: ${reason}`);
      const before = baseline[key] ?? 0;
      if (num(cs.restartCount) > before) restarted.push(`${key}: restarts ${before}→${num(cs.restartCount)}`);
    }
  }
  const workloads = workloadsOf(live);
  const observed = { pods: live.length, waiting, restarted, workloads };
  if (waiting.length || restarted.length) {
    return { ok: false, detail: `crash loop: ${[...waiting, ...restarted].slice(0, 5).join('; ')}${sharedSelectorNote(workloads)}`, observed };
  }
  return { ok: true, detail: `${live.length} pods, no restarts and no failing containers${sharedSelectorNote(workloads)}`, observed };
}

/** The node exists and is cordoned: new pods are not scheduled on it (pods already there keep running). */
export function evaluateNodeCordoned(node: KubeObject | undefined): Evaluation {
  if (!node) return { ok: false, detail: 'node not found', observed: { found: false } };
  const unschedulable = Boolean(node.spec?.unschedulable);
  return unschedulable ? { ok: true, detail: 'node is cordoned (unschedulable)', observed: { unschedulable } } : { ok: false, detail: 'node is still schedulable', observed: { unschedulable } };
}

/**
 * The node exists, is Ready, is not cordoned, and carries none of the taints the node controllers put on a node that
 * must not get pods (not-ready, unreachable, pressure, unschedulable). A user's own taints (dedicated nodes) are fine.
 */
export function evaluateNodeSchedulable(node: KubeObject | undefined): Evaluation {
  if (!node) return { ok: false, detail: 'node not found', observed: { found: false } };
  const unschedulable = Boolean(node.spec?.unschedulable);
  const conditions: Array<{ type?: string; status?: string }> = node.status?.conditions ?? [];
  const ready = conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  const taints: Array<{ key?: string; effect?: string }> = node.spec?.taints ?? [];
  const blocking = taints.filter((t) => (t.key ?? '').startsWith('node.kubernetes.io/') && (t.effect === 'NoSchedule' || t.effect === 'NoExecute')).map((t) => `${t.key}:${t.effect}`);
  const observed = { unschedulable, ready, blockingTaints: blocking };
  if (unschedulable) return { ok: false, detail: 'node is cordoned (unschedulable)', observed };
  if (!ready) return { ok: false, detail: 'node is not Ready', observed };
  if (blocking.length) return { ok: false, detail: `node is tainted: ${blocking.join(', ')}`, observed };
  return { ok: true, detail: 'node is Ready and schedulable', observed };
}

/** The service's Endpoints object has at least one ready address. */
export function evaluateEndpointsReady(endpoints: KubeObject | undefined): Evaluation {
  if (!endpoints) return { ok: false, detail: 'no Endpoints object for the service', observed: { found: false } };
  const subsets: Array<{ addresses?: unknown[]; notReadyAddresses?: unknown[] }> = (endpoints.subsets as never) ?? [];
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  const observed = { ready, notReady };
  return ready > 0
    ? { ok: true, detail: `${ready} ready endpoint addresses`, observed }
    : { ok: false, detail: `no ready endpoint addresses (${notReady} not ready)`, observed };
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string } };
}

function containerStatuses(pod: KubeObject): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/**
 * The workloads owning the pods ("Deployment/web"): a Deployment's pods belong to its ReplicaSet "<name>-<pod-template-hash>".
 * A selector that spans several workloads still decides the verdict (it is the postcondition's contract), but the
 * human reading the verdict is told, since another workload's pods then count too.
 */
export function workloadsOf(pods: readonly KubeObject[]): string[] {
  const out = new Set<string>();
  for (const pod of pods) {
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller !== false);
    if (!owner?.kind || !owner.name) {
      out.add('(no controller)');
      continue;
    }
    const hash = pod.metadata.labels?.['pod-template-hash'];
    out.add(owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`) ? `Deployment/${owner.name.slice(0, -hash.length - 1)}` : `${owner.kind}/${owner.name}`);
  }
  return [...out].sort();
}

const sharedSelectorNote = (workloads: string[]) => (workloads.length > 1 ? ` (the selector matches pods of ${workloads.length} workloads: ${workloads.slice(0, 4).join(', ')})` : '');
