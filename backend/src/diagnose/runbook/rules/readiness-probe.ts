import type { KubeObject } from '../../../domain/kube.js';
import { ageSeconds } from '../../../tools/format.js';
import type { RunbookFacts } from '../gather-runbook-facts.js';
import type { RunbookRule } from '../rule-types.js';
import { eventCount, involvedName } from '../pod-facts.js';
import { allContainers } from '../read-workload.js';
import { checkProbe, probePortFix } from '../probe-ports.js';
import { planRollback, rollbackActions } from '../plan-rollback.js';
import { nameOf, recreateStep } from '../rule-helpers.js';

/** Pods that run but never become ready because the readiness probe fails: out of the Service's endpoints. */
export const readinessProbeRule: RunbookRule = {
  id: 'readiness-probe',
  class: 'probe',
  diagnose(facts, settings) {
    const unready = runningUnready(facts);
    if (unready.length === 0) return undefined;
    const names = new Set(unready.map((p) => p.metadata.name));
    const event = facts.unhealthyEvents.find((e) => names.has(involvedName(e)) && /readiness/i.test(String(e.message ?? '')));
    const containers = allContainers(facts.workload?.podSpec ?? unready[0].spec);
    const check = containers.map((c) => checkProbe(c, 'readinessProbe')).find(Boolean);
    if (!event && !(check && longUnready(facts, unready))) return undefined;
    const evidence = [{ fact: `${unready.length} pod(s) of ${nameOf(facts)} are Running but not Ready`, source: 'list_pods' }];
    if (event) evidence.push({ fact: `pod ${involvedName(event)}: Unhealthy ×${eventCount(event)}: ${String(event.message ?? '').slice(0, 200)}`, source: 'get_events' });
    if (check) evidence.push({ fact: `container ${check.container.name}: readiness probe ${check.describe}; declared ports: ${check.declared.join(', ') || 'none'}`, source: 'get_deployment' });
    const where = check ? ` (${check.describe}${check.mismatch ? `, but the container declares port${check.declared.length > 1 ? 's' : ''} ${check.declared.join(', ')}` : ''})` : '';
    const svc = facts.service ? `, so Service ${facts.service.metadata.name} has no ready endpoints for them` : '';
    const rootCause = `the readiness probe of ${check ? `container ${check.container.name} in ` : ''}${nameOf(facts)} fails${where}${svc}`;
    const plan = planRollback(facts);
    if (plan && plan.confidence >= 0.9 && facts.workload) {
      return {
        rootCause: `${rootCause}; it began with revision ${plan.from}, revision ${plan.revision} was healthy`,
        confidence: plan.confidence,
        evidence: [...evidence, ...plan.evidence],
        action: rollbackActions(facts, facts.workload, settings, plan, false),
      };
    }
    const fix = check && probePortFix(facts, settings, check, 'readinessProbe');
    if (fix) return { rootCause, confidence: 0.75, evidence, action: fix };
    return { rootCause, confidence: 0.7, evidence, humanStep: recreateStep(facts, 'a fix for the application or the readiness probe (no earlier healthy revision to roll back to)') };
  },
};

function runningUnready(facts: RunbookFacts): KubeObject[] {
  // A Deployment's newest revision only: old pods being replaced are not the failure.
  const newest = facts.history[0]?.replicaSet;
  return facts.pods.filter(
    (p) =>
      (!newest || p.metadata.ownerReferences?.some((o) => o.name === newest)) &&
      p.status?.phase === 'Running' &&
      ((p.status?.containerStatuses as Array<{ ready?: boolean; state?: { running?: unknown } }>) ?? []).some((s) => s.state?.running && !s.ready),
  );
}

/** Without a reported failure, the probe must have had time to pass: a pod that just started is progressing. */
function longUnready(facts: RunbookFacts, pods: KubeObject[]): boolean {
  const deadlineExceeded = ((facts.workload?.object.status?.conditions as Array<{ type: string; reason?: string }>) ?? []).some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  return deadlineExceeded || pods.some((p) => (ageSeconds(p.status?.startTime ?? p.metadata.creationTimestamp) ?? 0) >= 60);
}
