// The execute stage's half of "the target changed since the plan" on kube-sim: the markers stored with an approval,
// the typed refusal (for good) when a target's spec changed, the hold (approval kept) when a target cannot be read at
// approval time, and a Node whose annotations changed (no refusal) versus one whose labels changed (refusal).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import { executeApprovedPlan, type ApprovalPayload } from '../../../backend/src/execute/approvals.js';
import { approvePlan } from '../../../backend/src/safety/approvals.js';
import { PolicyRefusal, TargetChangedRefusal } from '../../../backend/src/domain/errors.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { Postcondition, RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { freePort } from '../../helpers/free-port.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

let sim: RunningSim;
let h: Harness;
const ns = 'marks';
const env = { EXECUTION_MODE: 'approval', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', VERIFY_DEADLINE_SECONDS: '60' };

beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
  h = createHarness(sim.kubeconfigPath, env);
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', ns, 'nginx:1.25', 1));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
});
afterAll(async () => {
  await sim?.stop();
});

const incident = (id: string): Incident => ({ id, title: `incident ${id}`, details: { namespace: ns }, source: 'cli' });
function proposal(id: string, command: string, postcondition: Postcondition): RemediationProposal {
  return {
    incidentId: id,
    analyzer: 'runbook',
    rootCause: 'test',
    confidence: 0.9,
    evidence: [],
    escalate: { required: false },
    actions: [{ command, description: 'test', confidence: 0.95, expectedEffect: 'test', postconditions: [postcondition] }],
  };
}
async function approved(id: string, command: string, postcondition: Postcondition) {
  const report = await executeProposal(h.deps, incident(id), proposal(id, command, postcondition));
  const approval = report.approval!;
  await approvePlan({ store: h.deps.approvals, audit: h.deps.audit, now: () => Date.now() }, approval.id, 'alice', approval.planHash);
  return approval;
}
const replicas = async () => Number(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}']));
const scaleTo = (n: number) => `kubectl scale deployment/web -n ${ns} --replicas=${n}`;

describe('approved plans and the target they were made for', () => {
  it('stores the incident and a generation marker with the approval; a spec change since is refused for good, nothing runs', async () => {
    const approval = await approved('MARK-1', scaleTo(3), { type: 'replicasAtLeast', namespace: ns, deployment: 'web', n: 3 });
    const stored = (await h.deps.approvals.getApproval(approval.id, Date.now()))!.payload as ApprovalPayload;
    const generation = Number(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.metadata.generation}']));
    expect(stored.targets).toEqual([{ ref: { kind: 'Deployment', namespace: ns, name: 'web' }, exists: true, uid: expect.any(String), basis: 'generation', value: String(generation) }]);
    expect(stored.incident).toMatchObject({ id: 'MARK-1', source: 'cli' });

    await h.kubectl(['set', 'env', 'deployment/web', '-n', ns, 'MODE=degraded']);
    const error = await executeApprovedPlan(approval.id, h.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetChangedRefusal);
    expect((error as TargetChangedRefusal).changes).toEqual([`target deployment/web in ${ns} changed since the plan (generation ${generation} → ${generation + 1})`]);
    expect(await replicas()).toBe(1);
    // Refused for good: asking again is refused without a second "changed" (and so without a second re-plan).
    const again = await executeApprovedPlan(approval.id, h.deps).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(PolicyRefusal);
    expect(again).not.toBeInstanceOf(TargetChangedRefusal);
    expect((again as Error).message).toMatch(/can never run; a new plan was made/);
    expect(h.auditEvents().filter((e) => e.incidentId === 'MARK-1' && e.type === 'execution')).toHaveLength(0);
    expect(h.auditEvents().find((e) => e.incidentId === 'MARK-1' && e.type === 'execution.refused')?.data).toMatchObject({ targetChanged: (error as TargetChangedRefusal).changes });
  });

  it('a target that cannot be read at approval time holds the run (approval kept); it runs once the cluster answers', async () => {
    const approval = await approved('MARK-2', scaleTo(2), { type: 'replicasAtLeast', namespace: ns, deployment: 'web', n: 2 });
    // The same reader adapter, pointed at a port nothing listens on: the API server is unreachable.
    const port = await freePort();
    const downConfig = join(tmpdir(), `kubeconfig-down-${process.pid}.yaml`);
    writeFileSync(downConfig, readFileSync(sim.kubeconfigPath, 'utf8').replace(/server: \S+/g, `server: http://127.0.0.1:${port}`));
    const down = createHarness(downConfig, env);
    const held = await executeApprovedPlan(approval.id, { ...h.deps, reader: down.deps.reader }).catch((e: unknown) => e);
    rmSync(downConfig, { force: true });
    expect(held).toBeInstanceOf(PolicyRefusal);
    expect(held).not.toBeInstanceOf(TargetChangedRefusal);
    expect((held as Error).message).toMatch(/cannot be read .* the approval stays approved/);
    expect(await replicas()).toBe(1);
    const report = await executeApprovedPlan(approval.id, h.deps);
    expect(report.outcomes.map((o) => o.status)).toEqual(['verified']);
    expect(await replicas()).toBe(2);
  });

  it('a Node: new annotations (and status) are no change; a new label is', async () => {
    const node = (await h.kubectl(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await h.kubectl(['cordon', node]);
    const uncordon = `kubectl uncordon ${node}`;
    const first = await approved('MARK-3', uncordon, { type: 'nodeSchedulable', node });
    const before = await h.kubectl(['get', 'node', node, '-o', 'jsonpath={.metadata.resourceVersion}']);
    await h.kubectl(['annotate', 'node', node, 'oncall.example.com/checked=yes']);
    expect(await h.kubectl(['get', 'node', node, '-o', 'jsonpath={.metadata.resourceVersion}'])).not.toBe(before);
    const report = await executeApprovedPlan(first.id, h.deps);
    expect(report.outcomes.map((o) => o.status)).toEqual(['verified']);

    await h.kubectl(['cordon', node]);
    const second = await approved('MARK-4', uncordon, { type: 'nodeSchedulable', node });
    await h.kubectl(['label', 'node', node, 'oncall.example.com/drain-next=yes']);
    const error = await executeApprovedPlan(second.id, h.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetChangedRefusal);
    expect((error as Error).message).toContain(`target node/${node} changed since the plan (its spec or labels changed)`);
    expect(await h.kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}'])).toBe('true');
    await h.kubectl(['uncordon', node]);
  });
});
