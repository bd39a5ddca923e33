import type { RunbookRule } from '../rule-types.js';
import { eventCount, eventsWith } from '../pod-facts.js';
import { allContainers } from '../read-workload.js';
import { checkProbe, probePortFix } from '../probe-ports.js';
import { isDeepStrictEqual } from 'node:util';
import type { RunbookFacts } from '../gather-runbook-facts.js';
import { planRollback, rollbackActions, type RollbackPlan } from '../plan-rollback.js';
import { REVISION_ANNOTATION } from '../../../tools/get-deployment.js';
import { nameOf, recreateStep } from '../rule-helpers.js';

/**
 * A rollback to a scaled-down revision is only "it ran before" (0.75). When that revision's template did not carry the
 * failing liveness probe (absent or different) and the Deployment's rollout had moved past it, the newest revision
 * introduced the very probe that restarts the container: undoing it removes the cause without a guess, so the rollback
 * is as sure as one to a revision observed healthy.
 */
function withProbeIntroduced(facts: RunbookFacts, plan: RollbackPlan, container: { name: string; livenessProbe?: unknown }): RollbackPlan {
  if (plan.confidence >= 0.9 || facts.workload?.kind !== 'Deployment') return plan;
  const rs = (facts.replicaSets ?? []).find((r) => Number(r.metadata.annotations?.[REVISION_ANNOTATION]) === plan.revision);
  const containers = (rs?.spec?.template?.spec?.containers as Array<{ name: string; livenessProbe?: unknown }> | undefined) ?? undefined;
  const before = containers?.find((c) => c.name === container.name);
  if (!before || !container.livenessProbe || isDeepStrictEqual(before.livenessProbe, container.livenessProbe)) return plan;
  const fact = `revision ${plan.revision} ran container ${container.name} ${before.livenessProbe ? 'with a different liveness probe' : 'without a liveness probe'}: revision ${plan.from} introduced the failing probe`;
  return { ...plan, confidence: 0.9, evidence: [...plan.evidence, { fact, source: 'get_deployment_history' }] };
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
    const plan = found && check ? withProbeIntroduced(facts, found, check.container) : found;
    if (plan && facts.workload) {
      return {
        rootCause: `${rootCause}; it began with revision ${plan.from}, revision ${plan.revision} ${plan.confidence >= 0.9 ? 'was healthy' : 'ran before it'}`,
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
