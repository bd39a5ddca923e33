import type { IncidentJobHandler } from '../queue/incident-queue.js';
import { handleIncident, recordIncidentEvent, type PipelineDeps } from './handle-incident.js';

/** What the queue worker runs: triage jobs go through the whole pipeline; lifecycle changes and notes are recorded. */
export function createIncidentJobHandler(deps: PipelineDeps): IncidentJobHandler {
  return async (job, ctx) => {
    switch (job.kind) {
      case 'triage':
        await handleIncident(job.incident, deps, ctx.logger, ctx.signal);
        return;
      case 'lifecycle':
        ctx.logger.info({ status: job.status }, `incident ${job.incident.id} is ${job.status} in PagerDuty`);
        await recordIncidentEvent(deps, job.incident.id, { status: job.status, eventType: job.origin.eventType, deliveryId: job.origin.deliveryId });
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
