// A shutdown (the job's AbortSignal) that lands while kubectl is writing must not kill that write half-way: the
// request may or may not have reached the API server, and the record would read "exit 127" for a change that landed.
// The write runs to completion (bounded by KUBECTL_TIMEOUT_MS) and is audited with its real exit code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import type { KubectlRunner } from '../../../backend/src/domain/ports.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

const ns = 'shutdown';
let sim: RunningSim;
let h: Harness;

beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
  h = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', VERIFY_DEADLINE_SECONDS: '60' });
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', ns, 'nginx:1.25', 1));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
});
afterAll(async () => {
  await sim?.stop();
});

describe('shutdown during a write', () => {
  it('lets the kubectl write finish and records its real exit code', async () => {
    const controller = new AbortController();
    const real = h.deps.runner;
    // The real runner; the shutdown signal fires at the moment the write is handed to kubectl.
    const runner: KubectlRunner = {
      run: (args, options) => {
        if (args.includes('scale')) controller.abort(new Error('shutting down'));
        return real.run(args, options);
      },
    };
    const command = `kubectl scale deployment/web -n ${ns} --replicas=2`;
    await executeProposal({ ...h.deps, runner, signal: controller.signal }, { id: 'STOP-1', title: 'scale', details: {}, source: 'cli' }, {
      incidentId: 'STOP-1',
      analyzer: 'runbook',
      rootCause: 'load',
      confidence: 0.9,
      evidence: [],
      escalate: { required: false },
      actions: [{ command, description: 'scale', confidence: 0.95, expectedEffect: 'two replicas', postconditions: [] }],
    }).catch(() => undefined);
    const execution = h.auditEvents().find((e) => e.incidentId === 'STOP-1' && e.type === 'execution');
    expect(execution?.data).toMatchObject({ command, exitCode: 0 });
    expect(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
  });
});
