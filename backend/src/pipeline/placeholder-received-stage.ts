import type { IncidentJobHandler } from '../queue/incident-queue.js';
import { jobIncidentId } from '../queue/job-schemas.js';
import type { PlaceholderReceivedLog } from './placeholder-received-log.js';

export interface PlaceholderStageDeps {
  log: PlaceholderReceivedLog;
  /** PLACEHOLDER_STAGE_DELAY_MS: pretend work, so shutdown can be exercised while a job runs. Honours the abort signal. */
  delayMs?: number;
}

/**
 * PLACEHOLDER for the real pipeline (diagnose → risk → execute → verify, from later issues): it logs the incident
 * and records a "received" entry. It does not diagnose, change or remediate anything.
 */
export function createPlaceholderReceivedStage(deps: PlaceholderStageDeps): IncidentJobHandler {
  return async (job, ctx) => {
    const incident = job.kind === 'annotation' ? undefined : job.incident;
    ctx.logger.info(
      { eventType: job.origin.eventType, title: incident?.title, status: job.kind === 'lifecycle' ? job.status : incident?.status },
      'placeholder stage: job received (no diagnosis or remediation yet)',
    );
    if (deps.delayMs) await sleep(deps.delayMs, ctx.signal);
    await deps.log.append({
      ts: new Date().toISOString(),
      jobId: ctx.jobId,
      jobKind: job.kind,
      incidentId: jobIncidentId(job),
      eventType: job.origin.eventType,
      deliveryId: job.origin.deliveryId,
      attempt: ctx.attempt,
      title: incident?.title,
    });
    ctx.logger.info('placeholder stage: recorded as received');
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
