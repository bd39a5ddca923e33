import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { Postcondition, RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { breakerPolicyFromConfig, breakerScopeFor } from '../../../backend/src/safety/breaker-policy.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
});
afterAll(async () => {
  await sim?.stop();
});

const yoloEnv = { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', CLUSTER_RATE_LIMIT: '100', NO_CRASHLOOP_WINDOW_SECONDS: '2' };

async function setUpDeployment(h: Harness, namespace: string): Promise<void> {
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }));
  await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', namespace, 'nginx:1.25', 2));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', namespace, '-o', 'json']))).ok, 'the first rollout');
}

function proposalFor(id: string, command: string, postconditions: Postcondition[], confidence = 0.95): RemediationProposal {
  return {
    incidentId: id,
    analyzer: 'runbook',
    rootCause: 'test',
    confidence,
    evidence: [],
    escalate: { required: false },
    actions: [{ command, description: 'test action', confidence, expectedEffect: 'healthy', postconditions }],
  };
}
const incident = (id: string): Incident => ({ id, title: `incident ${id}`, details: {}, source: 'test-yolo' });

describe('YOLO on kube-sim with the real kubectl', () => {
  it('rolls back a crash-looping revision with rollout undo and verifies rolloutComplete + noCrashLoop', async () => {
    const h = createHarness(sim.kubeconfigPath, { ...yoloEnv, VERIFY_DEADLINE_SECONDS: '90' });
    await setUpDeployment(h, 'yolo-undo');
    // Revision 2 crash-loops.
    await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', 'yolo-undo', 'busybox:1.36', 2, { command: ['sh', '-c', 'exit 1'] }));
    await eventually(async () => {
      const pods = JSON.parse(await h.kubectl(['get', 'pods', '-n', 'yolo-undo', '-l', 'app=web', '-o', 'json'])) as { items: Array<{ status?: { containerStatuses?: Array<{ restartCount: number }> } }> };
      return pods.items.some((p) => (p.status?.containerStatuses ?? []).some((c) => c.restartCount > 0));
    }, 'the new revision to crash-loop');

    const report = await executeProposal(
      h.deps,
      incident('YOLO-UNDO'),
      proposalFor('YOLO-UNDO', 'kubectl rollout undo deployment/web -n yolo-undo', [
        { type: 'rolloutComplete', namespace: 'yolo-undo', deployment: 'web' },
        { type: 'noCrashLoop', namespace: 'yolo-undo', selector: 'app=web', windowSeconds: 2 },
      ]),
    );
    expect(report.outcomes).toHaveLength(1);
    const [outcome] = report.outcomes;
    expect(outcome.decision.kind).toBe('execute');
    expect(outcome.execution?.exitCode).toBe(0);
    expect(outcome.verdict?.status, outcome.detail).toBe('verified');
    expect(outcome.status).toBe('verified');
    expect(report.escalate).toBe(false);
    const image = await h.kubectl(['get', 'deployment', 'web', '-n', 'yolo-undo', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    expect(image).toBe('nginx:1.25');

    const types = h.auditEvents().map((e) => e.type);
    expect(types).toEqual(['risk', 'decision', 'execution', 'verification']); // verified: no escalation
    const execution = h.auditEvents().find((e) => e.type === 'execution');
    expect(execution?.data).toMatchObject({ command: 'kubectl rollout undo deployment/web -n yolo-undo', exitCode: 0, snapshot: { revision: '2' } });
    expect(typeof execution?.data.durationMs).toBe('number');
  });

  it('rolls back each failed verification, and the fifth failure opens the breaker: YOLO then asks for approval', async () => {
    const h = createHarness(sim.kubeconfigPath, { ...yoloEnv, VERIFY_DEADLINE_SECONDS: '3' });
    await setUpDeployment(h, 'yolo-fail');
    const scope = breakerScopeFor('cluster', h.deps.config.CLUSTER_NAME);
    const policy = breakerPolicyFromConfig(h.deps.config);
    const breakCommand = 'kubectl set image deployment/web app=nginx:does-not-exist -n yolo-fail';
    const post: Postcondition[] = [{ type: 'rolloutComplete', namespace: 'yolo-fail', deployment: 'web' }];

    for (let i = 1; i <= 5; i++) {
      const id = `YOLO-FAIL-${i}`;
      const report = await executeProposal(h.deps, incident(id), proposalFor(id, breakCommand, post));
      const [outcome] = report.outcomes;
      expect(outcome.decision.kind, `attempt ${i}: ${outcome.detail}`).toBe('execute');
      expect(outcome.verdict?.status).toBe('failed');
      expect(outcome.rollback?.attempted).toBe(true);
      expect(outcome.rollback?.restored, outcome.rollback?.detail).toBe(true);
      expect(outcome.status).toBe('rolled-back');
      expect(report.escalate).toBe(true);
      // The snapshot's template is back after every rollback.
      expect(await h.kubectl(['get', 'deployment', 'web', '-n', 'yolo-fail', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
      const breaker = await h.deps.breakers.getBreaker(scope, policy, Date.now());
      expect(breaker.state).toBe(i < 5 ? 'closed' : 'open');
    }
    const rollbacks = h.auditEvents().filter((e) => e.type === 'rollback' && typeof e.data.command === 'string');
    expect(rollbacks).toHaveLength(5);
    expect(rollbacks[0].data.command).toMatch(/^kubectl rollout undo deployment\/web -n yolo-fail --to-revision=\d+$/);
    expect(h.auditEvents().filter((e) => e.type === 'breaker.transition').map((e) => e.data.to)).toEqual(['open']);
    // The stage reports each failure; the `escalation` record is the pipeline's, written once with the run's outcome.
    expect(h.auditEvents().filter((e) => e.type === 'escalation')).toEqual([]);

    // Breaker open: the same confident command is not executed; it waits for a human.
    const rvBefore = await h.kubectl(['get', 'deployment', 'web', '-n', 'yolo-fail', '-o', 'jsonpath={.metadata.resourceVersion}']);
    const report = await executeProposal(h.deps, incident('YOLO-FAIL-6'), proposalFor('YOLO-FAIL-6', breakCommand, post));
    expect(report.outcomes[0].decision.kind).toBe('approval');
    expect(report.outcomes[0].decision.reason).toMatch(/circuit breaker is open/);
    expect(report.approval?.commands).toEqual([breakCommand]);
    expect(await h.kubectl(['get', 'deployment', 'web', '-n', 'yolo-fail', '-o', 'jsonpath={.metadata.resourceVersion}'])).toBe(rvBefore);
  });

  it('after the open period the half-open breaker lets one trial through, and two successes close it', async () => {
    const h = createHarness(sim.kubeconfigPath, { ...yoloEnv, VERIFY_DEADLINE_SECONDS: '3', BREAKER_FAILURE_THRESHOLD: '1', BREAKER_OPEN_SECONDS: '1' });
    await setUpDeployment(h, 'yolo-half');
    const scope = breakerScopeFor('cluster', h.deps.config.CLUSTER_NAME);
    const policy = breakerPolicyFromConfig(h.deps.config);
    const fail = await executeProposal(h.deps, incident('HALF-0'), proposalFor('HALF-0', 'kubectl set image deployment/web app=nginx:does-not-exist -n yolo-half', [{ type: 'rolloutComplete', namespace: 'yolo-half', deployment: 'web' }]));
    expect(fail.outcomes[0].status).toBe('rolled-back');
    // The failure opened the breaker (the trail below says so); with BREAKER_OPEN_SECONDS=1 a rollback slower than a
    // second (a loaded machine) has already let it half-open by now, which is the state this test waits for next.
    expect(['open', 'half-open']).toContain((await h.deps.breakers.getBreaker(scope, policy, Date.now())).state);

    await eventually(async () => (await h.deps.breakers.getBreaker(scope, policy, Date.now())).state === 'half-open', 'half-open');
    // Same breaker store, a generous deadline for the pods to become ready.
    const patient = createHarness(sim.kubeconfigPath, { ...yoloEnv, VERIFY_DEADLINE_SECONDS: '60', BREAKER_FAILURE_THRESHOLD: '1', BREAKER_OPEN_SECONDS: '1' }, { safety: h.agent.safety });
    const scaleTo = (n: number, id: string) =>
      executeProposal(patient.deps, incident(id), proposalFor(id, `kubectl scale deployment/web -n yolo-half --replicas=${n}`, [{ type: 'replicasAtLeast', namespace: 'yolo-half', deployment: 'web', n }]));
    const trial = await scaleTo(3, 'HALF-1');
    expect(trial.outcomes[0].status, trial.outcomes[0].detail).toBe('verified');
    expect((await h.deps.breakers.getBreaker(scope, policy, Date.now())).state).toBe('half-open');
    const second = await scaleTo(2, 'HALF-2');
    expect(second.outcomes[0].status, second.outcomes[0].detail).toBe('verified');
    expect((await h.deps.breakers.getBreaker(scope, policy, Date.now())).state).toBe('closed');
    expect(h.auditEvents().filter((e) => e.type === 'breaker.transition').map((e) => e.data.to)).toEqual(['open']);
    // Every transition is in the trail, the half-opening included (the trial's permit caused it), with its incident.
    const transitions = patient.auditEvents().filter((e) => e.type === 'breaker.transition');
    expect(transitions.map((e) => [e.incidentId, e.data.from, e.data.to])).toEqual([
      ['HALF-1', 'open', 'half-open'],
      ['HALF-2', 'half-open', 'closed'],
    ]);
  });
});
