import type { Incident } from '../domain/incident.js';
import type { IncidentData } from '../pagerduty/webhook-schemas.js';

/**
 * The webhook's incident object as the domain Incident. Every text field stays untrusted. The V3 webhook does not
 * carry the alert's custom_details; details holds what it does carry that can help resolve the target.
 */
export function normaliseIncident(data: IncidentData): Incident {
  const details: Record<string, unknown> = {};
  if (data.incident_key) details.incident_key = data.incident_key;
  if (data.escalation_policy?.summary) details.escalation_policy = data.escalation_policy.summary;
  if (data.teams?.length) details.teams = data.teams.map((t) => t.summary ?? t.id);
  if (data.assignees?.length) details.assignees = data.assignees.map((a) => a.summary ?? a.id);
  return {
    id: data.id,
    title: data.title ?? '',
    number: data.number ?? undefined,
    status: data.status ?? undefined,
    urgency: data.urgency ?? undefined,
    priority: data.priority?.summary ?? undefined,
    htmlUrl: data.html_url ?? undefined,
    serviceId: data.service?.id,
    serviceName: data.service?.summary ?? undefined,
    createdAt: data.created_at ?? undefined,
    details,
    source: 'pagerduty',
  };
}
