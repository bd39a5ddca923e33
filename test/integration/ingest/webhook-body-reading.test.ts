import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestHarness, type IngestHarness } from '../../helpers/ingest-harness.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';

// The webhook route reads plain bodies itself and leaves compressed ones to body-parser: both paths, with the
// framings fetch() does not produce (chunked without a length, a length that does not match).

const SECRET = 'whsec-body';
let redis: TestRedis;
let h: IngestHarness;
let counter = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  h = await startIngestHarness(redis.url, [SECRET]);
});
afterAll(async () => {
  await h?.close();
  await redis?.close();
});

function delivery(incidentId: string, pad = 0) {
  const payload = loadFixture('incident.triggered');
  payload.event.data.id = incidentId;
  if (pad) payload.event.data.body = { details: 'x'.repeat(pad) };
  return signDelivery(payload, [SECRET], `body-${process.pid}-${++counter}`);
}

/** Sends the body in pieces (chunked unless a content-length is given) and returns the status. */
function send(headers: Record<string, string>, pieces: Buffer[]): Promise<number> {
  const url = new URL(`${h.url}/webhooks/pagerduty`);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

function split(body: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) out.push(body.subarray(at, at + size));
  return out;
}

describe('webhook body reading', () => {
  it('a chunked body (no content-length) in many pieces → 202 and one job', async () => {
    const d = delivery('PCHUNK');
    expect(await send(d.headers, split(d.body, 100))).toBe(202);
    expect(await h.waitingJobIds()).toContain(`triage-${d.headers['x-webhook-id']}`);
  });

  it('a chunked body over 512 KiB → 413 and no job', async () => {
    const before = await h.waitingJobIds();
    const d = delivery('PCHUNKBIG', 700 * 1024);
    expect(await send(d.headers, split(d.body, 64 * 1024))).toBe(413);
    expect(await h.waitingJobIds()).toEqual(before);
  });

  it('a gzip-encoded body still goes through body-parser, which inflates it → 202', async () => {
    const d = delivery('PGZIP');
    const status = await send({ ...d.headers, 'content-encoding': 'gzip' }, [gzipSync(d.body)]);
    expect(status).toBe(202);
  });

  it('an unknown content encoding → 415 from body-parser, and no job', async () => {
    const before = await h.waitingJobIds();
    const d = delivery('PBROTLI');
    expect(await send({ ...d.headers, 'content-encoding': 'x-unknown' }, [d.body])).toBe(415);
    expect(await h.waitingJobIds()).toEqual(before);
  });
});
