import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../backend/src/observability/logger.js';
import { createBullmqQueue, startBullmqWorker, type IncidentQueue, type IncidentWorker } from '../../../backend/src/queue/index.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { triageJob, waitFor } from '../../helpers/incident-jobs.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

// A worker process killed mid-job (OOM killer, node drained, kill -9) must not lose the page: its lock lapses and
// another worker's stalled-job check puts the job back and runs it.

let redis: TestRedis;
let command: Redis;
let blocking: Redis;
let reader: Redis;
let queue: IncidentQueue;
let worker: IncidentWorker | undefined;
const prefix = `s${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  redis = await startTestRedis();
  command = createRedis(redis.url, 'command');
  blocking = createRedis(redis.url, 'blocking');
  reader = createRedis(redis.url, 'blocking');
  queue = createBullmqQueue({ connection: command, retry: { attempts: 3, backoffMs: 50 }, prefix });
});
afterAll(async () => {
  await worker?.close(1_000);
  await queue?.close();
  await Promise.allSettled([command?.quit(), blocking?.quit(), reader?.quit()]);
  await redis?.close();
});

describe('stalled-job recovery', () => {
  it('a job whose worker process is SIGKILLed mid-run is picked up and completed by another worker', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'helpers', 'worker-process.ts'), redis.url, prefix], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

    await queue.enqueue(triageJob('PSTALL', 'DSTALL'));
    await waitFor(() => stdout.includes('"running":"triage-DSTALL"'), `the first worker to start the job (stderr: ${stderr})`, 30_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The job is still active in Redis, held by a lock nobody renews.
    expect(await reader.lrange(`${prefix}:incidents:active`, 0, -1)).toEqual(['triage-DSTALL']);

    const ran: string[] = [];
    worker = startBullmqWorker({
      connection: blocking,
      prefix,
      concurrency: 1,
      logger: silentLogger(),
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      handler: async (job, ctx) => {
        ran.push(`${ctx.jobId}:${job.kind}`);
      },
    });
    await waitFor(async () => (await reader.zscore(`${prefix}:incidents:completed`, 'triage-DSTALL')) !== null, 'the second worker to complete the job', 30_000);
    expect(ran).toEqual(['triage-DSTALL:triage']);
  });
});
