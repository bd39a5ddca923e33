import type { Incident, Target } from '../domain/incident.js';
import { redactValue } from '../redaction/redact.js';
import { fenceUntrusted, truncate } from '../tools/format.js';

const MAX_DETAILS_CHARS = 3_000;

/** The first user message: the incident (fenced: alert text is untrusted), the resolved target and the live context. */
export function buildFirstMessage(incident: Incident, target: Target, context: string): string {
  const alert = {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    urgency: incident.urgency,
    service: incident.serviceName,
    createdAt: incident.createdAt,
    details: incident.details,
  };
  const alertText = truncate(JSON.stringify(redactValue(trimStrings(alert)), null, 1), MAX_DETAILS_CHARS);
  return [
    '## Incident',
    // An MCP client's issue and context are as untrusted as alert text; the label says where they came from.
    fenceUntrusted(`${incident.source === 'pagerduty' ? 'pagerduty' : incident.source} alert`, alertText),
    '',
    '## Resolved target (confirmed against the cluster)',
    JSON.stringify(target),
    '',
    '## Live cluster context (tool results gathered for you)',
    context,
    '',
    'Use the read tools if you need more, then call propose_remediation.',
  ].join('\n');
}

/** Alert fields are untrusted and unbounded: cut long strings, deep lists and deep nesting before anything else. */
function trimStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return truncate(value, 1_000);
  if (depth > 6) return '[nested too deep]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => trimStrings(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).slice(0, 50).map(([k, v]) => [truncate(k, 100), trimStrings(v, depth + 1)]));
  }
  return value;
}
