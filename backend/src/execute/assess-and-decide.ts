// The two questions asked of every command before anything runs: how risky is it, and what does policy say.
import { redactText } from '../redaction/redact.js';
import type { Decision, ExecutionMode } from '../domain/decision.js';
import type { ProposedAction } from '../domain/proposal.js';
import type { RiskAssessment } from '../domain/risk.js';
import { isProtectedNamespace, protectedNamespaceSet } from '../kube/namespaces.js';
import { protectedNamespacesTouched, type ParsedKubectl } from '../risk/index.js';
import { resourceType } from '../kube/resource-types.js';
import { breakerPolicyFromConfig, breakerScopeFor } from '../safety/breaker-policy.js';
import { readEffectiveKillSwitch } from '../safety/kill-switch.js';
import type { BreakerTransition } from '../safety/safety-store.js';
import { auditStep } from './audit-step.js';
import { decideMode } from './decide-mode.js';
import type { ExecuteCore, ExecuteDepsWith } from './execute-deps.js';
import { reportBreakerTransition } from './write-steps.js';
import { targetOf } from './target-of.js';

/** Scores one command, adds blast radius when the risk module offers it, and audits the result. */
export async function assessAction(deps: ExecuteCore, incidentId: string, index: number, action: ProposedAction): Promise<RiskAssessment> {
  let assessment = deps.risk.assess(action.command);
  if (deps.risk.blastRadius && assessment.level !== 'forbidden' && !assessment.readOnly) {
    try {
      assessment = await deps.risk.blastRadius(assessment);
    } catch (error) {
      // Unknown blast radius is treated as large: at least high, so YOLO needs more confidence.
      assessment = { ...assessment, level: assessment.level === 'forbidden' ? 'forbidden' : 'high', reasons: [`blast radius unknown: ${(error as Error).message}`, ...assessment.reasons] };
    }
  }
  const parsed = assessment.parsed;
  await auditStep(
    deps,
    'risk',
    incidentId,
    { index, command: action.command, level: assessment.level, reasons: assessment.reasons, readOnly: assessment.readOnly, verb: parsed?.verb, subVerb: parsed?.subVerb, resource: parsed?.resource, namespace: parsed?.namespace },
    targetOf(parsed)?.ref,
  );
  return assessment;
}

/** The namespace a write acts in, when it is not the incident's (cluster-scoped objects such as nodes are not compared). */
function outsideIncident(assessment: RiskAssessment, incidentNamespace: string | undefined): { namespace: string; incidentNamespace: string } | undefined {
  const namespace = assessment.parsed?.namespace;
  if (!incidentNamespace || !namespace || assessment.readOnly || namespace === incidentNamespace) return undefined;
  return { namespace, incidentNamespace };
}

/**
 * A write that names no namespace (and not all of them) while something it touches is namespaced: any named type
 * (`label node/n1 pod/web` touches a pod), an unknown type (a CRD), or objects from -f/-k whose namespace we cannot see.
 */
export function isNamespaceUnknown(assessment: RiskAssessment): boolean {
  const parsed = assessment.parsed;
  if (!parsed || assessment.readOnly || assessment.level === 'forbidden' || parsed.namespace || parsed.allNamespaces) return false;
  const resources = (parsed as Partial<ParsedKubectl>).resources ?? (parsed.resource ? [parsed.resource] : []);
  const fromFiles = Object.keys(parsed.flags).some((f) => f === 'filename' || f === 'kustomize');
  return fromFiles || resources.some((r) => resourceType(r)?.namespaced ?? true);
}

/**
 * The command reaches a protected namespace: by -n, by -A (every namespace), by naming a protected Namespace object
 * (`label ns kube-system …`) or by a `cp kube-system/pod:…` path. Such a command always needs a human.
 */
export function touchesProtectedNamespace(assessment: RiskAssessment, extra: readonly string[]): boolean {
  const parsed = assessment.parsed;
  if (!parsed) return false;
  const protectedNamespaces = protectedNamespaceSet(extra);
  if (isProtectedNamespace(parsed.namespace, parsed.allNamespaces, protectedNamespaces)) return true;
  // Only a full parse (risk/parse.ts) carries the targets; a bare ParsedCommand has nothing more to look at.
  if (!('targets' in parsed)) return false;
  return protectedNamespacesTouched(parsed as ParsedKubectl, protectedNamespaces).length > 0;
}

export function breakerScopeOf(deps: Pick<ExecuteCore, 'config'>, assessment: RiskAssessment): string {
  return breakerScopeFor(deps.config.BREAKER_SCOPE as 'cluster' | 'namespace', deps.config.CLUSTER_NAME, assessment.parsed?.namespace);
}

/**
 * Decides one command. An automatic or approved write also takes the breaker's permit here (in half-open, the
 * single trial slot); without it the decision is made again as if the breaker were open.
 */
export async function decideAction(
  deps: ExecuteDepsWith<'killSwitch' | 'breakers'>,
  incidentId: string,
  index: number,
  action: ProposedAction,
  assessment: RiskAssessment,
  mode: ExecutionMode,
  options: { humanApproved?: boolean; incidentNamespace?: string } = {},
): Promise<Decision> {
  const cfg = deps.config;
  const scope = breakerScopeOf(deps, assessment);
  const policy = breakerPolicyFromConfig(cfg);
  const now = deps.clock.now();
  const [killSwitch, breaker] = await Promise.all([
    readEffectiveKillSwitch(deps.killSwitch, cfg.KILL_SWITCH),
    deps.breakers.getBreaker(scope, policy, now).catch(() => undefined),
  ]);
  const input = {
    level: assessment.level,
    reasons: assessment.reasons,
    readOnly: assessment.readOnly,
    confidence: action.confidence,
    mode,
    protectedNamespace: touchesProtectedNamespace(assessment, cfg.PROTECTED_NAMESPACES),
    namespaceUnknown: isNamespaceUnknown(assessment),
    destructiveEnabled: cfg.K8S_ENABLE_DESTRUCTIVE_OPERATIONS,
    // An unreadable breaker counts as open: fail closed.
    breakerOpen: !breaker || breaker.state === 'open',
    killSwitch: killSwitch.paused,
    killSwitchUnreadable: killSwitch.source === 'store-unavailable' ? killSwitch.reason : undefined,
    humanApproved: options.humanApproved,
    outsideIncident: outsideIncident(assessment, options.incidentNamespace),
    thresholds: { yoloMin: cfg.YOLO_MIN_CONFIDENCE, yoloMinHigh: cfg.YOLO_MIN_CONFIDENCE_HIGH, skipBelow: cfg.SKIP_BELOW_CONFIDENCE },
  };
  let decision = decideMode(input);
  if (decision.kind === 'execute' && !assessment.readOnly) {
    const permit: { allowed: boolean; transitions?: BreakerTransition[] } = await deps.breakers.acquireBreakerPermit(scope, policy, now).catch(() => ({ allowed: false }));
    // The open period ran out and this permit half-opened the breaker: that transition belongs in the trail too.
    for (const transition of permit.transitions ?? []) await reportBreakerTransition(deps, incidentId, transition, `command ${index + 1} asked for a permit`);
    if (!permit.allowed) decision = decideMode({ ...input, breakerOpen: true });
  }
  deps.metrics?.actions.inc({ decision: decision.kind, level: assessment.level });
  // Logs are not redacted by the logger: model text (the command, reasons quoting it) may carry a credential.
  deps.logger.info({ incidentId, index, command: redactText(action.command), risk: assessment.level, decision: decision.kind, mode }, redactText(`decision ${decision.kind}: ${decision.reason}`));
  await auditStep(deps, 'decision', incidentId, { index, command: action.command, mode, kind: decision.kind, reason: decision.reason, wouldBe: decision.wouldBe, confidence: action.confidence, level: assessment.level }, targetOf(assessment.parsed)?.ref);
  return decision;
}
