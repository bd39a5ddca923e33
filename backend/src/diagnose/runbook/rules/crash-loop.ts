import type { RunbookFacts } from '../gather-runbook-facts.js';
import type { RunbookRule } from '../rule-types.js';
import { eventTime, eventsWith, failingContainers, lastTermination, statusesOf } from '../pod-facts.js';
import { planRollback, rollbackActions } from '../plan-rollback.js';
import { exitCodeMeaning, fencedTail, nameOf, recreateStep } from '../rule-helpers.js';

const CRASH_WAITING = new Set(['CrashLoopBackOff', 'RunContainerError', 'StartError', 'ContainerCannotRun']);

/**
 * A container that keeps exiting: the exit code and its meaning, the last log lines (fenced and redacted), and
 * whether it began with a rollout, a config change or neither. A rollout with a healthy earlier revision is rolled back.
 */
export const crashLoopRule: RunbookRule = {
  id: 'crash-loop',
  class: 'crash',
  diagnose(facts, settings) {
    const hit = failingContainers(facts.pods).find(({ status }) => (!status.init || status.sidecar) && (CRASH_WAITING.has(status.state?.waiting?.reason ?? '') || lastTermination(status)?.exitCode !== undefined));
    if (!hit) return undefined;
    const { pod, status } = hit;
    const t = lastTermination(status);
    const podName = pod.metadata.name ?? '';
    const code = t?.exitCode;
    const logs = fencedTail(`logs ${podName}/${status.name}`, facts.logs?.[`${podName}/${status.name}`]);
    const plan = planRollback(facts);
    const started = startedWith(facts, plan?.from);
    const count = facts.workload?.podSpec.containers?.length ?? 1;
    const which = status.sidecar ? ' (a native sidecar: an init container with restartPolicy: Always)' : count > 1 ? ` (one of ${count} containers)` : '';
    const what = status.sidecar ? `sidecar container ${status.name}` : `container ${status.name}`;
    const evidence = [
      { fact: `pod ${podName} ${what}${which}: exit code ${code ?? '?'}${t?.reason ? ` (${t.reason})` : ''}, ${status.restartCount ?? 0} restart(s)${status.state?.waiting?.reason ? `, now ${status.state.waiting.reason}` : ''}`, source: 'get_pod_status' },
      ...(logs ? [{ fact: `last log lines:\n${logs}`, source: 'get_pod_logs' }] : []),
      { fact: `the crash started with ${started}`, source: 'get_deployment_history' },
    ];
    // A sidecar that never counts as started holds back the init containers after it and the main containers.
    const mainStarted = statusesOf(pod).some((s) => !s.init && s.state?.running);
    const held = status.sidecar && !mainStarted ? ', so the main containers have not started' : '';
    // The kubelet's own state word (CrashLoopBackOff, RunContainerError…) is what the person sees in `kubectl get pods`.
    const waiting = status.state?.waiting?.reason;
    const state = waiting && CRASH_WAITING.has(waiting) ? `, ${waiting} after ${status.restartCount ?? 0} restart(s)` : '';
    const rootCause = `${what} of ${nameOf(facts)} crash-loops with exit code ${code ?? '?'} (${exitCodeMeaning(code)})${state}${held}; it started with ${started}`;
    if (plan && facts.workload) {
      return {
        rootCause: `${rootCause}: revision ${plan.from} introduced it and revision ${plan.revision} ran before it`,
        confidence: plan.confidence,
        evidence: [...evidence, ...plan.evidence],
        action: rollbackActions(facts, facts.workload, settings, plan),
      };
    }
    return {
      rootCause,
      confidence: 0.7,
      evidence,
      humanStep: recreateStep(facts, `a fix for ${what} (no earlier healthy revision to roll back to; deleting pods would not help)`),
    };
  },
};

/**
 * "a rollout (revision N)", "a config change (ConfigMap x changed at …)", or "neither …". `rolloutFrom`: the failing
 * revision a rollback plan found (a Deployment's, or a StatefulSet's / DaemonSet's ControllerRevision).
 */
function startedWith(facts: RunbookFacts, rolloutFrom: number | undefined): string {
  const newest = facts.history[0];
  if (rolloutFrom !== undefined) return `a rollout (revision ${rolloutFrom})`;
  const firstBackOff = eventsWith(facts.events, ['BackOff']).map(eventTime).sort()[0];
  const spec = facts.workload?.podSpec ?? facts.pods[0]?.spec ?? {};
  const referenced = new Set<string>(JSON.stringify(spec).match(/"(?:configMapRef|configMapKeyRef|configMap)":\{"name":"([^"]+)"/g)?.map((m) => /"name":"([^"]+)"/.exec(m)![1]) ?? []);
  const changed = (facts.configMaps ?? []).filter((c) => referenced.has(c.name) && c.updatedAt && firstBackOff && c.updatedAt <= firstBackOff).sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''))[0];
  const podStart = facts.pods.map((p) => String(p.status?.startTime ?? '')).filter(Boolean).sort()[0];
  if (changed && podStart && changed.updatedAt! >= podStart) return `a config change (ConfigMap ${changed.name} changed at ${changed.updatedAt})`;
  return `neither a rollout nor a config change (${facts.history.length > 1 ? `revision ${newest?.revision} is not newly failing` : 'no earlier revision'})`;
}
