export type RiskLevel = 'low' | 'medium' | 'high' | 'forbidden';

export const RISK_ORDER: readonly RiskLevel[] = ['low', 'medium', 'high', 'forbidden'];

/** A kubectl command line after tokenizing and parsing. */
export interface ParsedCommand {
  /** argv after "kubectl", as the shell-free tokenizer split it. */
  args: string[];
  verb: string;
  /** "undo" for "rollout undo", "resources" for "set resources", … */
  subVerb?: string;
  /** Canonical plural lower-case resource ("deployments"), when the command names one. */
  resource?: string;
  names: string[];
  namespace?: string;
  allNamespaces: boolean;
  all: boolean;
  selector?: string;
  fieldSelector?: string;
  /** Every flag seen, canonical long name without dashes → value (true for bare flags). */
  flags: Record<string, string | boolean>;
}

export interface RiskAssessment {
  command: string;
  level: RiskLevel;
  /** Every reason that contributed to the level, most severe first. */
  reasons: string[];
  parsed?: ParsedCommand;
  /** True when the verb cannot change the cluster. */
  readOnly: boolean;
}

export function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_ORDER.indexOf(a) >= RISK_ORDER.indexOf(b) ? a : b;
}
