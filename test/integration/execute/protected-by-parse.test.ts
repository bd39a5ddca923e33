import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { createHarness, type Harness } from './execute-harness.js';

// The mode-policy rules that depend on the parse, end to end through executeProposal with the real kubectl: a command
// that reaches a protected namespace without "-n" (by naming the Namespace object, or a cp "ns/pod:path"), or a
// namespaced write whose namespace is hidden (a second target, objects from a file), must never run in YOLO, even at
// full confidence with destructive operations enabled.

let sim: RunningSim;
let h: Harness;
beforeAll(async () => {
  sim = await startSim({ withoutControllers: true });
  h = createHarness(sim.kubeconfigPath, {
    EXECUTION_MODE: 'yolo',
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    TARGET_COOLDOWN_SECONDS: '0',
    CLUSTER_RATE_LIMIT: '100',
    PROTECTED_NAMESPACES: 'payments',
  });
  await h.kubectl(['create', 'namespace', 'payments']);
});
afterAll(async () => {
  await sim?.stop();
});

function proposal(id: string, command: string): RemediationProposal {
  return {
    incidentId: id,
    analyzer: 'runbook',
    rootCause: 'test',
    confidence: 1,
    evidence: [],
    escalate: { required: false },
    actions: [{ command, description: 'test action', confidence: 1, expectedEffect: 'x', postconditions: [{ type: 'none' }] }],
  };
}

describe('YOLO never runs what the parse says reaches a protected or unknown namespace', () => {
  it.each<[string, RegExp]>([
    ['kubectl label ns kube-system audit=yolo', /protected namespace/],
    ['kubectl label namespace/payments audit=yolo', /protected namespace/],
    ['kubectl annotate Namespace payments audit=yolo', /protected namespace/],
    ['kubectl label node/sim-node-1 pod/web audit=yolo', /no namespace given/],
  ])('%s → approval', async (command, reason) => {
    const id = `prot-${command.length}-${command.split(' ')[2]}`;
    const report = await executeProposal(h.deps, { id, title: id, details: {}, source: 'cli' }, proposal(id, command));
    const [outcome] = report.outcomes;
    expect(outcome.decision.kind, outcome.decision.reason).toBe('approval');
    expect(outcome.decision.reason).toMatch(reason);
    // Nothing ran: the objects keep their labels and annotations.
    const labels = JSON.parse(await h.kubectl(['get', 'ns', 'kube-system', 'payments', '-o', 'json'])) as { items: Array<{ metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } }> };
    for (const ns of labels.items) {
      expect(ns.metadata.labels?.audit).toBeUndefined();
      expect(ns.metadata.annotations?.audit).toBeUndefined();
    }
  });

  it('a write in an ordinary namespace with -n still runs (the control case)', async () => {
    await h.kubectl(['create', 'namespace', 'shop']);
    const id = 'prot-control';
    const report = await executeProposal(h.deps, { id, title: id, details: {}, source: 'cli' }, proposal(id, 'kubectl label ns shop audit=yolo'));
    // "label ns" is high (namespace labels drive admission), confidence 1 ≥ 0.9: YOLO executes.
    expect(report.outcomes[0].decision.kind, report.outcomes[0].decision.reason).toBe('execute');
    const shop = JSON.parse(await h.kubectl(['get', 'ns', 'shop', '-o', 'json'])) as { metadata: { labels?: Record<string, string> } };
    expect(shop.metadata.labels?.audit).toBe('yolo');
  });
});
