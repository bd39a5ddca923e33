import type { RunbookRule } from '../rule-types.js';
import { lastTermination, statusesOf } from '../pod-facts.js';
import { planRollback, templatePostconditions, withForcedRollback } from '../plan-rollback.js';
import { exitCodeMeaning, fencedTail, nameOf, recreateStep } from '../rule-helpers.js';

/** An init container that fails: which one, its exit code and meaning, its restarts and last log lines. */
export const initContainerRule: RunbookRule = {
  id: 'init-container',
  class: 'init',
  diagnose(facts, settings) {
    const hit = facts.pods
      // A native sidecar (restartPolicy: Always) does not run to completion: its crash loop is crash-loop's.
      .flatMap((pod) => statusesOf(pod).filter((s) => s.init && !s.sidecar).map((s) => ({ pod, s })))
      .find(({ s }) => {
        const t = lastTermination(s);
        return (t && t.exitCode !== 0 && t.exitCode !== undefined) || s.state?.waiting?.reason === 'CrashLoopBackOff';
      });
    if (!hit) return undefined;
    const t = lastTermination(hit.s);
    const pod = hit.pod.metadata.name ?? '';
    const code = t?.exitCode;
    const logs = fencedTail(`logs ${pod}/${hit.s.name}`, facts.logs?.[`${pod}/${hit.s.name}`]);
    const evidence = [
      { fact: `pod ${pod} init container ${hit.s.name}: exit code ${code ?? '?'} (${t?.reason ?? 'Error'}), ${hit.s.restartCount ?? 0} restart(s)${hit.s.state?.waiting?.reason ? `, now ${hit.s.state.waiting.reason}` : ''}`, source: 'get_pod_status' },
      ...(logs ? [{ fact: `last log lines:\n${logs}`, source: 'get_pod_logs' }] : []),
    ];
    const rootCause = `init container ${hit.s.name} of ${nameOf(facts)} fails with exit code ${code ?? '?'} (${exitCodeMeaning(code)}) after ${hit.s.restartCount ?? 0} restart(s), so the main containers never start`;
    const plan = planRollback(facts);
    if (plan && facts.workload) {
      return {
        rootCause: `${rootCause}; it began with revision ${plan.from}`,
        confidence: plan.confidence,
        evidence: [...evidence, ...plan.evidence],
        action: withForcedRollback(facts, settings, plan, {
          command: plan.command,
          description: `Roll ${facts.workload.name} back to revision ${plan.revision}, whose init containers completed`,
          confidence: plan.confidence,
          expectedEffect: `the init containers of ${facts.workload.name} complete and its pods become ready`,
          postconditions: templatePostconditions(facts.workload, settings, true),
        }),
      };
    }
    return { rootCause, confidence: 0.8, evidence, humanStep: recreateStep(facts, `a fix for init container ${hit.s.name} (its command, image or the dependency it waits for)`) };
  },
};
