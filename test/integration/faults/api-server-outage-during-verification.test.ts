// The Kubernetes API server unreachable during verification, and the API server restarted, with a real worker process,
// real Redis, real kubectl and kube-sim. The worker reaches the cluster through a TCP proxy the test cuts; the run is
// held at the start of verification by the ONCALL_TEST_PAUSE_AT hook, so the outage begins exactly there, and the
// test waits for the proxy to count failed connections instead of sleeping. VERIFY_DEADLINE_SECONDS is the window:
// the "30 s" is an outage longer than it (3 s here) or shorter than it (60 s here), the semantics kept.
// Each case: one terminal incident.outcome, the write run once, no rollback on a network error, the trail in order.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { RedisActionLedger } from '../../../backend/src/ledger/redis-action-ledger.js';
import { createBullmqQueue, type IncidentQueue } from '../../../backend/src/queue/index.js';
import { createRedis, type Redis } from '../../../backend/src/redis/create-redis.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { deploymentManifest, eventually, runKubectl } from '../execute/execute-harness.js';
import { outcomesIn, readTrail, startFaultWorker, type FaultWorker } from '../../helpers/fault-worker.js';
import { triageJob } from '../../helpers/incident-jobs.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

const ns = 'apiout';
let sim: RunningSim;
let redis: TestRedis;
let proxy: TcpProxy;
let command: Redis;
let queue: IncidentQueue;
let dir: string;
let proxiedKubeconfig: string;
const workers: FaultWorker[] = [];

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSim({ speed: 40, nodes: 2 }), startTestRedis()]);
  proxy = await startTcpProxy(Number(new URL(sim.url).port));
  dir = mkdtempSync(join(tmpdir(), 'apiout-'));
  proxiedKubeconfig = join(dir, 'kubeconfig');
  writeFileSync(proxiedKubeconfig, readFileSync(sim.kubeconfigPath, 'utf8').replace(new URL(sim.url).host, `127.0.0.1:${proxy.port}`));
  command = createRedis(redis.url, 'command');
  queue = createBullmqQueue({ connection: command, retry: { attempts: 3, backoffMs: 50 } });
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()));
  await queue?.close();
  await command?.quit().catch(() => undefined);
  await Promise.allSettled([proxy?.close(), sim?.stop(), redis?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kubectl = (args: string[], stdin?: string) => runKubectl(sim.kubeconfigPath, args, stdin);
const auditPath = () => join(dir, 'audit.jsonl');
const trail = (incidentId: string): AuditEvent[] => readTrail(auditPath(), incidentId);
const generationOf = async (name: string) => Number(await kubectl(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.metadata.generation}']));

/** A rolled-out Deployment and the proposal that moves it to a new image (verified by rolloutComplete). */
async function setUp(name: string, incidentId: string, image: string): Promise<{ cmd: string; proposal: RemediationProposal; before: number }> {
  await kubectl(['apply', '-f', '-'], deploymentManifest(name, ns, 'nginx:1.25', 1));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await kubectl(['get', 'deployment', name, '-n', ns, '-o', 'json']))).ok, `${name} rolled out`);
  const cmd = `kubectl set image deployment/${name} app=${image} -n ${ns}`;
  const proposal: RemediationProposal = {
    incidentId,
    analyzer: 'runbook',
    rootCause: 'a bad image',
    confidence: 0.95,
    evidence: [],
    escalate: { required: false },
    target: { kind: 'Deployment', namespace: ns, name },
    actions: [{ command: cmd, description: 'set the image', confidence: 0.95, expectedEffect: 'the rollout completes', postconditions: [{ type: 'rolloutComplete', namespace: ns, deployment: name }] }],
  };
  return { cmd, proposal, before: await generationOf(name) };
}

/** One worker per case (the pause hook holds a process once); the previous case's worker is stopped first. */
async function startWorker(incidentId: string, proposal: RemediationProposal, verifyDeadline: string): Promise<FaultWorker> {
  await Promise.all(workers.map((w) => w.stop()));
  const worker = startFaultWorker({
    REDIS_URL: redis.url,
    KUBECONFIG: proxiedKubeconfig,
    AUDIT_JSONL_PATH: auditPath(),
    STATE_DIR: join(dir, 'state'),
    EXECUTION_MODE: 'yolo',
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    TARGET_COOLDOWN_SECONDS: '0',
    VERIFY_DEADLINE_SECONDS: verifyDeadline,
    VERIFY_POLL_MS: '200',
    KUBECTL_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'info',
    FAULT_PROPOSALS: JSON.stringify({ [incidentId]: proposal }),
    ONCALL_TEST_PAUSE_AT: 'during-verification',
  });
  workers.push(worker);
  return worker;
}

async function outcomes(incidentId: string, count: number, worker: FaultWorker): Promise<IncidentOutcome[]> {
  await eventually(async () => outcomesIn(trail(incidentId)).length >= count, `${count} outcome(s) of ${incidentId}`, 120_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${worker.output().slice(-3_000)}`);
  });
  return outcomesIn(trail(incidentId));
}

async function ledgerEntry(incidentId: string) {
  const ledger = new RedisActionLedger(createRedis(redis.url, 'command'), { prefix: 'oncall:', ownsClient: true });
  const [entry] = await ledger.listIncident(incidentId);
  await ledger.close();
  return entry;
}

describe('the API server unreachable during verification', () => {
  it('longer than the verification window: escalated "could not verify", not rolled back, not counted; a later run verifies from the ledger', async () => {
    const incidentId = 'APIOUT-LONG';
    const { cmd, proposal, before } = await setUp('web-long', incidentId, 'nginx:1.26');
    const worker = await startWorker(incidentId, proposal, '3');
    await queue.enqueue(triageJob(incidentId, 'd-long-1'));
    await worker.paused();
    const failedBefore = proxy.failed();
    proxy.cut();
    worker.release();
    let first: IncidentOutcome;
    try {
      [first] = await outcomes(incidentId, 1, worker);
    } finally {
      proxy.restore();
    }
    // The verification polls went on through the window (each one a failed connection) and then stopped: bounded.
    expect(proxy.failed() - failedBefore).toBeGreaterThanOrEqual(2);
    expect(first.outcome, JSON.stringify(first.reasons)).toBe('escalated');
    expect(first.commands).toMatchObject([{ command: cmd, status: 'unverified', verdict: 'inconclusive', exitCode: 0 }]);
    expect(first.commands[0].rollback).toBeUndefined();
    expect(first.reasons.join(' ')).toMatch(/action 1 unverified: rollout of deployment apiout\/web-long complete: could not verify: the cluster could not be read .*not rolled back/);
    const events = trail(incidentId);
    expect(events.map((e) => e.type)).not.toContain('rollback');
    expect(events.find((e) => e.type === 'verification')?.data).toMatchObject({ status: 'inconclusive' });
    // The write stands (the cluster finished the rollout on its own), once.
    expect(await generationOf('web-long')).toBe(before + 1);
    expect(await kubectl(['get', 'deployment', 'web-long', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.26');
    // The ledger: done, unverified, not yet counted by the breaker.
    const entry = await ledgerEntry(incidentId);
    expect(entry.result?.exitCode).toBe(0);
    expect(entry.verdict).toMatchObject({ status: 'inconclusive' });
    expect(entry.breakerCounted).toBeFalsy();

    // A later run of the incident (PagerDuty re-sends, or a human re-triggers) finds the write in the ledger and
    // verifies it instead of running it again.
    await queue.enqueue(triageJob(incidentId, 'd-long-2'));
    const [, second] = await outcomes(incidentId, 2, worker);
    expect(second.outcome, JSON.stringify(second.reasons)).toBe('fixed');
    expect(second.commands).toMatchObject([{ command: cmd, status: 'already-done', verdict: 'verified' }]);
    const all = trail(incidentId);
    expect(all.filter((e) => e.type === 'execution')).toHaveLength(1);
    expect(String(all.find((e) => e.type === 'execution.resumed')?.data.found)).toMatch(/done but unverified: .*could not verify/);
    expect(await generationOf('web-long')).toBe(before + 1);
    expect(await ledgerEntry(incidentId)).toMatchObject({ verdict: { status: 'verified' }, breakerCounted: true });
    expect(worker.alive()).toBe(true);
  }, 180_000);

  it('shorter than the verification window: the polls go on through it and verify; nothing is rolled back', async () => {
    const incidentId = 'APIOUT-SHORT';
    const { cmd, proposal, before } = await setUp('web-short', incidentId, 'nginx:1.27');
    const worker = await startWorker(incidentId, proposal, '60');
    await queue.enqueue(triageJob(incidentId, 'd-short'));
    await worker.paused();
    const failedBefore = proxy.failed();
    proxy.cut();
    worker.release();
    try {
      await proxy.waitForFailures(failedBefore + 3);
    } finally {
      proxy.restore();
    }
    const [outcome] = await outcomes(incidentId, 1, worker);
    expect(outcome.outcome, JSON.stringify(outcome.reasons)).toBe('fixed');
    expect(outcome.commands).toMatchObject([{ command: cmd, status: 'verified', verdict: 'verified' }]);
    expectRunOnce(trail(incidentId), cmd);
    expect(await generationOf('web-short')).toBe(before + 1);
  }, 180_000);
});

describe('the API server restarted (same port, same store) during verification', () => {
  it('the polls fail while it is down, go on once it is back, and verify; the write ran once', async () => {
    const incidentId = 'APIOUT-RESTART';
    const { cmd, proposal, before } = await setUp('web-restart', incidentId, 'nginx:1.28');
    const worker = await startWorker(incidentId, proposal, '60');
    await queue.enqueue(triageJob(incidentId, 'd-restart'));
    await worker.paused();
    const failedBefore = proxy.failed();
    await sim.stopApiServer();
    worker.release();
    try {
      await proxy.waitForFailures(failedBefore + 3);
    } finally {
      await sim.startApiServer();
    }
    const [outcome] = await outcomes(incidentId, 1, worker);
    expect(outcome.outcome, JSON.stringify(outcome.reasons)).toBe('fixed');
    expect(outcome.commands).toMatchObject([{ command: cmd, status: 'verified', verdict: 'verified' }]);
    expectRunOnce(trail(incidentId), cmd);
    expect(await generationOf('web-restart')).toBe(before + 1);
  }, 180_000);
});

/** One execution, no rollback, one outcome, and the story in order: received, decision, execution, verification, outcome. */
function expectRunOnce(events: AuditEvent[], cmd: string): void {
  const types = events.map((e) => e.type);
  expect(events.filter((e) => e.type === 'execution').map((e) => e.data.command)).toEqual([cmd]);
  expect(types).not.toContain('rollback');
  expect(types.filter((t) => t === 'incident.outcome')).toHaveLength(1);
  expect(types[0]).toBe('incident.received');
  expect(types.indexOf('decision')).toBeLessThan(types.indexOf('execution'));
  expect(types.indexOf('execution')).toBeLessThan(types.indexOf('verification'));
  expect(types.at(-1)).toBe('incident.outcome');
}
