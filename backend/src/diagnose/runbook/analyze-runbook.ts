import type { NormalisedProposal } from '../proposal-schema.js';
import type { RunbookFacts } from './gather-runbook-facts.js';
import { applyRunbookRules } from './apply-rules.js';
import { RUNBOOK_RULES } from './rules/index.js';
import { workloadFromObject } from './read-workload.js';
import type { RunbookSettings } from './rule-types.js';

export type { RunbookSettings } from './rule-types.js';
export { UNCORDON_CONFIDENCE } from './rules/scheduling-cordoned.js';

/**
 * The offline runbook: the rules of rules/ applied to the cluster state gathered once for the incident. Pure and
 * deterministic; each rule names the cause with evidence and proposes a fix only at the confidence it deserves.
 */
export function analyzeRunbook(facts: RunbookFacts, settings: RunbookSettings): NormalisedProposal {
  return applyRunbookRules(normalise(facts), settings, RUNBOOK_RULES);
}

/** Facts assembled by hand (tests, older callers) may carry only the Deployment and the probe/mount events. */
function normalise(facts: RunbookFacts): RunbookFacts {
  const workload = facts.workload ?? (facts.deployment ? workloadFromObject('Deployment', facts.deployment) : undefined);
  const events = facts.events ?? [...facts.unhealthyEvents, ...(facts.mountFailures ?? [])];
  return { ...facts, workload, events };
}
