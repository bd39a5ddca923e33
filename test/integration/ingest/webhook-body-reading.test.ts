import { request } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { signatureHeader } from '../../../backend/src/pagerduty/verify-signature.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestHarness, type IngestHarness } from '../../helpers/ingest-harness.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery, eventIdOf } from '../../helpers/sign-pagerduty.js';

// The webhook route reads bodies itself, plain or compressed (inflated to the same limit), with the framings fetch()
// does not produce (chunked without a length, a length that does not match).

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
    expect(await h.waitingJobIds()).toContain(`triage-${eventIdOf(d)}`);
  });

  it('a chunked body over 512 KiB → 413 and no job', async () => {
    const before = await h.waitingJobIds();
    const d = delivery('PCHUNKBIG', 700 * 1024);
    expect(await send(d.headers, split(d.body, 64 * 1024))).toBe(413);
    expect(await h.waitingJobIds()).toEqual(before);
  });

  it('a gzip-encoded body signed before compression is inflated → 202', async () => {
    const d = delivery('PGZIP');
    const status = await send({ ...d.headers, 'content-encoding': 'gzip' }, [gzipSync(d.body)]);
    expect(status).toBe(202);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('a %s body signed as sent (over the compressed bytes) → 202 and one job', async (encoding, compress) => {
    const d = delivery(`PWIRE${encoding}`);
    const wire = compress(d.body);
    const status = await send({ ...d.headers, 'content-encoding': encoding, 'x-pagerduty-signature': signatureHeader(wire, [SECRET]) }, [wire]);
    expect(status).toBe(202);
    expect(await h.waitingJobIds()).toContain(`triage-${eventIdOf(d)}`);
  });

  it('a small gzip body that inflates past 512 KiB → 413 and no job', async () => {
    const before = await h.waitingJobIds();
    const d = delivery('PBOMB', 4 * 1024 * 1024);
    const wire = gzipSync(d.body);
    expect(wire.length).toBeLessThan(64 * 1024);
    expect(await send({ ...d.headers, 'content-encoding': 'gzip', 'x-pagerduty-signature': signatureHeader(wire, [SECRET]) }, [wire])).toBe(413);
    expect(await h.waitingJobIds()).toEqual(before);
  });

  it('a body that claims gzip but is not → 400 and no job', async () => {
    const before = await h.waitingJobIds();
    const d = delivery('PNOTGZIP');
    expect(await send({ ...d.headers, 'content-encoding': 'gzip' }, [d.body])).toBe(400);
    expect(await h.waitingJobIds()).toEqual(before);
  });

  it('an unknown content encoding → 415, and no job', async () => {
    const before = await h.waitingJobIds();
    const d = delivery('PBROTLI');
    expect(await send({ ...d.headers, 'content-encoding': 'x-unknown' }, [d.body])).toBe(415);
    expect(await h.waitingJobIds()).toEqual(before);
  });
});
