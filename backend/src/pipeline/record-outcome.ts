// The one writer of `incident.outcome`, and of the `escalation` record that goes with it: every triage run and every
// approved-plan run ends here, exactly once.
import type { ObjectRef } from '../domain/audit.js';
import type { AuditSink } from '../domain/ports.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { redactText, redactValue } from '../redaction/redact.js';
import { buildOutcome, describeOutcome, type OutcomeInput } from './build-outcome.js';

export type OutcomeMetrics = Pick<Metrics, 'incidentOutcomes' | 'timeToDecision' | 'timeToFirstWrite' | 'timeToVerifiedFix'>;

export interface OutcomeDeps {
  audit: AuditSink;
  metrics?: OutcomeMetrics;
  now?: () => number;
  /** Readers of the outcome that act on it (PagerDuty write-back); a failure there is logged, never the run's. */
  onOutcome?(outcome: IncidentOutcome, proposal?: OutcomeInput['proposal']): Promise<void>;
  /**
   * A queued job's run: claims its one ending (claim-outcome.ts). False when an earlier attempt of the same job already
   * wrote it; then nothing is written again.
   */
  claimOutcome?(): Promise<boolean>;
}

export async function recordOutcome(deps: OutcomeDeps, input: OutcomeInput, logger: Logger): Promise<IncidentOutcome> {
  const outcome = buildOutcome(input);
  if (deps.claimOutcome && !(await deps.claimOutcome())) {
    logger.warn({ outcome: outcome.outcome }, `incident ${outcome.incidentId}: an earlier attempt of this job already recorded its outcome; not recorded again`);
    return outcome;
  }
  if (needsEscalation(outcome, input)) await recordEscalation(deps, outcome, input.report?.target);
  await deps.audit.write({
    ts: new Date((deps.now ?? Date.now)()).toISOString(),
    type: 'incident.outcome',
    incidentId: outcome.incidentId,
    actor: 'agent',
    data: outcome as unknown as Record<string, unknown>,
  });
  observe(deps.metrics, outcome);
  await deps.onOutcome?.(outcome, input.proposal).catch((error: unknown) => logger.warn({ err: error }, `could not hand the outcome of incident ${outcome.incidentId} to PagerDuty write-back`));
  const line = redactText(`incident ${outcome.incidentId}: ${describeOutcome(outcome)}`);
  if (outcome.outcome === 'escalated' || outcome.outcome === 'refused') logger.warn({ outcome: outcome.outcome, reasons: outcome.reasons }, line);
  else logger.info({ outcome: outcome.outcome, timings: outcome.timings }, line);
  return outcome;
}

/**
 * A human must take over: the run escalated, rolled back, or a policy stopped a proposed command. An approved plan
 * refused before it ran (kill switch, breaker) is not one: the approver is told at once and the approval stays.
 */
function needsEscalation(outcome: IncidentOutcome, input: OutcomeInput): boolean {
  return outcome.outcome === 'escalated' || outcome.outcome === 'rolled_back' || (outcome.outcome === 'refused' && input.report !== undefined);
}

/**
 * The `escalation` record, with the outcome's reasons; with a target it also becomes a Warning Event on that object
 * (audit/kube-event-sink.ts), where `kubectl describe` shows it (never in plan mode).
 */
async function recordEscalation(deps: OutcomeDeps, outcome: IncidentOutcome, target: ObjectRef | undefined): Promise<void> {
  const data = {
    mode: outcome.mode,
    outcome: outcome.outcome,
    reasons: outcome.reasons.length ? outcome.reasons : [outcome.error ?? 'the run ended without a verified fix'],
    approvalId: outcome.approval?.id,
    outcomes: outcome.commands.map((c) => ({ index: c.index, command: c.command, status: c.status })),
  };
  await deps.audit.write({
    ts: new Date((deps.now ?? Date.now)()).toISOString(),
    type: 'escalation',
    incidentId: outcome.incidentId,
    actor: 'agent',
    data: redactValue(data) as Record<string, unknown>,
    ...(target ? { target } : {}),
  });
}

function observe(metrics: OutcomeMetrics | undefined, o: IncidentOutcome): void {
  if (!metrics) return;
  const labels = { mode: o.mode, analyzer: o.analyzer ?? 'none' };
  metrics.incidentOutcomes.inc({ ...labels, outcome: o.outcome });
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1_000);
  const observeIf = (h: OutcomeMetrics['timeToDecision'], ms: number | undefined) => ms !== undefined && h.observe(labels, seconds(ms)!);
  observeIf(metrics.timeToDecision, o.timings.toDecisionMs);
  observeIf(metrics.timeToFirstWrite, o.timings.toFirstWriteMs);
  observeIf(metrics.timeToVerifiedFix, o.timings.toVerifiedFixMs);
}
