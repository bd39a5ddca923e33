import type { Evidence, ProposedAction } from '../../domain/proposal.js';
import type { RunbookFacts } from './gather-runbook-facts.js';

export interface RunbookSettings {
  memoryLimitCapMi: number;
  noCrashLoopWindowSeconds: number;
}

/** The failure classes of the table; the accuracy check and the reports group by them. */
export type FailureClass =
  | 'rollout'
  | 'scale'
  | 'scheduling'
  | 'admission'
  | 'service'
  | 'configuration'
  | 'image'
  | 'crash'
  | 'oom'
  | 'probe'
  | 'init'
  | 'job'
  | 'autoscaling'
  | 'disruption'
  | 'node';

/**
 * What one rule concluded. `rootCause` is one sentence a person can act on. With `action`, the fix is proposed at
 * `confidence` and the mode policy decides who runs it; without, the incident escalates with `humanStep` (what a
 * person must do) and `wouldDo` (what the agent would run if a human approved it, if anything).
 */
export interface Finding {
  rootCause: string;
  confidence: number;
  evidence: Evidence[];
  /** One fix, or a short sequence run in order (each verified before the next). */
  action?: ProposedAction | ProposedAction[];
  humanStep?: string;
  wouldDo?: string;
}

/**
 * One runbook rule, as data: an id, its class, and a pure diagnosis over the gathered facts. The applier runs the
 * rules in order and the first finding wins, so the list runs from the most specific cause to the most general.
 */
export interface RunbookRule {
  id: string;
  class: FailureClass;
  diagnose(facts: RunbookFacts, settings: RunbookSettings): Finding | undefined;
}
