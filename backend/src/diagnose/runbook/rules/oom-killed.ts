import type { RunbookRule } from '../rule-types.js';
import { findOomKill, planMemoryRaise } from '../oom-rule.js';
import { nameOf, recreateStep } from '../rule-helpers.js';
import type { Workload } from '../read-workload.js';

const RAISABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** OOMKilled (any container, init and sidecars too): raise that container's memory limit on the template, within the cap. */
export const oomKilledRule: RunbookRule = {
  id: 'oom-killed',
  class: 'oom',
  diagnose(facts, settings) {
    const oom = findOomKill(facts.pods);
    if (!oom) return undefined;
    const w = facts.workload;
    const evidence = [{ fact: `pod ${oom.pod} ${oom.init ? 'init ' : ''}container ${oom.container} was OOMKilled (exit code 137, lastState.terminated.reason OOMKilled)`, source: 'get_pod_status' }];
    const who = `${oom.init ? 'init ' : ''}container ${oom.container} of ${nameOf(facts)}`;
    const rootCause = `${who} is OOMKilled (exit code 137): its memory limit is too low for its workload`;
    if (!w) return { rootCause, confidence: 0.7, evidence, humanStep: 'raise the memory limit of the container' };
    const plan = planMemoryRaise({ metadata: w.object.metadata, spec: { template: { spec: w.podSpec } } }, oom.container, settings.memoryLimitCapMi);
    if (!plan.ok) {
      // Without a limit the kernel killed it for the node's memory, not the container's: "limit too low" would mislead.
      const unlimited = !limitOf(w.podSpec, oom.container);
      return {
        rootCause: unlimited ? `${who} is OOMKilled (exit code 137) with no memory limit: it used more memory than its node could give it` : rootCause,
        confidence: 0.7,
        evidence: [...evidence, { fact: plan.reason, source: 'get_deployment' }],
        humanStep: unlimited ? `find out how much memory ${oom.container} needs, then set its request and limit to that (the agent does not guess a size)` : plan.reason,
      };
    }
    evidence.push({ fact: plan.detail, source: 'get_deployment' });
    const command = `kubectl set resources ${w.ref} -n ${w.namespace} -c ${oom.container} ${plan.args.join(' ')}`;
    if (!RAISABLE.has(w.kind) || oom.init) {
      // A bare Pod or a Job's template cannot be changed in place; an init container is not what `set resources -c` targets reliably.
      return { rootCause, confidence: 0.8, evidence, humanStep: recreateStep(facts, `${oom.container}'s memory limit at ${plan.newLimitMi}Mi`), wouldDo: RAISABLE.has(w.kind) ? `run \`${command}\`` : undefined };
    }
    return {
      rootCause,
      confidence: 0.85,
      evidence,
      action: {
        command,
        description: plan.detail,
        confidence: 0.85,
        expectedEffect: `the new pods of ${w.name} stop being OOMKilled`,
        postconditions: w.selector ? [{ type: 'noCrashLoop', namespace: w.namespace, selector: w.selector, windowSeconds: settings.noCrashLoopWindowSeconds }] : [{ type: 'none' }],
      },
    };
  },
};

function limitOf(spec: Workload['podSpec'], container: string): string | undefined {
  const all = [...((spec.initContainers as Array<{ name: string; resources?: { limits?: Record<string, string> } }>) ?? []), ...((spec.containers as Array<{ name: string; resources?: { limits?: Record<string, string> } }>) ?? [])];
  return all.find((c) => c.name === container)?.resources?.limits?.memory;
}
