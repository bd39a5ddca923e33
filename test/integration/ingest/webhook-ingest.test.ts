import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startIngestHarness, type IngestHarness } from '../../helpers/ingest-harness.js';
import { loadFixture, signDelivery, eventIdOf } from '../../helpers/sign-pagerduty.js';

const SECRET = 'whsec-current';
let redis: TestRedis;
let h: IngestHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  h = await startIngestHarness(redis.url, [SECRET]);
});
afterAll(async () => {
  await h?.close();
  await redis?.close();
});

let counter = 0;
const uniqueId = () => `delivery-${process.pid}-${++counter}`;

/** A fresh incident per test, so coalescing in one test does not affect another. */
function triggered(incidentId = `PINC${++counter}`) {
  const payload = loadFixture('incident.triggered');
  payload.event.data.id = incidentId;
  return payload;
}

async function post(body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(`${h.url}/webhooks/pagerduty`, { method: 'POST', body, headers });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
}

async function jobsFor(incidentId: string): Promise<string[]> {
  const ids = await h.waitingJobIds();
  const out: string[] = [];
  for (const id of ids) {
    const data = (await h.jobData(id)) as { incident?: { id: string }; incidentId?: string } | undefined;
    if (data?.incident?.id === incidentId || data?.incidentId === incidentId) out.push(id);
  }
  return out;
}

describe('POST /webhooks/pagerduty (real Redis, real BullMQ, real HTTP)', () => {
  it('a signed delivery → 202 and exactly one job in Redis', async () => {
    const payload = triggered('PONE');
    const delivery = signDelivery(payload, [SECRET], uniqueId());
    const res = await post(delivery.body, delivery.headers);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted', jobId: `triage-${eventIdOf(delivery)}` });
    const jobs = await jobsFor('PONE');
    expect(jobs).toEqual([res.body!.jobId]);
    expect(await h.jobData(jobs[0])).toMatchObject({ kind: 'triage', incident: { id: 'PONE', source: 'pagerduty', title: expect.any(String) } });
  });

  it('two signatures where only the second matches → 202', async () => {
    const payload = triggered();
    const delivery = signDelivery(payload, ['whsec-retired', SECRET], uniqueId());
    expect(delivery.headers['x-pagerduty-signature'].split(',')).toHaveLength(2);
    expect((await post(delivery.body, delivery.headers)).status).toBe(202);
  });

  it.each([
    ['forged signature', (d: ReturnType<typeof signDelivery>) => ({ ...d, headers: { ...d.headers, 'x-pagerduty-signature': `v1=${'ab'.repeat(32)}` } })],
    ['missing signature', (d: ReturnType<typeof signDelivery>) => {
      const headers = { ...d.headers };
      delete (headers as Record<string, string | undefined>)['x-pagerduty-signature'];
      return { ...d, headers };
    }],
    ['signature from another secret', (d: ReturnType<typeof signDelivery>) => ({ ...d, headers: { ...d.headers, 'x-pagerduty-signature': signDelivery(d.body, ['attacker']).headers['x-pagerduty-signature'] } })],
    ['body changed by one byte', (d: ReturnType<typeof signDelivery>) => {
      const body = Buffer.from(d.body);
      const at = body.indexOf('PTAMPER') + 1;
      body[at] = 'X'.charCodeAt(0);
      return { ...d, body };
    }],
  ])('%s → 401 and no job', async (_name, tamper) => {
    const before = await h.waitingJobIds();
    const payload = triggered('PTAMPER');
    const delivery = tamper(signDelivery(payload, [SECRET], uniqueId()));
    const res = await post(delivery.body, delivery.headers);
    expect(res.status).toBe(401);
    expect(await h.waitingJobIds()).toEqual(before);
  });

  it('50 re-deliveries with the same X-Webhook-Id → one job', async () => {
    const delivery = signDelivery(triggered('PFIFTY'), [SECRET], uniqueId());
    const results = await Promise.all(Array.from({ length: 50 }, () => post(delivery.body, delivery.headers)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(202));
    expect(new Set(results.map((r) => r.body?.jobId))).toEqual(new Set([`triage-${eventIdOf(delivery)}`]));
    // And once more after the burst, sequentially: answered as a duplicate.
    expect((await post(delivery.body, delivery.headers)).body).toMatchObject({ status: 'duplicate' });
    expect(await jobsFor('PFIFTY')).toHaveLength(1);
  });

  it('without X-Webhook-Id, deduplicates on event.id', async () => {
    const payload = triggered('PNOHEADER');
    payload.event.id = `evt-${uniqueId()}`;
    const delivery = signDelivery(payload, [SECRET]);
    expect((await post(delivery.body, delivery.headers)).body).toMatchObject({ status: 'accepted', jobId: `triage-${payload.event.id}` });
    expect((await post(delivery.body, delivery.headers)).body).toMatchObject({ status: 'duplicate' });
    expect(await jobsFor('PNOHEADER')).toHaveLength(1);
  });

  it('coalesces a second triage delivery for an incident whose triage job is still waiting', async () => {
    const first = signDelivery(triggered('PCOALESCE'), [SECRET], uniqueId());
    const reopened = loadFixture('incident.reopened');
    reopened.event.data.id = 'PCOALESCE';
    const second = signDelivery(reopened, [SECRET], uniqueId());
    const a = await post(first.body, first.headers);
    const b = await post(second.body, second.headers);
    expect(a.body).toMatchObject({ status: 'accepted' });
    expect(b).toMatchObject({ status: 202, body: { status: 'duplicate', jobId: a.body!.jobId } });
    expect(await jobsFor('PCOALESCE')).toEqual([a.body!.jobId]);
  });

  it('uses a job id without ":" even when the event id has one', async () => {
    const payload = triggered('PCOLON');
    payload.event.id = `urn:pd:event:${uniqueId()}`;
    const delivery = signDelivery(payload, [SECRET], `urn:pd:delivery:${uniqueId()}`);
    const res = await post(delivery.body, delivery.headers);
    expect(res.status).toBe(202);
    expect(String(res.body?.jobId)).not.toContain(':');
    expect(await jobsFor('PCOLON')).toEqual([res.body!.jobId]);
  });

  it.each([
    ['incident.acknowledged', 'lifecycle'],
    ['incident.resolved', 'lifecycle'],
    ['incident.annotated', 'annotation'],
  ] as const)('%s → a %s job', async (type, kind) => {
    const payload = loadFixture(type);
    const delivery = signDelivery(payload, [SECRET], uniqueId());
    const res = await post(delivery.body, delivery.headers);
    expect(res).toMatchObject({ status: 202, body: { status: 'accepted', jobId: `${kind}-${eventIdOf(delivery)}` } });
    expect(await h.jobData(String(res.body!.jobId))).toMatchObject({ kind });
  });

  it.each([
    ['pagey.ping', loadFixture('pagey.ping')],
    ['an unknown event type', { event: { id: 'E-unknown', event_type: 'incident.conference_bridge.updated', resource_type: 'incident', occurred_at: new Date().toISOString(), agent: null, client: null, data: { surprise: true } } }],
  ])('%s → 202, recorded, no job', async (_name, payload) => {
    const before = await h.waitingJobIds();
    const delivery = signDelivery(payload, [SECRET], uniqueId());
    expect(await post(delivery.body, delivery.headers)).toMatchObject({ status: 202, body: { status: 'ignored' } });
    expect(await h.waitingJobIds()).toEqual(before);
  });

  it('a valid 300 KB payload → 202', async () => {
    const payload = triggered('PBIG');
    payload.event.data.body = { type: 'incident_body', details: 'x'.repeat(300 * 1024) };
    const delivery = signDelivery(payload, [SECRET], uniqueId());
    expect(delivery.body.length).toBeGreaterThan(300 * 1024);
    expect((await post(delivery.body, delivery.headers)).status).toBe(202);
    expect(await jobsFor('PBIG')).toHaveLength(1);
  });

  it('a 2 MB body → 413 and no job', async () => {
    const before = await h.waitingJobIds();
    const payload = triggered('PHUGE');
    payload.event.data.body = { details: 'x'.repeat(2 * 1024 * 1024) };
    const delivery = signDelivery(payload, [SECRET], uniqueId());
    expect((await post(delivery.body, delivery.headers)).status).toBe(413);
    expect(await h.waitingJobIds()).toEqual(before);
  });

  it.each([
    ['malformed JSON with a valid signature', '{"event": {"id": "x",'],
    ['JSON that is not a V3 envelope', JSON.stringify({ messages: [{ event: 'incident.trigger' }] })],
    ['an incident event whose data is not an incident', JSON.stringify({ event: { id: 'E1', event_type: 'incident.triggered', resource_type: 'incident', occurred_at: 'now', agent: null, client: null, data: { type: 'incident' } } })],
  ])('%s → 400 and no job', async (_name, raw) => {
    const before = await h.waitingJobIds();
    const delivery = signDelivery(raw, [SECRET], uniqueId());
    const res = await post(delivery.body, delivery.headers);
    expect(res.status).toBe(400);
    expect(res.body?.error).toEqual(expect.any(String));
    expect(await h.waitingJobIds()).toEqual(before);
  });

  it('wrong content type → 415', async () => {
    const delivery = signDelivery(triggered(), [SECRET], uniqueId());
    expect((await post(delivery.body, { ...delivery.headers, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(delivery.body, { ...delivery.headers, 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(delivery.body, { ...delivery.headers, 'content-type': 'application/json; charset=utf-8' })).status).toBe(202);
  });

  it('reports deliveries by outcome on /metrics, and health on /healthz and /readyz', async () => {
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    for (const outcome of ['accepted', 'duplicate', 'ignored', 'unauthorized', 'invalid']) {
      expect(metrics).toMatch(new RegExp(`oncall_webhook_deliveries_total\\{outcome="${outcome}"\\} [1-9]`));
    }
    expect(metrics).toMatch(/oncall_jobs_total\{queue="incidents",state="added"\} [1-9]/);
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { queue: true } });
  });
});

describe('without PAGERDUTY_WEBHOOK_SECRETS', () => {
  it('answers every delivery 401', async () => {
    const bare = await startIngestHarness(redis.url, []);
    try {
      const delivery = signDelivery(triggered('PNOSECRET'), ['anything'], uniqueId());
      const res = await fetch(`${bare.url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
      expect(res.status).toBe(401);
      expect(await bare.waitingJobIds()).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});
