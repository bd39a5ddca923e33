import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../../../backend/src/pagerduty/verify-signature.js';
import { startIngestHarness, type IngestHarness } from '../../helpers/ingest-harness.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture } from '../../helpers/sign-pagerduty.js';

// Requests a real PagerDuty subscription, a proxy in front of the agent, or an operator poking at it can send.

const SECRET = 'whsec-edge';
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
function body(): Buffer {
  const payload = loadFixture('incident.triggered');
  payload.event.data.id = `PEDGE${++counter}`;
  payload.event.id = `EVEDGE${counter}`;
  return Buffer.from(JSON.stringify(payload));
}
const sig = (raw: Buffer) => computeSignature(raw, SECRET);

/** A raw HTTP request, so header lines can repeat exactly as a client sends them. */
function send(method: string, path: string, headers: Array<[string, string]>, payload?: Buffer) {
  const url = new URL(h.url);
  return new Promise<{ status: number; allow?: string; body: string }>((resolve, reject) => {
    const flat = [['host', url.host], ...headers].flat();
    const req = request({ host: url.hostname, port: url.port, method, path, headers: flat as unknown as Record<string, string> }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
const json: [string, string] = ['content-type', 'application/json'];

describe('webhook requests off the happy path', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s on the webhook path → 405 with Allow: POST', async (method) => {
    const res = await send(method, '/webhooks/pagerduty', [json], method === 'GET' || method === 'DELETE' ? undefined : body());
    expect(res).toMatchObject({ status: 405, allow: 'POST' });
  });

  it('HEAD on the webhook path → 405', async () => {
    expect(await send('HEAD', '/webhooks/pagerduty', [])).toMatchObject({ status: 405, allow: 'POST' });
  });

  it('a body with a UTF-8 byte-order mark, signed as sent → 202', async () => {
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body()]);
    const res = await send('POST', '/webhooks/pagerduty', [json, ['x-pagerduty-signature', `v1=${sig(raw)}`]], raw);
    expect(res.status).toBe(202);
  });

  it.each([
    ['spaces and an unknown version', (s: string) => [` v1=${'0'.repeat(64)} , v2=${s} , v1=${s} `]],
    ['uppercase hex', (s: string) => [`v1=${s.toUpperCase()}`]],
    ['empty values', (s: string) => [`v1=,,v1=${s},`]],
    ['the header repeated on two lines, the match on the second', (s: string) => [`v1=${'a'.repeat(64)}`, `v1=${s}`]],
  ])('signature header with %s → 202', async (_name, header) => {
    const raw = body();
    const lines = header(sig(raw)).map((value): [string, string] => ['x-pagerduty-signature', value]);
    expect((await send('POST', '/webhooks/pagerduty', [json, ...lines], raw)).status).toBe(202);
  });

  it.each(['/webhooks/pagerduty/', '/webhooks/pagerduty?source=pd'])('POST %s (trailing slash or query) → 202', async (path) => {
    const raw = body();
    expect((await send('POST', path, [['content-type', 'application/json; charset=utf-8'], ['x-pagerduty-signature', `v1=${sig(raw)}`]], raw)).status).toBe(202);
  });

  it('only v2 values, however well-formed → 401', async () => {
    const raw = body();
    expect((await send('POST', '/webhooks/pagerduty', [json, ['x-pagerduty-signature', `v2=${sig(raw)}`]], raw)).status).toBe(401);
  });
});
