import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PagerDutyCallError } from '../../../backend/src/pagerduty/call-with-retry.js';
import { createEventsClient } from '../../../backend/src/pagerduty/events-client.js';
import { startFakePagerDuty, type FakePagerDutyServer } from '../../fakes/fake-pagerduty-server.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcd'.padEnd(32, 'x');
let pd: FakePagerDutyServer;

beforeEach(async () => {
  pd = await startFakePagerDuty();
});
afterEach(async () => pd.close());

const client = (routingKey = ROUTING_KEY) => createEventsClient({ routingKey, eventsUrl: pd.url, retry: { maxTotalMs: 3_000, baseDelayMs: 20, maxDelayMs: 100 } });

describe('Events API v2 client', () => {
  it('triggers, acknowledges and resolves one alert by routing_key and dedup_key', async () => {
    const events = client();
    const { dedupKey } = await events.trigger({ dedupKey: 'chaos-run-1', summary: 'web in shop is crash looping', source: 'kube-sim', severity: 'critical', customDetails: { namespace: 'shop' } });
    expect(dedupKey).toBe('chaos-run-1');
    await events.acknowledge('chaos-run-1');
    await events.resolve('chaos-run-1');
    expect(pd.state.events.map((e) => [e.path, e.body.event_action, e.body.dedup_key, e.body.routing_key])).toEqual([
      ['/v2/enqueue', 'trigger', 'chaos-run-1', ROUTING_KEY],
      ['/v2/enqueue', 'acknowledge', 'chaos-run-1', ROUTING_KEY],
      ['/v2/enqueue', 'resolve', 'chaos-run-1', ROUTING_KEY],
    ]);
    expect(pd.state.events[0].body.payload).toEqual({ summary: 'web in shop is crash looping', source: 'kube-sim', severity: 'critical', custom_details: { namespace: 'shop' } });
    // The Events API takes no Authorization header: the routing key is the credential.
    expect(pd.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('sends change events to /v2/change/enqueue with summary, timestamp and custom_details', async () => {
    await client().change({ summary: 'oncall-agent ran: kubectl rollout undo deployment/web -n shop', timestamp: '2026-12-06T02:00:00.000Z', source: 'oncall-agent', customDetails: { exit_code: 0 } });
    expect(pd.state.events).toEqual([
      {
        path: '/v2/change/enqueue',
        body: { routing_key: ROUTING_KEY, payload: { summary: 'oncall-agent ran: kubectl rollout undo deployment/web -n shop', timestamp: '2026-12-06T02:00:00.000Z', source: 'oncall-agent', custom_details: { exit_code: 0 } } },
      },
    ]);
  });

  it('honours a 429 with Retry-After and then succeeds', async () => {
    pd.state.failNext.push({ status: 429, times: 1, retryAfter: '0' });
    await client().trigger({ dedupKey: 'k', summary: 's', source: 'src', severity: 'info' });
    expect(pd.state.events).toHaveLength(1);
    expect(pd.requests).toHaveLength(2);
  });

  it('reports PagerDuty\'s reason for an invalid event and does not retry it', async () => {
    const error = (await client('short').trigger({ dedupKey: 'k', summary: 's', source: 'src', severity: 'info' }).catch((e: unknown) => e)) as PagerDutyCallError;
    expect(error).toBeInstanceOf(PagerDutyCallError);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/routing_key/);
    expect(pd.requests).toHaveLength(1);
  });

  it('refuses an empty or over-long dedup key before sending anything', async () => {
    await expect(client().acknowledge('')).rejects.toThrow(/dedup_key/);
    await expect(client().resolve('x'.repeat(256))).rejects.toThrow(/dedup_key/);
    expect(pd.requests).toHaveLength(0);
  });
});
