// A job whose worker process is killed on every try is failed by BullMQ's stalled-job check without its handler
// ever finishing. It must still end with an incident.outcome (escalated, saying it stalled), written once.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import { silentLogger } from '../../../backend/src/observability/logger.js';
import { recordAbandonedJob } from '../../../backend/src/pipeline/record-abandoned-job.js';
import { createBullmqQueue, startBullmqWorker, type IncidentQueue, type IncidentWorker } from '../../../backend/src/queue/index.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { triageJob, waitFor } from '../../helpers/incident-jobs.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

const prefix = 'stallgood';
let redis: TestRedis;
let command: Redis;
let blocking: Redis;
let queue: IncidentQueue;
let worker: IncidentWorker | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  command = createRedis(redis.url, 'command');
  blocking = createRedis(redis.url, 'blocking');
  queue = createBullmqQueue({ connection: command, retry: { attempts: 3, backoffMs: 50 }, prefix });
});
afterAll(async () => {
  await worker?.close(1_000);
  await queue?.close();
  await Promise.allSettled([command?.quit(), blocking?.quit()]);
  await redis?.close();
});

/** A worker process that takes the job and hangs; the test kills it with SIGKILL once it holds the job. */
async function hangAndKill(jobId: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'helpers', 'worker-process.ts'), redis.url, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await waitFor(() => stdout.includes(`"running":"${jobId}"`), `a worker to take ${jobId}`, 60_000);
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

describe('a job that stalls for good', () => {
  it('ends with one escalated incident.outcome saying it stalled', async () => {
    const auditPath = join(mkdtempSync(join(tmpdir(), 'stall-')), 'audit.jsonl');
    const sink = new JsonlAuditSink(auditPath);
    await queue.enqueue(triageJob('PGOOD', 'DGOOD'));
    // Two workers die holding it: the first stall puts it back, the second exceeds maxStalledCount (1).
    await hangAndKill('triage-DGOOD');
    await hangAndKill('triage-DGOOD');
    const handled: string[] = [];
    worker = startBullmqWorker({
      connection: blocking,
      prefix,
      concurrency: 1,
      logger: silentLogger(),
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      handler: async (_job, ctx) => {
        handled.push(ctx.jobId);
      },
      onAbandoned: (data, reason) => recordAbandonedJob({ audit: sink, mode: 'yolo', diagnose: () => Promise.reject(new Error('unused')), execute: () => Promise.reject(new Error('unused')) }, data, reason, silentLogger()),
    });
    const outcomes = () => (existsSync(auditPath) ? readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent) : []).filter((e) => e.type === 'incident.outcome');
    const [ending] = await waitFor(() => (outcomes().length ? outcomes() : undefined), 'the outcome of the stalled job', 60_000);
    const outcome = ending.data as unknown as IncidentOutcome;
    expect(outcome).toMatchObject({ incidentId: 'PGOOD', outcome: 'escalated', run: 'triage' });
    expect(outcome.reasons[0]).toMatch(/stalled .*worker was killed or hung.*oncall-agent audit --incident PGOOD/);
    expect(await queue.waitForJob('triage-DGOOD', 1_000)).toMatchObject({ state: 'failed' });
    expect(handled).toEqual([]);
    expect(outcomes()).toHaveLength(1);
  });
});
