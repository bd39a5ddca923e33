// Approval mode end to end: the daemon's pipeline stores a pending plan in Redis; `oncall-agent approve` (the real
// binary, another process, with none of the agent's settings) queues the decision; the agent's worker runs exactly the
// approved command under its own settings; the cluster recovers and the CLI prints the outcome.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { createQueue, type RunningQueue } from '../../../backend/src/app/create-queue.js';
import type { IncidentWorker } from '../../../backend/src/queue/index.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { allRunningReady, apply, createPipeline, deployment, incident, pods, rolledOut, waitingReasons, type Pipeline } from './pipeline-harness.js';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'oncall-agent.js');
let sim: RunningSim;
let redis: TestRedis;
let kubectl: Kubectl;
let pipeline: Pipeline;
let queue: RunningQueue;
let worker: IncidentWorker;

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 120_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', USER: 'tester', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSim({ speed: 30 }), startTestRedis()]);
  kubectl = kubectlFor(sim.kubeconfigPath);
  pipeline = createPipeline(sim.kubeconfigPath, { EXECUTION_MODE: 'approval', REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'approve-e2e:' });
  // The agent's worker, built by the same composition root as `serve`: it runs every approval decision.
  queue = createQueue(pipeline.config);
  worker = queue.startWorker({ handler: pipeline.running.handleJob, concurrency: 1, logger: pipeline.logger });
});
afterAll(async () => {
  await worker?.close(1_000);
  await queue?.close();
  await pipeline?.close();
  await Promise.allSettled([sim?.stop(), redis?.close()]);
});

describe('oncall-agent approve (the real binary) runs the approved plan', () => {
  it('waits for a human, then runs exactly the approved rollout undo and the pods recover', async () => {
    await kubectl.ok(['create', 'namespace', 'shop']);
    await apply(kubectl, deployment('shop', 'web'));
    await rolledOut(kubectl, 'shop', 'web');
    await kubectl.ok(['set', 'image', 'deployment/web', '-n', 'shop', 'app=nginx:does-not-exist']);
    await eventually(async () => (await pods(kubectl, 'shop', 'app=web')).some((p) => waitingReasons(p).some((r) => /ImagePull/.test(r))), 30_000);

    const { report } = await pipeline.run(incident('Pods of shop/web cannot start'));
    expect(report.mode).toBe('approval');
    expect(report.approval?.commands).toEqual(['kubectl rollout undo deployment/web -n shop']);
    // Nothing ran yet: the bad image is still the template's.
    expect(await kubectl.ok(['get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:does-not-exist');

    const env = {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'approve-e2e:',
      KUBECONFIG: sim.kubeconfigPath,
      AUDIT_JSONL_PATH: pipeline.config.AUDIT_JSONL_PATH,
      STATE_DIR: pipeline.config.STATE_DIR,
      // The approver's shell: verification settings the worker must not take (a 1 s deadline would fail the undo).
      VERIFY_DEADLINE_SECONDS: '1',
      LOG_LEVEL: 'silent',
    };
    const approvalId = report.approval!.id;
    const wrongHash = await cli(['approve', approvalId, '--plan-hash', '0'.repeat(64), '--by', 'alice'], env);
    expect(wrongHash.code).toBe(1);

    const run = await cli(['approve', approvalId, '--plan-hash', report.approval!.planHash, '--by', 'alice'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1\. verified: kubectl rollout undo deployment\/web -n shop/);
    expect(run.stdout).toMatch(/Outcome: FIXED in/);
    expect(await kubectl.ok(['get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
    expect(await allRunningReady(kubectl, 'shop', 'app=web', 2)).toBe(true);

    const trail = pipeline.audit(report.incidentId).map((e) => [e.type, e.actor]);
    expect(trail).toEqual(expect.arrayContaining([['approval.requested', 'agent'], ['approval.granted', 'alice'], ['execution', 'agent'], ['verification', 'agent']]));
    // One outcome for the triage run (awaiting approval) and one for the approved-plan run (fixed).
    const outcomes = pipeline.audit(report.incidentId).filter((e) => e.type === 'incident.outcome').map((e) => e.data);
    expect(outcomes).toMatchObject([
      { outcome: 'awaiting_approval', run: 'triage', approval: { id: report.approval!.id, planHash: report.approval!.planHash } },
      { outcome: 'fixed', run: 'approval', approval: { id: report.approval!.id }, commands: [{ status: 'verified', verdict: 'verified' }] },
    ]);
    expect(outcomes[1].timings).toMatchObject({ toDecisionMs: expect.any(Number), toFirstWriteMs: expect.any(Number), toVerifiedFixMs: expect.any(Number) });

    // A second approve of the same plan runs nothing.
    const again = await cli(['approve', approvalId, '--plan-hash', report.approval!.planHash, '--by', 'bob'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already executed/);
  });
});
