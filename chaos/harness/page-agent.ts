// Pages the agent the way PagerDuty does: the alert becomes an incident (served with its alerts by the fake
// PagerDuty REST API), and a signed V3 `incident.triggered` webhook announces it.
import { randomBytes, randomUUID } from 'node:crypto';
import { signatureHeader } from '../../backend/src/pagerduty/verify-signature.js';
import type { FakePagerDutyServer } from './fake-pagerduty-server.js';
import type { AlertPayload } from './load-scenarios.js';

export const CHAOS_SERVICE = { id: 'PCHAOS1', summary: 'chaos-scenarios' };

/** A PagerDuty-looking id: an upper-case letter and 13 upper-case alphanumerics. */
export function newIncidentId(prefix = 'Q'): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  return prefix + [...randomBytes(13)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** PagerDuty's incident urgency from the Events v2 severity (the default urgency rule). */
function urgencyOf(severity: string): 'high' | 'low' {
  return severity === 'critical' || severity === 'error' ? 'high' : 'low';
}

/** The V3 webhook envelope PagerDuty sends when the alert opens an incident. */
export function triggeredEvent(incidentId: string, alert: AlertPayload, now = new Date()): Record<string, unknown> {
  const self = `https://api.pagerduty.com/incidents/${incidentId}`;
  const service = { ...CHAOS_SERVICE, type: 'service_reference', self: `https://api.pagerduty.com/services/${CHAOS_SERVICE.id}`, html_url: `https://chaos.pagerduty.com/services/${CHAOS_SERVICE.id}` };
  return {
    event: {
      id: randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase(),
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: now.toISOString(),
      agent: service,
      client: { name: 'PagerDuty' },
      data: {
        id: incidentId,
        type: 'incident',
        self,
        html_url: `https://chaos.pagerduty.com/incidents/${incidentId}`,
        number: Number.parseInt(randomBytes(3).toString('hex'), 16),
        status: 'triggered',
        incident_key: randomBytes(16).toString('hex'),
        created_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        title: alert.summary,
        service,
        assignees: [],
        escalation_policy: { id: 'PCHAOSEP', type: 'escalation_policy_reference', summary: 'Chaos' },
        teams: [],
        priority: null,
        urgency: urgencyOf(alert.severity),
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  };
}

/** Registers the incident and its alert with the fake PagerDuty REST API, as `GET /incidents/{id}/alerts` serves it. */
export function publishIncident(pd: FakePagerDutyServer, incidentId: string, alert: AlertPayload, now = new Date()): void {
  const body = {
    type: 'alert_body',
    contexts: [],
    details: alert.custom_details,
    cef_details: {
      client: 'Alertmanager',
      contexts: [],
      creation_time: now.toISOString(),
      dedup_key: `${incidentId}-dedup`,
      description: alert.summary,
      details: alert.custom_details,
      event_class: alert.class,
      message: alert.summary,
      mutations: [],
      priority: null,
      reporter_component: alert.component,
      reporter_location: alert.group,
      service_group: alert.group,
      severity: alert.severity,
      source_component: alert.component,
      source_origin: alert.source,
      summary: alert.summary,
      version: '1.0',
    },
  };
  pd.state.incidents.push({
    id: incidentId,
    title: alert.summary,
    status: 'triggered',
    service: CHAOS_SERVICE,
    urgency: urgencyOf(alert.severity),
    created_at: now.toISOString(),
    alerts: [{ id: `A${incidentId.slice(1)}`, summary: alert.summary, body }],
  });
}

export interface DeliveryResult {
  status: number;
  /** The body's status: accepted, duplicate, ignored, … */
  answer: string;
}

/** POSTs the envelope to the agent's webhook, signed with `secret` exactly as PagerDuty signs V3 deliveries. */
export async function deliverWebhook(agentUrl: string, secret: string, envelope: unknown, timeoutMs = 15_000): Promise<DeliveryResult> {
  const body = Buffer.from(JSON.stringify(envelope));
  const res = await fetch(new URL('/webhooks/pagerduty', agentUrl), {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'PagerDuty-Webhook/V3.0',
      'x-pagerduty-signature': signatureHeader(body, [secret]),
      'x-webhook-id': `chaos-${randomBytes(6).toString('hex')}`,
    },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let answer = text.slice(0, 200);
  try {
    answer = String((JSON.parse(text) as { status?: string }).status ?? answer);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, answer };
}
