import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { silentLogger } from '../../../backend/src/observability/logger.js';
import { planOutcomeWriteback } from '../../../backend/src/pagerduty/plan-writeback.js';
import { createPagerDutyWriter } from '../../../backend/src/pagerduty/rest-writer.js';
import { runWritebackJob } from '../../../backend/src/pipeline/run-writeback-job.js';
import { CAPPED_BACKOFF, createBullmqQueue, startBullmqWorker } from '../../../backend/src/queue/index.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { createRedisWritebackLedger } from '../../../backend/src/redis/redis-writeback-ledger.js';
import { eventually } from '../../helpers/kubectl.js';
import { previewedOutcome } from '../../helpers/outcomes.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { FAKE_PD_AGENT, FAKE_PD_TOKEN, startFakePagerDuty } from '../../fakes/fake-pagerduty-server.js';

// A write-back job through the real BullMQ worker on a real Redis: its own capped backoff while PagerDuty is down,
// the Redis ledger shared by attempts, and each note exactly once when PagerDuty is back.

let redis: TestRedis;
let dir: string;
beforeAll(async () => {
  redis = await startTestRedis();
  dir = mkdtempSync(join(tmpdir(), 'oncall-wb-bullmq-'));
});
afterAll(async () => {
  await redis?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('write-back jobs on BullMQ', () => {
  it('retry with their own capped backoff while PagerDuty answers 503, then deliver each note once', async () => {
    const pd = await startFakePagerDuty({ incidents: [{ id: 'PINC1', title: 'web down', status: 'triggered', service: { id: 'PSVC1' } }] });
    const command = createRedis(redis.url, 'command');
    const blocking = createRedis(redis.url, 'blocking');
    const prefix = `wb${Date.now()}`;
    const queue = createBullmqQueue({ connection: command, retry: { attempts: 1, backoffMs: 10 }, prefix });
    const ledger = createRedisWritebackLedger(command, `${prefix}:`);
    const writer = createPagerDutyWriter({ token: FAKE_PD_TOKEN, fromEmail: FAKE_PD_AGENT.email, apiUrl: pd.url, retry: { maxTotalMs: 200, baseDelayMs: 10, maxDelayMs: 50 } });
    const auditPath = join(dir, 'audit.jsonl');
    const audit = new JsonlAuditSink(auditPath);
    const attempts: number[] = [];
    const worker = startBullmqWorker({
      connection: blocking,
      prefix,
      concurrency: 1,
      logger: silentLogger(),
      handler: async (job, ctx) => {
        if (job.kind !== 'writeback') return;
        attempts.push(ctx.attempt);
        await runWritebackJob(job, ctx, { ports: { writer, ledger }, audit });
      },
    });
    try {
      pd.state.failWith = 503;
      const job = planOutcomeWriteback({ outcome: previewedOutcome(), now: Date.now() }, { resolveOnVerified: false, changeEvents: false, giveUpMs: 60_000, retry: { attempts: 30, backoffMs: 20, maxBackoffMs: 80 } });
      const { jobId } = await queue.enqueue(job);
      const stored = await command.hget(`${prefix}:incidents:${jobId}`, 'opts');
      expect(JSON.parse(stored!)).toMatchObject({ attempts: 30, backoff: { type: CAPPED_BACKOFF, delay: 20 } });
      // Several attempts while PagerDuty is down; each waits at most the cap, so the attempts keep coming.
      await eventually(() => attempts.length >= 4, 20_000);
      expect(pd.state.incidents[0].notes ?? []).toHaveLength(0);
      pd.state.failWith = undefined;
      await eventually(async () => (await command.zscore(`${prefix}:incidents:completed`, jobId)) !== null, 20_000);
      const notes = (pd.state.incidents[0].notes ?? []).map((n) => n.content.split('\n')[0]);
      expect(notes).toEqual(['oncall-agent · diagnosis (runbook analyzer)', 'oncall-agent · preview (plan mode: nothing was changed)']);
      for (const step of job.steps) expect(await ledger.has(step.ref)).toBe(true);
      const record = JSON.parse(readFileSync(auditPath, 'utf8').trim());
      expect(record).toMatchObject({ type: 'pagerduty.writeback', incidentId: 'PINC1', data: { status: 'delivered' } });
      // Enqueuing the same outcome's write-back again is a duplicate, and nothing more is posted.
      expect((await queue.enqueue(job)).outcome).toBe('duplicate');
    } finally {
      await worker.close(1_000);
      await queue.close();
      await Promise.allSettled([command.quit(), blocking.quit()]);
      await pd.close();
    }
  });
});
