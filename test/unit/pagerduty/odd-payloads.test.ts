import { describe, expect, it } from 'vitest';
import { eventToJob } from '../../../backend/src/ingest/event-to-job.js';
import { parseEnvelope } from '../../../backend/src/ingest/parse-envelope.js';
import { incidentDataSchema, MAX_TITLE_LENGTH, parseIncidentData } from '../../../backend/src/pagerduty/webhook-schemas.js';
import { loadFixture } from '../../helpers/sign-pagerduty.js';

// Payloads a real PagerDuty account (or a proxy in front of us) can produce that the documented examples do not show.

const received = new Date('2026-11-21T15:16:28.000Z');

function triggered(mutate: (data: Record<string, unknown>, event: Record<string, unknown>) => void) {
  const payload = loadFixture('incident.triggered');
  mutate(payload.event.data, payload.event);
  return Buffer.from(JSON.stringify(payload));
}

function disposition(raw: Buffer) {
  const parsed = parseEnvelope(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  return eventToJob(parsed.envelope.event, 'd1', received);
}

describe('parseEnvelope with a UTF-8 byte-order mark', () => {
  it('parses a body that starts with a BOM (the signature still covers the bytes as sent)', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(loadFixture('pagey.ping')))]);
    expect(parseEnvelope(body)).toMatchObject({ ok: true, envelope: { event: { event_type: 'pagey.ping' } } });
  });
});

describe('incident events with odd optional fields still make a triage job', () => {
  it.each([
    ['a number sent as a string', (d: Record<string, unknown>) => (d.number = '1234')],
    ['a conference bridge that is a string', (d: Record<string, unknown>) => (d.conference_bridge = 'https://meet.example/x')],
    ['an escalation policy without an id', (d: Record<string, unknown>) => (d.escalation_policy = { type: 'escalation_policy_reference', summary: 'Ops' })],
    ['teams that is an object, not a list', (d: Record<string, unknown>) => (d.teams = { id: 'T1' })],
    ['a priority that is a string', (d: Record<string, unknown>) => (d.priority = 'P1')],
    ['a service that is null', (d: Record<string, unknown>) => (d.service = null)],
  ])('%s', (_name, mutate) => {
    const result = disposition(triggered(mutate));
    expect(result).toMatchObject({ action: 'enqueue', job: { kind: 'triage', incident: { id: 'PGR0VU2', source: 'pagerduty' } } });
  });

  it('cuts a very long title instead of refusing the page', () => {
    const result = disposition(triggered((d) => (d.title = `🔥 ${'x'.repeat(100_000)}`)));
    expect(result.action).toBe('enqueue');
    if (result.action !== 'enqueue' || result.job.kind !== 'triage') throw new Error('expected a triage job');
    expect(result.job.incident.title.startsWith('🔥 xxx')).toBe(true);
    expect(result.job.incident.title.length).toBeLessThan(MAX_TITLE_LENGTH + 50);
    expect(result.job.incident.title).toMatch(/\[title cut\]$/);
  });

  it('keeps unicode and control characters in the title as data', () => {
    const result = disposition(triggered((d) => (d.title = 'ünïcødé \u202e\u0000 crash')));
    expect(result).toMatchObject({ job: { incident: { title: 'ünïcødé \u202e\u0000 crash' } } });
  });

  it.each([
    ['no incident id', (d: Record<string, unknown>) => delete d.id],
    ['data of another type', (d: Record<string, unknown>) => (d.type = 'service')],
  ])('still refuses an incident event with %s (400)', (_name, mutate) => {
    expect(disposition(triggered(mutate)).action).toBe('reject');
  });
});

describe('parseIncidentData: the well-formed fast path agrees with the lenient schema', () => {
  const long = 'x'.repeat(MAX_TITLE_LENGTH + 10);
  it.each([
    ['triggered fixture', loadFixture('incident.triggered').event.data],
    ['resolved fixture', loadFixture('incident.resolved').event.data],
    ['reopened fixture', loadFixture('incident.reopened').event.data],
    ['a title over the cap', { ...loadFixture('incident.triggered').event.data, title: long }],
    ['a number sent as a string', { ...loadFixture('incident.triggered').event.data, number: '7' }],
    ['no incident id', { ...loadFixture('incident.triggered').event.data, id: undefined }],
  ])('%s', (_name, data) => {
    const fast = parseIncidentData(data);
    const lenient = incidentDataSchema.safeParse(data);
    expect(fast.success).toBe(lenient.success);
    expect(fast.success ? fast.data : fast.error.issues).toEqual(lenient.success ? lenient.data : lenient.error.issues);
  });
});
