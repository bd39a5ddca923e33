// Triage one incident: received → diagnose → execute (risk, mode, run, verify, rollback inside the execute stage)
// → exactly one `incident.outcome`. Every way in (the webhook worker, `oncall-agent plan`, MCP, test-yolo) runs this.
import { InvalidInputError, PolicyRefusal, TransientError } from '../domain/errors.js';
import type { ExecutionReport } from '../domain/execution-report.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import type { RemediationProposal } from '../domain/proposal.js';
import type { Logger } from '../observability/logger.js';
import { redactText } from '../redaction/redact.js';
import { describeError, record, type PipelineDeps } from './pipeline-deps.js';
import { recordOutcome } from './record-outcome.js';
import { startRunClock } from './run-clock.js';

export interface TriageOptions {
  /** false: a queue attempt with retries left; a transient diagnosis failure then throws TransientError (retried). */
  finalAttempt?: boolean;
  /** The queue hands a run cut short by shutdown to the next worker: such an abort is no failure to report. */
  requeuedOnShutdown?: boolean;
  /** `plan`: preview only, whatever EXECUTION_MODE says. */
  mode?: 'plan';
}

export interface TriageResult {
  proposal: RemediationProposal;
  report: ExecutionReport;
  outcome: IncidentOutcome;
}

/**
 * Throws only when the run ends without an outcome of its own: a transient failure with retries left (the queue
 * retries; writes already made are never repeated, because the execute stage keys every write by incident and
 * action), or shutdown handing the job back. A failure with no retry left is written as an `escalated` outcome
 * (with the error) and then rethrown, so the queue records the job as failed.
 */
export async function triageIncident(incident: Incident, deps: PipelineDeps, logger: Logger, signal: AbortSignal, options: TriageOptions = {}): Promise<TriageResult> {
  const now = deps.now ?? Date.now;
  const receivedAt = now();
  const clock = startRunClock(deps.audit, receivedAt, now);
  await record(deps, 'incident.received', incident.id, 'agent', {
    title: incident.title,
    source: incident.source,
    serviceId: incident.serviceId,
    urgency: incident.urgency,
    details: incident.details,
  });
  let proposal: RemediationProposal | undefined;
  try {
    proposal = await deps.diagnose(incident, logger, signal);
    await recordProposal(deps, incident.id, proposal);
    signal.throwIfAborted();
    // A diagnosis that failed on something passing (the API server unreachable or throttled) is retried by the queue
    // while attempts remain, instead of escalating at once; the last attempt escalates as usual. Nothing was written.
    if (proposal.retryable && options.finalAttempt === false) {
      logger.warn({ err: proposal.error }, `diagnosis of incident ${incident.id} failed on a transient error; the job will be retried`);
      throw new TransientError(`diagnosis failed on a transient error: ${proposal.error ?? 'unknown'}`, 'the queue retries the job with backoff (JOB_ATTEMPTS, JOB_BACKOFF_MS)');
    }
    const report = await deps.execute(incident, proposal, { logger, signal, audit: clock.sink, mode: options.mode });
    logger.info(
      { mode: report.mode, escalate: report.escalate, outcomes: report.outcomes.map((o) => redactText(`${o.status}: ${o.command}`)), approvalId: report.approval?.id },
      redactText(report.escalate ? `incident ${incident.id} needs a human: ${report.escalationReasons.join('; ')}` : `incident ${incident.id} handled in ${report.mode} mode`),
    );
    const mode = options.mode ?? report.mode;
    const outcome = await recordOutcome(deps, { incidentId: incident.id, run: 'triage', mode, timings: clock.timings(now()), proposal, report }, logger);
    return { proposal, report, outcome };
  } catch (error) {
    if (endsWithoutOutcome(error, signal, options)) throw error;
    const message = redactText(describeError(error)).slice(0, 1_000);
    await recordOutcome(
      deps,
      { incidentId: incident.id, run: 'triage', mode: options.mode ?? deps.mode ?? 'approval', timings: clock.timings(now()), proposal, error: `triage failed with no retry left: ${message}` },
      logger,
    );
    throw error;
  }
}

/** Whether a failure leaves the ending to a later attempt (or the next worker) rather than to this run. */
export function endsWithoutOutcome(error: unknown, signal: AbortSignal, options: Pick<TriageOptions, 'finalAttempt' | 'requeuedOnShutdown'>): boolean {
  if (options.requeuedOnShutdown && signal.aborted) return true;
  const unrecoverable = error instanceof PolicyRefusal || error instanceof InvalidInputError;
  return options.finalAttempt === false && !unrecoverable;
}

async function recordProposal(deps: PipelineDeps, incidentId: string, proposal: RemediationProposal): Promise<void> {
  await record(deps, 'proposal', incidentId, proposal.analyzer, {
    analyzer: proposal.analyzer,
    target: proposal.target,
    rootCause: proposal.rootCause,
    confidence: proposal.confidence,
    evidence: proposal.evidence,
    escalate: proposal.escalate,
    actions: proposal.actions,
    error: proposal.error,
    fallbackReason: proposal.fallbackReason,
    tokens: proposal.usage
      ? {
          input: proposal.usage.inputTokens,
          output: proposal.usage.outputTokens,
          cacheRead: proposal.usage.cacheReadTokens,
          cacheCreation: proposal.usage.cacheCreationTokens,
        }
      : undefined,
    latencyMs: proposal.usage?.latencyMs,
    rounds: proposal.usage?.rounds,
    model: proposal.usage?.model,
  });
}
