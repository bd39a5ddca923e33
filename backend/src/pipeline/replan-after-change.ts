// An approved plan was refused because its target changed since the plan: the incident is triaged again from the
// cluster as it is now. The re-plan is an ordinary triage job on the incident queue (same pipeline, same mode policy,
// same write-back), so in approval mode its new approval is announced like any other. Bounded: one re-plan per refused
// approval, and at most MAX_REPLANS_PER_INCIDENT per incident (safety/approvals.ts claimReplan).
import type { PendingApproval } from '../domain/approval.js';
import type { Incident } from '../domain/incident.js';
import type { TargetChangedRefusalInfo } from '../domain/outcome.js';
import type { Logger } from '../observability/logger.js';
import { triageJobSchema, type TriageJobData } from '../queue/job-schemas.js';
import { describeError, record, type PipelineDeps } from './pipeline-deps.js';

/** The origin event type of a re-plan's triage job. */
export const REPLAN_EVENT_TYPE = 'approval.replan';

export interface ReplanDecision {
  next: TargetChangedRefusalInfo['next'];
  /** One sentence for the approver and the note: what happens now. */
  text: string;
  /** Set when a re-plan was claimed: the triage job to queue. */
  job?: TriageJobData;
}

/** What happens after the refusal: claims the re-plan (at most once per approval and a few times per incident). */
export async function decideReplan(deps: PipelineDeps, approval: PendingApproval, now: number): Promise<ReplanDecision> {
  const incident = storedIncidentOf(approval.payload);
  const claim = deps.approvals?.claimReplan;
  if (!deps.enqueue || !claim || !incident) {
    return { next: 'no-replan', text: 're-trigger or reopen the incident for a fresh plan' };
  }
  const claimed = await claim(approval.id, approval.incidentId);
  if (claimed.kind === 'already') return { next: 'replan-already-queued', text: 'a new plan was already made for the incident: approve that one' };
  if (claimed.kind === 'limit') {
    return { next: 'replan-limit-reached', text: `the incident already had ${claimed.max} new plans after target changes: the target keeps changing, so no new plan is made and a human must look` };
  }
  const at = new Date(now).toISOString();
  const id = `replan-${approval.id}`;
  const job: TriageJobData = { kind: 'triage', incident, origin: { deliveryId: id, eventId: id, eventType: REPLAN_EVENT_TYPE, occurredAt: at, receivedAt: at } };
  return { next: 'replan-queued', text: 'a new diagnosis and plan from the current state of the cluster follow', job };
}

/** Queues the claimed re-plan; a queue failure is recorded and logged, never thrown (the refusal stands either way). */
export async function enqueueReplan(deps: PipelineDeps, job: TriageJobData, approvalId: string, logger: Logger): Promise<void> {
  try {
    await deps.enqueue!(job);
    logger.info({ approvalId }, `a fresh triage of incident ${job.incident.id} is queued: its approved plan's target changed`);
  } catch (error) {
    logger.error({ err: error, approvalId }, `could not queue the new plan of incident ${job.incident.id}: re-trigger it by hand`);
    await record(deps, 'error', job.incident.id, 'agent', { operation: 'queue the re-plan of a refused approval', approvalId, message: describeError(error) }).catch(() => undefined);
  }
}

/** The incident stored with the approval, when it is one (approvals made before incidents were stored have none). */
export function storedIncidentOf(payload: unknown): Incident | undefined {
  const incident = (payload as { incident?: unknown } | null)?.incident;
  const parsed = triageJobSchema.shape.incident.safeParse(incident);
  return parsed.success ? parsed.data : undefined;
}
