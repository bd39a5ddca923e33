import { InvalidInputError, PolicyRefusal } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentJobHandler, JobContext } from '../queue/incident-queue.js';
import { redactText } from '../redaction/redact.js';
import { handleIncident, recordIncidentEvent, type PipelineDeps } from './handle-incident.js';

/** What the queue worker runs: triage jobs go through the whole pipeline; lifecycle changes and notes are recorded. */
export function createIncidentJobHandler(deps: PipelineDeps): IncidentJobHandler {
  return async (job, ctx) => {
    switch (job.kind) {
      case 'triage':
        try {
          await handleIncident(job.incident, deps, ctx.logger, ctx.signal, { finalAttempt: ctx.finalAttempt });
        } catch (error) {
          await escalateIfLastTry(deps, job.incident, ctx, error);
          throw error;
        }
        return;
      case 'lifecycle':
        ctx.logger.info({ status: job.status }, `incident ${job.incident.id} is ${job.status} in PagerDuty`);
        await recordIncidentEvent(deps, job.incident.id, { status: job.status, eventType: job.origin.eventType, deliveryId: job.origin.deliveryId });
        if (job.status === 'resolved') await deps.onIncidentResolved?.(job.incident.id);
        return;
      case 'annotation':
        // Kept for approvals given as PagerDuty notes (a later stage reads them); the text is untrusted and redacted by the sinks.
        ctx.logger.info({ noteId: job.noteId }, `note added to incident ${job.incidentId}`);
        await recordIncidentEvent(deps, job.incidentId, {
          eventType: job.origin.eventType,
          noteId: job.noteId,
          author: job.author?.summary,
          content: job.content.slice(0, 2_000),
        }, job.author?.summary ?? 'pagerduty');
        return;
    }
  };
}

/**
 * A triage that fails with no retry left (attempts used up, or an error no retry can fix) would otherwise end as a
 * failed job in the queue that nobody reads: hand it to a human with the error, in the audit trail and the log.
 * The audit trail never throws (a failing sink is logged and skipped), so the JSONL file still gets it when Redis is gone.
 */
async function escalateIfLastTry(deps: PipelineDeps, incident: Incident, ctx: JobContext, error: unknown): Promise<void> {
  const unrecoverable = error instanceof PolicyRefusal || error instanceof InvalidInputError;
  if (!ctx.finalAttempt && !unrecoverable) return;
  // Cut short by shutdown, and the queue hands the job to the next worker: not a failure to escalate.
  if (ctx.requeuedOnShutdown && ctx.signal.aborted) return;
  const message = redactText(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1_000);
  const reason = `triage failed on attempt ${ctx.attempt} with no retry left: ${message}`;
  ctx.logger.error({ attempt: ctx.attempt, err: message }, `escalating incident ${incident.id} to a human: ${reason}`);
  await deps.audit
    .write({
      ts: new Date((deps.now ?? Date.now)()).toISOString(),
      type: 'escalation',
      incidentId: incident.id,
      actor: 'agent',
      data: { reasons: [reason], attempt: ctx.attempt, jobId: ctx.jobId, title: incident.title },
    })
    .catch((auditError: unknown) => ctx.logger.error({ err: auditError }, 'could not record the escalation in the audit trail'));
}
