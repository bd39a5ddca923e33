import type { Incident } from '../domain/incident.js';
import type { IncidentData } from '../pagerduty/webhook-schemas.js';

/**
 * What a stored job may keep of each alert field. Finished jobs are kept for days (delivery dedup), so a job's size is
 * bounded in bytes, not only in count: every kept text is cut, lists are capped, and nothing diagnosis never reads
 * (conference bridges, self links, resolve reasons, the rest of the envelope) is stored at all.
 */
export const JOB_FIELD_LIMITS = {
  title: 1_024,
  text: 256,
  url: 2_048,
  listItems: 10,
  /** Notes are read for approvals; the handler reads at most 2,000 characters of one. */
  note: 2_000,
} as const;

/** Cuts a text to `max` characters, saying so, so a cut value is never mistaken for the whole. */
export function clipText(value: string, max: number, mark = '[cut]'): string {
  return value.length > max ? `${value.slice(0, max)}… ${mark}` : value;
}

const clipOptional = (value: string | null | undefined, max: number) => (value == null ? undefined : clipText(value, max));

/**
 * The webhook's incident object as the domain Incident. Every text field stays untrusted. The V3 webhook does not
 * carry the alert's custom_details; details holds what it does carry that can help resolve the target.
 */
export function normaliseIncident(data: IncidentData): Incident {
  const { text, listItems } = JOB_FIELD_LIMITS;
  const details: Record<string, unknown> = {};
  if (data.incident_key) details.incident_key = clipText(data.incident_key, text);
  if (data.escalation_policy?.summary) details.escalation_policy = clipText(data.escalation_policy.summary, text);
  if (data.teams?.length) details.teams = data.teams.slice(0, listItems).map((t) => clipText(t.summary ?? t.id, text));
  if (data.assignees?.length) details.assignees = data.assignees.slice(0, listItems).map((a) => clipText(a.summary ?? a.id, text));
  return {
    id: data.id,
    title: clipText((data.title ?? '').replace(/… \[title cut\]$/, ''), JOB_FIELD_LIMITS.title, '[title cut]'),
    number: data.number ?? undefined,
    status: clipOptional(data.status, text),
    urgency: clipOptional(data.urgency, text),
    priority: clipOptional(data.priority?.summary, text),
    htmlUrl: clipOptional(data.html_url, JOB_FIELD_LIMITS.url),
    serviceId: clipOptional(data.service?.id, text),
    serviceName: clipOptional(data.service?.summary, text),
    createdAt: clipOptional(data.created_at, text),
    details,
    source: 'pagerduty',
  };
}
