// An approved plan that the kill switch or an open breaker holds back is refused WITHOUT using up the approval: the
// same human decision runs once that clears (and still only once). A command that became forbidden since approval
// (DENY_COMMANDS changed) never runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import { executeApprovedPlan } from '../../../backend/src/execute/approvals.js';
import { approvePlan } from '../../../backend/src/safety/approvals.js';
import { createLogger } from '../../../backend/src/observability/logger.js';
import { breakerPolicyFromConfig, breakerScopeFor } from '../../../backend/src/safety/breaker-policy.js';
import { PolicyRefusal } from '../../../backend/src/domain/errors.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { systemClock } from '../../../backend/src/verify/system-clock.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

let sim: RunningSim;
let h: Harness;
const ns = 'holds';
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

const scaleTo = (n: number) => `kubectl scale deployment/web -n ${ns} --replicas=${n}`;
function proposal(id: string, command: string, n: number): RemediationProposal {
  return {
    incidentId: id,
    analyzer: 'runbook',
    rootCause: 'too few replicas',
    confidence: 0.9,
    evidence: [],
    escalate: { required: false },
    actions: [{ command, description: 'scale', confidence: 0.95, expectedEffect: 'replicas', postconditions: [{ type: 'replicasAtLeast' as const, namespace: ns, deployment: 'web', n }] }],
  };
}
const incident = (id: string): Incident => ({ id, title: `incident ${id}`, details: {}, source: 'cli' });
const replicas = async () => Number(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}']));

async function approved(harness: Harness, id: string, command: string, n: number) {
  const report = await executeProposal(harness.deps, incident(id), proposal(id, command, n));
  const approval = report.approval!;
  await approvePlan({ store: harness.deps.approvals, audit: harness.deps.audit, now: () => Date.now() }, approval.id, 'alice', approval.planHash);
  return approval;
}

describe('approved plans held back by the safety switches', () => {
  it('kill switch: refused and the approval is kept; after resume the same approval runs, once', async () => {
    const approval = await approved(h, 'HOLD-1', scaleTo(2), 2);
    await h.deps.killSwitch.setKillSwitch({ paused: true, by: 'test', since: Date.now() });
    await expect(executeApprovedPlan(approval.id, h.deps)).rejects.toThrow(/kill switch.*stays approved/);
    expect(await replicas()).toBe(1);
    await h.deps.killSwitch.setKillSwitch({ paused: false, by: 'test', since: Date.now() });
    const report = await executeApprovedPlan(approval.id, h.deps);
    expect(report.outcomes.map((o) => o.status)).toEqual(['verified']);
    expect(await replicas()).toBe(2);
    await expect(executeApprovedPlan(approval.id, h.deps)).rejects.toThrow(/already executed/);
    const refused = h.auditEvents().filter((e) => e.incidentId === 'HOLD-1' && e.type === 'execution.refused');
    expect(refused.length).toBeGreaterThanOrEqual(1);
  });

  it('open breaker: refused and kept; when it half-opens the approved plan is its one trial', async () => {
    let offset = 0;
    const store = new MemorySafetyStore();
    const b = createHarness(sim.kubeconfigPath, env, { safety: store });
    b.deps.clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
    const policy = breakerPolicyFromConfig(b.deps.config);
    const scope = breakerScopeFor('cluster', b.deps.config.CLUSTER_NAME, ns);
    for (let i = 0; i < policy.failureThreshold; i++) await store.recordBreakerOutcome(scope, false, policy, Date.now());
    expect((await store.getBreaker(scope, policy, Date.now())).state).toBe('open');

    const approval = await approved(b, 'HOLD-2', scaleTo(3), 3);
    const error = await executeApprovedPlan(approval.id, b.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyRefusal);
    expect((error as Error).message).toMatch(/circuit breaker .* is open.*stays approved/);
    expect(await replicas()).toBe(2);

    offset = policy.openMs + 1_000; // the open period is over: half-open, one trial allowed
    const report = await executeApprovedPlan(approval.id, b.deps);
    expect(report.outcomes.map((o) => o.status)).toEqual(['verified']);
    expect(await replicas()).toBe(3);
  });

  it('half-open with the trial already taken: refused and kept', async () => {
    const store = new MemorySafetyStore();
    const b = createHarness(sim.kubeconfigPath, env, { safety: store });
    const policy = breakerPolicyFromConfig(b.deps.config);
    const scope = breakerScopeFor('cluster', b.deps.config.CLUSTER_NAME, ns);
    const past = Date.now() - policy.openMs - 1_000;
    for (let i = 0; i < policy.failureThreshold; i++) await store.recordBreakerOutcome(scope, false, policy, past);
    expect((await store.acquireBreakerPermit(scope, policy, Date.now())).allowed).toBe(true); // another worker's trial
    const approval = await approved(b, 'HOLD-3', scaleTo(4), 4);
    await expect(executeApprovedPlan(approval.id, b.deps)).rejects.toThrow(/half-open with its one trial action in flight/);
    expect(await replicas()).toBe(3);
    await store.recordBreakerOutcome(scope, true, policy, Date.now()); // the trial succeeded: the slot is free again
    expect((await executeApprovedPlan(approval.id, b.deps)).outcomes[0].status).toBe('verified');
  });

  it('a command that DENY_COMMANDS forbids since it was approved never runs', async () => {
    const store = new MemorySafetyStore();
    const before = createHarness(sim.kubeconfigPath, env, { safety: store });
    const approval = await approved(before, 'HOLD-4', scaleTo(6), 6);
    const after = createHarness(sim.kubeconfigPath, { ...env, DENY_COMMANDS: 'scale deployments' }, { safety: store });
    const report = await executeApprovedPlan(approval.id, after.deps);
    expect(report.outcomes[0].status).toBe('refused');
    expect(report.outcomes[0].detail).toMatch(/forbidden/);
    expect(report.escalate).toBe(true);
    expect(await replicas()).toBe(4);
  });

  it('a plan made before PagerDuty resolved the incident never runs; a plan made after a reopen does', async () => {
    const store = new MemorySafetyStore();
    const b = createHarness(sim.kubeconfigPath, env, { safety: store });
    const stale = await approved(b, 'HOLD-5', scaleTo(7), 7);
    const handler = b.agent.handleJob;
    const origin = { deliveryId: 'd1', eventId: 'e1', eventType: 'incident.resolved', occurredAt: new Date().toISOString(), receivedAt: new Date().toISOString() };
    await handler(
      { kind: 'lifecycle', status: 'resolved', incident: incident('HOLD-5'), origin },
      { jobId: 'j1', attempt: 1, finalAttempt: true, requeuedOnShutdown: false, signal: new AbortController().signal, logger: createLogger('silent') },
    );
    await expect(executeApprovedPlan(stale.id, b.deps)).rejects.toThrow(/resolved in PagerDuty/);
    expect(await replicas()).toBe(4);
    // Reopened and triaged again: the new plan is not stale.
    const fresh = await approved(b, 'HOLD-5', scaleTo(5), 5);
    expect((await executeApprovedPlan(fresh.id, b.deps)).outcomes[0].status).toBe('verified');
    expect(await replicas()).toBe(5);
  });

  it('a command carrying a credential is refused with that reason, not as a changed plan', async () => {
    const store = new MemorySafetyStore();
    const b = createHarness(sim.kubeconfigPath, env, { safety: store });
    const approval = await approved(b, 'HOLD-6', `kubectl set env deployment/web -n ${ns} DB_PASSWORD=hunter2`, 5);
    await expect(executeApprovedPlan(approval.id, b.deps)).rejects.toThrow(/credential-like value/);
    expect(await replicas()).toBe(5);
    expect(JSON.stringify(b.auditEvents())).not.toContain('hunter2');
  });

  it('an approved plan whose run wrote nothing (refused under the running settings) stays approved and runnable', async () => {
    const store = new MemorySafetyStore();
    const daemon = createHarness(sim.kubeconfigPath, env, { safety: store });
    const strict = createHarness(sim.kubeconfigPath, { ...env, K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'false' }, { safety: store });
    const before = await replicas();
    const approval = await approved(daemon, 'HOLD-7', scaleTo(0), 0);
    // Run where destructive operations are off: every command refused, nothing written.
    const refused = await executeApprovedPlan(approval.id, strict.deps);
    expect(refused.outcomes.map((o) => o.status)).toEqual(['refused']);
    expect(await replicas()).toBe(before);
    // Not used up: the same approval runs where the settings allow it, once.
    const ran = await executeApprovedPlan(approval.id, daemon.deps);
    expect(ran.outcomes.map((o) => o.status)).toEqual(['verified']);
    expect(await replicas()).toBe(0);
    await expect(executeApprovedPlan(approval.id, daemon.deps)).rejects.toThrow(/already executed/);
    await h.kubectl(['scale', 'deployment/web', '-n', ns, `--replicas=${before}`]);
  });
});
