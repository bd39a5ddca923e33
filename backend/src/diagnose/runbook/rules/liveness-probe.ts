import type { RunbookRule } from '../rule-types.js';
import { eventCount, eventsWith } from '../pod-facts.js';
import { allContainers } from '../read-workload.js';
import { checkProbe, probePortFix } from '../probe-ports.js';
import { isDeepStrictEqual } from 'node:util';
import type { RunbookFacts } from '../gather-runbook-facts.js';
import { planRollback, rollbackActions, type RollbackPlan } from '../plan-rollback.js';
import { REVISION_ANNOTATION } from '../../../tools/get-deployment.js';
import { nameOf, recreateStep } from '../rule-helpers.js';

type ContainerLike = { name: string; livenessProbe?: unknown };

/**
 * A rollback is YOLO-sure (0.9) here only with no guess: the newest revision changed nothing in the pod template but
 * this container's liveness probe, so undoing it removes exactly the failing probe and brings back the same image,
 * command and config that ran before it. That holds whether the earlier revision is observed healthy now or was
 * scaled down by the rollout (it ran before with everything else identical). A newest revision that also changed the
 * image (or anything else) may fail for another reason the rollback also reverts: it stays at approval level (0.75),
 * even when the earlier revision is healthy now. Whether the newest revision introduced the probe is evidence either way.
 */
function withProbeIntroduced(facts: RunbookFacts, plan: RollbackPlan, container: ContainerLike): RollbackPlan {
  const beforeSpec = templateOfRevision(facts, plan.revision);
  const before = beforeSpec?.containers?.find((c) => c.name === container.name);
  const probeChanged = Boolean(before && container.livenessProbe && !isDeepStrictEqual(before.livenessProbe, container.livenessProbe));
  const onlyProbe = probeChanged && sameButProbe(beforeSpec, facts.workload?.podSpec, container.name);
  const evidence = probeChanged
    ? [{ fact: `revision ${plan.revision} ran container ${container.name} ${before!.livenessProbe ? 'with a different liveness probe' : 'without a liveness probe'}: revision ${plan.from} introduced the failing probe${onlyProbe ? ', and changed nothing else in the pod template' : ' along with other changes to the pod template'}`, source: 'get_deployment_history' }]
    : [];
  const confidence = onlyProbe ? 0.9 : Math.min(plan.confidence, 0.75);
  return { ...plan, confidence, evidence: [...plan.evidence, ...evidence] };
}

/** The pod spec revision `n` ran: its ReplicaSet's template (Deployment) or its ControllerRevision's (StatefulSet, DaemonSet). */
function templateOfRevision(facts: RunbookFacts, n: number): { containers?: ContainerLike[] } | undefined {
  if (facts.workload?.kind === 'Deployment') {
    const rs = (facts.replicaSets ?? []).find((r) => Number(r.metadata.annotations?.[REVISION_ANNOTATION]) === n);
    return rs?.spec?.template?.spec;
  }
  const rev = (facts.controllerRevisions ?? []).find((r) => Number(r.revision) === n);
  return (rev?.data as { spec?: { template?: { spec?: { containers?: ContainerLike[] } } } } | undefined)?.spec?.template?.spec;
}

/** The two pod specs are equal once the named container's liveness probe is set aside. */
function sameButProbe(a: unknown, b: unknown, name: string): boolean {
  const strip = (spec: unknown) => {
    const s = (spec ?? {}) as { containers?: ContainerLike[] };
    return { ...s, containers: (s.containers ?? []).map((c) => (c.name === name ? { ...c, livenessProbe: undefined } : c)) };
  };
  return a !== undefined && b !== undefined && isDeepStrictEqual(strip(a), strip(b));
}

/**
 * The kubelet restarts a container because its liveness probe fails: a different failure from a crash (the process
 * may be healthy) and from a readiness failure (which only removes the pod from endpoints).
 */
export const livenessProbeRule: RunbookRule = {
  id: 'liveness-probe',
  class: 'probe',
  diagnose(facts, settings) {
    const names = new Set(facts.pods.map((p) => p.metadata.name));
    const event =
      eventsWith(facts.events, ['Unhealthy'], names).find((e) => /^Liveness probe failed/i.test(String(e.message))) ??
      eventsWith(facts.events, ['Killing'], names).find((e) => /failed liveness probe/i.test(String(e.message)));
    if (!event) return undefined;
    const message = String(event.message);
    const named = /Container (\S+) failed liveness probe/.exec(message)?.[1] ?? /spec\.containers\{([^}]+)\}/.exec(String((event.involvedObject as { fieldPath?: string }).fieldPath ?? ''))?.[1];
    const spec = facts.workload?.podSpec ?? facts.pods[0]?.spec;
    const container = allContainers(spec).find((c) => (named ? c.name === named : c.livenessProbe));
    const check = container && checkProbe(container, 'livenessProbe');
    const pod = (event.involvedObject as { name?: string }).name;
    const evidence = [{ fact: `pod ${pod}: ${event.reason} ×${eventCount(event)}: ${message.slice(0, 240)}`, source: 'get_events' }];
    if (check) evidence.push({ fact: `container ${check.container.name}: liveness probe ${check.describe}; declared ports: ${check.declared.join(', ') || 'none'}`, source: 'get_deployment' });
    const where = check ? ` (${check.describe}${check.mismatch ? `, but the container declares port${check.declared.length > 1 ? 's' : ''} ${check.declared.join(', ')}` : ''})` : '';
    const rootCause = `the liveness probe of container ${check?.container.name ?? named ?? '?'} in ${nameOf(facts)} fails${where}, so the kubelet keeps restarting it`;
    const found = planRollback(facts);
    const plan = found && (check ? withProbeIntroduced(facts, found, check.container) : { ...found, confidence: Math.min(found.confidence, 0.75) });
    if (plan && facts.workload) {
      return {
        rootCause: `${rootCause}; it began with revision ${plan.from}, revision ${plan.revision} ${found && found.confidence >= 0.9 ? 'was healthy' : 'ran before it'}`,
        confidence: plan.confidence,
        evidence: [...evidence, ...plan.evidence],
        action: rollbackActions(facts, facts.workload, settings, plan),
      };
    }
    const fix = check && probePortFix(facts, settings, check, 'livenessProbe');
    if (fix) return { rootCause, confidence: 0.75, evidence, action: fix };
    return { rootCause, confidence: 0.75, evidence, humanStep: recreateStep(facts, 'a liveness probe that matches what the process serves (port, path, timeouts), or a fix for the hanging process') };
  },
};
