import type { KubeObject } from '../../domain/kube.js';
import type { Evidence, Postcondition, ProposedAction } from '../../domain/proposal.js';
import { isPodHealthy } from '../../tools/pod-summary.js';
import type { RunbookFacts } from './gather-runbook-facts.js';
import type { RunbookSettings } from './rule-types.js';
import type { Workload } from './read-workload.js';

export interface RollbackPlan {
  command: string;
  /** The revision rolled back to. */
  revision: number;
  /** The failing revision. */
  from: number;
  /** 0.9 when the target revision is observed healthy now; 0.75 when it only ran before (scaled down). */
  confidence: number;
  evidence: Evidence[];
  images: string;
  /**
   * Pods of the failing revision a StatefulSet (OrderedReady) will wait on forever: after the template is reverted the
   * controller does not replace a pod that never became Ready (the documented "forced rollback"), so it is deleted.
   */
  stuck?: string[];
}

/** The verification of a template change on any controller: the rollout for a Deployment, ready pods otherwise. */
export function templatePostconditions(w: Workload, settings: RunbookSettings, withNoCrashLoop: boolean): Postcondition[] {
  const crash: Postcondition[] = withNoCrashLoop && w.selector ? [{ type: 'noCrashLoop', namespace: w.namespace, selector: w.selector, windowSeconds: settings.noCrashLoopWindowSeconds }] : [];
  if (w.kind === 'Deployment') return [{ type: 'rolloutComplete', namespace: w.namespace, deployment: w.name }, ...crash];
  if (!w.selector) return [{ type: 'none' }];
  return [{ type: 'podsReady', namespace: w.namespace, selector: w.selector, minReady: desiredReplicas(w) }, ...crash];
}

export function desiredReplicas(w: Workload): number {
  if (w.kind === 'DaemonSet') return Math.max(1, Number(w.object.status?.desiredNumberScheduled ?? 1));
  return Math.max(1, Number(w.object.spec?.replicas ?? 1));
}

/**
 * A StatefulSet pod's controller-revision-hash label is the ControllerRevision's name (db-6d8c…); a DaemonSet pod's is
 * the bare hash (the name's suffix, also the revision's controller.kubernetes.io/hash label).
 */
function ofRevision(pod: KubeObject, revision: KubeObject, owner: string): boolean {
  const label = pod.metadata.labels?.['controller-revision-hash'];
  if (!label) return false;
  const name = String(revision.metadata.name ?? '');
  return label === name || label === name.slice(owner.length + 1) || label === revision.metadata.labels?.['controller.kubernetes.io/hash'];
}

/**
 * A rollback to a revision known to be good, or undefined: the failing revision must be the newest and an earlier one
 * healthy now (or, for a Deployment, fully replaced after having run: less sure). Never a guess at an older revision.
 */
export function planRollback(facts: RunbookFacts): RollbackPlan | undefined {
  const w = facts.workload;
  if (!w) return undefined;
  if (w.kind === 'Deployment') {
    const [newest, previous] = facts.history;
    if (!newest || !previous || newest.health === 'healthy') return undefined;
    const cmd = `kubectl rollout undo deployment/${w.name} -n ${w.namespace}`;
    const evidence: Evidence[] = [
      { fact: `revision ${newest.revision} (${newest.images.join(', ')}): ${newest.readyReplicas}/${newest.replicas} ready${newest.podReasons.length ? ` (${newest.podReasons.join(', ')})` : ''}`, source: 'get_deployment_history' },
      { fact: `previous revision ${previous.revision} (${previous.images.join(', ')}) is ${previous.health}`, source: 'get_deployment_history' },
    ];
    if (previous.health === 'healthy') return { command: cmd, revision: previous.revision, from: newest.revision, confidence: 0.9, evidence, images: previous.images.join(', ') };
    if (previous.health === 'scaled-down') {
      evidence.push({ fact: `revision ${previous.revision} is scaled down to 0, so its health cannot be observed now; it ran before revision ${newest.revision} replaced it`, source: 'get_deployment_history' });
      return { command: cmd, revision: previous.revision, from: newest.revision, confidence: 0.75, evidence, images: previous.images.join(', ') };
    }
    return undefined;
  }
  if (w.kind !== 'StatefulSet' && w.kind !== 'DaemonSet') return undefined;
  const revisions = [...(facts.controllerRevisions ?? [])].sort((a, b) => Number(b.revision ?? 0) - Number(a.revision ?? 0));
  const [newest] = revisions;
  if (!newest) return undefined;
  const newPods = facts.pods.filter((p) => ofRevision(p, newest, w.name));
  if (newPods.length === 0 || newPods.every(isPodHealthy)) return undefined;
  for (const candidate of revisions.slice(1)) {
    const pods = facts.pods.filter((p) => ofRevision(p, candidate, w.name));
    if (pods.length > 0 && pods.every(isPodHealthy)) {
      const revision = Number(candidate.revision);
      const ordered = w.kind === 'StatefulSet' && w.object.spec?.podManagementPolicy !== 'Parallel';
      const stuck = ordered ? newPods.filter((p) => !isPodHealthy(p)).map((p) => p.metadata.name ?? '').filter((n) => /^[a-z0-9][-a-z0-9.]*$/.test(n)) : [];
      return {
        ...(stuck.length ? { stuck } : {}),
        command: `kubectl rollout undo ${w.ref} -n ${w.namespace} --to-revision=${revision}`,
        revision,
        from: Number(newest.revision),
        confidence: 0.9,
        images: imagesOfRevision(candidate),
        evidence: [
          { fact: `controller revision ${newest.metadata.name} (revision ${newest.revision}): ${newPods.filter(isPodHealthy).length}/${newPods.length} pods healthy`, source: 'get_controller_revisions' },
          { fact: `controller revision ${candidate.metadata.name} (revision ${revision}, ${imagesOfRevision(candidate)}): ${pods.length}/${pods.length} pods healthy now`, source: 'get_controller_revisions' },
          ...stuck.slice(0, 3).map((name) => {
            const pod = newPods.find((p) => p.metadata.name === name);
            const seen = observedStuck(pod) ? 'is not ready and failing' : 'is not ready yet, with no failure observed';
            return { fact: `pod ${name} runs revision ${newest.revision} (controller-revision-hash ${pod?.metadata.labels?.['controller-revision-hash']}) and ${seen}`, source: 'get_pod_status' };
          }),
        ],
      };
    }
  }
  return undefined;
}

function imagesOfRevision(rev: KubeObject): string {
  const containers = ((rev.data as { spec?: { template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } } } | undefined)?.spec?.template?.spec?.containers) ?? [];
  return containers.map((c) => `${c.name}=${c.image}`).join(', ') || 'its template';
}

/**
 * The rollback of the incident's workload `w` (facts.workload) to `plan.revision`, as actions (see withForcedRollback). `noCrashLoop`: also
 * verify that no container crash-loops over the window (false where readiness, not crashing, is the symptom).
 */
export function rollbackActions(facts: RunbookFacts, w: Workload, settings: RunbookSettings, plan: RollbackPlan, noCrashLoop = true): ProposedAction[] {
  return withForcedRollback(facts, settings, plan, {
    command: plan.command,
    description: `Roll ${w.name} back to revision ${plan.revision}`,
    confidence: plan.confidence,
    expectedEffect: `${w.name} runs revision ${plan.revision}'s template again and all replicas become ready`,
    postconditions: templatePostconditions(w, settings, noCrashLoop),
  });
}

/**
 * A pod deletion is a guess that the pod is stuck on the bad revision. It keeps the rollback's confidence only when the
 * pod's own status shows it: a container reported not ready and failing (waiting in a failure state, restarted, or
 * terminated), or the Ready condition False for a pod that has started. A pod with no status yet (still being created)
 * may become ready on its own: deleting it needs a human's approval.
 */
function observedStuck(pod: KubeObject | undefined): boolean {
  if (!pod || pod.metadata.deletionTimestamp) return false;
  type S = { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string }; terminated?: unknown }; lastState?: { terminated?: unknown } };
  const statuses = (pod.status?.containerStatuses as S[] | undefined) ?? [];
  const failing = statuses.some((s) => s.ready === false && ((s.restartCount ?? 0) > 0 || s.state?.terminated !== undefined || s.lastState?.terminated !== undefined || /BackOff|Err|Invalid|CreateContainer/.test(s.state?.waiting?.reason ?? '')));
  const unready = ((pod.status?.conditions as Array<{ type: string; status: string }> | undefined) ?? []).some((c) => c.type === 'Ready' && c.status === 'False');
  return failing || (unready && statuses.length > 0 && statuses.every((s) => s.state?.waiting?.reason !== 'ContainerCreating'));
}

/**
 * The rollback as actions: the undo, then (StatefulSet, OrderedReady) the deletion of each pod of the bad revision
 * that never became Ready, which the controller then recreates from the reverted template. The undo alone is verified
 * by the pods still healthy staying so; the last action carries the rollback's full verification.
 */
export function withForcedRollback(facts: RunbookFacts, settings: RunbookSettings, plan: RollbackPlan, undo: ProposedAction): ProposedAction[] {
  const w = facts.workload;
  if (!w || !plan.stuck?.length || !w.selector) return [undo];
  const healthyNow = facts.pods.filter(isPodHealthy).length;
  const first: ProposedAction = {
    ...undo,
    expectedEffect: `${w.name}'s template is revision ${plan.revision}'s again; the healthy pods keep running`,
    postconditions: healthyNow > 0 ? [{ type: 'podsReady', namespace: w.namespace, selector: w.selector, minReady: healthyNow }] : [{ type: 'none' }],
  };
  const deletes = plan.stuck.map((pod, i, all): ProposedAction => ({
    command: `kubectl delete pod ${pod} -n ${w.namespace}`,
    description: `Delete ${pod}, which runs the bad revision ${plan.from} and never became Ready: an OrderedReady StatefulSet waits on it forever after a rollback, and recreates it from revision ${plan.revision}`,
    confidence: observedStuck(facts.pods.find((p) => p.metadata.name === pod)) ? plan.confidence : Math.min(plan.confidence, 0.75),
    expectedEffect: `${pod} is recreated from revision ${plan.revision} and becomes ready`,
    postconditions: i === all.length - 1 ? templatePostconditions(w, settings, true) : [{ type: 'podsReady', namespace: w.namespace, selector: w.selector!, minReady: Math.max(1, healthyNow) }],
  }));
  return [first, ...deletes];
}
