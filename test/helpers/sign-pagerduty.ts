import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signatureHeader } from '../../backend/src/pagerduty/verify-signature.js';

// Signs test deliveries with the very function production verifies with.

export const FIXTURE_TYPES = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.resolved',
  'incident.reopened',
  'incident.annotated',
  'pagey.ping',
] as const;
export type FixtureType = (typeof FIXTURE_TYPES)[number];

const fixtureDir = join(import.meta.dirname, '..', 'fixtures', 'pagerduty');

/** A parsed fixture payload (a fresh copy each call). */
export function loadFixture(type: FixtureType): { event: Record<string, unknown> & { id: string; data: Record<string, unknown> } } {
  return JSON.parse(readFileSync(join(fixtureDir, `${type}.json`), 'utf8'));
}

export interface SignedDelivery {
  body: Buffer;
  headers: Record<string, string>;
}

/** Headers PagerDuty sends with a V3 delivery, signed with every given secret (as during a rotation). */
export function signDelivery(payload: unknown, secrets: readonly string[], webhookId?: string): SignedDelivery {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-pagerduty-signature': signatureHeader(body, secrets),
    'user-agent': 'PagerDuty-Webhook/V3.0',
  };
  if (webhookId) headers['x-webhook-id'] = webhookId;
  return { body, headers };
}
