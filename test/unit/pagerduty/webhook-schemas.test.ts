import { describe, expect, it } from 'vitest';
import { eventToJob } from '../../../backend/src/ingest/event-to-job.js';
import { parseEnvelope } from '../../../backend/src/ingest/parse-envelope.js';
import { webhookEnvelopeSchema } from '../../../backend/src/pagerduty/webhook-schemas.js';
import { FIXTURE_TYPES, loadFixture } from '../../helpers/sign-pagerduty.js';

const received = new Date('2026-11-21T15:16:28.000Z');

describe('V3 envelope', () => {
  it.each(FIXTURE_TYPES)('parses the %s fixture', (type) => {
    const result = webhookEnvelopeSchema.safeParse(loadFixture(type));
    expect(result.success).toBe(true);
  });

  it('accepts an unknown event type and unknown fields', () => {
    const payload = { event: { id: 'E1', event_type: 'incident.workflow.started', resource_type: 'workflow', occurred_at: '2026-01-01T00:00:00Z', agent: null, client: null, data: { anything: [1, 2] }, extra: true } };
    const parsed = parseEnvelope(Buffer.from(JSON.stringify(payload)));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(eventToJob(parsed.envelope.event, 'D1', received)).toEqual({ action: 'ignore', reason: 'event type incident.workflow.started needs no action' });
  });

  it.each([
    ['not JSON', '{"event":', /body is not JSON/],
    ['JSON but not an object', '[1,2]', /not a PagerDuty V3 webhook envelope/],
    ['no event', '{"messages":[]}', /event: Required/],
    ['event without id', JSON.stringify({ event: { event_type: 'x', resource_type: 'y', occurred_at: 't', data: {} } }), /event\.id/],
    ['V2 webhook', JSON.stringify({ messages: [{ event: 'incident.trigger' }] }), /not a PagerDuty V3 webhook envelope/],
  ])('rejects %s', (_name, raw, reason) => {
    const parsed = parseEnvelope(Buffer.from(raw));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('eventToJob', () => {
  const event = (type: (typeof FIXTURE_TYPES)[number]) => {
    const parsed = parseEnvelope(Buffer.from(JSON.stringify(loadFixture(type))));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.envelope.event;
  };

  it('makes a triage job with the normalised incident from incident.triggered', () => {
    const result = eventToJob(event('incident.triggered'), 'delivery-1', received);
    expect(result).toMatchObject({
      action: 'enqueue',
      job: {
        kind: 'triage',
        incident: {
          id: 'PGR0VU2',
          title: 'CrashLoopBackOff: deployment/web in namespace shop',
          number: 2,
          status: 'triggered',
          urgency: 'high',
          priority: 'P1',
          serviceId: 'PF9KMXH',
          serviceName: 'shop-web',
          htmlUrl: 'https://acme.pagerduty.com/incidents/PGR0VU2',
          source: 'pagerduty',
          details: { incident_key: 'd3640fbd41094207a1c11e58e46b1662', escalation_policy: 'Default', teams: ['Engineering'] },
        },
        origin: { deliveryId: 'delivery-1', eventId: expect.stringMatching(/^01DEN2QF3A2NAQ0WJMP8TSPJ6M/), eventType: 'incident.triggered', receivedAt: received.toISOString() },
      },
    });
  });

  it.each([
    ['incident.triggered', 'triage'],
    ['incident.reopened', 'triage'],
    ['incident.acknowledged', 'lifecycle'],
    ['incident.resolved', 'lifecycle'],
    ['incident.annotated', 'annotation'],
  ] as const)('%s → %s job', (type, kind) => {
    const result = eventToJob(event(type), 'd', received);
    expect(result.action).toBe('enqueue');
    if (result.action === 'enqueue') expect(result.job.kind).toBe(kind);
  });

  it('carries the lifecycle status and the note content', () => {
    expect(eventToJob(event('incident.resolved'), 'd', received)).toMatchObject({ job: { kind: 'lifecycle', status: 'resolved' } });
    expect(eventToJob(event('incident.annotated'), 'd', received)).toMatchObject({
      job: { kind: 'annotation', incidentId: 'PGR0VU2', noteId: 'P2LA89X', author: { id: 'PLH1HKV', summary: 'Tenex Engineer' } },
    });
  });

  it('ignores pagey.ping', () => {
    expect(eventToJob(event('pagey.ping'), 'd', received).action).toBe('ignore');
  });

  it('rejects an incident event whose data is not an incident', () => {
    const broken = { ...event('incident.triggered'), data: { type: 'incident' } };
    expect(eventToJob(broken, 'd', received)).toMatchObject({ action: 'reject', reason: expect.stringMatching(/data is not an incident: id/) });
  });
});
