// A PagerDuty lifecycle change (acknowledged / resolved) or a note: recorded; a resolved incident's plans go stale.
import type { Logger } from '../observability/logger.js';
import type { AnnotationJobData, LifecycleJobData } from '../queue/job-schemas.js';
import { record, type PipelineDeps } from './pipeline-deps.js';

export async function applyLifecycleChange(job: LifecycleJobData | AnnotationJobData, deps: PipelineDeps, logger: Logger): Promise<void> {
  if (job.kind === 'lifecycle') {
    logger.info({ status: job.status }, `incident ${job.incident.id} is ${job.status} in PagerDuty`);
    await record(deps, 'incident.lifecycle', job.incident.id, 'pagerduty', { status: job.status, eventType: job.origin.eventType, deliveryId: job.origin.deliveryId });
    if (job.status === 'resolved') await deps.onIncidentResolved?.(job.incident.id);
    return;
  }
  // A note is recorded in the incident's trail; its text is untrusted and redacted by the sinks.
  logger.info({ noteId: job.noteId }, `note added to incident ${job.incidentId}`);
  await record(
    deps,
    'incident.lifecycle',
    job.incidentId,
    job.author?.summary ?? 'pagerduty',
    { eventType: job.origin.eventType, noteId: job.noteId, author: job.author?.summary, content: job.content.slice(0, 2_000) },
  );
}
