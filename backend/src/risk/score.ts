import { PolicyRefusal } from '../domain/errors.js';
import { maxRisk, RISK_ORDER, type RiskAssessment, type RiskLevel } from '../domain/risk.js';
import { compileDenyList, matchDenyList, type DenyRule } from './deny-list.js';
import { MAGNITUDE } from './magnitude.js';
import { parseKubectlArgs, type ParsedKubectl } from './parse.js';
import { BASELINE, RULES, type RiskRule, type RuleContext } from './rules.js';
import { tokenizeCommandLine } from './tokenize.js';
import { protectedNamespaceSet } from '../kube/namespaces.js';

export { DEFAULT_PROTECTED_NAMESPACES } from '../kube/namespaces.js';

export interface RiskPolicy {
  /** Added to DEFAULT_PROTECTED_NAMESPACES (config PROTECTED_NAMESPACES). */
  protectedNamespaces: readonly string[];
  /** DENY_COMMANDS entries; see deny-list.ts for the syntax. */
  denyList: readonly string[];
  /** RISK_MAX_REPLICAS: a scale past this count is high (default MAGNITUDE.defaultMaxReplicas). */
  maxReplicas?: number;
}

/** A RiskAssessment whose `parsed` carries everything the parser found. */
export interface KubectlAssessment extends RiskAssessment {
  parsed?: ParsedKubectl;
}

interface Finding {
  level: RiskLevel;
  reason: string;
}

const denyCache = new Map<string, DenyRule[]>();
function denyRulesFor(entries: readonly string[]): DenyRule[] {
  const key = JSON.stringify(entries);
  let rules = denyCache.get(key);
  if (!rules) {
    rules = compileDenyList(entries);
    denyCache.set(key, rules);
  }
  return rules;
}

function commandMatches(rule: RiskRule, cmd: ParsedKubectl): boolean {
  if (!rule.commands) return true;
  const leaf = cmd.commandPath.join(' ');
  return rule.commands.some((c) => leaf === c || cmd.verb === c || leaf.startsWith(`${c} `));
}

function applyRule(rule: RiskRule, cmd: ParsedKubectl, ctx: RuleContext): Finding | undefined {
  if (!commandMatches(rule, cmd)) return undefined;
  if (rule.writesOnly && ctx.readOnly) return undefined;
  if (rule.resources && !cmd.resources.some((r) => rule.resources?.includes(r))) return undefined;
  const outcome = rule.test ? rule.test(cmd, ctx) : true;
  if (!outcome) return undefined;
  return { level: rule.level, reason: typeof outcome === 'string' ? `${rule.reason}: ${outcome}` : rule.reason };
}

/** Longest command line we read; a remediation command has no business being longer. */
export const MAX_COMMAND_LENGTH = 65_536;
const MAX_REASON_LENGTH = 300;
const clip = (s: string) => (s.length > MAX_REASON_LENGTH ? `${s.slice(0, MAX_REASON_LENGTH - 1)}…` : s);

function finish(command: string, findings: Finding[], readOnly: boolean, parsed?: ParsedKubectl): KubectlAssessment {
  const ordered = findings
    .map((f, i) => ({ ...f, i }))
    .sort((a, b) => RISK_ORDER.indexOf(b.level) - RISK_ORDER.indexOf(a.level) || a.i - b.i);
  const level = ordered.reduce<RiskLevel>((acc, f) => maxRisk(acc, f.level), 'low');
  // Low is earned by effect: a read that scores higher (it reads local files, prints Secret data, fetches content)
  // is not read-only, so the kill switch, the breaker, locks and rate limits all apply to it.
  return { command, level, reasons: [...new Set(ordered.map((f) => clip(f.reason)))], parsed, readOnly: readOnly && level === 'low' };
}

/**
 * Scores one kubectl command line. Pure: no I/O. Every rule that fires is listed in `reasons`, most severe first.
 * Throws ConfigError only when the deny list itself is malformed (validate it at start-up with compileDenyList).
 */
export function assessCommand(commandLine: string, policy: RiskPolicy): KubectlAssessment {
  if (commandLine.length > MAX_COMMAND_LENGTH) {
    return finish(commandLine.slice(0, 200), [{ level: 'forbidden', reason: `unreadable command: longer than ${MAX_COMMAND_LENGTH} characters` }], false);
  }
  // Only ASCII spaces are trimmed: any other leading/trailing character is the tokenizer's to judge.
  const tokens = tokenizeCommandLine(commandLine.replace(/^ +| +$/g, ''));
  if (!tokens.ok) return finish(commandLine, [{ level: 'forbidden', reason: `shell syntax: ${tokens.reason}` }], false);

  const cmd = parseKubectlArgs(tokens.words.slice(1));
  const findings: Finding[] = cmd.problems.map((p) => ({ level: 'forbidden', reason: `unreadable command: ${p}` }));
  if (cmd.commandPath.length === 0) findings.push({ level: 'forbidden', reason: 'no kubectl verb' });
  else if (!cmd.knownCommand) {
    findings.push({ level: 'forbidden', reason: `unknown verb "${cmd.commandPath.join(' ')}": kubectl would run a plugin, an arbitrary binary` });
  }
  if (findings.length > 0) return finish(commandLine, findings, false, cmd);

  const leaf = cmd.commandPath.join(' ');
  const baseline = BASELINE[leaf] ?? (cmd.commandPath.length > 1 ? BASELINE[cmd.verb] : undefined);
  findings.push(baseline ? { level: baseline, reason: `${leaf}: ${baseline} by default` } : { level: 'high', reason: `${leaf}: no baseline for this command` });
  const ctx: RuleContext = {
    // Namespace names are lower-case DNS labels: "Payments" in PROTECTED_NAMESPACES can only mean payments.
    protectedNamespaces: protectedNamespaceSet(policy.protectedNamespaces),
    readOnly: baseline === 'low',
    maxReplicas: policy.maxReplicas ?? MAGNITUDE.defaultMaxReplicas,
  };
  for (const rule of RULES) {
    const finding = applyRule(rule, cmd, ctx);
    if (finding) findings.push(finding);
  }
  const denied = matchDenyList(cmd, denyRulesFor(policy.denyList));
  if (denied) findings.push({ level: 'forbidden', reason: `deny list: "${denied.entry}"` });
  return finish(commandLine, findings, ctx.readOnly, cmd);
}

/** The argv to execute (without "kubectl"). Refuses a forbidden or unparsed assessment. */
export function argvFor(assessment: RiskAssessment): string[] {
  if (assessment.level === 'forbidden' || !assessment.parsed) {
    throw new PolicyRefusal(`refusing to build argv for a forbidden command: ${assessment.reasons[0] ?? 'not parsed'}`);
  }
  return [...assessment.parsed.args];
}
