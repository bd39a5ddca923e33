// With PAGERDUTY_ROUTING_KEY set, the chaos run also pages a real PagerDuty service through the Events API v2: one
// alert per scenario incident (dedup key oncall-agent-chaos-<incident id>), resolved when the scenario ends, and the
// agent's change events go to the same service. The harness still delivers the signed webhook itself, so the run
// is judged the same way whether or not a real account is watching. A PagerDuty failure is reported, never fatal.
import { createEventsClient, type EventSeverity, type EventsClient } from '../../backend/src/pagerduty/events-client.js';
import type { AlertPayload } from './load-scenarios.js';

export interface RealPager {
  /** Where the events go, for the run's settings line. */
  describe: string;
  page(incidentId: string, alert: AlertPayload): Promise<void>;
  resolve(incidentId: string): Promise<void>;
}

const SEVERITIES: readonly EventSeverity[] = ['critical', 'error', 'warning', 'info'];

export const dedupKeyFor = (incidentId: string) => `oncall-agent-chaos-${incidentId}`;

export function realPagerFromEnv(env: NodeJS.ProcessEnv, warn: (line: string) => void): RealPager | undefined {
  const routingKey = env.PAGERDUTY_ROUTING_KEY?.trim();
  if (!routingKey) return undefined;
  const eventsUrl = env.PAGERDUTY_EVENTS_URL?.trim() || undefined;
  const client: EventsClient = createEventsClient({ routingKey, eventsUrl, clientName: 'oncall-agent test-yolo' });
  const paged = new Set<string>();
  return {
    describe: `Events API v2 at ${eventsUrl ?? 'https://events.pagerduty.com'} (PAGERDUTY_ROUTING_KEY)`,
    async page(incidentId, alert) {
      const severity = SEVERITIES.find((s) => s === alert.severity) ?? 'error';
      try {
        await client.trigger({
          dedupKey: dedupKeyFor(incidentId),
          summary: alert.summary,
          source: alert.source,
          severity,
          ...(alert.component ? { component: alert.component } : {}),
          ...(alert.group ? { group: alert.group } : {}),
          ...(alert.class ? { class: alert.class } : {}),
          customDetails: { ...alert.custom_details, chaos_incident: incidentId },
        });
        paged.add(incidentId);
      } catch (error) {
        warn(`could not page PagerDuty for ${incidentId} (the run goes on): ${(error as Error).message}`);
      }
    },
    async resolve(incidentId) {
      if (!paged.delete(incidentId)) return;
      await client.resolve(dedupKeyFor(incidentId)).catch((error: unknown) => warn(`could not resolve the PagerDuty alert of ${incidentId}: ${(error as Error).message}`));
    },
  };
}
