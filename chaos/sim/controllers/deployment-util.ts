// Pure Deployment arithmetic, following k8s.io/kubernetes/pkg/controller/deployment/util: surge and
// unavailability fenceposts, new ReplicaSet size, revision annotations, and conditions.
import type { SimObject } from '../store/types.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const SKIP_COPY = new Set([REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, 'kubectl.kubernetes.io/last-applied-configuration']);

/** intstr.GetScaledValueFromIntOrPercent. */
export function resolveIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

const replicasOf = (d: SimObject): number => d.spec?.replicas ?? 1;
const isRolling = (d: SimObject): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** [maxSurge, maxUnavailable] resolved against spec.replicas; both zero becomes unavailable 1. */
export function resolveFenceposts(d: SimObject): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = resolveIntOrPercent(ru.maxSurge, desired, true, '25%');
  let unavailable = resolveIntOrPercent(ru.maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: SimObject): number {
  return isRolling(d) ? resolveFenceposts(d)[0] : 0;
}

export function maxUnavailable(d: SimObject): number {
  if (!isRolling(d) || replicasOf(d) === 0) return 0;
  return Math.min(resolveFenceposts(d)[1], replicasOf(d));
}

export const specReplicas = (rs: SimObject | undefined): number => rs?.spec?.replicas ?? 0;
export const sumSpec = (list: SimObject[]): number => list.reduce((t, rs) => t + specReplicas(rs), 0);
export const sumStatus = (list: SimObject[], field: string): number => list.reduce((t, rs) => t + (rs.status?.[field] ?? 0), 0);

/** How many replicas the new ReplicaSet should have now (NewRSNewReplicas). */
export function newRSNewReplicas(d: SimObject, allRSs: SimObject[], newRS: SimObject | undefined): number {
  if (!isRolling(d)) return replicasOf(d);
  const current = specReplicas(newRS);
  const maxTotal = replicasOf(d) + maxSurge(d);
  const currentPods = sumSpec(allRSs);
  if (currentPods >= maxTotal) return current;
  const scaleUp = Math.min(maxTotal - currentPods, replicasOf(d) - current);
  return current + Math.max(0, scaleUp);
}

export function revisionOf(rs: SimObject): number {
  const v = Number(rs.metadata.annotations?.[REVISION] ?? '0');
  return Number.isFinite(v) ? v : 0;
}

export function maxRevision(list: SimObject[]): number {
  return list.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/**
 * The annotations a (new or reused) new ReplicaSet should carry: the Deployment's own annotations, the next
 * revision, and the revision history when an old ReplicaSet comes back (rollout undo).
 */
export function newRSAnnotations(d: SimObject, rs: SimObject | undefined, newRevision: number, exists: boolean): Record<string, string> {
  const out: Record<string, string> = { ...(rs?.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP_COPY.has(k)) out[k] = v;
  const old = out[REVISION];
  const oldNum = old ? Number(old) : 0;
  if (oldNum < newRevision) {
    out[REVISION] = String(newRevision);
    if (old) {
      const history = out[REVISION_HISTORY] ? out[REVISION_HISTORY].split(',') : [];
      history.push(old);
      out[REVISION_HISTORY] = history.join(',');
    }
  }
  if (!exists) Object.assign(out, replicasAnnotations(d));
  return out;
}

export function replicasAnnotations(d: SimObject): Record<string, string> {
  return { [DESIRED_REPLICAS]: String(replicasOf(d)), [MAX_REPLICAS]: String(replicasOf(d) + maxSurge(d)) };
}

export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/**
 * SetDeploymentCondition: unchanged status and reason keep the old condition; a changed status gets a new
 * lastTransitionTime. `refresh` (the "progressing" case) rewrites lastUpdateTime and message even when unchanged.
 */
export function setCondition(conditions: DeploymentCondition[], next: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>, at: string, refresh = false): DeploymentCondition[] {
  const i = conditions.findIndex((c) => c.type === next.type);
  const current = conditions[i];
  if (current && current.status === next.status && current.reason === next.reason && !refresh) return conditions;
  const transition = current && current.status === next.status ? current.lastTransitionTime : at;
  const cond: DeploymentCondition = { type: next.type, status: next.status, lastUpdateTime: at, lastTransitionTime: transition, reason: next.reason, message: next.message };
  // SetDeploymentCondition filters the old entry out and appends: the list is ordered by last change, which is
  // why `kubectl describe deploy` shows Available before Progressing once a rollout completes.
  return [...conditions.filter((c) => c.type !== next.type), cond];
}
