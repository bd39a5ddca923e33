// Deployment status and conditions (calculateStatus + syncRolloutStatus): replica counts, Available, and
// Progressing with NewReplicaSetCreated / FoundNewReplicaSet / ReplicaSetUpdated / NewReplicaSetAvailable /
// ProgressDeadlineExceeded, the deadline measured in cluster seconds.
import type { SimObject } from '../store/types.js';
import type { ControllerContext } from './controller-context.js';
import { isoTime, sameStatus } from './controller-context.js';
import type { DeploymentCondition } from './deployment-util.js';
import { maxUnavailable, setCondition, specReplicas, sumStatus } from './deployment-util.js';
import { writeOwnStatus } from './sim-object.js';

const ALMOST_FOREVER = 2147483647;

/** Writes the Deployment's status; returns real ms after which to look again (progress deadline), if any. */
export function syncDeploymentStatus(
  ctx: ControllerContext,
  d: SimObject,
  newRS: SimObject | undefined,
  olds: SimObject[],
  progressing?: { reason: string; message: string },
): number | undefined {
  const { clock, store } = ctx;
  const now = clock.now();
  const at = isoTime(now);
  const all = [...(newRS ? [newRS] : []), ...olds];
  const desired = d.spec?.replicas ?? 1;
  const old = (d.status ?? {}) as Record<string, unknown>;
  const availableReplicas = sumStatus(all, 'availableReplicas');
  const totalReplicas = all.reduce((t, rs) => t + specReplicas(rs), 0);
  const status: Record<string, unknown> = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatus(all, 'replicas'),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sumStatus(all, 'readyReplicas'),
    availableReplicas,
    unavailableReplicas: Math.max(0, totalReplicas - availableReplicas),
  };
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) if (status[k] === 0) delete status[k];
  if (old.collisionCount !== undefined) status.collisionCount = old.collisionCount;

  let conditions = [...((old.conditions ?? []) as DeploymentCondition[])];
  // getNewReplicaSet records NewReplicaSetCreated before syncRolloutStatus computes Available.
  if (progressing && !d.spec?.paused && conditions.find((c) => c.type === 'Progressing')?.reason !== 'DeploymentPaused') {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', ...progressing }, at);
  }
  const minAvailable = desired - maxUnavailable(d);
  conditions = setCondition(
    conditions,
    availableReplicas >= minAvailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    at,
  );

  const paused = Boolean(d.spec?.paused);
  const current = conditions.find((c) => c.type === 'Progressing');
  const rsName = newRS?.metadata.name;
  const deadline = d.spec?.progressDeadlineSeconds ?? 600;
  const hasDeadline = deadline !== ALMOST_FOREVER;
  let waitMs: number | undefined;
  if (paused) {
    if (current?.reason !== 'DeploymentPaused') conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, at);
  } else if (current?.reason === 'DeploymentPaused') {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' }, at);
  } else if (progressing) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', ...progressing }, at);
  } else if (hasDeadline) {
    const complete =
      (status.updatedReplicas ?? 0) === desired &&
      (status.replicas ?? 0) === desired &&
      (status.availableReplicas ?? 0) === desired &&
      (d.metadata.generation ?? 0) <= (status.observedGeneration as number);
    const alreadyComplete = current?.reason === 'NewReplicaSetAvailable' && (status.replicas ?? 0) === (status.updatedReplicas ?? 0);
    const advanced =
      ((status.updatedReplicas as number) ?? 0) > ((old.updatedReplicas as number) ?? 0) ||
      ((status.readyReplicas as number) ?? 0) > ((old.readyReplicas as number) ?? 0) ||
      ((status.availableReplicas as number) ?? 0) > ((old.availableReplicas as number) ?? 0) ||
      ((old.replicas as number) ?? 0) - ((old.updatedReplicas as number) ?? 0) > ((status.replicas as number) ?? 0) - ((status.updatedReplicas as number) ?? 0);
    if (alreadyComplete) {
      // Stay complete until a new rollout starts.
    } else if (complete) {
      const message = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message }, at);
    } else if (advanced) {
      const message = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message }, at, true);
    } else if (current && current.reason !== 'ProgressDeadlineExceeded') {
      const dueMs = Date.parse(current.lastUpdateTime) + clock.toRealMs(deadline);
      if (now >= dueMs) {
        const message = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
        conditions = setCondition(conditions, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message }, at);
      } else waitMs = dueMs - now + 10;
    }
  }
  status.conditions = conditions;
  const progressingNow = conditions.find((c) => c.type === 'Progressing');
  if (waitMs === undefined && hasDeadline && progressingNow?.status === 'True' && progressingNow.reason !== 'NewReplicaSetAvailable') {
    waitMs = Math.max(10, Date.parse(progressingNow.lastUpdateTime) + clock.toRealMs(deadline) - now + 10);
  }
  if (!sameStatus(status, d.status)) {
    writeOwnStatus(store, 'deployments', d, status);
  }
  return waitMs;
}
