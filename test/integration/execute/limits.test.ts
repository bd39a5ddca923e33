// The execution limits through the Redis SafetyStore, as two workers would share it: the target lock and cooldown
// (one write per deployment), the idempotency key (a retried job does not repeat a write), the per-incident cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { RedisSafetyStore } from '../../../backend/src/safety/redis-safety-store.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

let sim: RunningSim;
let redis: TestRedis;
const stores: RedisSafetyStore[] = [];
const env = { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', VERIFY_DEADLINE_SECONDS: '60', CLUSTER_RATE_LIMIT: '100' };

function worker(extraEnv: Record<string, string> = {}): Harness {
  const store = new RedisSafetyStore(createRedis(redis.url, 'command'), { prefix: 'limits-test:', ownsClient: true });
  stores.push(store);
  return createHarness(sim.kubeconfigPath, { ...env, ...extraEnv }, { safety: store });
}

async function namespaceWithDeployment(h: Harness, ns: string): Promise<void> {
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', ns, 'nginx:1.25', 1));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
}

const scale = (ns: string, n: number, id: string): RemediationProposal => ({
  incidentId: id,
  analyzer: 'runbook',
  rootCause: 'test',
  confidence: 0.95,
  evidence: [],
  escalate: { required: false },
  actions: [{ command: `kubectl scale deployment/web -n ${ns} --replicas=${n}`, description: 'scale', confidence: 0.95, expectedEffect: 'x', postconditions: [{ type: 'replicasAtLeast', namespace: ns, deployment: 'web', n }] }],
});
const incident = (id: string): Incident => ({ id, title: id, details: {}, source: 'test-yolo' });
const generation = async (h: Harness, ns: string) => Number(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.metadata.generation}']));

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSim({ speed: 40, nodes: 2 }), startTestRedis()]);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
  await sim?.stop();
  await redis?.close();
});

describe('execution limits through the Redis SafetyStore', () => {
  it('two workers on one deployment: exactly one writes; the other is held by the lock or the cooldown', async () => {
    const a = worker();
    const b = worker();
    await namespaceWithDeployment(a, 'lim-lock');
    const before = await generation(a, 'lim-lock');
    const [ra, rb] = await Promise.all([
      executeProposal(a.deps, incident('LOCK-A'), scale('lim-lock', 2, 'LOCK-A')),
      executeProposal(b.deps, incident('LOCK-B'), scale('lim-lock', 3, 'LOCK-B')),
    ]);
    const statuses = [ra.outcomes[0].status, rb.outcomes[0].status].sort();
    expect(statuses).toEqual(['blocked', 'verified']);
    const blocked = [ra, rb].find((r) => r.outcomes[0].status === 'blocked')!;
    // The refused incident names the incident that handles its target (lock holder or cooldown setter).
    const winner = blocked === ra ? 'LOCK-B' : 'LOCK-A';
    expect(blocked.outcomes[0].detail).toMatch(new RegExp(`another run is remediating .*\\(incident ${winner}, worker |cooling down .* after incident ${winner} changed it`));
    expect(blocked.escalate).toBe(true);
    expect(await generation(a, 'lim-lock')).toBe(before + 1);
  });

  it('a retried job does not repeat a write that already happened', async () => {
    const h = worker({ TARGET_COOLDOWN_SECONDS: '0' });
    await namespaceWithDeployment(h, 'lim-once');
    const first = await executeProposal(h.deps, incident('ONCE-1'), scale('lim-once', 2, 'ONCE-1'));
    expect(first.outcomes[0].status).toBe('verified');
    const afterFirst = await generation(h, 'lim-once');
    // The same job again (e.g. BullMQ retried it after a crash): same incident, same action.
    const retry = await executeProposal(h.deps, incident('ONCE-1'), scale('lim-once', 2, 'ONCE-1'));
    expect(retry.outcomes[0].status).toBe('already-done');
    expect(retry.outcomes[0].verdict?.status).toBe('verified');
    expect(retry.escalate).toBe(false);
    expect(await generation(h, 'lim-once')).toBe(afterFirst);
    expect(h.auditEvents().filter((e) => e.type === 'execution')).toHaveLength(1);
  });

  it('caps the actions per incident', async () => {
    const h = worker({ TARGET_COOLDOWN_SECONDS: '0', MAX_ACTIONS_PER_INCIDENT: '1' });
    await namespaceWithDeployment(h, 'lim-cap');
    const proposal = scale('lim-cap', 2, 'CAP-1');
    proposal.actions.push({ ...scale('lim-cap', 3, 'CAP-1').actions[0] });
    const report = await executeProposal(h.deps, incident('CAP-1'), proposal);
    expect(report.outcomes.map((o) => o.status)).toEqual(['verified', 'blocked']);
    expect(report.outcomes[1].detail).toMatch(/MAX_ACTIONS_PER_INCIDENT \(1\)/);
    expect(Number(await h.kubectl(['get', 'deployment', 'web', '-n', 'lim-cap', '-o', 'jsonpath={.spec.replicas}']))).toBe(2);
  });
});
