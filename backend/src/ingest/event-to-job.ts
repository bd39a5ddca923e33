import type { IncidentJobData } from '../queue/job-schemas.js';
import {
  ANNOTATION_EVENT_TYPE,
  LIFECYCLE_EVENT_TYPES,
  TRIAGE_EVENT_TYPES,
  incidentNoteDataSchema,
  parseIncidentData,
  type WebhookEvent,
} from '../pagerduty/webhook-schemas.js';
import { clipText, JOB_FIELD_LIMITS, normaliseIncident } from './normalise-incident.js';

export type EventDisposition =
  | { action: 'enqueue'; job: IncidentJobData }
  | { action: 'ignore'; reason: string }
  | { action: 'reject'; reason: string };

const triageTypes: readonly string[] = TRIAGE_EVENT_TYPES;
const lifecycleTypes: readonly string[] = LIFECYCLE_EVENT_TYPES;

/**
 * Decides what one verified, parsed event becomes: a job, nothing (recorded only), or a 400. `deliveryId` keys the
 * job (the router passes the signed event id); `webhookId` is the unsigned X-Webhook-Id header, kept for the trail.
 */
export function eventToJob(event: WebhookEvent, deliveryId: string, receivedAt: Date, webhookId?: string): EventDisposition {
  const origin = {
    deliveryId,
    ...(webhookId && webhookId !== deliveryId ? { webhookId: clipText(webhookId, JOB_FIELD_LIMITS.text) } : {}),
    eventId: event.id,
    eventType: event.event_type,
    occurredAt: event.occurred_at,
    receivedAt: receivedAt.toISOString(),
  };
  const type = event.event_type;

  if (triageTypes.includes(type) || lifecycleTypes.includes(type)) {
    const data = parseIncidentData(event.data);
    if (!data.success) return { action: 'reject', reason: `${type}: event.data is not an incident: ${describe(data.error.issues[0])}` };
    const incident = normaliseIncident(data.data);
    if (triageTypes.includes(type)) return { action: 'enqueue', job: { kind: 'triage', incident, origin } };
    const status = type === 'incident.resolved' ? 'resolved' : 'acknowledged';
    const agent = agentOf(event);
    return { action: 'enqueue', job: { kind: 'lifecycle', incident, status, ...(agent ? { agent } : {}), origin } };
  }

  if (type === ANNOTATION_EVENT_TYPE) {
    const data = incidentNoteDataSchema.safeParse(event.data);
    if (!data.success) return { action: 'reject', reason: `${type}: event.data is not an incident note: ${describe(data.error.issues[0])}` };
    const agent = agentOf(event);
    return {
      action: 'enqueue',
      job: {
        kind: 'annotation',
        incidentId: data.data.incident.id,
        noteId: data.data.id,
        content: clipText(data.data.content, JOB_FIELD_LIMITS.note),
        author: agent
          ? { id: typeof agent.id === 'string' ? clipText(agent.id, JOB_FIELD_LIMITS.text) : undefined, summary: typeof agent.summary === 'string' ? clipText(agent.summary, JOB_FIELD_LIMITS.text) : undefined }
          : undefined,
        origin,
      },
    };
  }

  // pagey.ping, service.*, incident.priority_updated, and types PagerDuty adds later.
  return { action: 'ignore', reason: `event type ${type} needs no action` };
}

/** The webhook's `agent` (who made the change), reduced to strings; untrusted. */
function agentOf(event: WebhookEvent): { id?: string; type?: string; summary?: string } | undefined {
  const agent = event.agent as { id?: unknown; type?: unknown; summary?: unknown } | null | undefined;
  if (!agent) return undefined;
  const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);
  return { id: str(agent.id, 64), type: str(agent.type, 64), summary: str(agent.summary, 200) };
}

function describe(issue: { path: (string | number)[]; message: string }): string {
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
