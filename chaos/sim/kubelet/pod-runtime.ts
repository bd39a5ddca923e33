// The kubelet's in-memory view of one pod's containers, and the pod status it reports from that view.
import { createHash } from 'node:crypto';
import type { SimObject } from '../store/types.js';
import type { ContainerSpec } from './container-behaviour.js';
import { getPodPhase } from './pod-phase.js';
import type { ProgramContext } from './program/program-context.js';
import type { ProgramRun } from './program/run-program.js';

export interface TerminatedState {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID?: string;
}

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: TerminatedState };

export interface ContainerRuntime {
  name: string;
  init: boolean;
  spec: ContainerSpec;
  image: string;
  state: ContainerState;
  lastState: { terminated?: TerminatedState };
  /** The run that ended most recently; becomes lastState when the next run starts (or back-off begins). */
  lastRun?: TerminatedState;
  restartCount: number;
  ready: boolean;
  started: boolean;
  hasRun: boolean;
  containerID?: string;
  imageID: string;
  runningSinceMs?: number;
  backoffStep: number;
  pullStep: number;
  livenessFailures: number;
  readinessFailures: number;
  /** What the program model says the current run does (undefined before the first start). */
  run?: ProgramRun;
  /** The program context of the current run (exec probes run in it). */
  context?: ProgramContext;
  /** Log lines of the current run and of the previous one (`kubectl logs --previous`). */
  logs: string[];
  previousLogs?: string[];
  /** Bumped whenever the container changes course; timers scheduled under an older generation do nothing. */
  generation: number;
}

export interface PodRuntime {
  uid: string;
  namespace: string;
  name: string;
  pod: SimObject;
  inits: ContainerRuntime[];
  containers: ContainerRuntime[];
  stage: 'mounting' | 'init' | 'main';
  podIP?: string;
  startTime: string;
  transitions: Map<string, { status: string; at: string }>;
  deleting: boolean;
  removed: boolean;
  /** Someone else (node lifecycle controller) rewrote our status: write ours back at the next sync. */
  overwritten: boolean;
}

export const isoNow = (ms: number = Date.now()): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function newContainerRuntime(spec: ContainerSpec, init: boolean, waitingReason: string): ContainerRuntime {
  return {
    name: spec.name,
    init,
    spec,
    image: spec.image ?? '',
    state: { waiting: { reason: waitingReason } },
    lastState: {},
    restartCount: 0,
    ready: false,
    started: false,
    hasRun: false,
    imageID: '',
    backoffStep: 0,
    pullStep: 0,
    livenessFailures: 0,
    readinessFailures: 0,
    logs: [],
    generation: 0,
  };
}

export function newContainerID(): string {
  return `containerd://${createHash('sha256').update(`${Math.random()}:${process.hrtime.bigint()}`).digest('hex')}`;
}

export function imageIDFor(canonical: string): string {
  const repo = canonical.replace(/[:@].*$/, '');
  return `${repo}@sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

function containerStatus(c: ContainerRuntime): Record<string, unknown> {
  const status: Record<string, unknown> = {
    name: c.name,
    state: c.state,
    lastState: c.lastState,
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageID,
  };
  if (c.containerID) status.containerID = c.containerID;
  status.started = c.started;
  return status;
}

function qosClass(pod: SimObject): string {
  const containers = (pod.spec?.containers ?? []) as ContainerSpec[];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (!lim[r] || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The full pod status the kubelet reports for `rt`, keeping the scheduler's PodScheduled condition. */
export function buildPodStatus(rt: PodRuntime, current: SimObject, hostIP: string, now: number): Record<string, unknown> {
  const old = (current.status ?? {}) as Record<string, unknown>;
  const initsDone = rt.inits.filter((c) => !('terminated' in c.state && c.state.terminated.exitCode === 0));
  const unready = rt.containers.filter((c) => !c.ready || rt.deleting);
  const phase = getPodPhase(
    rt.pod.spec?.restartPolicy,
    rt.inits.map(containerStatus),
    rt.containers.map(containerStatus),
    rt.containers.length,
  );
  const at = isoNow(now);
  const condition = (type: string, ok: boolean, reason?: string, message?: string): Record<string, unknown> => {
    const status = ok ? 'True' : 'False';
    const prev = rt.transitions.get(type);
    const since = prev && prev.status === status ? prev.at : at;
    rt.transitions.set(type, { status, at: since });
    const c: Record<string, unknown> = { type, status, lastProbeTime: null, lastTransitionTime: since };
    if (!ok && reason) {
      c.reason = reason;
      c.message = message;
    }
    return c;
  };
  const names = (list: ContainerRuntime[]): string => `[${list.map((c) => c.name).join(' ')}]`;
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const readyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = terminal ? undefined : `containers with unready status: ${names(unready)}`;
  const conditions = [
    condition('PodReadyToStartContainers', Boolean(rt.podIP) && !terminal),
    condition('Initialized', initsDone.length === 0, terminal ? 'PodCompleted' : 'ContainersNotInitialized', terminal ? undefined : `containers with incomplete status: ${names(initsDone)}`),
    condition('Ready', unready.length === 0, readyReason, readyMessage),
    condition('ContainersReady', unready.length === 0, readyReason, readyMessage),
  ];
  const scheduled = (old.conditions as Array<{ type: string }> | undefined)?.find((c) => c.type === 'PodScheduled');
  if (scheduled) conditions.push(scheduled as Record<string, unknown>);
  // Keys in the order the real kubelet's status serialises them.
  const status: Record<string, unknown> = { phase, conditions, hostIP, hostIPs: [{ ip: hostIP }] };
  if (rt.podIP) {
    status.podIP = rt.podIP;
    status.podIPs = [{ ip: rt.podIP }];
  }
  status.startTime = rt.startTime;
  if (rt.inits.length > 0) status.initContainerStatuses = rt.inits.map(containerStatus);
  status.containerStatuses = rt.containers.map(containerStatus);
  status.qosClass = old.qosClass ?? qosClass(rt.pod);
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}
