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

/**
 * A parsed fixture payload (a fresh copy each call), stamped as a live delivery is: occurred_at is now, so it falls
 * inside the ingest's replay window (WEBHOOK_MAX_EVENT_AGE_SECONDS).
 */
export function loadFixture(type: FixtureType): { event: Record<string, unknown> & { id: string; data: Record<string, unknown> } } {
  const payload = JSON.parse(readFileSync(join(fixtureDir, `${type}.json`), 'utf8'));
  payload.event.occurred_at = new Date().toISOString();
  // Every copy is its own event, as every PagerDuty event has its own id; the ingest keys jobs on it.
  payload.event.id = `${payload.event.id}-${process.pid}-${++fixtureCopies}`;
  return payload;
}

let fixtureCopies = 0;

/** The signed event id of a delivery: what the ingest keys its job on. */
export function eventIdOf(delivery: { body: Buffer }): string {
  return (JSON.parse(delivery.body.toString('utf8')) as { event: { id: string } }).event.id;
}

export { signDelivery, type SignedDelivery } from '../../backend/src/pagerduty/sign-delivery.js';
