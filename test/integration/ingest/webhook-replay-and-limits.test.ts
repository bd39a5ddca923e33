import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp } from '../../../backend/src/http/serve-http.js';
import { silentLogger } from '../../../backend/src/observability/logger.js';
import { createMetrics } from '../../../backend/src/observability/metrics.js';
import { startIngestHarness, type IngestHarness } from '../../helpers/ingest-harness.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { eventIdOf, loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';

// Issue 13 over real HTTP (and a real Redis + BullMQ behind it): replayed deliveries, bodies held open, slow clients,
// connection floods, a separate metrics port, and what one job may store.

const SECRET = 'whsec-replay';
let redis: TestRedis;
let h: IngestHarness;
// Short limits so each case finishes quickly; the production defaults are the same code with larger numbers.
const LIMITS = { headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 6 };

beforeAll(async () => {
  redis = await startTestRedis();
  h = await startIngestHarness(redis.url, [SECRET], { limits: LIMITS, maxEventAgeSeconds: 3_600 });
});
afterAll(async () => {
  await h?.close();
  await redis?.close();
});

let counter = 0;
const triggered = () => {
  const payload = loadFixture('incident.triggered');
  payload.event.data.id = `PREPLAY${++counter}`;
  return payload;
};
const post = async (d: ReturnType<typeof signDelivery>) => {
  const res = await fetch(`${h.url}/webhooks/pagerduty`, { method: 'POST', body: d.body, headers: d.headers });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
};
const metricValue = async (name: string, label: string) => {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return Number(line?.split(' ').pop() ?? NaN);
};

/** A raw socket: what arrives, and whether (and when) the server closed it. */
function rawClient(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

const headersFor = (length: number | 'chunked') =>
  [
    'POST /webhooks/pagerduty HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    'X-PagerDuty-Signature: v1=00',
    length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`,
    '',
    '',
  ].join('\r\n');

describe('replayed deliveries', () => {
  it('a captured signed delivery re-sent with fresh X-Webhook-Ids is one job, and each replay is counted', async () => {
    const payload = triggered();
    const before = await metricValue('oncall_webhook_replays_refused_total', 'reason="duplicate-event"');
    const first = await post(signDelivery(payload, [SECRET], `wh-${counter}-a`));
    expect(first).toMatchObject({ status: 202, body: { status: 'accepted', jobId: `triage-${payload.event.id}` } });
    for (const header of ['b', 'c', 'd']) {
      const replay = await post(signDelivery(payload, [SECRET], `wh-${counter}-${header}`));
      expect(replay).toMatchObject({ status: 202, body: { status: 'duplicate', jobId: first.body!.jobId } });
    }
    const ids = await h.waitingJobIds();
    expect(ids.filter((id) => id === first.body!.jobId)).toHaveLength(1);
    expect(await metricValue('oncall_webhook_replays_refused_total', 'reason="duplicate-event"')).toBe(before + 3);
    // The unsigned header is kept for the trail, but it keys nothing.
    expect(await h.jobData(String(first.body!.jobId))).toMatchObject({ origin: { deliveryId: payload.event.id, webhookId: `wh-${counter}-a` } });
  });

  it('an event whose signed occurred_at is older than the window is refused (422), counted, and stores nothing', async () => {
    const payload = triggered();
    payload.event.occurred_at = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const before = await metricValue('oncall_webhook_replays_refused_total', 'reason="stale"');
    const res = await post(signDelivery(payload, [SECRET], `stale-${counter}`));
    expect(res.status).toBe(422);
    expect(String(res.body?.error)).toMatch(/WEBHOOK_MAX_EVENT_AGE_SECONDS/);
    expect(await h.waitingJobIds()).not.toContain(`triage-${payload.event.id}`);
    expect(await metricValue('oncall_webhook_replays_refused_total', 'reason="stale"')).toBe(before + 1);
    expect(await metricValue('oncall_webhook_deliveries_total', 'outcome="stale"')).toBeGreaterThanOrEqual(1);
  });

  it('an event just inside the window is accepted', async () => {
    const payload = triggered();
    payload.event.occurred_at = new Date(Date.now() - 3_000_000).toISOString();
    expect((await post(signDelivery(payload, [SECRET], `fresh-${counter}`))).status).toBe(202);
  });

  it('an occurred_at that is not a timestamp is refused with 400', async () => {
    const payload = triggered();
    payload.event.occurred_at = 'yesterday';
    expect((await post(signDelivery(payload, [SECRET]))).status).toBe(400);
  });
});

describe('bodies held open and slow clients', () => {
  it('a declared length over the cap is answered 413 at once and the connection closed, with no body sent', async () => {
    const c = await rawClient(h.port);
    c.socket.write(headersFor(50 * 1024 * 1024));
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(c.received()).toMatch(/connection: close/i);
  });

  it('a chunked body that passes the cap and never ends is answered 413 and closed while the client is still sending', async () => {
    const c = await rawClient(h.port);
    c.socket.write(headersFor('chunked'));
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    // Keep sending (as a hostile client would) until the answer arrives; the server must not wait for the end.
    while (!c.received().includes('413') && sent < 4 * 1024 * 1024 && !c.socket.destroyed) {
      c.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      sent += chunk.length;
      await new Promise((r) => setTimeout(r, 5));
    }
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(sent).toBeLessThan(4 * 1024 * 1024);
  });

  it('a body that stops arriving gets 408 and the connection closes (request timeout)', async () => {
    const c = await rawClient(h.port);
    c.socket.write(headersFor(1_000));
    c.socket.write('{"event":');
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('headers that never finish: the connection is closed (headers timeout)', async () => {
    const c = await rawClient(h.port);
    c.socket.write('POST /webhooks/pagerduty HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await c.closed;
    expect(c.socket.destroyed).toBe(true);
  });

  it('a connection past the cap is answered 503 with Retry-After and closed; past twice the cap it is closed at once; the ones held keep working', async () => {
    const held = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => rawClient(h.port)));
    // Let the server accept every held socket before the extra ones arrive.
    await new Promise((r) => setTimeout(r, 100));
    const extra = await rawClient(h.port);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.closed;
    expect(extra.received()).toMatch(/^HTTP\/1\.1 503 /);
    expect(extra.received()).toMatch(/\r\nRetry-After: 2\r\n/i);
    expect(extra.received()).toContain('too many open connections');

    // Up to twice the cap, connections are accepted (to be answered 503); the next one is closed with no answer.
    const overCap = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => rawClient(h.port)));
    await new Promise((r) => setTimeout(r, 100));
    const flood = await rawClient(h.port);
    await flood.closed;
    expect(flood.received()).toBe('');

    // A held connection still gets its answer.
    held[0].socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await held[0].closed;
    expect(held[0].received()).toMatch(/^HTTP\/1\.1 200 /);
    for (const c of [...held, ...overCap]) c.socket.destroy();
    await Promise.all([...held, ...overCap].map((c) => c.closed));
  });
});

describe('METRICS_PORT', () => {
  it('counts connections refused past HTTP_MAX_CONNECTIONS in oncall_http_connections_refused_total', async () => {
    const metrics = createMetrics();
    const config = { HOST: '127.0.0.1', PORT: 0, METRICS_PORT: 0, HTTP_HEADERS_TIMEOUT_MS: 10_000, HTTP_REQUEST_TIMEOUT_MS: 30_000, HTTP_MAX_CONNECTIONS: 2 };
    const served = await serveHttp(config, { metrics, logger: silentLogger(), readiness: { queue: async () => true } });
    try {
      const held = await Promise.all([rawClient(served.port), rawClient(served.port)]);
      await new Promise((r) => setTimeout(r, 100));
      const extra = await rawClient(served.port);
      extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await extra.closed;
      expect(extra.received()).toMatch(/^HTTP\/1\.1 503 /);
      expect(await metrics.registry.metrics()).toMatch(/oncall_http_connections_refused_total\{how="answered-503"\} 1\b/);
      for (const c of held) c.socket.destroy();
      await Promise.all(held.map((c) => c.closed));
    } finally {
      await served.close();
    }
  });

  it('serves /metrics on its own port and not on PORT', async () => {
    const metrics = createMetrics();
    const config = { HOST: '127.0.0.1', PORT: 0, METRICS_PORT: 0, HTTP_HEADERS_TIMEOUT_MS: 10_000, HTTP_REQUEST_TIMEOUT_MS: 30_000, HTTP_MAX_CONNECTIONS: 64 };
    const deps = { metrics, logger: silentLogger(), readiness: { queue: async () => true } };
    const together = await serveHttp(config, deps);
    try {
      expect(together.metricsPort).toBeUndefined();
      expect((await fetch(`http://127.0.0.1:${together.port}/metrics`)).status).toBe(200);
    } finally {
      await together.close();
    }
    // A free port for METRICS_PORT: listen on 0 once, note the port, release it.
    const probe = await serveHttp(config, deps);
    const freePort = probe.port;
    await probe.close();
    const apart = await serveHttp({ ...config, METRICS_PORT: freePort }, deps);
    try {
      expect(apart.metricsPort).toBe(freePort);
      expect((await fetch(`http://127.0.0.1:${apart.port}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${apart.port}/healthz`)).status).toBe(200);
      const scraped = await fetch(`http://127.0.0.1:${freePort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('oncall_webhook_deliveries_total');
      expect((await fetch(`http://127.0.0.1:${freePort}/healthz`)).status).toBe(404);
    } finally {
      await apart.close();
    }
  });
});

describe('what a job stores', () => {
  it('alert fields are cut and lists capped, so a 250 KB delivery makes a job of a few KB', async () => {
    const payload = triggered();
    const data = payload.event.data as Record<string, unknown>;
    data.title = 'T'.repeat(8_000);
    data.teams = Array.from({ length: 300 }, (_, i) => ({ id: `PT${i}`, type: 'team_reference', summary: 's'.repeat(250) }));
    data.assignees = Array.from({ length: 300 }, (_, i) => ({ id: `PU${i}`, type: 'user_reference', summary: 'a'.repeat(250) }));
    data.incident_key = 'k'.repeat(1_000);
    data.conference_bridge = { conference_url: 'u'.repeat(50_000) };
    const delivery = signDelivery(payload, [SECRET], `big-${counter}`);
    expect(delivery.body.length).toBeGreaterThan(150_000);
    const res = await post(delivery);
    expect(res.status).toBe(202);
    const job = await h.jobData(`triage-${eventIdOf(delivery)}`);
    const stored = JSON.stringify(job);
    expect(stored.length).toBeLessThan(12_000);
    expect(stored).not.toContain('uuuuuuuuuu');
    const incident = (job as { incident: { title: string; details: { teams: string[]; assignees: string[] } } }).incident;
    expect(incident.title).toMatch(/\[title cut\]$/);
    expect(incident.details.teams).toHaveLength(10);
    expect(incident.details.assignees).toHaveLength(10);
  });
});
