// The one place that spells out the stage order. Every way in (webhook worker, MCP, CLI, test-yolo) runs this.
import type { AuditEvent, AuditEventType } from '../domain/audit.js';
import { TransientError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { AuditSink } from '../domain/ports.js';
import type { RemediationProposal } from '../domain/proposal.js';
import type { Logger } from '../observability/logger.js';
import { redactText } from '../redaction/redact.js';

/** What the execute stage reports back, as far as the pipeline reads it. */
export interface StageReport {
  mode: string;
  escalate: boolean;
  escalationReasons: string[];
  outcomes: Array<{ command: string; status: string }>;
  approval?: { id: string };
}

/** The stages as small functions, so any entry point can supply its own adapters. */
export interface PipelineDeps {
  diagnose(incident: Incident, logger: Logger, signal: AbortSignal): Promise<RemediationProposal>;
  execute(incident: Incident, proposal: RemediationProposal, logger: Logger, signal: AbortSignal): Promise<StageReport>;
  audit: AuditSink;
  now?: () => number;
  /** PagerDuty resolved the incident: the plans still waiting for (or holding) an approval go stale. */
  onIncidentResolved?(incidentId: string): Promise<void>;
}

export interface PipelineResult {
  proposal: RemediationProposal;
  report: StageReport;
}

/**
 * Triage one incident: received → diagnose → (risk, mode, execute, verify, rollback inside the execute stage).
 * With `finalAttempt: false` (a queue attempt with retries left), a diagnosis that failed transiently throws
 * TransientError before anything runs. Throws only for transient failures worth a retry (the queue retries; writes already made are never repeated,
 * because the execute stage keys every write by incident and action).
 */
export async function handleIncident(
  incident: Incident,
  deps: PipelineDeps,
  logger: Logger,
  signal: AbortSignal,
  options: { finalAttempt?: boolean } = {},
): Promise<PipelineResult> {
  await record(deps, 'incident.received', incident.id, 'agent', {
    title: incident.title,
    source: incident.source,
    serviceId: incident.serviceId,
    urgency: incident.urgency,
    details: incident.details,
  });

  const proposal = await deps.diagnose(incident, logger, signal);
  await record(deps, 'proposal', incident.id, proposal.analyzer, {
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
  signal.throwIfAborted();
  // A diagnosis that failed on something passing (the API server unreachable or throttled) is retried by the queue
  // while attempts remain, instead of escalating at once; the last attempt escalates as usual. Nothing was written.
  if (proposal.retryable && options.finalAttempt === false) {
    logger.warn({ err: proposal.error }, `diagnosis of incident ${incident.id} failed on a transient error; the job will be retried`);
    throw new TransientError(`diagnosis failed on a transient error: ${proposal.error ?? 'unknown'}`, 'the queue retries the job with backoff (JOB_ATTEMPTS, JOB_BACKOFF_MS)');
  }

  const report = await deps.execute(incident, proposal, logger, signal);
  logger.info(
    {
      mode: report.mode,
      escalate: report.escalate,
      outcomes: report.outcomes.map((o) => redactText(`${o.status}: ${o.command}`)),
      approvalId: report.approval?.id,
    },
    redactText(report.escalate ? `incident ${incident.id} needs a human: ${report.escalationReasons.join('; ')}` : `incident ${incident.id} handled in ${report.mode} mode`),
  );
  return { proposal, report };
}

/** A PagerDuty lifecycle change (acknowledged / resolved) or a note: recorded; later stages give it meaning. */
export async function recordIncidentEvent(
  deps: Pick<PipelineDeps, 'audit' | 'now'>,
  incidentId: string,
  data: Record<string, unknown>,
  actor = 'pagerduty',
): Promise<void> {
  await record(deps, 'incident.lifecycle', incidentId, actor, data);
}

async function record(
  deps: Pick<PipelineDeps, 'audit' | 'now'>,
  type: AuditEventType,
  incidentId: string,
  actor: string,
  data: Record<string, unknown>,
): Promise<void> {
  const event: AuditEvent = { ts: new Date((deps.now ?? Date.now)()).toISOString(), type, incidentId, actor, data };
  await deps.audit.write(event);
}
