// cronjob-controller: creates a Job (`<name>-<scheduled minute>`) when the schedule comes due, honours suspend and
// concurrencyPolicy, tracks status.active / lastScheduleTime / lastSuccessfulTime and trims finished Jobs to the
// history limits. Schedules run on simulated time: cluster time since the CronJob's creation is speed x real time.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, controllerOwnerKey, isoTime, sameStatus } from './controller-context.js';
import { lastScheduledBetween, parseCron } from './cron-schedule.js';
import { byControllerUid, objectKey } from './object-cache.js';
import { deleteObject } from './pod-helpers.js';
import { newObject, writeOwnStatus } from './sim-object.js';
import { createWorkQueue } from './work-queue.js';

const COMPONENT = 'cronjob-controller';
const CHECK_SECONDS = 10;

const jobFinished = (job: SimObject): string | undefined =>
  ((job.status?.conditions ?? []) as Array<{ type: string; status: string }>).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;

export function startCronJobController(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  cache.addIndex('jobs', 'controller', byControllerUid);
  const queue = createWorkQueue(COMPONENT, reconcile);
  cache.on('cronjobs', (event) => queue.add(objectKey(event.object)));
  cache.on('jobs', (event) => {
    const key = controllerOwnerKey(event.object, 'CronJob');
    if (key) queue.add(key);
  });

  function reconcile(key: string): void {
    const [ns, name] = key.split('/');
    const cj = cache.get('cronjobs', ns, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const spec = cj.spec ?? {};
    const jobs = cache.byIndex('jobs', 'controller', cj.metadata.uid);
    const old = cj.status ?? {};
    let lastScheduleTime = old.lastScheduleTime as string | undefined;
    let lastSuccessfulTime = old.lastSuccessfulTime as string | undefined;
    for (const job of jobs) {
      const done = jobFinished(job);
      const wasActive = ((old.active ?? []) as Array<{ uid: string }>).some((r) => r.uid === job.metadata.uid);
      if (done && wasActive) {
        controllerEvent(ctx, COMPONENT, cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, status: ${done}`);
        if (done === 'Complete') lastSuccessfulTime = job.status?.completionTime ?? isoTime(clock.now());
      }
    }
    let active = jobs.filter((j) => !jobFinished(j) && !j.metadata.deletionTimestamp);

    // Cluster time runs `speed` times faster than real time from the CronJob's creation.
    const created = Date.parse(cj.metadata.creationTimestamp);
    const toCluster = (real: number): number => created + (real - created) * clock.speed;
    const toReal = (cluster: number): number => created + (cluster - created) / clock.speed;
    const schedule = parseCron(String(spec.schedule ?? ''));
    // lastScheduleTime has second resolution: allow for the rounding so a minute never fires twice.
    const since = lastScheduleTime ? toCluster(Date.parse(lastScheduleTime) + 999) : created;
    const due = schedule ? lastScheduledBetween(schedule, since, toCluster(clock.now())) : undefined;
    if (due !== undefined && !spec.suspend) {
      const policy = spec.concurrencyPolicy ?? 'Allow';
      if (policy === 'Forbid' && active.length) {
        controllerEvent(ctx, COMPONENT, cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      } else {
        if (policy === 'Replace') {
          for (const job of active) {
            deleteObject(store, 'jobs', job);
            controllerEvent(ctx, COMPONENT, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
          }
          active = [];
        }
        const jobName = `${name}-${Math.floor(due / 60_000)}`;
        lastScheduleTime = isoTime(toReal(due));
        if (!cache.get('jobs', ns, jobName)) {
          try {
            const template = spec.jobTemplate ?? {};
            const job = store.create(
              'jobs',
              newObject(
                'batch/v1',
                'Job',
                {
                  name: jobName,
                  namespace: ns,
                  labels: { ...(template.metadata?.labels ?? {}) },
                  annotations: { ...(template.metadata?.annotations ?? {}), 'batch.kubernetes.io/cronjob-scheduled-timestamp': new Date(due).toISOString().replace(/\.\d{3}Z$/, 'Z') },
                  ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name, uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }],
                },
                { spec: JSON.parse(JSON.stringify(template.spec ?? {})) },
              ),
            );
            active.push(job);
            controllerEvent(ctx, COMPONENT, cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
          } catch (error) {
            controllerEvent(ctx, COMPONENT, cj, 'Warning', 'FailedCreate', `Error creating job: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
    }

    // History limits: the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit go.
    for (const [kind, limit] of [['Complete', spec.successfulJobsHistoryLimit ?? 3], ['Failed', spec.failedJobsHistoryLimit ?? 1]] as const) {
      const finished = jobs.filter((j) => jobFinished(j) === kind && !j.metadata.deletionTimestamp).sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1));
      for (const job of finished.slice(0, Math.max(0, finished.length - Number(limit)))) {
        deleteObject(store, 'jobs', job);
        controllerEvent(ctx, COMPONENT, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
      }
    }

    const status: Record<string, unknown> = {};
    if (active.length) status.active = active.map((j) => ({ kind: 'Job', namespace: ns, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion }));
    if (lastScheduleTime) status.lastScheduleTime = lastScheduleTime;
    if (lastSuccessfulTime) status.lastSuccessfulTime = lastSuccessfulTime;
    if (sameStatus(status, old)) return;
    writeOwnStatus(store, 'cronjobs', cj, status);
  }

  const cancel = clock.every(CHECK_SECONDS, () => cache.list('cronjobs').forEach((cj) => queue.add(objectKey(cj))));
  for (const cj of cache.list('cronjobs')) queue.add(objectKey(cj));
  return {
    stop: () => {
      cancel();
      queue.stop();
    },
  };
}
