import type { KubeObject } from '../domain/kube.js';
import { ageSeconds, cleanMessage, summariseConditions, summariseEnv, summariseEnvFrom } from './format.js';

type Json = Record<string, unknown>;

function stateOf(state: Json | undefined): Json | undefined {
  if (!state) return undefined;
  const waiting = state.waiting as Json | undefined;
  if (waiting) return { waiting: { reason: waiting.reason, message: cleanMessage(waiting.message, 200) } };
  const terminated = state.terminated as Json | undefined;
  if (terminated) {
    return {
      terminated: {
        reason: terminated.reason,
        exitCode: terminated.exitCode,
        finishedAt: terminated.finishedAt,
        ...(terminated.message ? { message: cleanMessage(terminated.message, 200) } : {}),
      },
    };
  }
  const running = state.running as Json | undefined;
  if (running) return { running: { startedAt: running.startedAt } };
  return undefined;
}

/** Short status of every container: the one thing that explains most pod failures. */
export function summariseContainerStatuses(pod: KubeObject): Json[] {
  const statuses = [...((pod.status?.initContainerStatuses as Json[]) ?? []), ...((pod.status?.containerStatuses as Json[]) ?? [])];
  return statuses.map((s) => ({
    name: s.name,
    ready: s.ready,
    restartCount: s.restartCount,
    image: s.image,
    state: stateOf(s.state as Json),
    ...(s.lastState && Object.keys(s.lastState as Json).length ? { lastState: stateOf(s.lastState as Json) } : {}),
  }));
}

/** The first waiting/terminated reason worth showing (CrashLoopBackOff, OOMKilled, ImagePullBackOff…). */
export function podReason(pod: KubeObject): string | undefined {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  for (const s of (pod.status?.containerStatuses as Json[]) ?? []) {
    const state = s.state as Json | undefined;
    const waiting = state?.waiting as Json | undefined;
    if (waiting?.reason) return String(waiting.reason);
    const terminated = state?.terminated as Json | undefined;
    if (terminated?.reason) return String(terminated.reason);
  }
  const crash = recentCrashReason(pod);
  if (crash) return crash;
  const unschedulable = ((pod.status?.conditions as Json[]) ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) return String(unschedulable.reason ?? 'Unschedulable');
  return pod.status?.reason as string | undefined;
}

/** The kubelet resets a container's crash back-off after it has run this long; a failure older than that is history. */
export const RECENT_CRASH_SECONDS = 600;

/**
 * The reason a restarted container's previous run failed (Error, OOMKilled…) when that run ended within
 * RECENT_CRASH_SECONDS. A crash-looping container is Running for a moment between back-offs, and a snapshot taken
 * then must still read as a crash loop, not as a healthy pod.
 */
export function recentCrashReason(pod: KubeObject, now = Date.now()): string | undefined {
  // Under restartPolicy Always (every Deployment pod) a container that exits 0 is restarted with the same back-off:
  // "Completed" then CrashLoopBackOff is a crash loop too.
  const exitZeroIsCrash = (pod.spec?.restartPolicy ?? 'Always') === 'Always';
  for (const s of (pod.status?.containerStatuses as Json[]) ?? []) {
    if (!(Number(s.restartCount) > 0)) continue;
    const last = (s.lastState as Json | undefined)?.terminated as Json | undefined;
    if (!last || (Number(last.exitCode ?? 0) === 0 && !exitZeroIsCrash)) continue;
    const age = ageSeconds(last.finishedAt, now);
    if (age !== undefined && age <= RECENT_CRASH_SECONDS) return String(last.reason ?? 'Error');
  }
  return undefined;
}

export function restartCountOf(pod: KubeObject): number {
  return ((pod.status?.containerStatuses as Json[]) ?? []).reduce((n, s) => n + (Number(s.restartCount) || 0), 0);
}

/**
 * A pod is healthy when it is Running with every container ready and no container failed in the last
 * RECENT_CRASH_SECONDS, or it Succeeded.
 */
export function isPodHealthy(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return true;
  if (phase !== 'Running' || pod.metadata.deletionTimestamp) return false;
  const statuses = (pod.status?.containerStatuses as Json[]) ?? [];
  return statuses.length > 0 && statuses.every((s) => s.ready === true) && !recentCrashReason(pod);
}

/** One line per pod for lists. */
export function summarisePodBrief(pod: KubeObject, now = Date.now()): Json {
  const statuses = (pod.status?.containerStatuses as Json[]) ?? [];
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace,
    phase: pod.status?.phase,
    ready: `${statuses.filter((s) => s.ready).length}/${(pod.spec?.containers as unknown[])?.length ?? statuses.length}`,
    restarts: restartCountOf(pod),
    reason: podReason(pod),
    node: pod.spec?.nodeName,
    ageSeconds: ageSeconds(pod.metadata.creationTimestamp, now),
  };
}

/** The detailed, bounded view of one pod for get_pod_status. */
export function summarisePodDetail(pod: KubeObject, now = Date.now()): Json {
  const containers = ((pod.spec?.containers as Json[]) ?? []).map((c) => ({
    name: c.name,
    image: c.image,
    resources: c.resources,
    env: summariseEnv(c.env),
    envFrom: summariseEnvFrom(c.envFrom),
    readinessProbe: c.readinessProbe ? describeProbe(c.readinessProbe as Json) : undefined,
    livenessProbe: c.livenessProbe ? describeProbe(c.livenessProbe as Json) : undefined,
  }));
  return {
    ...summarisePodBrief(pod, now),
    owner: pod.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`).join(',') || undefined,
    labels: pod.metadata.labels,
    conditions: summariseConditions(pod.status?.conditions),
    containerStatuses: summariseContainerStatuses(pod),
    containers,
    message: cleanMessage(pod.status?.message),
  };
}

function describeProbe(probe: Json): string {
  const http = probe.httpGet as Json | undefined;
  const tcp = probe.tcpSocket as Json | undefined;
  const kind = http ? `http GET :${String(http.port)}${String(http.path ?? '/')}` : tcp ? `tcp :${String(tcp.port)}` : probe.exec ? 'exec' : 'probe';
  return `${kind} period=${String(probe.periodSeconds ?? 10)}s failureThreshold=${String(probe.failureThreshold ?? 3)}`;
}
