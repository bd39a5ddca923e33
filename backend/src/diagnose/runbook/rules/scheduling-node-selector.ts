import type { KubeObject } from '../../../domain/kube.js';
import type { RunbookRule } from '../rule-types.js';
import { partMatching, schedulerEvidence, schedulingFailure } from '../parse-scheduling.js';
import { templatePostconditions } from '../plan-rollback.js';
import { nameOf, recreateStep } from '../rule-helpers.js';

const SELECTOR_PART = /didn't match Pod's node affinity\/selector|node\(s\) didn't match node selector|didn't satisfy existing pods anti-affinity|node affinity/;

/** A nodeSelector (or required node affinity) that no node satisfies: name the labels and what nodes carry instead. */
export const schedulingNodeSelectorRule: RunbookRule = {
  id: 'scheduling-node-selector',
  class: 'scheduling',
  diagnose(facts, settings) {
    const failure = schedulingFailure(facts.pods, facts.events);
    if (!failure || !partMatching(failure, SELECTOR_PART)) return undefined;
    const nodes = facts.nodeObjects ?? [];
    const selector = (failure.pod.spec?.nodeSelector as Record<string, string> | undefined) ?? {};
    const unmatched = Object.entries(selector).filter(([k, v]) => !nodes.some((n) => n.metadata.labels?.[k] === v));
    const matchesNone = Object.keys(selector).length > 0 && !nodes.some((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v));
    const affinity = requiredAffinityText(failure.pod);
    if (!matchesNone && !affinity) return undefined;
    const labels = matchesNone ? (unmatched.length ? unmatched : Object.entries(selector)).map(([k, v]) => `${k}=${v}`).join(', ') : affinity!;
    const existing = matchesNone ? nearbyLabels(nodes, unmatched.map(([k]) => k)) : '';
    const w = facts.workload;
    const evidence = [
      schedulerEvidence(failure),
      { fact: `pod ${failure.pod.metadata.name} requires ${matchesNone ? `nodeSelector ${labels}` : `node affinity ${labels}`}; no node of ${nodes.length} carries ${matchesNone ? 'these labels' : 'a matching label'}${existing ? ` (nodes have ${existing})` : ''}`, source: 'check_node_capacity' },
    ];
    const rootCause = `pods of ${nameOf(facts)} are Pending: their ${matchesNone ? 'nodeSelector' : 'required node affinity'} ${labels} matches no node`;
    if (matchesNone && w && w.templated && (w.kind === 'Deployment' || w.kind === 'StatefulSet' || w.kind === 'DaemonSet') && !affinity) {
      return {
        rootCause,
        confidence: 0.75,
        evidence,
        action: {
          command: `kubectl patch ${w.ref} -n ${w.namespace} --type=json -p '[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]'`,
          description: `Remove the nodeSelector ${labels} from ${w.ref}: no node has these labels (a human confirms the pods may run on any node)`,
          confidence: 0.75,
          expectedEffect: `the pending pods of ${w.name} are scheduled and become ready`,
          postconditions: templatePostconditions(w, settings, false),
        },
      };
    }
    return { rootCause, confidence: 0.8, evidence, humanStep: recreateStep(facts, `a node selector or affinity that names labels some node carries (or label a node ${labels})`) };
  },
};

function requiredAffinityText(pod: KubeObject): string | undefined {
  const terms = (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as Array<{ matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }>) ?? [];
  const text = terms.flatMap((t) => (t.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} ${(e.values ?? []).join('|')}`.trim())).join(' or ');
  return text || undefined;
}

function nearbyLabels(nodes: KubeObject[], keys: string[]): string {
  const seen = new Set<string>();
  for (const n of nodes) for (const k of keys) if (n.metadata.labels?.[k] !== undefined) seen.add(`${k}=${n.metadata.labels[k]}`);
  return [...seen].slice(0, 5).join(', ');
}
