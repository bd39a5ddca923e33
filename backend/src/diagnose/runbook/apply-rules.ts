import type { KubeObject } from '../../domain/kube.js';
import type { Evidence } from '../../domain/proposal.js';
import type { NormalisedProposal } from '../proposal-schema.js';
import type { RunbookFacts } from './gather-runbook-facts.js';
import { nameOf } from './rule-helpers.js';
import type { Finding, RunbookRule, RunbookSettings } from './rule-types.js';

const MAX_EVIDENCE = 20;
const MAX_FACT_CHARS = 400;

/** The applier: the first rule with a finding decides; no finding escalates with what the pods show. */
export function applyRunbookRules(facts: RunbookFacts, settings: RunbookSettings, rules: readonly RunbookRule[]): NormalisedProposal {
  for (const rule of rules) {
    const finding = rule.diagnose(facts, settings);
    if (finding) return toProposal(finding, rule);
  }
  const what = nameOf(facts);
  return toProposal(
    {
      rootCause: 'unknown',
      confidence: 0.3,
      evidence: [
        { fact: `target resolved to ${what}${facts.target.namespace ? ` in ${facts.target.namespace}` : ''} from ${facts.target.resolvedFrom ?? 'the alert'}`, source: 'resolve_target' },
        ...facts.pods.slice(0, 3).map((p) => ({ fact: `pod ${p.metadata.name}: ${String(p.status?.phase ?? 'unknown')}, ${controllerText(p)}`, source: 'get_pod_status' })),
      ],
      humanStep: `no failure the runbook knows was found in the cluster state of ${what}; a human should look`,
    },
    undefined,
  );
}

function controllerText(pod: KubeObject): string {
  const ref = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  return ref ? `controlled by ${ref.kind} ${ref.name}` : 'a bare pod, no controller';
}

function toProposal(finding: Finding, rule: RunbookRule | undefined): NormalisedProposal {
  const evidence: Evidence[] = finding.evidence.slice(0, MAX_EVIDENCE).map((e) => ({ fact: e.fact.length > MAX_FACT_CHARS ? `${e.fact.slice(0, MAX_FACT_CHARS)}…` : e.fact, source: e.source }));
  const actions = finding.action ? [finding.action].flat() : [];
  if (actions.length) return { rootCause: finding.rootCause, confidence: finding.confidence, evidence, escalate: { required: false }, actions };
  // The parts again, each whole: a channel that shortens the reason (a PagerDuty note) puts each on its own line.
  const escalate = { required: true, reason: escalationText(finding, evidence, rule), ...(finding.humanStep ? { humanStep: finding.humanStep } : {}), ...(finding.wouldDo ? { wouldDo: finding.wouldDo } : {}) };
  return { rootCause: finding.rootCause, confidence: finding.confidence, evidence, escalate, actions: [] };
}

/** Cause first, then the evidence, then what the agent would do with a human's approval. */
function escalationText(finding: Finding, evidence: Evidence[], rule: RunbookRule | undefined): string {
  const cause = finding.rootCause === 'unknown' ? (finding.humanStep ?? 'unknown cause') : finding.rootCause;
  const facts = evidence.slice(0, 3).map((e) => e.fact).join('; ');
  const step = finding.rootCause === 'unknown' ? '' : finding.humanStep ? ` A human must: ${finding.humanStep}.` : '';
  const would = finding.wouldDo ? ` If a human approved, the agent would ${finding.wouldDo}.` : ' The agent proposes no change of its own.';
  return `${cause}. Evidence: ${facts || 'none'}.${step}${would}${rule ? ` [rule ${rule.id}]` : ''}`.replace(/\.\./g, '.').slice(0, 1_000);
}
