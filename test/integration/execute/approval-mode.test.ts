import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import { executeApprovedPlan } from '../../../backend/src/execute/approvals.js';
import { approvePlan, denyPlan } from '../../../backend/src/safety/approvals.js';
import { ApprovalRefusal } from '../../../backend/src/safety/approval-errors.js';
import { PolicyRefusal } from '../../../backend/src/domain/errors.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

let sim: RunningSim;
let h: Harness;
const ns = 'appr';

beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
  h = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'approval', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', VERIFY_DEADLINE_SECONDS: '60' });
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', ns, 'nginx:1.25', 1));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
});
afterAll(async () => {
  await sim?.stop();
});

const scaleTo = (n: number) => `kubectl scale deployment/web -n ${ns} --replicas=${n}`;
function proposal(id: string, commands: string[]): RemediationProposal {
  return {
    incidentId: id,
    analyzer: 'runbook',
    rootCause: 'too few replicas',
    confidence: 0.9,
    evidence: [],
    escalate: { required: false },
    actions: commands.map((command) => ({
      command,
      description: 'scale up',
      confidence: 0.75, // below YOLO's bar, above the skip bar: a human decides in any mode
      expectedEffect: 'more replicas',
      postconditions: [{ type: 'replicasAtLeast' as const, namespace: ns, deployment: 'web', n: 3 }],
    })),
  };
}
const incident = (id: string): Incident => ({ id, title: `incident ${id}`, details: {}, source: 'cli' });
const approvalDeps = () => ({ store: h.deps.approvals, audit: h.deps.audit, now: () => Date.now() });
const replicas = async () => Number(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}']));

describe('approval mode on kube-sim', () => {
  it('stores the plan and runs nothing until approved; then runs exactly the approved commands, once', async () => {
    const report = await executeProposal(h.deps, incident('APR-1'), proposal('APR-1', [scaleTo(3)]));
    expect(report.outcomes[0].status).toBe('awaiting-approval');
    const approval = report.approval;
    expect(approval?.commands).toEqual([scaleTo(3)]);
    expect(approval?.expiresAt).toBeGreaterThan(Date.now());
    expect(await replicas()).toBe(1);

    // Not approved yet: refused.
    await expect(executeApprovedPlan(approval!.id, h.deps)).rejects.toThrow(/pending, not approved/);
    expect(await replicas()).toBe(1);
    // A hash the human did not see is refused by the store.
    await expect(approvePlan(approvalDeps(), approval!.id, 'alice', 'f'.repeat(64))).rejects.toBeInstanceOf(ApprovalRefusal);

    await approvePlan(approvalDeps(), approval!.id, 'alice', approval!.planHash);
    const executed = await executeApprovedPlan(approval!.id, h.deps);
    expect(executed.outcomes.map((o) => o.status)).toEqual(['verified']);
    expect(executed.outcomes[0].decision.reason).toMatch(/approved by a human/);
    expect(await replicas()).toBe(3);
    // A second run of the same approval is refused: the write happened already.
    await expect(executeApprovedPlan(approval!.id, h.deps)).rejects.toThrow(/already executed/);

    const types = h.auditEvents().filter((e) => e.incidentId === 'APR-1').map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['approval.requested', 'approval.granted', 'execution', 'verification']));
    expect(h.auditEvents().find((e) => e.type === 'approval.granted')?.actor).toBe('alice');
  });

  it('refuses a plan that changed after approval (the stored commands no longer match the approved hash)', async () => {
    const report = await executeProposal(h.deps, incident('APR-2'), proposal('APR-2', [scaleTo(4)]));
    const approval = report.approval!;
    await approvePlan(approvalDeps(), approval.id, 'bob', approval.planHash);
    // Someone rewrites the stored plan after approval (same hash, different command).
    const stored = (await h.deps.approvals.getApproval(approval.id, Date.now()))!;
    const tampered = { ...stored, commands: [scaleTo(0)], payload: { ...(stored.payload as object), actions: [{ index: 0, action: { ...proposal('APR-2', [scaleTo(0)]).actions[0] } }] } };
    await h.deps.approvals.putApproval(tampered);
    await expect(executeApprovedPlan(approval.id, h.deps)).rejects.toBeInstanceOf(PolicyRefusal);
    await expect(executeApprovedPlan(approval.id, h.deps)).rejects.toThrow(/differ from the approved plan/);
    expect(await replicas()).toBe(3);
  });

  it('a denied plan never runs, and the kill switch still stops an approved one', async () => {
    const report = await executeProposal(h.deps, incident('APR-3'), proposal('APR-3', [scaleTo(5)]));
    await denyPlan(approvalDeps(), report.approval!.id, 'carol', 'not now');
    await expect(executeApprovedPlan(report.approval!.id, h.deps)).rejects.toThrow(/denied/);
    expect(await replicas()).toBe(3);

    // Kill switch on between approval and execution: the approved write is refused.
    const again = await executeProposal(h.deps, incident('APR-4'), proposal('APR-4', [scaleTo(5)]));
    await approvePlan(approvalDeps(), again.approval!.id, 'dave', again.approval!.planHash);
    await h.deps.killSwitch.setKillSwitch({ paused: true, by: 'test', since: Date.now() });
    try {
      await expect(executeApprovedPlan(again.approval!.id, h.deps)).rejects.toThrow(/kill switch/);
      expect(await replicas()).toBe(3);
    } finally {
      await h.deps.killSwitch.setKillSwitch({ paused: false, by: 'test', since: Date.now() });
    }
  });

  it('in YOLO, runs up to the first action that needs a human; that action and the rest wait in one approval', async () => {
    const yolo = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', VERIFY_DEADLINE_SECONDS: '60' });
    const p = proposal('SEQ-1', [scaleTo(2), scaleTo(9), `kubectl set image deployment/web app=nginx:1.26 -n ${ns}`, scaleTo(4)]);
    p.actions[0].confidence = 0.95;
    p.actions[0].postconditions = [{ type: 'replicasAtLeast', namespace: ns, deployment: 'web', n: 2 }];
    p.actions[1].confidence = 0.5; // skipped, the run goes on
    p.actions[2].confidence = 0.85; // high risk needs 0.9: a human decides
    p.actions[3].confidence = 0.99;
    const report = await executeProposal(yolo.deps, incident('SEQ-1'), p);
    expect(report.outcomes.map((o) => o.status)).toEqual(['verified', 'skipped', 'awaiting-approval']);
    expect(report.approval?.commands).toEqual([p.actions[2].command, p.actions[3].command]);
    expect(await replicas()).toBe(2);
  });
});
