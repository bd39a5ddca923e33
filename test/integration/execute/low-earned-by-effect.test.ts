import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { createHarness, type Harness } from './execute-harness.js';

// Issue 13: read-only is earned by effect. With the kill switch on, a plain read still runs; a "read" that scores
// above low (it prints Secret data, or reads a local file) is no longer exempt and is stopped like any write.

let sim: RunningSim;
let h: Harness;
beforeAll(async () => {
  sim = await startSim({ withoutControllers: true });
  h = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', KILL_SWITCH: 'true' });
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, stringData: { password: 'hunter2-effect' } }));
});
afterAll(async () => {
  await sim?.stop();
});

const proposal = (id: string, command: string): RemediationProposal => ({
  incidentId: id, analyzer: 'runbook', rootCause: 'test', confidence: 1, evidence: [], escalate: { required: false },
  actions: [{ command, description: 'test action', confidence: 1, expectedEffect: 'x', postconditions: [{ type: 'none' }] }],
});
const run = (id: string, command: string) => executeProposal(h.deps, { id, title: id, details: {}, source: 'cli' }, proposal(id, command));

describe('the kill switch exempts only what is low by effect', () => {
  it('a plain read still runs', async () => {
    const [outcome] = (await run('EFFECT-1', 'kubectl get pods -n default')).outcomes;
    expect(outcome.level).toBe('low');
    expect(outcome.status).toBe('unverifiable');
  });

  it.each([
    ['kubectl get secret db -n default -o yaml', 'high'],
    ['kubectl describe secret db -n default', 'high'],
    ['kubectl get -f manifests/web.yaml -n default', 'high'],
  ])('%s (%s) is refused by the kill switch', async (command, level) => {
    const report = await run(`EFFECT-${command.length}`, command);
    const [outcome] = report.outcomes;
    expect(outcome.level).toBe(level);
    expect(outcome.status).toBe('refused');
    expect(outcome.detail).toMatch(/kill switch/);
    expect(JSON.stringify(report)).not.toContain('hunter2');
    expect(h.auditEvents().filter((e) => e.type === 'execution' && e.data.command === command)).toEqual([]);
  });
});
