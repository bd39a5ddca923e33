// The mode policy, pure: risk, confidence, mode and the safety switches in; one Decision out.
// Order matters: the strongest "no" wins, so the rules run from forbidden down to confidence.
import type { Decision, DecisionKind, ExecutionMode } from '../domain/decision.js';
import type { RiskLevel } from '../domain/risk.js';

export interface ModeThresholds {
  /** YOLO_MIN_CONFIDENCE: low and medium risk. */
  yoloMin: number;
  /** YOLO_MIN_CONFIDENCE_HIGH: high risk. */
  yoloMinHigh: number;
  /** SKIP_BELOW_CONFIDENCE */
  skipBelow: number;
}

export interface DecideInput {
  level: RiskLevel;
  reasons: readonly string[];
  /** True when the command cannot change the cluster (get, describe, logs…). */
  readOnly: boolean;
  /** The action's confidence, 0..1. */
  confidence: number;
  /** The effective mode for this incident (after MODE_OVERRIDES). */
  mode: ExecutionMode;
  /** The command touches a protected namespace (or every namespace). */
  protectedNamespace: boolean;
  /** A namespaced write without -n: kubectl would act in the kubeconfig context's namespace, which we cannot vouch for. */
  namespaceUnknown?: boolean;
  /** ALLOW_MEDIUM_AND_HIGH_RISK_WRITES (formerly K8S_ENABLE_DESTRUCTIVE_OPERATIONS): the gate for every medium and high write. */
  destructiveEnabled: boolean;
  /** The breaker refuses automatic actions now (open, or half-open with its trial slot taken). */
  breakerOpen: boolean;
  /** Global kill switch (KILL_SWITCH or `oncall-agent pause`). */
  killSwitch: boolean;
  /** Set when the kill switch could not be read (so it counts as on, failing closed): why, for the operator. */
  killSwitchUnreadable?: string;
  /**
   * A write in another namespace than the incident's resolved target. Model output is untrusted: an action on
   * something the incident is not about (prompt injection, a confused model) never runs without a human.
   */
  outsideIncident?: { namespace: string; incidentNamespace: string };
  /** A human approved exactly this command (executeApprovedPlan): confidence and protected namespaces no longer gate it. */
  humanApproved?: boolean;
  thresholds: ModeThresholds;
}

const pct = (n: number) => n.toFixed(2);

/**
 * Decides what happens to one command.
 *
 * Read-only commands are never stopped by the kill switch or the breaker: they cannot change the cluster, and
 * the kill switch is documented as "stops all writes". Read-only is earned by effect (risk/score.ts): only a low
 * command is read-only, so a read that prints Secret data or reads local files goes through every guard.
 * The full table is in docs/execution.md.
 */
export function decideMode(input: DecideInput): Decision {
  if (input.mode === 'plan') return decidePlan(input);
  const { kind, reason } = decideActive(input);
  return { kind, mode: input.mode, reason };
}

function decidePlan(input: DecideInput): Decision {
  const yolo = decideActive({ ...input, mode: 'yolo' });
  const approval = decideActive({ ...input, mode: 'approval' });
  // A forbidden command is not even dry-run: refusing is the preview.
  if (input.level === 'forbidden') return { kind: 'refuse', mode: 'plan', reason: yolo.reason, wouldBe: 'refuse' };
  const reason =
    yolo.kind === approval.kind
      ? `plan mode, nothing runs; yolo and approval would both ${describeKind(yolo.kind)}: ${yolo.reason}`
      : `plan mode, nothing runs; yolo would ${describeKind(yolo.kind)} (${yolo.reason}); approval mode would ${describeKind(approval.kind)}`;
  return { kind: 'preview', mode: 'plan', reason, wouldBe: yolo.kind, wouldBeInApproval: approval.kind };
}

function decideActive(input: DecideInput): { kind: DecisionKind; reason: string } {
  const { level, thresholds: t } = input;
  const why = input.reasons.length ? ` (${input.reasons.join('; ')})` : '';

  if (level === 'forbidden') return { kind: 'refuse', reason: `forbidden command, never executed in any mode${why}` };

  if (input.killSwitch && !input.readOnly) {
    // An unreadable store must not send the operator to `oncall-agent resume` (which would fail the same way).
    if (input.killSwitchUnreadable) return { kind: 'refuse', reason: `the safety store cannot be read, so no writes (fail closed): ${input.killSwitchUnreadable}` };
    return { kind: 'refuse', reason: 'the kill switch is on: no writes until `oncall-agent resume` (or KILL_SWITCH=false)' };
  }

  if (!input.destructiveEnabled && level !== 'low') {
    return {
      kind: 'refuse',
      reason: `ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=false allows only low-risk commands; this one is ${level}${why}`,
    };
  }

  if (input.humanApproved) {
    if (input.breakerOpen && !input.readOnly) {
      return { kind: 'refuse', reason: 'the circuit breaker is open: approved commands wait until it closes or half-opens' };
    }
    return { kind: 'execute', reason: `approved by a human; ${level} risk` };
  }

  // Before the skip threshold: a protected namespace always goes to a human, whatever the confidence.
  if (input.protectedNamespace) {
    return { kind: 'approval', reason: `targets a protected namespace: always needs a human, whatever the confidence${why}` };
  }

  if (input.confidence < t.skipBelow) {
    return { kind: 'skip', reason: `confidence ${pct(input.confidence)} is below SKIP_BELOW_CONFIDENCE ${pct(t.skipBelow)}` };
  }

  if (input.mode === 'approval') return { kind: 'approval', reason: `approval mode: a human decides (${level} risk, confidence ${pct(input.confidence)})` };

  // YOLO from here.
  if (input.namespaceUnknown && !input.readOnly) {
    return { kind: 'approval', reason: "no namespace given: kubectl would act in the context's default namespace, so a human decides" };
  }
  if (input.outsideIncident && !input.readOnly) {
    const { namespace, incidentNamespace } = input.outsideIncident;
    return { kind: 'approval', reason: `acts in namespace ${namespace}, not the incident's namespace ${incidentNamespace}: a human decides` };
  }
  if (input.breakerOpen && !input.readOnly) {
    return { kind: 'approval', reason: 'the circuit breaker is open: no automatic execution, a human decides' };
  }
  const needed = level === 'high' ? t.yoloMinHigh : t.yoloMin;
  const setting = level === 'high' ? 'YOLO_MIN_CONFIDENCE_HIGH' : 'YOLO_MIN_CONFIDENCE';
  if (input.confidence >= needed) {
    return { kind: 'execute', reason: `yolo: ${level} risk and confidence ${pct(input.confidence)} ≥ ${setting} ${pct(needed)}` };
  }
  return { kind: 'approval', reason: `yolo: ${level} risk needs confidence ≥ ${setting} ${pct(needed)}, got ${pct(input.confidence)}` };
}

function describeKind(kind: DecisionKind): string {
  switch (kind) {
    case 'execute':
      return 'execute';
    case 'approval':
      return 'ask a human';
    case 'skip':
      return 'skip';
    case 'refuse':
      return 'refuse';
    default:
      return 'preview';
  }
}
