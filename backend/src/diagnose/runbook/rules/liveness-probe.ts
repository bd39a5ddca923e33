import type { RunbookRule } from '../rule-types.js';
import { eventCount, eventsWith } from '../pod-facts.js';
import { allContainers } from '../read-workload.js';
import { checkProbe, probePortFix } from '../probe-ports.js';
import { planRollback, templatePostconditions, withForcedRollback } from '../plan-rollback.js';
import { nameOf, recreateStep } from '../rule-helpers.js';

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
    const plan = planRollback(facts);
    if (plan && facts.workload) {
      return {
        rootCause: `${rootCause}; it began with revision ${plan.from}, revision ${plan.revision} was healthy`,
        confidence: plan.confidence,
        evidence: [...evidence, ...plan.evidence],
        action: withForcedRollback(facts, settings, plan, {
          command: plan.command,
          description: `Roll ${facts.workload.name} back to revision ${plan.revision}`,
          confidence: plan.confidence,
          expectedEffect: `${facts.workload.name} runs revision ${plan.revision}'s template again and all replicas become ready`,
          postconditions: templatePostconditions(facts.workload, settings, true),
        }),
      };
    }
    const fix = check && probePortFix(facts, settings, check, 'livenessProbe');
    if (fix) return { rootCause, confidence: 0.75, evidence, action: fix };
    return { rootCause, confidence: 0.75, evidence, humanStep: recreateStep(facts, 'a liveness probe that matches what the process serves (port, path, timeouts), or a fix for the hanging process') };
  },
};
