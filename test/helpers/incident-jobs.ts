import type { IncidentJobData, TriageJobData } from '../../backend/src/queue/job-schemas.js';

/** A triage job as ingest would build it. */
export function triageJob(incidentId: string, deliveryId: string): TriageJobData {
  return {
    kind: 'triage',
    incident: { id: incidentId, title: `incident ${incidentId}`, details: {}, source: 'pagerduty' },
    origin: { deliveryId, eventId: `ev-${deliveryId}`, eventType: 'incident.triggered', occurredAt: '2026-11-21T15:16:27Z', receivedAt: '2026-11-21T15:16:28Z' },
  };
}

export function lifecycleJob(incidentId: string, deliveryId: string): IncidentJobData {
  const base = triageJob(incidentId, deliveryId);
  return { kind: 'lifecycle', incident: base.incident, status: 'resolved', origin: { ...base.origin, eventType: 'incident.resolved' } };
}

/** Polls until check() is truthy; generous deadline, no fixed sleeps. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
