import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStreamAuditReader } from '../../../backend/src/audit/redis-stream-audit-reader.js';
import { RedisStreamAuditSink } from '../../../backend/src/audit/redis-stream-sink.js';
import { createRedis, type Redis } from '../../../backend/src/redis/create-redis.js';
import { ensureRedisReady } from '../../../backend/src/redis/ensure-ready.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { event, expectNoSecrets, secretBearingEvent } from './audit-events.js';

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startTestRedis();
  client = createRedis(redis.url, 'command');
  await ensureRedisReady(client);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.close();
});

describe('Redis stream audit sink', () => {
  it('XADDs the event as JSON with its incident id', async () => {
    const sink = new RedisStreamAuditSink(client, 't1:audit', 1000);
    await sink.write(event({ incidentId: 'INC7', data: { decision: 'approval' } }));
    const entries = await client.xrange('t1:audit', '-', '+');
    expect(entries).toHaveLength(1);
    const fields = entries[0][1];
    expect(fields[fields.indexOf('incident') + 1]).toBe('INC7');
    expect(JSON.parse(fields[fields.indexOf('event') + 1])).toMatchObject({ type: 'decision', incidentId: 'INC7', data: { decision: 'approval' } });
  });

  it('caps the stream at exactly AUDIT_STREAM_MAXLEN, keeping the newest', async () => {
    const sink = new RedisStreamAuditSink(client, 't2:audit', 100);
    for (let i = 0; i < 400; i += 1) await sink.write(event({ data: { seq: i } }));
    const length = await client.xlen('t2:audit');
    expect(length).toBe(100);
    const newest = await new RedisStreamAuditReader(client, 't2:audit').read({ limit: 1 });
    expect(newest[0].data.seq).toBe(399);
  });

  it('redacts before writing: no bearer token or password reaches the stream', async () => {
    await new RedisStreamAuditSink(client, 't3:audit', 1000).write(secretBearingEvent());
    const raw = JSON.stringify(await client.xrange('t3:audit', '-', '+'));
    expect(expectNoSecrets(raw)).toEqual([]);
    expect(raw).toContain('REDACTED');
  });

  it('reads back filtered by incident, since and limit, oldest first, across pages', async () => {
    const sink = new RedisStreamAuditSink(client, 't4:audit', 10_000);
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 1200; i += 1) {
      await sink.write(event({ ts: new Date(base + i * 1000).toISOString(), incidentId: i % 3 === 0 ? 'INC-X' : 'INC-Y', data: { seq: i } }));
    }
    const reader = new RedisStreamAuditReader(client, 't4:audit');
    const x = await reader.read({ incidentId: 'INC-X' });
    expect(x).toHaveLength(400);
    expect(x[0].data.seq).toBe(0);
    expect((await reader.read({ incidentId: 'INC-X', limit: 3 })).map((e) => e.data.seq)).toEqual([1191, 1194, 1197]);
    expect((await reader.read({ sinceMs: base + 1197_000 })).map((e) => e.data.seq)).toEqual([1197, 1198, 1199]);
    expect(await new RedisStreamAuditReader(client, 'missing:audit').read({})).toEqual([]);
  });
});
