// kill -9 of the worker process at each boundary of a write — after the snapshot (intent recorded), after kubectl
// returned, during verification, during rollback — driven by the ONCALL_TEST_CRASH_AT test hook, never by sleeps.
// A second worker process finishes the incident from the action ledger. Real processes, real Redis, real kubectl,
// kube-sim. Each case must end with one terminal incident.outcome, the write run once (the execution records and the
// Deployment's generation and ReplicaSets say so) and an audit trail that tells the story in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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
import { triageJob } from '../../helpers/incident-jobs.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

const ns = 'faults';
const helper = join(import.meta.dirname, '..', '..', 'helpers', 'agent-worker-process.ts');
let sim: RunningSim;
let redis: TestRedis;
let command: Redis;
let queue: IncidentQueue;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSim({ speed: 40, nodes: 2 }), startTestRedis()]);
  command = createRedis(redis.url, 'command');
  queue = createBullmqQueue({ connection: command, retry: { attempts: 3, backoffMs: 50 } });
  dir = mkdtempSync(join(tmpdir(), 'faults-'));
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await queue?.close();
  await command?.quit().catch(() => undefined);
  await Promise.allSettled([sim?.stop(), redis?.close()]);
});

const kubectl = (args: string[], stdin?: string) => runKubectl(sim.kubeconfigPath, args, stdin);
const auditPath = () => join(dir, 'audit.jsonl');
const trail = (incidentId: string): AuditEvent[] =>
  existsSync(auditPath())
    ? readFileSync(auditPath(), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditEvent)
        .filter((e) => e.incidentId === incidentId)
    : [];

function startWorker(env: Record<string, string>): { child: ChildProcess; exited: Promise<{ signal: NodeJS.Signals | null; code: number | null }>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', helper], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output };
}

interface Case {
  boundary: 'after-snapshot' | 'after-write' | 'during-verification' | 'during-rollback';
  image: string;
  verifyDeadline: string;
  outcome: IncidentOutcome['outcome'];
  /** Spec changes the incident must leave: the write once, plus the rollback's once when it fails. */
  generations: number;
  /** What the retry must find in the ledger and do. */
  resumed: RegExp;
}

const cases: Case[] = [
  { boundary: 'after-snapshot', image: 'nginx:1.26', verifyDeadline: '60', outcome: 'fixed', generations: 1, resumed: /run the write once/ },
  { boundary: 'after-write', image: 'nginx:1.27', verifyDeadline: '60', outcome: 'fixed', generations: 1, resumed: /verify \(not repeated\)/ },
  { boundary: 'during-verification', image: 'nginx:1.28', verifyDeadline: '60', outcome: 'fixed', generations: 1, resumed: /verify \(not repeated\)/ },
  { boundary: 'during-rollback', image: 'nginx:does-not-exist', verifyDeadline: '4', outcome: 'rolled_back', generations: 2, resumed: /roll back from the persisted snapshot/ },
];

describe('kill -9 of the worker at each boundary of a write', () => {
  it.each(cases)('$boundary: a second worker finishes the incident, the write ran once', async (c) => {
    const name = `web-${c.boundary}`;
    const incidentId = `KILL-${c.boundary}`;
    await kubectl(['apply', '-f', '-'], deploymentManifest(name, ns, 'nginx:1.25', 1));
    await eventually(async () => evaluateRolloutComplete(JSON.parse(await kubectl(['get', 'deployment', name, '-n', ns, '-o', 'json']))).ok, `${name} rolled out`);
    const before = Number(await kubectl(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.metadata.generation}']));

    const cmd = `kubectl set image deployment/${name} app=${c.image} -n ${ns}`;
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
    const env = {
      REDIS_URL: redis.url,
      KUBECONFIG: sim.kubeconfigPath,
      AUDIT_JSONL_PATH: auditPath(),
      STATE_DIR: join(dir, 'state'),
      EXECUTION_MODE: 'yolo',
      K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
      TARGET_COOLDOWN_SECONDS: '0',
      VERIFY_DEADLINE_SECONDS: c.verifyDeadline,
      VERIFY_POLL_MS: '200',
      NO_CRASHLOOP_WINDOW_SECONDS: '2',
      LOG_LEVEL: 'info',
      FAULT_PROPOSALS: JSON.stringify({ [incidentId]: proposal }),
    };

    const first = startWorker({ ...env, ONCALL_TEST_CRASH_AT: c.boundary });
    await queue.enqueue(triageJob(incidentId, `d-${c.boundary}`));
    const died = await first.exited;
    expect(died.signal, first.output().slice(-2_000)).toBe('SIGKILL');
    expect(trail(incidentId).filter((e) => e.type === 'incident.outcome')).toEqual([]);

    const second = startWorker(env);
    const ending = await eventually(async () => trail(incidentId).find((e) => e.type === 'incident.outcome'), `the outcome of ${incidentId}`, 120_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${second.output().slice(-3_000)}`);
    });
    second.child.kill('SIGTERM');
    await second.exited;

    const events = trail(incidentId);
    const outcome = ending.data as unknown as IncidentOutcome;
    expect(outcome.outcome, JSON.stringify(outcome.reasons)).toBe(c.outcome);
    expect(events.filter((e) => e.type === 'incident.outcome')).toHaveLength(1);
    // The write ran once: one execution record, one spec change for it (two with the rollback's).
    expect(events.filter((e) => e.type === 'execution').map((e) => e.data.command)).toEqual([cmd]);
    expect(Number(await kubectl(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.metadata.generation}']))).toBe(before + c.generations);
    const replicaSets = JSON.parse(await kubectl(['get', 'replicasets', '-n', ns, '-l', `app=${name}`, '-o', 'json'])) as { items: unknown[] };
    expect(replicaSets.items).toHaveLength(2);
    const image = await kubectl(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    expect(image).toBe(c.outcome === 'rolled_back' ? 'nginx:1.25' : c.image);

    // The story in order: received, the first attempt's steps, the retry's decision from the ledger, the ending.
    const types = events.map((e) => e.type);
    const resumed = events.find((e) => e.type === 'execution.resumed');
    expect(String(resumed?.data.next), JSON.stringify(resumed?.data)).toMatch(c.resumed);
    const at = (type: string) => types.indexOf(type as AuditEvent['type']);
    expect(at('incident.received')).toBe(0);
    expect(at('execution.resumed')).toBeGreaterThan(at('decision'));
    expect(types.lastIndexOf('verification')).toBeGreaterThan(at('execution'));
    expect(types.at(-1)).toBe('incident.outcome');
    if (c.boundary !== 'after-snapshot') expect(at('execution')).toBeLessThan(at('execution.resumed'));

    // The ledger holds the whole story too, with the verdict counted by the breaker once.
    const ledger = new RedisActionLedger(createRedis(redis.url, 'command'), { prefix: 'oncall:', ownsClient: true });
    const [entry] = await ledger.listIncident(incidentId);
    await ledger.close();
    expect(entry).toMatchObject({ intent: { argv: ['set', 'image', `deployment/${name}`, `app=${c.image}`, '-n', ns] }, breakerCounted: true });
    expect(entry.verdict?.status).toBe(c.outcome === 'fixed' ? 'verified' : 'failed');
    if (c.outcome === 'rolled_back') expect(entry.rollback?.restored).toBe(true);
  });
});
