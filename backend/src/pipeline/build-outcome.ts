// Pure: how one run ended, from what the stages reported. An ordered policy, first match wins, so every run gets
// exactly one kind and the order says which fact matters most to the human reading it.
import type { ExecutionMode } from '../domain/decision.js';
import type { ActionOutcome, ExecutionReport } from '../domain/execution-report.js';
import type { IncidentOutcome, OutcomeCommand, OutcomeEscalation, OutcomeKind, OutcomeRun, OutcomeTimings, TargetChangedRefusalInfo } from '../domain/outcome.js';
import type { RemediationProposal } from '../domain/proposal.js';
import { redactText } from '../redaction/redact.js';

export interface OutcomeInput {
  incidentId: string;
  run: OutcomeRun;
  mode: ExecutionMode;
  timings: OutcomeTimings;
  proposal?: RemediationProposal;
  report?: ExecutionReport;
  /** The run was refused by policy before any command (kill switch or breaker holding an approved plan, …). */
  refusal?: string;
  /** The job failed for good. */
  error?: string;
  approval?: { id: string; planHash: string };
  /** With `refusal`: the approved plan was refused because its target changed since the plan. */
  targetChanged?: TargetChangedRefusalInfo;
}

/** Statuses that mean a policy stopped the command (forbidden, protected namespace, kill switch, breaker, limits). */
const POLICY_STOPS = new Set(['refused', 'blocked']);
/** Statuses of a write that ran and holds. */
const HELD = new Set(['verified', 'already-done']);

export function classifyOutcome(input: OutcomeInput): { outcome: OutcomeKind; reasons: string[] } {
  const { report, proposal } = input;
  const reasons = [...(report?.escalationReasons ?? [])];
  if (input.error) return { outcome: 'escalated', reasons: [`the job failed for good: ${input.error}`, ...reasons] };
  if (input.refusal) return { outcome: 'refused', reasons: [input.refusal] };
  const commands = report?.outcomes ?? [];
  if (input.mode === 'plan' && commands.length > 0) return { outcome: 'previewed', reasons: [] };
  if (report?.approval) return { outcome: 'awaiting_approval', reasons };
  const rolledBack = commands.filter((c) => c.status === 'rolled-back');
  if (rolledBack.length > 0 && commands.every((c) => c.status !== 'failed')) return { outcome: 'rolled_back', reasons };
  if (commands.some((c) => c.status === 'failed')) return { outcome: 'escalated', reasons };
  const wrote = commands.filter((c) => c.execution || c.status === 'already-done');
  // Deferring to the incident that holds or just changed the target is not a policy refusal: the human reads that
  // incident (escalated below, its id in the reasons).
  if (commands.some((c) => POLICY_STOPS.has(c.status) && !c.deferredTo) && !wrote.some((c) => HELD.has(c.status))) return { outcome: 'refused', reasons };
  if (wrote.length > 0 && wrote.every((c) => HELD.has(c.status)) && !report?.escalate) return { outcome: 'fixed', reasons: [] };
  // Nothing proposed and nobody needs to look: the analyzer found the workload healthy, or the fix already held.
  if (commands.length === 0 && proposal && !proposal.escalate.required && proposal.actions.length === 0 && !proposal.error) {
    return { outcome: 'no_action', reasons };
  }
  return { outcome: 'escalated', reasons: reasons.length ? reasons : ['the run ended without a verified fix'] };
}

export function buildOutcome(input: OutcomeInput): IncidentOutcome {
  const { outcome, reasons } = classifyOutcome(input);
  const { proposal, report } = input;
  const target = proposal?.target;
  const approval = input.approval ?? (report?.approval ? { id: report.approval.id, planHash: report.approval.planHash } : undefined);
  const usage = proposal?.usage;
  const timings = { ...input.timings };
  if (outcome !== 'fixed') delete timings.toVerifiedFixMs;
  return {
    incidentId: input.incidentId,
    outcome,
    run: input.run,
    mode: report?.mode ?? input.mode,
    ...(proposal ? { analyzer: proposal.analyzer } : {}),
    ...(proposal?.fallbackReason ? { fallbackReason: redactText(proposal.fallbackReason) } : {}),
    ...(target?.name ? { target: { kind: target.kind ?? 'Deployment', namespace: target.namespace, name: target.name } } : {}),
    ...(proposal ? { rootCause: proposal.rootCause, confidence: proposal.confidence } : {}),
    reasons: reasons.map((r) => redactText(r)),
    ...(approval ? { approval } : {}),
    commands: (report?.outcomes ?? []).map(toOutcomeCommand),
    timings,
    ...(usage ? { tokens: { input: usage.inputTokens, output: usage.outputTokens } } : {}),
    ...(input.error ? { error: redactText(input.error) } : {}),
    ...(input.refusal && input.targetChanged ? { targetChanged: { changes: input.targetChanged.changes.map((c) => redactText(c)), next: input.targetChanged.next } } : {}),
    ...(outcome === 'escalated' && proposal ? escalationOf(proposal) : {}),
  };
}

/** The diagnosis's escalation in parts, when the analyzer gave them (the runbook does; a model's free text does not). */
function escalationOf(proposal: RemediationProposal): { escalation?: OutcomeEscalation } {
  const { escalate } = proposal;
  if (!escalate.required || (!escalate.humanStep && !escalate.wouldDo)) return {};
  return {
    escalation: {
      cause: redactText(proposal.rootCause),
      evidence: proposal.evidence.slice(0, 3).map((e) => redactText(e.fact)),
      ...(escalate.humanStep ? { humanStep: redactText(escalate.humanStep) } : {}),
      ...(escalate.wouldDo ? { wouldDo: redactText(escalate.wouldDo) } : {}),
    },
  };
}

function toOutcomeCommand(o: ActionOutcome): OutcomeCommand {
  return {
    index: o.index,
    command: redactText(o.command),
    risk: o.level,
    decision: o.decision.kind,
    status: o.status,
    detail: redactText(o.detail),
    ...(o.execution ? { exitCode: o.execution.exitCode } : {}),
    ...(o.verdict ? { verdict: o.verdict.status } : {}),
    ...(o.rollback ? { rollback: { restored: o.rollback.restored, detail: redactText(o.rollback.detail) } } : {}),
  };
}

/** One line a person reads first: "fixed in 41.2 s: kubectl rollout undo deployment/web -n shop". */
export function describeOutcome(o: IncidentOutcome): string {
  const secs = (ms: number | undefined) => (ms === undefined ? undefined : `${(ms / 1_000).toFixed(1)} s`);
  const what = o.commands.map((c) => c.command).join('; ');
  switch (o.outcome) {
    case 'fixed':
      return `FIXED in ${secs(o.timings.toVerifiedFixMs ?? o.timings.totalMs)}${what ? `: ${what}` : ''}`;
    case 'rolled_back':
      return `ROLLED BACK (the fix did not verify; the snapshot was restored)${o.reasons[0] ? `: ${o.reasons[0]}` : ''}`;
    case 'awaiting_approval':
      return `AWAITING APPROVAL ${o.approval?.id ?? ''} (plan hash ${o.approval?.planHash ?? '?'}): ${what}`;
    case 'previewed':
      return `PREVIEWED (plan mode, nothing executed): ${what}`;
    case 'refused':
      return `REFUSED by policy: ${o.reasons[0] ?? 'see the records above'}`;
    case 'no_action':
      return `NO ACTION needed${o.rootCause ? `: ${o.rootCause}` : ''}`;
    case 'escalated':
      return `ESCALATED to a human: ${o.reasons[0] ?? o.error ?? 'see the records above'}`;
  }
}
