// How every approval channel hands a human's decision to the worker: enqueue an `approval` job, then (optionally)
// wait for its result. The channel never runs the plan itself, so an approved plan always runs under the daemon's
// settings, in a worker, never in an HTTP request or the approver's shell.
import { randomUUID } from 'node:crypto';
import type { ApprovalResult } from '../pipeline/decide-approval.js';
import type { IncidentQueue, JobSettlement } from '../queue/incident-queue.js';
import type { ApprovalJobData } from '../queue/job-schemas.js';

export type ApprovalDecision = Omit<ApprovalJobData, 'kind' | 'origin'>;

/** Stores the decision as a job; resolves with the job id once it is stored (throws QueueUnavailableError otherwise). */
export async function enqueueApprovalDecision(queue: IncidentQueue, decision: ApprovalDecision, now: () => number = Date.now): Promise<string> {
  const requestId = randomUUID();
  const at = new Date(now()).toISOString();
  const job: ApprovalJobData = {
    kind: 'approval',
    ...decision,
    origin: { deliveryId: requestId, eventId: requestId, eventType: `approval.${decision.decision}`, occurredAt: at, receivedAt: at },
  };
  return (await queue.enqueue(job)).jobId;
}

export type ApprovalSettlement = { state: 'completed'; result: ApprovalResult } | Exclude<JobSettlement, { state: 'completed' }>;

/** Waits for the worker to finish the decision (bounded by timeoutMs). */
export async function awaitApprovalResult(queue: IncidentQueue, jobId: string, timeoutMs: number): Promise<ApprovalSettlement> {
  const settled = await queue.waitForJob(jobId, timeoutMs);
  return settled.state === 'completed' ? { state: 'completed', result: settled.result as ApprovalResult } : settled;
}
