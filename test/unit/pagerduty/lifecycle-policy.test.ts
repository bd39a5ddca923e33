import { describe, expect, it } from 'vitest';
import { writebackRetry } from '../../../backend/src/app/create-pagerduty-writeback.js';
import { decideLifecycleEffect, isCancelledByResolve, isForcedToPlan } from '../../../backend/src/pipeline/lifecycle-policy.js';
import { backoffDelay } from '../../../backend/src/queue/incident-queue.js';
import type { LifecycleJobData } from '../../../backend/src/queue/job-schemas.js';

const origin = (eventType: string, receivedAt = '2026-12-06T02:00:00.000Z') => ({ deliveryId: 'd', eventId: 'e', eventType, occurredAt: receivedAt, receivedAt });
const ack = (agent?: LifecycleJobData['agent']): LifecycleJobData => ({
  kind: 'lifecycle',
  incident: { id: 'PINC1', title: 't', details: {}, source: 'pagerduty' },
  status: 'acknowledged',
  agent,
  origin: origin('incident.acknowledged'),
});
const settings = { humanAckForcesPlan: true, ownUserId: 'PAGENT1', agentAcknowledges: true };

describe('lifecycle policy', () => {
  it.each([
    ['a person acknowledges', ack({ id: 'PHUMAN1', type: 'user_reference', summary: 'Alice' }), settings, 'force-plan'],
    ["the agent's own acknowledgement comes back", ack({ id: 'PAGENT1', type: 'user_reference' }), settings, 'record-only'],
    ['a service acknowledges (Events API)', ack({ id: 'PSVC1', type: 'service_reference' }), settings, 'record-only'],
    ['the setting is off', ack({ id: 'PHUMAN1', type: 'user_reference' }), { ...settings, humanAckForcesPlan: false }, 'record-only'],
    ["the agent's own user is unknown: err towards plan", ack({ id: 'PAGENT1', type: 'user_reference' }), { ...settings, ownUserId: undefined }, 'force-plan'],
    ['no agent in the webhook at all', ack(undefined), settings, 'force-plan'],
  ] as const)('%s', (_name, job, s, kind) => {
    expect(decideLifecycleEffect(job, s).kind).toBe(kind);
  });

  it('resolved cancels work', () => {
    expect(decideLifecycleEffect({ ...ack(), status: 'resolved' }, settings)).toEqual({ kind: 'cancel-work' });
  });

  it('a resolve cancels jobs received before it, not a reopen received after it', () => {
    const resolvedAt = Date.parse('2026-12-06T02:00:05.000Z');
    expect(isCancelledByResolve(resolvedAt, '2026-12-06T02:00:00.000Z')).toBe(true);
    expect(isCancelledByResolve(resolvedAt, '2026-12-06T02:00:09.000Z')).toBe(false);
    expect(isCancelledByResolve(undefined, '2026-12-06T02:00:00.000Z')).toBe(false);
  });

  it('a human acknowledgement forces plan mode, until a reopen that nobody acknowledged since', () => {
    const ackAt = Date.parse('2026-12-06T02:00:05.000Z');
    expect(isForcedToPlan(ackAt, { origin: origin('incident.triggered') })).toBe(true);
    expect(isForcedToPlan(ackAt, { origin: origin('incident.reopened', '2026-12-06T02:10:00.000Z') })).toBe(false);
    expect(isForcedToPlan(Date.parse('2026-12-06T02:11:00.000Z'), { origin: origin('incident.reopened', '2026-12-06T02:10:00.000Z') })).toBe(true);
    expect(isForcedToPlan(undefined, { origin: origin('incident.triggered') })).toBe(false);
  });
});

describe('write-back retry policy', () => {
  it.each([
    [2_000, 3_600_000],
    [100, 60_000],
    [10, 10_000],
  ])('backoff %i ms, give up after %i ms: the capped waits span the give-up time', (backoffMs, giveUpMs) => {
    const retry = writebackRetry(backoffMs, giveUpMs);
    let total = 0;
    for (let a = 1; a < retry.attempts; a += 1) total += backoffDelay(retry, a);
    expect(total).toBeGreaterThanOrEqual(giveUpMs);
    expect(retry.maxBackoffMs).toBeLessThanOrEqual(Math.max(backoffMs, 60_000));
    for (let a = 1; a < retry.attempts; a += 1) expect(backoffDelay(retry, a)).toBeLessThanOrEqual(retry.maxBackoffMs);
  });
});
