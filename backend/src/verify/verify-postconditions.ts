// The polling loop around the pure evaluations: look, wait, look again, until every postcondition holds or the
// deadline passes. Bounded by the deadline and the abort signal; a read error is retried until the deadline, and a
// deadline reached while the reads fail is inconclusive, never a failure (read-outage.ts).
import type { Verdict } from '../domain/decision.js';
import type { KubeObject } from '../domain/kube.js';
import type { Clock, ClusterReader } from '../domain/ports.js';
import type { Postcondition } from '../domain/proposal.js';
import {
  evaluateEndpointsReady,
  evaluateNoCrashLoop,
  evaluateNodeCordoned,
  evaluateNodeSchedulable,
  evaluatePodsReady,
  evaluateReplicasAtLeast,
  evaluateRolloutComplete,
  restartCounts,
  type Evaluation,
} from './evaluate.js';
import { concludeAtDeadline, noteRead, type ReadOutage } from './read-outage.js';

export interface VerifyDeps {
  reader: ClusterReader;
  clock: Clock;
  signal?: AbortSignal;
  /** Told how a wait is going ("noCrashLoop: 12 s of 30 s, 2/2 ready, 0 restarts"), at most every PROGRESS_EVERY_MS. */
  progress?: (message: string) => void;
}

/** Often enough that a watcher sees the wait move, rarely enough not to flood the log at VERIFY_POLL_MS. */
export const PROGRESS_EVERY_MS = 5_000;

export interface VerifyOptions {
  /** VERIFY_DEADLINE_SECONDS, in ms: for all the action's postconditions together. */
  deadlineMs: number;
  /** VERIFY_POLL_MS */
  pollMs: number;
  /** NO_CRASHLOOP_WINDOW_SECONDS in ms: used when a noCrashLoop postcondition gives no window. */
  crashLoopWindowMs: number;
}

type Checkable = Exclude<Postcondition, { type: 'none' }>;
/** One postcondition's result; inconclusive when the deadline passed while the cluster could not be read. */
type Checked = Evaluation & { inconclusive?: true };

/** Describes a postcondition in a few words, for logs and previews. */
export function describePostcondition(pc: Postcondition): string {
  switch (pc.type) {
    case 'rolloutComplete':
      return `rollout of deployment ${pc.namespace}/${pc.deployment} complete`;
    case 'podsReady':
      return `${pc.minReady}+ pods ready for ${pc.selector} in ${pc.namespace}`;
    case 'replicasAtLeast':
      return `deployment ${pc.namespace}/${pc.deployment} has ≥ ${pc.n} ready replicas`;
    case 'noCrashLoop':
      return `no crash loop for ${pc.selector} in ${pc.namespace} over ${pc.windowSeconds}s`;
    case 'nodeSchedulable':
      return `node ${pc.node} schedulable`;
    case 'nodeCordoned':
      return `node ${pc.node} cordoned`;
    case 'endpointsReady':
      return `service ${pc.namespace}/${pc.service} has ready endpoints`;
    default:
      return 'none (unverifiable)';
  }
}

/**
 * Checks postconditions in order (a rollout must complete before its crash-loop window starts).
 * verified: all held; failed: the deadline passed, with the last observed state; inconclusive: the deadline passed
 * while the cluster could not be read (nothing observed to judge by); unverifiable: nothing to check.
 */
export async function verifyPostconditions(postconditions: readonly Postcondition[], deps: VerifyDeps, options: VerifyOptions): Promise<Verdict> {
  const checks = postconditions.filter((p): p is Checkable => p.type !== 'none');
  const started = deps.clock.now();
  if (checks.length === 0) return { status: 'unverifiable', detail: 'the action has no postcondition to check', elapsedMs: 0 };
  const deadline = started + options.deadlineMs;
  const details: string[] = [];
  const observed: Record<string, unknown> = {};
  for (const check of checks) {
    const name = describePostcondition(check);
    const result = check.type === 'noCrashLoop' ? await holdCrashLoopWindow(check, deps, options, deadline) : await pollUntil(check, deps, options, deadline);
    observed[check.type] = result.observed;
    if (!result.ok) {
      return { status: result.inconclusive ? 'inconclusive' : 'failed', detail: `${name}: ${result.detail}`, observed, elapsedMs: deps.clock.now() - started };
    }
    details.push(`${name}: ${result.detail}`);
  }
  return { status: 'verified', detail: details.join('; '), observed, elapsedMs: deps.clock.now() - started };
}

async function pollUntil(check: Checkable, deps: VerifyDeps, options: VerifyOptions, deadline: number): Promise<Checked> {
  let last: Evaluation = { ok: false, detail: 'not checked before the deadline', observed: {} };
  let outage: ReadOutage | undefined;
  let lastSeen: Evaluation | undefined;
  const started = deps.clock.now();
  const report = progressReporter(deps);
  for (;;) {
    deps.signal?.throwIfAborted();
    let readError: string | undefined;
    last = await withinDeadline(evaluateOnce(check, deps.reader), deadline - deps.clock.now()).catch((error: Error) => {
      readError = error.message;
      return { ok: false, detail: `cannot read the cluster: ${error.message}`, observed: {} };
    });
    outage = noteRead(outage, deps.clock.now(), readError);
    if (readError === undefined) lastSeen = last;
    if (last.ok) return last;
    if (last.terminal) return last;
    report(() => `${check.type}: ${seconds(deps.clock.now() - started)} of at most ${seconds(deadline - started)}, ${last.detail}`);
    if (deps.clock.now() + options.pollMs > deadline) return atDeadline(last, outage, lastSeen, deps.clock.now());
    await deps.clock.sleep(options.pollMs, deps.signal);
  }
}

function atDeadline(last: Evaluation, outage: ReadOutage | undefined, lastSeen: Evaluation | undefined, now: number): Checked {
  const conclusion = concludeAtDeadline(last, outage, lastSeen, now);
  return { ...last, ok: false, detail: conclusion.detail, ...(conclusion.kind === 'inconclusive' ? { inconclusive: true } : {}) };
}

/**
 * noCrashLoop must hold for a whole window. A bad observation restarts the window (pods of an old revision may
 * still crash while a rollout finishes); the check fails when no clean window fits before the deadline.
 */
async function holdCrashLoopWindow(check: Extract<Postcondition, { type: 'noCrashLoop' }>, deps: VerifyDeps, options: VerifyOptions, deadline: number): Promise<Checked> {
  const windowMs = check.windowSeconds > 0 ? check.windowSeconds * 1_000 : options.crashLoopWindowMs;
  const listPods = () => withinDeadline(deps.reader.list('Pod', check.namespace, { labelSelector: check.selector }), deadline - deps.clock.now());
  let windowStart = deps.clock.now();
  // Restarts from before the window (before the write) never count: without a baseline read there is no window yet.
  let baseline: Record<string, number> | undefined;
  let last: Evaluation = { ok: false, detail: 'not checked', observed: {} };
  let outage: ReadOutage | undefined;
  let lastSeen: Evaluation | undefined;
  const report = progressReporter(deps);
  for (;;) {
    deps.signal?.throwIfAborted();
    const pods = await listPods().catch((error: Error) => error);
    outage = noteRead(outage, deps.clock.now(), pods instanceof Error ? pods.message : undefined);
    if (!(pods instanceof Error) && baseline) {
      const counts = baseline;
      report(() => `noCrashLoop: ${seconds(deps.clock.now() - windowStart)} of ${seconds(windowMs)}, ${describePods(pods, counts)}`);
    }
    if (pods instanceof Error) {
      last = { ok: false, detail: `cannot read the cluster: ${pods.message}`, observed: {} };
    } else if (!baseline) {
      baseline = restartCounts(pods);
      windowStart = deps.clock.now();
      last = evaluateNoCrashLoop(baseline, pods);
      if (!last.ok) windowStart = deps.clock.now();
    } else {
      last = evaluateNoCrashLoop(baseline, pods);
      if (!last.ok) {
        windowStart = deps.clock.now();
        baseline = restartCounts(pods);
      } else if (deps.clock.now() - windowStart >= windowMs) {
        return { ...last, detail: `${last.detail} for ${Math.round(windowMs / 1000)}s` };
      }
    }
    if (!outage) lastSeen = last;
    const now = deps.clock.now();
    if (windowStart + windowMs > deadline || now + options.pollMs > deadline) {
      if (outage) return atDeadline(last, outage, lastSeen, now);
      return { ok: false, detail: last.ok ? 'no clean window fitted before the deadline' : `${last.detail} (deadline passed)`, observed: last.observed };
    }
    await deps.clock.sleep(Math.min(options.pollMs, Math.max(1, windowStart + windowMs - now)), deps.signal);
  }
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1_000))} s`;

/** Calls deps.progress with the message, at most once per PROGRESS_EVERY_MS (the message is built only then). */
function progressReporter(deps: VerifyDeps): (message: () => string) => void {
  let last = deps.clock.now();
  return (message) => {
    if (!deps.progress || deps.clock.now() - last < PROGRESS_EVERY_MS) return;
    last = deps.clock.now();
    deps.progress(message());
  };
}

/** "2/2 ready, 0 restarts": ready pods of the live ones, and container restarts since the window's baseline. */
function describePods(pods: readonly KubeObject[], baseline: Record<string, number>): string {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter((p) => (p.status?.conditions ?? []).some((c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True')).length;
  const now = restartCounts(live);
  const restarts = Object.entries(now).reduce((sum, [key, count]) => sum + Math.max(0, count - (baseline[key] ?? 0)), 0);
  return `${ready}/${live.length} ready, ${restarts} restart${restarts === 1 ? '' : 's'}`;
}

/**
 * A read that outlives the verification deadline fails it: the reader's own timeout is the usual bound, this one keeps
 * verification bounded by its deadline whatever reader is plugged in (a black-holed API server must not hang a job).
 */
async function withinDeadline<T>(read: Promise<T>, remainingMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer before the verification deadline')), Math.max(1, remainingMs));
    timer.unref?.();
  });
  try {
    return await Promise.race([read, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function evaluateOnce(check: Checkable, reader: ClusterReader): Promise<Evaluation> {
  switch (check.type) {
    case 'rolloutComplete':
      return evaluateRolloutComplete(await reader.get('Deployment', check.namespace, check.deployment));
    case 'podsReady':
      return evaluatePodsReady(await reader.list('Pod', check.namespace, { labelSelector: check.selector }), check.minReady);
    case 'replicasAtLeast':
      return evaluateReplicasAtLeast(await reader.get('Deployment', check.namespace, check.deployment), check.n);
    case 'nodeSchedulable':
      return evaluateNodeSchedulable(await reader.get('Node', undefined, check.node));
    case 'nodeCordoned':
      return evaluateNodeCordoned(await reader.get('Node', undefined, check.node));
    case 'endpointsReady':
      return evaluateEndpointsReady(await reader.get('Endpoints', check.namespace, check.service));
    case 'noCrashLoop':
      return evaluateNoCrashLoop({}, await reader.list('Pod', check.namespace, { labelSelector: check.selector }));
  }
}
