// Pure: a PagerDuty V3 `incident.triggered` delivery shaped like the real thing, for `oncall-agent page`.
// Fresh event and incident ids each time, so the daemon treats every page as a new incident (it drops redeliveries).
import { randomBytes } from 'node:crypto';

export interface TestPageTarget {
  namespace: string;
  kind: 'deployment' | 'pod';
  name: string;
}

export interface TestPageInput {
  target?: TestPageTarget;
  summary?: string;
  now: Date;
  /** Randomness, injectable for tests. */
  random?: (bytes: number) => Buffer;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped event id (PagerDuty's event ids look like 01DEN2QF3A2NAQ0WJMP8TSPJ6M). */
function eventId(now: Date, random: (bytes: number) => Buffer): string {
  let time = now.getTime();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  return head + [...random(16)].map((b) => CROCKFORD[b % 32]).join('');
}

/**
 * The title carries the target the way the agent reads titles ("deployment/web in namespace demo"): a V3 webhook
 * has no custom_details, and without PAGERDUTY_API_TOKEN the title is all the agent gets.
 */
export function testPageTitle(target: TestPageTarget | undefined, summary: string | undefined): string {
  const where = target ? `${target.kind}/${target.name} in namespace ${target.namespace}` : undefined;
  if (summary && where) return `${summary} (${where})`;
  return summary ?? `Paged by hand: ${where ?? 'no target given'}`;
}

export function buildTestPage(input: TestPageInput): { event: Record<string, unknown> & { id: string; data: Record<string, unknown> & { id: string; title: string } } } {
  const random = input.random ?? randomBytes;
  const incidentId = `Q${[...random(12)].map((b) => CROCKFORD[b % 32]).join('')}`;
  const at = input.now.toISOString();
  const service = { id: 'PONCALL', type: 'service_reference', summary: 'oncall-agent page', self: 'https://api.pagerduty.com/services/PONCALL', html_url: 'https://pagerduty.invalid/services/PONCALL' };
  return {
    event: {
      id: eventId(input.now, random),
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: at,
      agent: null,
      client: { name: 'oncall-agent page' },
      data: {
        id: incidentId,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${incidentId}`,
        html_url: `https://pagerduty.invalid/incidents/${incidentId}`,
        number: input.now.getTime() % 1_000_000,
        status: 'triggered',
        incident_key: random(16).toString('hex'),
        created_at: at.replace(/\.\d{3}Z$/, 'Z'),
        title: testPageTitle(input.target, input.summary),
        service,
        assignees: [],
        escalation_policy: null,
        teams: [],
        priority: null,
        urgency: 'high',
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  };
}
