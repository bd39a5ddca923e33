// The JSONL audit file failing under a running agent (a full disk, the file replaced by a directory, its directory
// replaced by a file, its directory removed), with real files and a real redis-server: every record still reaches
// the Redis stream, the failure is logged once naming the file and the errno (then only as a periodic reminder),
// its recovery is logged, and the metrics and the health snapshot say which sink is failing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditTrail } from '../../../backend/src/audit/create-audit.js';
import { createFanOutSink } from '../../../backend/src/audit/fan-out-sink.js';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { auditStreamKey, RedisStreamAuditSink } from '../../../backend/src/audit/redis-stream-sink.js';
import { createMetrics, type Metrics } from '../../../backend/src/observability/metrics.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { event } from './audit-events.js';

interface Logged {
  level: 'warn' | 'error';
  object: Record<string, unknown>;
  message: string;
}

let redis: TestRedis;
let client: Redis;
const dir = mkdtempSync(join(tmpdir(), 'oncall-failing-jsonl-'));

beforeAll(async () => {
  redis = await startTestRedis();
  client = createRedis(redis.url, 'command');
});
afterAll(async () => {
  client?.disconnect();
  await redis?.close();
  rmSync(dir, { recursive: true, force: true });
});

function recorder(): { logged: Logged[]; logger: { warn(o: Record<string, unknown>, m: string): void; error(o: Record<string, unknown>, m: string): void } } {
  const logged: Logged[] = [];
  return {
    logged,
    logger: {
      warn: (object, message) => logged.push({ level: 'warn', object, message }),
      error: (object, message) => logged.push({ level: 'error', object, message }),
    },
  };
}

async function streamIncidents(key: string): Promise<string[]> {
  const entries = await client.xrange(key, '-', '+');
  return entries.map(([, fields]) => (JSON.parse(fields[1]) as { incidentId: string }).incidentId);
}

async function metricValue(metrics: Metrics, name: string, sink: string): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => v.labels.sink === sink)?.value;
}

/** A trail of JSONL at `path` + the Redis stream, as the daemon builds it, with its own stream key and metrics. */
function trailAt(path: string, prefix: string, logger: ReturnType<typeof recorder>['logger'], metrics = createMetrics()) {
  const trail = createAuditTrail({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, AUDIT_JSONL_PATH: path, AUDIT_STREAM_MAXLEN: 10_000, AUDIT_KUBE_EVENTS: false }, { logger, redis: client, metrics });
  return { trail, metrics, key: auditStreamKey(prefix) };
}

describe('a failing JSONL audit file: the other sinks keep every record, the failure is said once, loudly', () => {
  const cases: Array<{ name: string; code: string; path: () => string }> = [
    { name: 'disk full (/dev/full answers every write with ENOSPC)', code: 'ENOSPC', path: () => '/dev/full' },
    {
      name: 'a directory where the file should be',
      code: 'EISDIR',
      path: () => {
        const path = join(dir, 'eisdir', 'audit.jsonl');
        mkdirSync(path, { recursive: true });
        return path;
      },
    },
    {
      name: 'a regular file where its directory should be',
      code: 'ENOTDIR',
      path: () => {
        writeFileSync(join(dir, 'not-a-dir'), 'x');
        return join(dir, 'not-a-dir', 'audit.jsonl');
      },
    },
  ];

  for (const [i, c] of cases.entries()) {
    it(`${c.name}: ${c.code} logged once with the path, 25 records all in Redis, metrics and health say jsonl is failing`, async () => {
      const { logged, logger } = recorder();
      const path = c.path();
      const { trail, metrics, key } = trailAt(path, `case${i}:`, logger);
      for (let n = 0; n < 25; n++) await trail.sink.write(event({ incidentId: `INC-${i}-${n}` }));

      expect(await streamIncidents(key)).toEqual(Array.from({ length: 25 }, (_, n) => `INC-${i}-${n}`));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 'error', object: { sink: 'jsonl', path, failedWrites: 1 } });
      expect(String(logged[0].object.err)).toMatch(new RegExp(`^${c.code}`));
      expect(logged[0].message).toContain(`audit sink jsonl cannot write ${path} (${c.code}`);
      expect(logged[0].message).toContain('the other sinks (redis-stream) still get every record');
      expect(await metricValue(metrics, 'oncall_audit_sink_failures_total', 'jsonl')).toBe(25);
      expect(await metricValue(metrics, 'oncall_audit_sink_failures_total', 'redis-stream')).toBe(0);
      expect(await metricValue(metrics, 'oncall_audit_sink_up', 'jsonl')).toBe(0);
      expect(await metricValue(metrics, 'oncall_audit_sink_up', 'redis-stream')).toBe(1);
      const health = trail.health?.() ?? [];
      expect(health.find((h) => h.sink === 'jsonl')).toMatchObject({ healthy: false, target: path, failedWrites: 25, lastError: expect.stringMatching(new RegExp(`^${c.code}`)) });
      expect(health.find((h) => h.sink === 'redis-stream')).toMatchObject({ healthy: true, failedWrites: 0 });
    });
  }

  it('recovers when the path is writable again: one warning with the count of records missing from the file, which then gets the new ones', async () => {
    const { logged, logger } = recorder();
    const path = join(dir, 'recovers', 'audit.jsonl');
    mkdirSync(path, { recursive: true }); // EISDIR until the directory is removed
    const { trail, metrics, key } = trailAt(path, 'recover:', logger);
    for (let n = 0; n < 5; n++) await trail.sink.write(event({ incidentId: `INC-R-${n}` }));
    rmSync(path, { recursive: true });
    for (let n = 5; n < 8; n++) await trail.sink.write(event({ incidentId: `INC-R-${n}` }));

    expect(logged.map((l) => l.level)).toEqual(['error', 'warn']);
    expect(logged[1].object).toMatchObject({ sink: 'jsonl', path, failedWrites: 5 });
    expect(logged[1].message).toMatch(/audit sink jsonl recovered: writing .* again; 5 records written meanwhile are missing from it/);
    expect(readFileSync(path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { incidentId: string }).incidentId)).toEqual(['INC-R-5', 'INC-R-6', 'INC-R-7']);
    expect(await streamIncidents(key)).toHaveLength(8);
    expect(await metricValue(metrics, 'oncall_audit_sink_up', 'jsonl')).toBe(1);
    expect(trail.health?.().find((h) => h.sink === 'jsonl')).toMatchObject({ healthy: true });
  });

  it('a directory removed under the running agent is created again: nothing is lost and nothing is logged', async () => {
    const { logged, logger } = recorder();
    const parent = join(dir, 'removed');
    const path = join(parent, 'logs', 'audit.jsonl');
    const { trail } = trailAt(path, 'removed:', logger);
    await trail.sink.write(event({ incidentId: 'INC-D-0' }));
    rmSync(parent, { recursive: true });
    await trail.sink.write(event({ incidentId: 'INC-D-1' }));
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(logged).toEqual([]);
  });

  it('a sink that keeps failing is reminded of once per reminder period, with the running count, not once per record', async () => {
    const { logged, logger } = recorder();
    let clock = 1_000_000;
    const key = 'remind:audit';
    const sink = createFanOutSink(
      [
        { name: 'jsonl', sink: new JsonlAuditSink('/dev/full'), target: '/dev/full' },
        { name: 'redis-stream', sink: new RedisStreamAuditSink(client, key, 1_000) },
      ],
      logger,
      { reminderMs: 60_000, now: () => clock },
    );
    for (let n = 0; n < 10; n++) {
      await sink.write(event({ incidentId: `INC-M-${n}` }));
      clock += 15_000; // 10 records over 150 s of the fake clock: the first line, then a reminder at 60 s and 120 s
    }
    expect(logged.map((l) => l.level)).toEqual(['error', 'error', 'error']);
    expect(logged[1].message).toMatch(/audit sink jsonl still cannot write \/dev\/full \(ENOSPC.*\): 5 records missing from it so far/);
    expect(logged[2].message).toMatch(/: 9 records missing from it so far/);
    expect(await streamIncidents(key)).toHaveLength(10);
  });
});
