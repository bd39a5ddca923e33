// Postcondition edge cases on kube-sim with the real kubectl: what waiting cannot fix fails at once (and is rolled
// back), zero replicas verify, and a verification that cannot read the cluster ends inconclusive without hanging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import type { Postcondition, RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { verifyPostconditions } from '../../../backend/src/verify/verify-postconditions.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
});
afterAll(async () => {
  await sim?.stop();
});

const env = { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', CLUSTER_RATE_LIMIT: '100' };

async function setUp(h: Harness, ns: string, replicas: number, spec: Record<string, unknown> = {}): Promise<void> {
  await h.kubectl(['create', 'namespace', ns]);
  const manifest = JSON.parse(deploymentManifest('web', ns, 'nginx:1.25', replicas)) as { spec: Record<string, unknown> };
  Object.assign(manifest.spec, spec);
  await h.kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
}

function proposal(id: string, command: string, postconditions: Postcondition[]): RemediationProposal {
  return { incidentId: id, analyzer: 'runbook', rootCause: 'test', confidence: 0.95, evidence: [], escalate: { required: false }, actions: [{ command, description: 'test', confidence: 0.95, expectedEffect: 'healthy', postconditions }] };
}
const run = (h: Harness, id: string, command: string, post: Postcondition[]) => executeProposal(h.deps, { id, title: id, details: {}, source: 'test-yolo' }, proposal(id, command, post));
const image = (h: Harness, ns: string) => h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);

describe('verification edge cases on kube-sim', () => {
  it('a progress deadline exceeded fails the rollout at once (not at VERIFY_DEADLINE_SECONDS) and rolls back', async () => {
    // A long verification deadline: only the ProgressDeadlineExceeded condition can end it with this detail.
    const h = createHarness(sim.kubeconfigPath, { ...env, VERIFY_DEADLINE_SECONDS: '600' });
    await setUp(h, 've-deadline', 2, { progressDeadlineSeconds: 5 });
    const report = await run(h, 'VE-DEADLINE', 'kubectl set image deployment/web app=nginx:does-not-exist -n ve-deadline', [{ type: 'rolloutComplete', namespace: 've-deadline', deployment: 'web' }]);
    const [outcome] = report.outcomes;
    expect(outcome.verdict?.status).toBe('failed');
    expect(outcome.verdict?.detail).toMatch(/progress deadline exceeded/);
    expect(outcome.status, outcome.detail).toBe('rolled-back');
    expect(await image(h, 've-deadline')).toBe('nginx:1.25');
  }, 120_000);

  it('a paused deployment cannot roll out: the set image fails at once and is rolled back', async () => {
    const h = createHarness(sim.kubeconfigPath, { ...env, VERIFY_DEADLINE_SECONDS: '600' });
    await setUp(h, 've-paused', 2);
    await h.kubectl(['rollout', 'pause', 'deployment/web', '-n', 've-paused']);
    const report = await run(h, 'VE-PAUSED', 'kubectl set image deployment/web app=nginx:1.26 -n ve-paused', [{ type: 'rolloutComplete', namespace: 've-paused', deployment: 'web' }]);
    const [outcome] = report.outcomes;
    expect(outcome.verdict?.detail).toMatch(/paused/);
    expect(outcome.status, outcome.detail).toBe('rolled-back');
    expect(await image(h, 've-paused')).toBe('nginx:1.25');
    expect(await h.kubectl(['get', 'deployment', 'web', '-n', 've-paused', '-o', 'jsonpath={.spec.paused}'])).toBe('true');
  }, 120_000);

  it('a deployment scaled to 0: a rollout restart verifies rolloutComplete', async () => {
    const h = createHarness(sim.kubeconfigPath, { ...env, VERIFY_DEADLINE_SECONDS: '60' });
    await setUp(h, 've-zero', 0);
    const report = await run(h, 'VE-ZERO', 'kubectl rollout restart deployment/web -n ve-zero', [{ type: 'rolloutComplete', namespace: 've-zero', deployment: 'web' }]);
    expect(report.outcomes[0].status, report.outcomes[0].detail).toBe('verified');
  }, 120_000);

  it('the API server goes away during verification: inconclusive, not rolled back (nothing seen to fail), escalated, nothing hangs', async () => {
    const local = await startSim({ speed: 40, nodes: 1 });
    try {
      const h = createHarness(local.kubeconfigPath, { ...env, VERIFY_DEADLINE_SECONDS: '4', KUBECTL_TIMEOUT_MS: '3000' });
      await setUp(h, 've-gone', 1);
      const pending = run(h, 'VE-GONE', 'kubectl scale deployment/web -n ve-gone --replicas=3', [{ type: 'replicasAtLeast', namespace: 've-gone', deployment: 'web', n: 50 }]);
      await eventually(async () => h.auditEvents().some((e) => e.type === 'execution'), 'the write');
      await local.stop();
      const report = await pending;
      const [outcome] = report.outcomes;
      expect(outcome.verdict?.status).toBe('inconclusive');
      expect(outcome.status).toBe('unverified');
      expect(outcome.rollback).toBeUndefined();
      expect(h.auditEvents().map((e) => e.type)).not.toContain('rollback');
      expect(report.escalate).toBe(true);
      expect(report.escalationReasons.join(' ')).toMatch(/action 1 unverified: .*could not verify: the cluster could not be read.*not rolled back/);
      // The stage reports; the `escalation` record is the pipeline's, written once with the run's outcome.
      expect(h.auditEvents().map((e) => e.type)).not.toContain('escalation');
    } finally {
      await local.stop().catch(() => undefined);
    }
  }, 120_000);

  it('a Service with no selector: its hand-made Endpoints decide endpointsReady', async () => {
    const h = createHarness(sim.kubeconfigPath, env);
    await h.kubectl(['create', 'namespace', 've-manual']);
    await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 've-manual' }, spec: { ports: [{ port: 5432 }] } }));
    const check = () => verifyPostconditions([{ type: 'endpointsReady', namespace: 've-manual', service: 'ext' }], h.deps, { deadlineMs: 1_500, pollMs: 200, crashLoopWindowMs: 1_000 });
    const none = await check();
    expect(none.status).toBe('failed');
    expect(none.detail).toMatch(/no Endpoints object/);
    await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 've-manual' }, subsets: [{ addresses: [{ ip: '10.9.9.9' }], ports: [{ port: 5432 }] }] }));
    const manual = await check();
    expect(manual.status, manual.detail).toBe('verified');
  });
});
