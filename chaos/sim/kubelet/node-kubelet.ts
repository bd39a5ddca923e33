// One simulated kubelet: drives the pods bound to its node through the start sequence, crashes, OOM kills,
// pull failures, probes and deletion, as specified in chaos/sim/SEMANTICS.md. What each container's process does
// comes from the program model (program/), with the sim annotations as an override.
import type { SimClock } from '../controllers/clock.js';
import type { EventRecorder, EventType } from '../events/event-recorder.js';
import type { SimObject } from '../store/types.js';
import { BACKOFF_RESET_SECONDS, crashLoopMessage, pullRetryDelaySeconds, restartDelaySeconds } from './backoff.js';
import type { Lookup } from './config-refs.js';
import { findEnvProblem, findVolumeProblem } from './config-refs.js';
import type { ContainerSpec } from './container-behaviour.js';
import { annotatedExitCode, failingProbes, isOomKilled } from './container-behaviour.js';
import type { ImageCatalog } from './image-catalog.js';
import { defaultPullPolicy, formatPullFailure, parseImageRef } from './image-catalog.js';
import type { ContainerRuntime, PodRuntime } from './pod-runtime.js';
import { imageIDFor, isoNow, newContainerID, newContainerRuntime } from './pod-runtime.js';
import { buildProgramContext } from './program/program-context.js';
import type { ProbeResult, ProbeSpec } from './program/probe-model.js';
import { evaluateProbe } from './program/probe-model.js';
import { runProgram } from './program/run-program.js';

export interface KubeletDeps {
  nodeName: string;
  /** 1-based node number: pod IPs are 10.244.<index>.x. */
  nodeIndex: number;
  clock: SimClock;
  recorder: EventRecorder;
  catalog: ImageCatalog;
  lookup: Lookup;
  /** The node's allocatable memory in MiB: a hog without a limit is OOM-killed there. */
  nodeMemoryMi: number;
  /** The sim's own log: what the program model could not interpret. */
  note(line: string): void;
  /** Called when a pod's status must be written at the next flush. */
  markDirty(rt: PodRuntime): void;
}

const PULL_SECONDS = 2;
const MOUNT_SECONDS = 1;
const CREATE_SECONDS = 1;
const RECHECK_SECONDS = 10;

/** The real runtime reports a container that never started as started at the Unix epoch. */
const NEVER_STARTED = '1970-01-01T00:00:00Z';

/** The kubelet of one node. All methods are called off the store's call stack. */
export class NodeKubelet {
  readonly pods = new Map<string, PodRuntime>();
  readonly images = new Set<string>();
  private readonly freeIPs: number[] = [];
  private nextIP = 2;

  constructor(private readonly deps: KubeletDeps) {}

  /** A pod bound to this node was added or changed. */
  syncPod(pod: SimObject): void {
    const uid = pod.metadata.uid;
    let rt = this.pods.get(uid);
    if (!rt) {
      if (pod.metadata.deletionTimestamp || ['Succeeded', 'Failed'].includes(pod.status?.phase)) {
        if (pod.metadata.deletionTimestamp) this.admit(pod).deleting = true;
        return;
      }
      rt = this.admit(pod);
    }
    rt.pod = pod;
    if (pod.metadata.deletionTimestamp && !rt.deleting) return this.startDeletion(rt);
    for (const spec of (pod.spec?.containers ?? []) as ContainerSpec[]) {
      const c = rt.containers.find((x) => x.name === spec.name);
      if (c && spec.image && spec.image !== c.image) this.changeImage(rt, c, spec);
    }
  }

  /** The pod is gone from the store. */
  forget(uid: string): void {
    const rt = this.pods.get(uid);
    if (!rt) return;
    rt.removed = true;
    this.pods.delete(uid);
    this.releaseIP(rt.podIP);
  }

  releaseIP(ip: string | undefined): void {
    const prefix = `10.244.${this.deps.nodeIndex}.`;
    if (ip?.startsWith(prefix)) this.freeIPs.push(Number(ip.slice(prefix.length)));
  }

  private admit(pod: SimObject): PodRuntime {
    const inits = (pod.spec?.initContainers ?? []) as ContainerSpec[];
    const waiting = inits.length > 0 ? 'PodInitializing' : 'ContainerCreating';
    const rt: PodRuntime = {
      uid: pod.metadata.uid,
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name,
      pod,
      inits: inits.map((s) => newContainerRuntime(s, true, 'PodInitializing')),
      containers: ((pod.spec?.containers ?? []) as ContainerSpec[]).map((s) => newContainerRuntime(s, false, waiting)),
      stage: 'mounting',
      startTime: isoNow(this.deps.clock.now()),
      transitions: new Map(),
      deleting: false,
      removed: false,
      overwritten: false,
    };
    this.pods.set(rt.uid, rt);
    this.deps.markDirty(rt);
    this.later(rt, undefined, MOUNT_SECONDS, () => this.mount(rt));
    return rt;
  }

  private event(rt: PodRuntime, c: ContainerRuntime | undefined, type: EventType, reason: string, message: string): void {
    const fieldPath = c ? `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}` : undefined;
    this.deps.recorder.record(rt.pod, type, reason, message, { component: 'kubelet', host: this.deps.nodeName }, fieldPath);
  }

  /** Runs `fn` after `seconds` unless the pod is gone or the container changed course meanwhile. */
  private later(rt: PodRuntime, c: ContainerRuntime | undefined, seconds: number, fn: () => void): void {
    const generation = c?.generation;
    this.deps.clock.after(seconds, () => {
      if (rt.removed || rt.deleting || (c && c.generation !== generation)) return;
      fn();
      this.deps.markDirty(rt);
    });
  }

  private mount(rt: PodRuntime): void {
    const problem = findVolumeProblem(rt.pod.spec?.volumes, rt.namespace, this.deps.lookup);
    if (problem) {
      this.event(rt, undefined, 'Warning', 'FailedMount', problem.message);
      this.later(rt, undefined, RECHECK_SECONDS, () => this.mount(rt));
      return;
    }
    rt.podIP = rt.pod.spec?.hostNetwork ? '127.0.0.1' : this.allocateIP();
    if (rt.inits.length > 0) {
      rt.stage = 'init';
      this.startContainer(rt, rt.inits[0]);
    } else this.startMain(rt);
  }

  private allocateIP(): string {
    const host = this.freeIPs.shift() ?? this.nextIP++;
    return `10.244.${this.deps.nodeIndex}.${host}`;
  }

  private startMain(rt: PodRuntime): void {
    rt.stage = 'main';
    for (const c of rt.containers) this.startContainer(rt, c);
  }

  private startContainer(rt: PodRuntime, c: ContainerRuntime): void {
    c.generation++;
    const image = c.image;
    const ref = parseImageRef(image);
    const policy = (c.spec.imagePullPolicy as string | undefined) ?? defaultPullPolicy(image);
    const present = this.images.has(ref.canonical);
    if (policy === 'Never' && !present) {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.setWaiting(c, 'ErrImageNeverPull', message);
      this.event(rt, c, 'Warning', 'ErrImageNeverPull', message);
      this.deps.markDirty(rt);
      return;
    }
    if (policy !== 'Always' && present) {
      this.event(rt, c, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      this.createContainer(rt, c);
      return;
    }
    this.event(rt, c, 'Normal', 'Pulling', `Pulling image "${image}"`);
    this.later(rt, c, PULL_SECONDS, () => this.finishPull(rt, c));
  }

  private finishPull(rt: PodRuntime, c: ContainerRuntime): void {
    const result = this.deps.catalog.pull(c.image);
    if (result.ok) {
      const canonical = parseImageRef(c.image).canonical;
      this.images.add(canonical);
      c.imageID = imageIDFor(canonical);
      c.pullStep = 0;
      this.event(rt, c, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in 1.9s (1.9s including waiting)`);
      this.createContainer(rt, c);
      return;
    }
    this.event(rt, c, 'Warning', 'Failed', formatPullFailure(c.image, result));
    this.event(rt, c, 'Warning', 'Failed', 'Error: ErrImagePull');
    this.setWaiting(c, 'ErrImagePull', `rpc error: code = ${result.code} desc = ${result.message}`);
    this.later(rt, c, PULL_SECONDS, () => {
      const message = `Back-off pulling image "${c.image}"`;
      this.setWaiting(c, 'ImagePullBackOff', message);
      this.event(rt, c, 'Normal', 'BackOff', message);
      this.later(rt, c, pullRetryDelaySeconds(c.pullStep++), () => this.startContainer(rt, c));
    });
  }

  private createContainer(rt: PodRuntime, c: ContainerRuntime): void {
    const problem = findEnvProblem(c.spec as { env?: unknown[]; envFrom?: unknown[] }, rt.namespace, this.deps.lookup);
    if (problem) {
      this.setWaiting(c, 'CreateContainerConfigError', problem);
      this.event(rt, c, 'Warning', 'Failed', `Error: ${problem}`);
      this.deps.markDirty(rt);
      this.later(rt, c, RECHECK_SECONDS, () => this.createContainer(rt, c));
      return;
    }
    this.later(rt, c, CREATE_SECONDS, () => this.runContainer(rt, c));
  }

  private setWaiting(c: ContainerRuntime, reason: string, message?: string): void {
    if ('terminated' in c.state) {
      c.lastRun = c.state.terminated;
      c.lastState = { terminated: c.state.terminated };
    }
    c.state = { waiting: message ? { reason, message } : { reason } };
    c.ready = false;
    c.started = false;
  }

  private runContainer(rt: PodRuntime, c: ContainerRuntime): void {
    const now = this.deps.clock.now();
    if (c.hasRun) {
      c.restartCount++;
      if (c.lastRun) c.lastState = { terminated: c.lastRun };
    }
    c.hasRun = true;
    c.containerID = newContainerID();
    if (!c.imageID) c.imageID = imageIDFor(parseImageRef(c.image).canonical);
    c.previousLogs = c.run ? c.logs : undefined;
    const context = buildProgramContext(c.spec, rt.pod.spec, rt.name, this.deps.nodeMemoryMi);
    const run = runProgram(c.spec, context);
    c.context = context;
    c.run = run;
    c.logs = run.logs;
    if (run.uninterpreted) this.deps.note(`pod ${rt.namespace}/${rt.name} container ${c.name}: the program model cannot interpret ${run.uninterpreted}; the container runs as an opaque process`);
    this.event(rt, c, 'Normal', 'Created', `Created container ${c.name}`);
    if (run.exit?.reason === 'StartError') {
      this.event(rt, c, 'Warning', 'Failed', `Error: ${run.exit.message}`);
      c.state = { running: { startedAt: NEVER_STARTED } };
      // It never ran: the back-off must keep growing, not reset as after a long run.
      c.runningSinceMs = now;
      this.terminate(rt, c, run.exit.code, 'StartError', run.exit.message);
      return;
    }
    c.state = { running: { startedAt: isoNow(now) } };
    c.started = true;
    c.ready = false;
    c.runningSinceMs = now;
    c.livenessFailures = 0;
    c.readinessFailures = 0;
    this.event(rt, c, 'Normal', 'Started', `Started container ${c.name}`);
    const annotations = rt.pod.metadata.annotations;
    const forcedExit = annotatedExitCode(c.name, annotations);
    if (forcedExit !== undefined) {
      this.later(rt, c, 1, () => this.terminate(rt, c, forcedExit, forcedExit === 0 ? 'Completed' : 'Error'));
    } else if (run.exit) {
      const { code, reason, afterSeconds } = run.exit;
      this.later(rt, c, afterSeconds, () => (reason === 'OOMKilled' ? this.oomKill(rt, c) : this.terminate(rt, c, code, reason)));
    } else if (c.init && run.uninterpreted) {
      // Before the program model every init container completed after 1 s; an opaque one still does.
      this.later(rt, c, 1, () => this.terminate(rt, c, 0, 'Completed'));
    }
    if (isOomKilled(c.spec, annotations)) this.later(rt, c, 2, () => this.oomKill(rt, c));
    if (c.init) return;
    const readiness = (c.spec.readinessProbe ?? {}) as ProbeSpec;
    this.later(rt, c, Math.max(1, readiness.initialDelaySeconds ?? 0), () => this.probeReadiness(rt, c, readiness));
    const liveness = (c.spec.livenessProbe ?? {}) as ProbeSpec;
    this.later(rt, c, (liveness.initialDelaySeconds ?? 0) + (liveness.periodSeconds ?? 10), () => this.probeLiveness(rt, c, liveness));
  }

  private oomKill(rt: PodRuntime, c: ContainerRuntime): void {
    this.event(rt, c, 'Warning', 'OOMKilling', `Memory cgroup out of memory: Killed process (${c.name}) in pod ${rt.namespace}/${rt.name}`);
    this.terminate(rt, c, 137, 'OOMKilled');
  }

  /** One probe run: the annotation forces a failure; otherwise the program model answers (undeclared: success). */
  private runProbe(rt: PodRuntime, c: ContainerRuntime, kind: 'readiness' | 'liveness'): ProbeResult {
    if (failingProbes(c.name, rt.pod.metadata.annotations)[kind]) return { ok: false, output: 'HTTP probe failed with statuscode: 500' };
    const probe = c.spec[`${kind}Probe`] as ProbeSpec | undefined;
    if (!probe || !c.run || !c.context) return { ok: true };
    return evaluateProbe(probe, c.run, c.spec, c.context, rt.podIP ?? '127.0.0.1');
  }

  private probeEvent(rt: PodRuntime, c: ContainerRuntime, kind: 'Readiness' | 'Liveness', result: Extract<ProbeResult, { ok: false }>): void {
    this.event(rt, c, 'Warning', 'Unhealthy', `${kind} probe ${result.errored ? 'errored' : 'failed'}: ${result.output.replace(/\n$/, '')}`);
  }

  private probeReadiness(rt: PodRuntime, c: ContainerRuntime, probe: ProbeSpec): void {
    const result = this.runProbe(rt, c, 'readiness');
    if (result.ok) {
      c.readinessFailures = 0;
      c.ready = true;
    } else {
      c.readinessFailures++;
      // A ready container turns unready only after failureThreshold consecutive failures.
      if (!c.ready || c.readinessFailures >= (probe.failureThreshold ?? 3)) c.ready = false;
      this.probeEvent(rt, c, 'Readiness', result);
    }
    this.later(rt, c, probe.periodSeconds ?? 10, () => this.probeReadiness(rt, c, probe));
  }

  private probeLiveness(rt: PodRuntime, c: ContainerRuntime, probe: ProbeSpec): void {
    const result = this.runProbe(rt, c, 'liveness');
    if (result.ok) {
      c.livenessFailures = 0;
    } else {
      c.livenessFailures++;
      this.probeEvent(rt, c, 'Liveness', result);
      if (c.livenessFailures >= (probe.failureThreshold ?? 3)) {
        this.event(rt, c, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
        this.terminate(rt, c, 137, 'Error');
        return;
      }
    }
    this.later(rt, c, probe.periodSeconds ?? 10, () => this.probeLiveness(rt, c, probe));
  }

  private terminate(rt: PodRuntime, c: ContainerRuntime, exitCode: number, reason: string, message?: string): void {
    c.generation++;
    const startedAt = 'running' in c.state ? c.state.running.startedAt : isoNow(this.deps.clock.now());
    const finishedAt = isoNow(this.deps.clock.now());
    c.state = { terminated: message ? { exitCode, reason, message, startedAt, finishedAt, containerID: c.containerID } : { exitCode, reason, startedAt, finishedAt, containerID: c.containerID } };
    c.lastRun = c.state.terminated;
    c.ready = false;
    c.started = false;
    this.deps.markDirty(rt);
    const policy = rt.pod.spec?.restartPolicy ?? 'Always';
    if (c.init) {
      if (exitCode === 0) {
        const next = rt.inits[rt.inits.indexOf(c) + 1];
        if (next) this.startContainer(rt, next);
        else this.startMain(rt);
      } else if (policy !== 'Never') this.scheduleRestart(rt, c);
      return;
    }
    if (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0)) this.scheduleRestart(rt, c);
  }

  private scheduleRestart(rt: PodRuntime, c: ContainerRuntime): void {
    const ranSeconds = ((this.deps.clock.now() - (c.runningSinceMs ?? 0)) * this.deps.clock.speed) / 1000;
    if (ranSeconds >= BACKOFF_RESET_SECONDS) c.backoffStep = 0;
    const delay = restartDelaySeconds(c.backoffStep++);
    if (delay === 0) {
      this.startContainer(rt, c);
      return;
    }
    this.setWaiting(c, 'CrashLoopBackOff', crashLoopMessage(delay, c.name, rt));
    this.event(rt, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${rt.name}_${rt.namespace}(${rt.uid})`);
    const generation = c.generation;
    this.later(rt, c, delay, () => {
      if (c.generation === generation) this.startContainer(rt, c);
    });
  }

  private changeImage(rt: PodRuntime, c: ContainerRuntime, spec: ContainerSpec): void {
    c.spec = spec;
    c.image = spec.image ?? c.image;
    c.imageID = '';
    c.pullStep = 0;
    if (rt.stage !== 'main') return;
    this.event(rt, c, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
    if ('running' in c.state) {
      c.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: c.state.running.startedAt, finishedAt: isoNow(this.deps.clock.now()), containerID: c.containerID } };
      c.lastRun = c.state.terminated;
    }
    c.ready = false;
    this.startContainer(rt, c);
    this.deps.markDirty(rt);
  }

  private startDeletion(rt: PodRuntime): void {
    rt.deleting = true;
    const now = isoNow(this.deps.clock.now());
    for (const c of [...rt.inits, ...rt.containers]) {
      c.generation++;
      if ('running' in c.state) {
        this.event(rt, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
        c.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: c.state.running.startedAt, finishedAt: now, containerID: c.containerID } };
      }
      c.ready = false;
      c.started = false;
    }
    this.deps.markDirty(rt);
  }
}
