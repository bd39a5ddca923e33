import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, PolicyRefusal, TransientError } from '../../../backend/src/domain/errors.js';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../../backend/src/observability/logger.js';
import { createMetrics } from '../../../backend/src/observability/metrics.js';
import type { IncidentJobData, IncidentJobHandler, IncidentWorker, JobContext } from '../../../backend/src/queue/index.js';
import { createInProcessQueue, type InProcessQueue } from '../../../backend/src/queue/index.js';
import { lifecycleJob, triageJob, waitFor } from '../../helpers/incident-jobs.js';

const logger = silentLogger();
let queue: InProcessQueue;
let worker: IncidentWorker | undefined;

afterEach(async () => {
  await worker?.close(1_000);
  worker = undefined;
  await queue?.close();
});

function setup(handler: IncidentJobHandler, attempts = 3, concurrency = 2) {
  const metrics = createMetrics();
  queue = createInProcessQueue({ retry: { attempts, backoffMs: 10 }, metrics });
  return { metrics, start: () => (worker = queue.startWorker({ handler, concurrency, logger })) };
}

describe('in-process queue', () => {
  it('runs a job once and deduplicates re-deliveries of the same delivery id', async () => {
    const seen: Array<{ job: IncidentJobData; ctx: JobContext }> = [];
    const { start, metrics } = setup(async (job, ctx) => void seen.push({ job, ctx }));
    start();
    expect((await queue.enqueue(triageJob('P1', 'D1'))).outcome).toBe('added');
    for (let i = 0; i < 10; i++) expect((await queue.enqueue(triageJob('P1', 'D1'))).outcome).toBe('duplicate');
    await waitFor(() => queue.get('triage-D1')?.state === 'completed', 'job completion');
    expect((await queue.enqueue(triageJob('P1', 'D1'))).outcome).toBe('duplicate');
    expect(seen).toHaveLength(1);
    expect(seen[0].ctx).toMatchObject({ jobId: 'triage-D1', attempt: 1 });
    expect(seen[0].ctx.signal.aborted).toBe(false);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/oncall_jobs_total\{queue="incidents",state="added"\} 1/);
    expect(text).toMatch(/oncall_jobs_total\{queue="incidents",state="duplicate"\} 11/);
    expect(text).toMatch(/oncall_jobs_total\{queue="incidents",state="completed"\} 1/);
  });

  it('coalesces triage per incident while waiting or active, and enqueues again after completion', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const ran: string[] = [];
    const { start } = setup(async (_job, ctx) => {
      ran.push(ctx.jobId);
      await gate;
    });
    expect(await queue.enqueue(triageJob('P1', 'D1'))).toEqual({ outcome: 'added', jobId: 'triage-D1' });
    // Waiting (no worker yet): a second delivery for the same incident coalesces into the first job.
    expect(await queue.enqueue(triageJob('P1', 'D2'))).toEqual({ outcome: 'duplicate', jobId: 'triage-D1' });
    // A different incident is not coalesced, nor are lifecycle jobs.
    expect((await queue.enqueue(triageJob('P2', 'D3'))).outcome).toBe('added');
    expect((await queue.enqueue(lifecycleJob('P1', 'D4'))).outcome).toBe('added');
    start();
    await waitFor(() => queue.get('triage-D1')?.state === 'active', 'active job');
    // Active: still coalesced.
    expect((await queue.enqueue(triageJob('P1', 'D5'))).outcome).toBe('duplicate');
    release();
    await waitFor(() => queue.get('triage-D1')?.state === 'completed', 'completion');
    // Reopened after completion: a new triage job.
    expect(await queue.enqueue(triageJob('P1', 'D6'))).toEqual({ outcome: 'added', jobId: 'triage-D6' });
    await waitFor(() => queue.get('triage-D6')?.state === 'completed', 'second completion');
    expect(ran.sort()).toEqual(['lifecycle-D4', 'triage-D1', 'triage-D3', 'triage-D6']);
  });

  it('retries transient errors with backoff, then fails for good after JOB_ATTEMPTS', async () => {
    const attempts: number[] = [];
    const finals: boolean[] = [];
    const { start, metrics } = setup(async (_job, ctx) => {
      attempts.push(ctx.attempt);
      finals.push(ctx.finalAttempt);
      throw new TransientError('api server unreachable');
    }, 3);
    start();
    await queue.enqueue(triageJob('P1', 'D1'));
    await waitFor(() => queue.get('triage-D1')?.state === 'failed', 'final failure');
    expect(attempts).toEqual([1, 2, 3]);
    expect(finals).toEqual([false, false, true]);
    expect(queue.get('triage-D1')).toMatchObject({ attemptsMade: 3, lastError: 'TransientError: api server unreachable' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/state="retrying"\} 2/);
    expect(text).toMatch(/state="failed"\} 1/);
  });

  it('succeeds on a retry', async () => {
    let calls = 0;
    const { start } = setup(async () => {
      calls += 1;
      if (calls < 2) throw new Error('flaky');
    });
    start();
    await queue.enqueue(triageJob('P1', 'D1'));
    await waitFor(() => queue.get('triage-D1')?.state === 'completed', 'completion after retry');
    expect(calls).toBe(2);
  });

  it.each([
    ['PolicyRefusal', new PolicyRefusal('kill switch is on')],
    ['InvalidInputError', new InvalidInputError('bad alert')],
  ])('does not retry %s', async (_name, error) => {
    let calls = 0;
    const { start } = setup(async () => {
      calls += 1;
      throw error;
    }, 5);
    start();
    await queue.enqueue(triageJob('P1', 'D1'));
    await waitFor(() => queue.get('triage-D1')?.state === 'failed', 'failure');
    expect(calls).toBe(1);
  });

  it('releases the coalescing key when a triage job fails for good', async () => {
    const { start } = setup(async () => {
      throw new PolicyRefusal('no');
    });
    start();
    await queue.enqueue(triageJob('P1', 'D1'));
    await waitFor(() => queue.get('triage-D1')?.state === 'failed', 'failure');
    expect((await queue.enqueue(triageJob('P1', 'D2'))).outcome).toBe('added');
  });

  it('lists open triage jobs for list_related_alerts, not lifecycle jobs or finished ones', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { start } = setup(async (job) => (job.kind === 'triage' ? gate : undefined), 3, 1);
    const first = triageJob('P1', 'd1');
    first.incident.details = { namespace: 'shop', deployment: 'web' };
    await queue.enqueue(first);
    await queue.enqueue(triageJob('P2', 'd2'));
    await queue.enqueue(lifecycleJob('P3', 'd3'));
    start();
    await waitFor(() => queue.get('triage-d1')?.state === 'active', 'active');
    expect(await queue.listOpenTriage()).toEqual([
      { incidentId: 'P1', title: 'incident P1', namespace: 'shop', workload: 'web', state: 'active' },
      { incidentId: 'P2', title: 'incident P2', namespace: undefined, workload: undefined, state: 'waiting' },
    ]);
    release();
    await waitFor(() => queue.counts().completed === 3, 'all done');
    expect(await queue.listOpenTriage()).toEqual([]);
  });

  it('respects concurrency', async () => {
    let running = 0;
    let peak = 0;
    const { start } = setup(
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running -= 1;
      },
      1,
      2,
    );
    for (let i = 0; i < 6; i++) await queue.enqueue(triageJob(`P${i}`, `D${i}`));
    start();
    await waitFor(() => queue.counts().completed === 6, 'six completions');
    expect(peak).toBe(2);
  });

  it('on close lets an active job finish within the grace period', async () => {
    let finished = false;
    const { start } = setup(async () => {
      await new Promise((r) => setTimeout(r, 100));
      finished = true;
    });
    const w = start();
    await queue.enqueue(triageJob('P1', 'D1'));
    await waitFor(() => queue.get('triage-D1')?.state === 'active', 'active job');
    await w.close(10_000);
    expect(finished).toBe(true);
    expect(w.isRunning()).toBe(false);
    worker = undefined;
  });

  it('aborts the signal when the grace period runs out', async () => {
    let abortedWith: unknown;
    const { start } = setup(
      (_job, ctx) =>
        new Promise<void>((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            abortedWith = ctx.signal.reason;
            reject(ctx.signal.reason);
          });
        }),
    );
    const w = start();
    await queue.enqueue(triageJob('P1', 'D1'));
    await waitFor(() => queue.get('triage-D1')?.state === 'active', 'active job');
    await w.close(50);
    expect(String(abortedWith)).toMatch(/shutdown grace period over/);
    worker = undefined;
  });

  it('on close names the queued incidents it drops (nothing in-process survives a restart)', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const capture = createLogger('info', { destination: new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }) });
    queue = createInProcessQueue({ retry: { attempts: 3, backoffMs: 10 } });
    const w = queue.startWorker({ handler: async (_job, ctx) => new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve())), concurrency: 1, logger: capture });
    await queue.enqueue(triageJob('PRUN', 'D1'));
    await waitFor(() => queue.get('triage-D1')?.state === 'active', 'active job');
    await queue.enqueue(triageJob('PWAIT1', 'D2'));
    await queue.enqueue(triageJob('PWAIT2', 'D3'));
    await w.close(50);
    const dropped = lines.find((l) => /queued job\(s\) not run are dropped/.test(String(l.msg)));
    expect(dropped).toMatchObject({ level: 50, incidentIds: ['PWAIT1', 'PWAIT2'] });
    expect(String(dropped?.msg)).toMatch(/incidents PWAIT1, PWAIT2 need a human/);
  });

  it('fails a job with invalid stored data without retrying', async () => {
    let calls = 0;
    const { start } = setup(async () => void (calls += 1), 5);
    start();
    const bad = { ...triageJob('P1', 'D1'), incident: { id: '', title: 'x', details: {}, source: 'pagerduty' as const } };
    await queue.enqueue(bad);
    await waitFor(() => queue.get('triage-D1')?.state === 'failed', 'failure');
    expect(queue.get('triage-D1')?.lastError).toMatch(/InvalidInputError: job triage-D1 has invalid data at incident\.id/);
    expect(calls).toBe(0);
  });
});

describe('in-process queue retention', () => {
  it('forgets finished jobs after the retention period, so a very late re-delivery is enqueued again', async () => {
    let clock = 1_000_000;
    queue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 10 }, retentionMs: 3_600_000, now: () => clock });
    worker = queue.startWorker({ handler: async () => undefined, concurrency: 1, logger });
    await queue.enqueue(triageJob('P1', 'D1'));
    await waitFor(() => queue.get('triage-D1')?.state === 'completed', 'completion');
    clock += 60 * 60_000 - 1;
    expect((await queue.enqueue(triageJob('P1', 'D1'))).outcome).toBe('duplicate');
    clock += 2 * 60_000;
    expect((await queue.enqueue(triageJob('P1', 'D1'))).outcome).toBe('added');
  });
});
