import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { createHarness, deploymentManifest, snapshotResourceVersions, type Harness } from './execute-harness.js';

let sim: RunningSim;
let h: Harness;
let node: string;

beforeAll(async () => {
  // Without controllers the cluster is still (no heartbeats, no pods starting), so any write would be the agent's.
  sim = await startSim({ withoutControllers: true });
  h = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'plan', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true' });
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }));
  await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', 'shop', 'web:1', 2));
  node = (await h.kubectl(['get', 'nodes', '-o', 'name'])).split('\n')[0].replace('node/', '').trim();
  if (!node) {
    node = 'plan-node-1';
    await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: node } }));
  }
  proposal.actions.push(action(`kubectl cordon ${node} --dry-run=none`, 0.75));
});
afterAll(async () => {
  await sim?.stop();
});

const incident: Incident = { id: 'PLAN1', title: 'web is down in shop', details: {}, source: 'cli' };
const action = (command: string, confidence = 0.95) => ({ command, description: 'test', confidence, expectedEffect: 'x', postconditions: [{ type: 'none' as const }] });
const proposal: RemediationProposal = {
  incidentId: 'PLAN1',
  analyzer: 'runbook',
  target: { namespace: 'shop', kind: 'Deployment', name: 'web' },
  rootCause: 'test plan',
  confidence: 0.9,
  evidence: [],
  escalate: { required: false },
  actions: [
    action('kubectl scale deployment/web -n shop --replicas=0'),
    action('kubectl set image deployment/web app=web:2 -n shop', 0.8),
    action('kubectl rollout restart deployment/web -n shop'),
    action('kubectl delete namespace shop'),
    action('kubectl get pods -n shop'),
  ],
};

describe('plan mode on kube-sim', () => {
  it('leaves every object untouched while it logs a readable preview and a structured record', async () => {
    const before = await snapshotResourceVersions(sim.kubeconfigPath);
    const globalBefore = sim.store.currentResourceVersion();
    const report = await executeProposal(h.deps, incident, proposal);
    const after = await snapshotResourceVersions(sim.kubeconfigPath);
    // Nothing was written: neither any object's resourceVersion nor the store's global revision moved.
    expect(after).toEqual(before);
    expect(sim.store.currentResourceVersion()).toBe(globalBefore);
    expect(Object.keys(before).length).toBeGreaterThan(5);

    expect(report.mode).toBe('plan');
    expect(report.outcomes.map((o) => o.status)).toEqual(['previewed', 'previewed', 'previewed', 'refused', 'previewed', 'previewed']);
    const [scale, setImage, restart, , get, cordon] = report.outcomes;
    expect(scale.level).toBe('high'); // scale to 0
    expect(scale.decision.wouldBe).toBe('execute');
    expect(scale.dryRun?.changes).toEqual(['replace /spec/replicas: 2 → 0']);
    expect(setImage.decision.wouldBe).toBe('approval'); // high risk needs 0.9
    expect(setImage.dryRun?.changes?.join('\n')).toMatch(/image: "web:1" → "web:2"/);
    expect(restart.dryRun).toMatchObject({ ran: false, reason: expect.stringMatching(/no server-side dry run/) });
    expect(get.dryRun?.ran).toBe(false);
    expect(cordon.dryRun).toMatchObject({ ran: true, command: `kubectl cordon ${node} --dry-run=server`, exitCode: 0 });

    // JSON logs (no TTY): a header record and one structured record per command, not a text block in a JSON string.
    const lines = h.logText().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; planPreview?: Record<string, unknown>; planCommand?: Record<string, unknown> });
    expect(lines.some((l) => l.msg.includes('PLAN PREVIEW'))).toBe(false);
    expect(lines.find((l) => l.planPreview)?.planPreview).toMatchObject({ incidentId: 'PLAN1', rootCause: 'test plan', commands: 6 });
    const records = lines.filter((l) => l.planCommand).map((l) => l.planCommand!);
    expect(records.map((r) => r.command)).toEqual(proposal.actions.map((a) => a.command));
    expect(records[0]).toMatchObject({
      risk: 'high',
      decision: 'preview',
      wouldBe: 'execute',
      reasons: expect.arrayContaining([expect.any(String)]),
      dryRun: { ran: true, exitCode: 0, changes: ['replace /spec/replicas: 2 → 0'], summary: 'would change 1 field(s): replace /spec/replicas: 2 → 0' },
    });
    expect(records[3]).toMatchObject({ command: 'kubectl delete namespace shop', risk: 'forbidden', decision: 'refuse', decisionReason: expect.stringMatching(/forbidden/) });
    expect(records[2].dryRun).toMatchObject({ ran: false, summary: expect.stringMatching(/no server-side dry run/) });
    expect(lines.find((l) => l.planCommand?.index === 0)?.msg).toBe('plan preview PLAN1 command 1/6: kubectl scale deployment/web -n shop --replicas=0 — high risk, preview (yolo would execute)');
    expect(h.auditEvents().some((e) => e.type === 'plan.preview')).toBe(true);
    expect(h.auditEvents().some((e) => e.type === 'execution')).toBe(false);
  });
});

describe('plan mode runs no dry run that no mode would run, and never reads a Secret (issue 13)', () => {
  it('with destructive operations off, nothing above low is dry-run: the preview says why', async () => {
    const off = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'plan', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'false' });
    const report = await executeProposal(off.deps, { ...incident, id: 'PLAN-OFF' }, { ...proposal, incidentId: 'PLAN-OFF', actions: [action('kubectl scale deployment/web -n shop --replicas=3'), action('kubectl get pods -n shop')] });
    const [scale, get] = report.outcomes;
    expect(scale.status).toBe('previewed');
    expect(scale.dryRun).toMatchObject({ ran: false, reason: expect.stringMatching(/no mode would run it.*ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=false/) });
    expect(scale.dryRun?.command).toBeUndefined();
    expect(get.dryRun?.ran).toBe(false);
  });

  it('a Secret is dry-run without being read: no -o json, no read before, only kubectl\'s one-line summary', async () => {
    await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'hunter2-plan' } }));
    const report = await executeProposal(h.deps, { ...incident, id: 'PLAN-SECRET' }, { ...proposal, incidentId: 'PLAN-SECRET', actions: [action('kubectl annotate secret db -n shop owner=team-a')] });
    const [annotate] = report.outcomes;
    expect(annotate.dryRun).toMatchObject({ ran: true, exitCode: 0, command: 'kubectl annotate secret db -n shop owner=team-a --dry-run=server' });
    expect(annotate.dryRun?.changes).toBeUndefined();
    expect(annotate.dryRun?.output).toMatch(/secret\/db annotated \(server dry run\)/);
    expect(JSON.stringify(report)).not.toMatch(/hunter2|aHVudGVyMi1wbGFu/);
  });
});
