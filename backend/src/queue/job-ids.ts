import { createHash } from 'node:crypto';
import type { IncidentJobData } from './job-schemas.js';

// BullMQ keys are "bull:<queue>:<jobId>", so a job id must never contain ':'. Ids from outside (delivery ids,
// incident ids) are used verbatim when they are plainly safe, and hashed otherwise: rewriting characters in
// place could make two different deliveries collide.

const SAFE_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/** A safe, stable job-id fragment for an id that came from outside. */
export function safeIdPart(raw: string): string {
  return SAFE_ID.test(raw) ? raw : `h${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`;
}

/** One job per delivery: a retried delivery maps to the same id, so the store itself deduplicates. */
export function deliveryJobId(job: IncidentJobData): string {
  // A write-back job has no delivery: its key (incident, run and purpose) makes an equal job a duplicate.
  if (job.kind === 'writeback') return `writeback-${safeIdPart(job.key)}`;
  return `${job.kind}-${safeIdPart(job.origin.deliveryId)}`;
}

/** The coalescing key: at most one triage job per incident while one is waiting or active. */
export function coalesceKey(job: IncidentJobData): string | undefined {
  return job.kind === 'triage' ? `triage-${safeIdPart(job.incident.id)}` : undefined;
}
