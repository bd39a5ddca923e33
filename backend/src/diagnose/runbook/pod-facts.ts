// Small pure readers over pod and event shapes, shared by the facts gathering and the rules.
import type { KubeObject } from '../../domain/kube.js';

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: { waiting?: { reason?: string; message?: string }; running?: { startedAt?: string }; terminated?: Terminated };
  lastState?: { terminated?: Terminated };
}

export interface Terminated {
  exitCode?: number;
  reason?: string;
  message?: string;
  finishedAt?: string;
  signal?: number;
}

export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0 || !labels) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function isUnschedulable(pod: KubeObject): boolean {
  return (
    pod.status?.phase === 'Pending' &&
    ((pod.status?.conditions as Array<{ type: string; status: string; reason?: string }>) ?? []).some(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    )
  );
}

/**
 * Every container status of a pod, init containers first, each marked; `sidecar` marks a native sidecar (an init
 * container with restartPolicy: Always), which keeps running beside the main containers instead of completing.
 */
export function statusesOf(pod: KubeObject): Array<ContainerStatus & { init: boolean; sidecar?: boolean }> {
  const sidecars = new Set(((pod.spec?.initContainers as Array<{ name: string; restartPolicy?: string }>) ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  return [
    ...((pod.status?.initContainerStatuses as ContainerStatus[]) ?? []).map((s) => ({ ...s, init: true, ...(sidecars.has(s.name) ? { sidecar: true } : {}) })),
    ...((pod.status?.containerStatuses as ContainerStatus[]) ?? []).map((s) => ({ ...s, init: false })),
  ];
}

/** The last termination of a container: the current state if terminated, else lastState. */
export function lastTermination(s: ContainerStatus): Terminated | undefined {
  return s.state?.terminated ?? s.lastState?.terminated;
}

export const involvedName = (e: KubeObject): string | undefined => (e.involvedObject as { name?: string } | undefined)?.name;
export const involvedKind = (e: KubeObject): string | undefined => (e.involvedObject as { kind?: string } | undefined)?.kind;
export const eventCount = (e: KubeObject): number => Number(e.count ?? (e.series as { count?: number } | undefined)?.count ?? 1);
export const eventTime = (e: KubeObject): string => String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');

/** Events with one of the reasons, newest first. */
export function eventsWith(events: KubeObject[] | undefined, reasons: string[], names?: Set<string | undefined>): KubeObject[] {
  return (events ?? [])
    .filter((e) => reasons.includes(String(e.reason)) && (!names || names.has(involvedName(e))))
    .sort((a, b) => eventTime(b).localeCompare(eventTime(a)));
}

/** A container that is failing now: waiting with a failure reason, or terminated non-zero and restarting. */
export function failingContainers(pods: KubeObject[]): Array<{ pod: KubeObject; status: ContainerStatus & { init: boolean; sidecar?: boolean } }> {
  const out: Array<{ pod: KubeObject; status: ContainerStatus & { init: boolean; sidecar?: boolean } }> = [];
  for (const pod of pods) {
    for (const s of statusesOf(pod)) {
      const waiting = s.state?.waiting?.reason;
      const bad = (waiting && waiting !== 'ContainerCreating' && waiting !== 'PodInitializing') || (s.state?.terminated && s.state.terminated.exitCode !== 0) || ((!s.init || s.sidecar) && (s.restartCount ?? 0) > 0 && !s.ready);
      if (bad) out.push({ pod, status: s });
    }
  }
  return out;
}
