// Pure: is a StatefulSet's or DaemonSet's rollout complete, as `kubectl rollout status` would say. Used by the
// re-check before resolving an incident (recheck-symptom.ts); Deployments have evaluateRolloutComplete (evaluate.ts).
import type { KubeObject } from '../domain/kube.js';
import type { Evaluation } from './evaluate.js';

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * The controller saw the current spec, every replica is ready, and (RollingUpdate) every replica from the partition up
 * runs the update revision. OnDelete has no rollout to finish: readiness alone decides, and the detail says so.
 */
export function evaluateStatefulSetRollout(sts: KubeObject | undefined): Evaluation {
  if (!sts) return { ok: false, detail: 'statefulset not found', observed: { found: false } };
  const desired = num(sts.spec?.replicas ?? 1);
  const s = sts.status ?? {};
  const strategy: string = sts.spec?.updateStrategy?.type ?? 'RollingUpdate';
  const partition = strategy === 'RollingUpdate' ? Math.min(num(sts.spec?.updateStrategy?.rollingUpdate?.partition), desired) : 0;
  const observed = {
    generation: num(sts.metadata.generation),
    observedGeneration: num(s.observedGeneration),
    desired,
    ready: num(s.readyReplicas),
    updated: num(s.updatedReplicas),
    strategy,
    partition,
    currentRevision: s.currentRevision,
    updateRevision: s.updateRevision,
  };
  const problems: string[] = [];
  if (observed.observedGeneration < observed.generation) problems.push(`generation ${observed.generation} not observed yet (${observed.observedGeneration})`);
  if (observed.ready !== desired) problems.push(`${observed.ready}/${desired} ready`);
  if (strategy === 'RollingUpdate') {
    if (observed.updated < desired - partition) problems.push(`${observed.updated}/${desired - partition} updated`);
    // With no partition the rollout ends when the current revision becomes the update revision.
    if (partition === 0 && s.updateRevision && s.currentRevision !== s.updateRevision) problems.push(`revision ${String(s.updateRevision)} not current yet`);
  }
  if (problems.length) return { ok: false, detail: `rollout not complete: ${problems.join(', ')}`, observed };
  const how = strategy === 'RollingUpdate' ? `${desired - partition}/${desired} updated${partition ? ` (partition ${partition})` : ''}` : 'OnDelete: readiness only';
  return { ok: true, detail: `rollout complete: ${desired}/${desired} ready, ${how}`, observed };
}

/** The controller saw the current spec, and every node that should run a pod runs an updated, ready, available one. */
export function evaluateDaemonSetRollout(ds: KubeObject | undefined): Evaluation {
  if (!ds) return { ok: false, detail: 'daemonset not found', observed: { found: false } };
  const s = ds.status ?? {};
  const strategy: string = ds.spec?.updateStrategy?.type ?? 'RollingUpdate';
  const observed = {
    generation: num(ds.metadata.generation),
    observedGeneration: num(s.observedGeneration),
    desired: num(s.desiredNumberScheduled),
    ready: num(s.numberReady),
    updated: num(s.updatedNumberScheduled),
    available: num(s.numberAvailable),
    unavailable: num(s.numberUnavailable),
    misscheduled: num(s.numberMisscheduled),
    strategy,
  };
  const { desired } = observed;
  const problems: string[] = [];
  if (observed.observedGeneration < observed.generation) problems.push(`generation ${observed.generation} not observed yet (${observed.observedGeneration})`);
  if (strategy === 'RollingUpdate' && observed.updated !== desired) problems.push(`${observed.updated}/${desired} updated`);
  if (observed.ready !== desired) problems.push(`${observed.ready}/${desired} ready`);
  if (observed.available !== desired) problems.push(`${observed.available}/${desired} available`);
  if (observed.unavailable > 0) problems.push(`${observed.unavailable} unavailable`);
  if (problems.length) return { ok: false, detail: `rollout not complete: ${problems.join(', ')}`, observed };
  return { ok: true, detail: `rollout complete: ${desired}/${desired} scheduled pods updated, ready and available`, observed };
}
