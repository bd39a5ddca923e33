import type { Incident } from '../domain/incident.js';
import type { Logger } from '../observability/logger.js';
import type { PagerDutyRestClient } from '../pagerduty/rest-client.js';

/**
 * Adds the Events v2 custom_details of the incident's alerts to its details. The webhook's own fields win on
 * conflict. Any failure is logged and the incident goes on with the webhook fields alone: enrichment never loses it.
 */
export async function enrichIncident(incident: Incident, pagerDuty: Pick<PagerDutyRestClient, 'listIncidentAlerts'>, logger: Logger, signal?: AbortSignal): Promise<Incident> {
  try {
    const alerts = await pagerDuty.listIncidentAlerts(incident.id, signal);
    if (alerts.length === 0) return incident;
    const fromAlerts = Object.assign({}, ...alerts.slice(0, 5).reverse().map((a) => a.details)) as Record<string, unknown>;
    return { ...incident, details: { ...fromAlerts, ...incident.details } };
  } catch (error) {
    // The logger is the incident's child logger: it already carries incidentId (a second one duplicates the JSON key).
    logger.warn({ err: (error as Error).message }, 'PagerDuty enrichment failed; using the webhook fields');
    return incident;
  }
}
