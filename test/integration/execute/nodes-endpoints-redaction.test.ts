import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import { verifyPostconditions } from '../../../backend/src/verify/verify-postconditions.js';
import { systemClock } from '../../../backend/src/verify/system-clock.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { Postcondition, RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

let sim: RunningSim;
let h: Harness;
let node: string;

beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
  h = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', VERIFY_DEADLINE_SECONDS: '30' });
  node = (await h.kubectl(['get', 'nodes', '-o', 'name'])).split('\n')[0].replace('node/', '').trim();
});
afterAll(async () => {
  await sim?.stop();
});

const incident = (id: string): Incident => ({ id, title: id, details: {}, source: 'test-yolo' });
const proposal = (id: string, command: string, postconditions: Postcondition[], confidence = 0.95): RemediationProposal => ({
  incidentId: id,
  analyzer: 'runbook',
  rootCause: 'test',
  confidence,
  evidence: [],
  escalate: { required: false },
  actions: [{ command, description: 'test', confidence, expectedEffect: 'x', postconditions }],
});
const unschedulable = async () => (await h.kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}'])).trim() === 'true';

describe('nodes, endpoints and redaction on kube-sim', () => {
  it('uncordons a node in YOLO and verifies nodeSchedulable', async () => {
    await h.kubectl(['cordon', node]);
    expect(await unschedulable()).toBe(true);
    const report = await executeProposal(h.deps, incident('NODE-1'), proposal('NODE-1', `kubectl uncordon ${node}`, [{ type: 'nodeSchedulable', node }]));
    expect(report.outcomes[0].status, report.outcomes[0].detail).toBe('verified');
    expect(await unschedulable()).toBe(false);
  });

  it('rolls a node back to schedulable when the cordon fails its postcondition', async () => {
    // A cordon whose postcondition demands a schedulable node can only fail: the rollback uncordons it.
    const fast = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', VERIFY_DEADLINE_SECONDS: '3' });
    const report = await executeProposal(fast.deps, incident('NODE-2'), proposal('NODE-2', `kubectl cordon ${node}`, [{ type: 'nodeSchedulable', node }]));
    const [outcome] = report.outcomes;
    expect(outcome.verdict?.status).toBe('failed');
    expect(outcome.rollback?.steps.map((s) => s.command)).toEqual([`kubectl uncordon ${node}`]);
    expect(outcome.status).toBe('rolled-back');
    expect(await unschedulable()).toBe(false);
  });

  it('verifies endpointsReady and podsReady through the client-node reader, and fails with the observed state', async () => {
    await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ep' } }));
    await h.kubectl(['apply', '-f', '-'], deploymentManifest('api', 'ep', 'nginx:1.25', 2));
    for (const [name, app] of [['api', 'api'], ['orphan', 'nobody']]) {
      await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ep' }, spec: { selector: { app }, ports: [{ port: 80 }] } }));
    }
    const options = { deadlineMs: 30_000, pollMs: 200, crashLoopWindowMs: 1_000 };
    const ok = await verifyPostconditions(
      [
        { type: 'podsReady', namespace: 'ep', selector: 'app=api', minReady: 2 },
        { type: 'endpointsReady', namespace: 'ep', service: 'api' },
      ],
      { reader: h.deps.reader, clock: systemClock },
      options,
    );
    expect(ok.status, ok.detail).toBe('verified');
    const bad = await verifyPostconditions([{ type: 'endpointsReady', namespace: 'ep', service: 'orphan' }], { reader: h.deps.reader, clock: systemClock }, { ...options, deadlineMs: 1_000 });
    expect(bad.status).toBe('failed');
    expect(bad.observed).toMatchObject({ endpointsReady: { ready: 0 } });
  });

  it('redacts credentials in command output before the audit trail sees them', async () => {
    await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky', namespace: 'default' }, data: { 'app.properties': 'db_password=hunter2-very-secret\nAuthorization: Bearer abcdefghijklmnop123' } }));
    await eventually(async () => (await h.kubectl(['get', 'configmap', 'leaky', '-n', 'default', '-o', 'name'])).includes('leaky'), 'the configmap');
    const report = await executeProposal(h.deps, incident('READ-1'), proposal('READ-1', 'kubectl get configmap leaky -n default -o yaml', [{ type: 'none' }]));
    expect(report.outcomes[0].status).toBe('unverifiable');
    const execution = h.auditEvents().find((e) => e.type === 'execution' && e.incidentId === 'READ-1');
    const stdout = String(execution?.data.stdout);
    expect(stdout).toContain('leaky');
    expect(stdout).not.toContain('hunter2-very-secret');
    expect(stdout).not.toContain('abcdefghijklmnop123');
    expect(JSON.stringify(report)).not.toContain('hunter2-very-secret');
  });
});
