// A job whose stored data fails validation is never run and never retried; when it still names its incident, the
// incident's run ends anyway, with one `incident.outcome` (escalated, with the validation error). The real in-process
// queue, the composition root's job handler and its JSONL audit trail; the cluster is never reached.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import { createInProcessQueue, type InProcessQueue, type IncidentJobData, type IncidentWorker } from '../../../backend/src/queue/index.js';
import { lifecycleJob, triageJob, waitFor } from '../../helpers/incident-jobs.js';
import { createPipeline, type Pipeline } from './pipeline-harness.js';

let pipeline: Pipeline;
let queue: InProcessQueue;
let worker: IncidentWorker;

afterEach(async () => {
  await worker?.close(1_000);
  await queue?.close();
  await pipeline?.close();
});

/** A kubeconfig naming a port nothing listens on: a job that reached the cluster would show up as a read error. */
function unusedKubeconfig(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kubeconfig-')), 'kubeconfig');
  writeFileSync(path, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
  return path;
}

async function runBroken(job: unknown, jobId: string): Promise<void> {
  pipeline = createPipeline(unusedKubeconfig());
  queue = createInProcessQueue({ retry: { attempts: 3, backoffMs: 10 } });
  worker = queue.startWorker({ handler: pipeline.running.handleJob, concurrency: 1, logger: pipeline.logger });
  await queue.enqueue(job as IncidentJobData);
  await waitFor(() => queue.get(jobId)?.state === 'failed', `${jobId} failed`);
  expect(queue.get(jobId)?.attemptsMade).toBe(1);
}

describe('a job that fails schema validation', () => {
  it('triage: ends its incident with one escalated outcome naming the validation error; nothing else runs', async () => {
    const good = triageJob('PBADJOB1', 'DBAD1');
    await runBroken({ ...good, incident: { ...good.incident, source: 'carrier-pigeon' } }, 'triage-DBAD1');
    const trail = pipeline.audit('PBADJOB1');
    expect(trail.map((e) => e.type)).toEqual(['escalation', 'incident.outcome']);
    const outcome = trail[1].data as unknown as IncidentOutcome;
    expect(outcome).toMatchObject({ incidentId: 'PBADJOB1', outcome: 'escalated', run: 'triage', commands: [] });
    expect(outcome.error).toMatch(/invalid data at incident\.source/);
    expect(outcome.reasons[0]).toMatch(/the job failed for good: the job's data is invalid/);
    expect(trail[0].data).toMatchObject({ outcome: 'escalated', reasons: outcome.reasons });
  });

  it('approval: the approval run ends escalated too (a decision with no plan hash is never run)', async () => {
    const origin = triageJob('PBADJOB2', 'DBAD2').origin;
    await runBroken({ kind: 'approval', approvalId: 'apr-x', incidentId: 'PBADJOB2', decision: 'approve', by: 'alice', channel: 'cli', origin }, 'approval-DBAD2');
    const outcomes = pipeline.audit('PBADJOB2').filter((e) => e.type === 'incident.outcome');
    expect(outcomes.map((e) => e.data)).toEqual([expect.objectContaining({ outcome: 'escalated', run: 'approval', error: expect.stringMatching(/invalid data at planHash/) })]);
  });

  it('a lifecycle job is no incident run: it fails with no outcome', async () => {
    const good = lifecycleJob('PBADJOB3', 'DBAD3');
    await runBroken({ ...good, status: 'exploded' }, 'lifecycle-DBAD3');
    expect(pipeline.audit('PBADJOB3').filter((e) => e.type === 'incident.outcome')).toEqual([]);
  });
});
