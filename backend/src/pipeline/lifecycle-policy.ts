// Pure: what a PagerDuty lifecycle change means for the agent's work on that incident, and whether a triage job may
// still act. The marks are times on the ingest clock (origin.receivedAt), so a later reopen outranks an older resolve.
import type { LifecycleJobData } from '../queue/job-schemas.js';

export type LifecycleEffect =
  /** Resolved in PagerDuty: stop work on it (queued triage skipped, active run aborted before its next write). */
  | { kind: 'cancel-work' }
  /** A person acknowledged it: this incident goes to plan mode. */
  | { kind: 'force-plan'; by: string; why: string }
  /** Recorded only: the agent's own acknowledgement, a service's, or the setting is off. */
  | { kind: 'record-only'; why: string };

export interface LifecycleSettings {
  /** HUMAN_ACK_FORCES_PLAN */
  humanAckForcesPlan: boolean;
  /** The agent's own PagerDuty user id, when known. */
  ownUserId?: string;
  /** The agent acknowledges incidents itself (a token is set): an unknown acknowledger may be the agent. */
  agentAcknowledges: boolean;
}

export function decideLifecycleEffect(job: LifecycleJobData, settings: LifecycleSettings): LifecycleEffect {
  if (job.status === 'resolved') return { kind: 'cancel-work' };
  const agent = job.agent;
  if (settings.ownUserId && agent?.id === settings.ownUserId) return { kind: 'record-only', why: "the agent's own acknowledgement" };
  if (!settings.humanAckForcesPlan) return { kind: 'record-only', why: 'HUMAN_ACK_FORCES_PLAN is off' };
  // Only people count: a service or integration acknowledging (an Events API acknowledge) is not someone taking over.
  if (agent?.type && !/^user(_reference)?$/.test(agent.type)) return { kind: 'record-only', why: `acknowledged by a ${agent.type}, not a person` };
  const by = agent?.summary ?? agent?.id ?? 'someone';
  // When the agent's own user could not be looked up, an acknowledgement might be the agent's: err towards plan mode.
  const why = settings.agentAcknowledges && !settings.ownUserId ? `acknowledged by ${by} (the agent's own PagerDuty user is unknown, so treated as a person)` : `acknowledged by ${by}`;
  return { kind: 'force-plan', by, why };
}

/** The triage job of this delivery was received before PagerDuty said the incident is resolved: do not act on it. */
export function isCancelledByResolve(resolvedAt: number | undefined, jobReceivedAt: string): boolean {
  return resolvedAt !== undefined && resolvedAt >= Date.parse(jobReceivedAt);
}

/**
 * A person acknowledged the incident, and (for a reopened incident) did so after this reopen: plan mode.
 * A fresh trigger of the same incident id cannot happen; a reopen starts over unless someone acknowledges again.
 */
export function isForcedToPlan(humanAckAt: number | undefined, job: { origin: { eventType: string; receivedAt: string } }): boolean {
  if (humanAckAt === undefined) return false;
  if (job.origin.eventType === 'incident.reopened') return humanAckAt >= Date.parse(job.origin.receivedAt);
  return true;
}
