import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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

export { signDelivery, type SignedDelivery } from '../../backend/src/pagerduty/sign-delivery.js';
