// job-controller: runs a Job's pods (parallelism at a time until `completions` succeed), counts succeeded/failed
// pods, and ends the Job with SuccessCriteriaMet+Complete or FailureTarget+Failed (BackoffLimitExceeded) as the
// 1.32 controller does. Failed pods are replaced after the controller's back-off (10 s doubling, scaled).
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, controllerOwnerKey, isoTime, sameStatus, splitKey } from './controller-context.js';
import { byControllerUid, objectKey } from './object-cache.js';
import { deleteObject, isPodReady } from './pod-helpers.js';
import { podFromTemplate } from './replicaset-controller.js';
import { writeOwnStatus } from './sim-object.js';
import { createRequeue, createWorkQueue } from './work-queue.js';

const COMPONENT = 'job-controller';
const BACKOFF_SECONDS = 10;
const MAX_BACKOFF_SECONDS = 360;

interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime: string;
  lastTransitionTime: string;
}

const finished = (job: SimObject): boolean =>
  ((job.status?.conditions ?? []) as JobCondition[]).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

export function startJobController(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  cache.addIndex('pods', 'controller', byControllerUid);
  const queue = createWorkQueue(COMPONENT, reconcile);
  const requeueAfterMs = createRequeue(queue, clock.afterReal, clock.now);
  cache.on('jobs', (event) => queue.add(objectKey(event.object)));
  cache.on('pods', (event) => {
    const key = controllerOwnerKey(event.object, 'Job');
    if (key) queue.add(key);
  });

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const job = cache.get('jobs', ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const spec = job.spec ?? {};
    const pods = cache.byIndex('pods', 'controller', job.metadata.uid);
    const active = pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failedPods = pods.filter((p) => p.status?.phase === 'Failed').length;
    // With restartPolicy OnFailure the kubelet restarts in place: restarts count against backoffLimit.
    const restarts = pods.reduce((t, p) => t + ((p.status?.containerStatuses ?? []) as Array<{ restartCount?: number }>).reduce((s, c) => s + (c.restartCount ?? 0), 0), 0);
    const failed = failedPods + (spec.template?.spec?.restartPolicy === 'OnFailure' ? restarts : 0);
    const at = isoTime(clock.now());
    const old = job.status ?? {};
    const conditions = [...((old.conditions ?? []) as JobCondition[])];
    const addCondition = (type: string, reason: string, message: string) => {
      if (!conditions.some((c) => c.type === type)) conditions.push({ type, status: 'True', reason, message, lastProbeTime: at, lastTransitionTime: at });
    };
    let completionTime = old.completionTime as string | undefined;
    const completions = spec.completions as number | undefined;
    const parallelism = (spec.parallelism as number | undefined) ?? 1;
    const suspended = spec.suspend === true;

    if (!finished(job)) {
      if (failed > (spec.backoffLimit ?? 6)) {
        for (const pod of active) deleteObject(store, 'pods', pod);
        addCondition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
        addCondition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
        controllerEvent(ctx, COMPONENT, job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      } else if (completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0) {
        addCondition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods');
        addCondition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods');
        completionTime = at;
        controllerEvent(ctx, COMPONENT, job, 'Normal', 'Completed', 'Job completed');
      } else if (!suspended) {
        const wanted = completions !== undefined ? Math.min(parallelism, completions - succeeded) : succeeded > 0 ? 0 : parallelism;
        const sinceFailure = lastFailureMs(pods);
        const backoffMs = failedPods > 0 ? clock.toRealMs(Math.min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * 2 ** (failedPods - 1))) : 0;
        const waitMs = sinceFailure === undefined ? 0 : sinceFailure + backoffMs - clock.now();
        if (active.length < wanted && waitMs > 0) requeueAfterMs(key, waitMs + 5);
        else for (let i = active.length; i < wanted; i++) createPod(job);
      }
    }

    const current = cache.byIndex('pods', 'controller', job.metadata.uid);
    const stillActive = current.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const status: Record<string, unknown> = {
      ...(conditions.length ? { conditions } : {}),
      startTime: old.startTime ?? (suspended ? undefined : at),
      ...(completionTime ? { completionTime } : {}),
      ...(stillActive.length ? { active: stillActive.length } : {}),
      ...(succeeded ? { succeeded } : {}),
      ...(failedPods ? { failed: failedPods } : {}),
      terminating: current.filter((p) => p.metadata.deletionTimestamp).length,
      uncountedTerminatedPods: {},
      ready: stillActive.filter(isPodReady).length,
    };
    if (status.startTime === undefined) delete status.startTime;
    if (sameStatus(status, old)) return;
    writeOwnStatus(store, 'jobs', job, status);
  }

  function createPod(job: SimObject): void {
    try {
      const pod = store.create('pods', podFromTemplate(job, 'batch/v1'));
      controllerEvent(ctx, COMPONENT, job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (error) {
      controllerEvent(ctx, COMPONENT, job, 'Warning', 'FailedCreate', `Error creating: ${error instanceof Error ? error.message : String(error)}`);
      requeueAfterMs(objectKey(job), clock.toRealMs(BACKOFF_SECONDS));
    }
  }

  for (const job of cache.list('jobs')) queue.add(objectKey(job));
  return { stop: () => queue.stop() };
}

/** When the most recent failed pod finished (real ms), for the replacement back-off. */
function lastFailureMs(pods: SimObject[]): number | undefined {
  let latest: number | undefined;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Failed') continue;
    for (const c of (pod.status?.containerStatuses ?? []) as Array<{ state?: { terminated?: { finishedAt?: string } } }>) {
      const at = Date.parse(c.state?.terminated?.finishedAt ?? '');
      if (Number.isFinite(at)) latest = latest === undefined ? at : Math.max(latest, at);
    }
  }
  return latest;
}
