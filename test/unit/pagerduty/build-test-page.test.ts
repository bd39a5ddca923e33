// `oncall-agent page` builds a V3 delivery the webhook route accepts, with fresh ids, naming its target in the title
// the way the target resolver reads titles.
import { describe, expect, it } from 'vitest';
import { buildTestPage, testPageTitle } from '../../../backend/src/pagerduty/build-test-page.js';
import { signDelivery } from '../../../backend/src/pagerduty/sign-delivery.js';
import { verifySignature } from '../../../backend/src/pagerduty/verify-signature.js';
import { parseIncidentData, webhookEnvelopeSchema, TRIAGE_EVENT_TYPES } from '../../../backend/src/pagerduty/webhook-schemas.js';
import { extractTargetCandidates } from '../../../backend/src/diagnose/target-candidates.js';

const now = new Date('2026-12-06T02:00:00.000Z');

describe('buildTestPage', () => {
  it('is a well-formed V3 incident.triggered envelope', () => {
    const page = buildTestPage({ target: { namespace: 'demo', kind: 'deployment', name: 'web' }, now });
    expect(webhookEnvelopeSchema.safeParse(page).success).toBe(true);
    expect(page.event.event_type).toBe('incident.triggered');
    expect(TRIAGE_EVENT_TYPES).toContain(page.event.event_type);
    const data = parseIncidentData(page.event.data);
    expect(data.success).toBe(true);
    expect(page.event.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('has a fresh event id and incident id every time', () => {
    const pages = Array.from({ length: 50 }, () => buildTestPage({ now }));
    expect(new Set(pages.map((p) => p.event.id)).size).toBe(50);
    expect(new Set(pages.map((p) => p.event.data.id)).size).toBe(50);
  });

  it.each([
    [{ namespace: 'demo', kind: 'deployment' as const, name: 'web' }, undefined, { namespace: 'demo', kind: 'Deployment', name: 'web' }],
    [{ namespace: 'shop', kind: 'pod' as const, name: 'web-7d9f-x2x4k' }, 'CrashLoopBackOff', { namespace: 'shop', kind: 'Pod', name: 'web-7d9f-x2x4k' }],
  ])('names %o in a title the resolver reads', (target, summary, expected) => {
    const title = testPageTitle(target, summary);
    if (summary) expect(title.startsWith(summary)).toBe(true);
    expect(extractTargetCandidates({ title, details: {} })[0]).toMatchObject(expected);
  });

  it('is signed by the production signer: the route verifies it with the same secret, and not with another', () => {
    const delivery = signDelivery(buildTestPage({ now }), ['sim-secret']);
    expect(verifySignature(delivery.body, delivery.headers['x-pagerduty-signature'], ['sim-secret'])).toBe(true);
    expect(verifySignature(delivery.body, delivery.headers['x-pagerduty-signature'], ['other'])).toBe(false);
  });
});
