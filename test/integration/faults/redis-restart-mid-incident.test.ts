// Redis killed (SIGKILL) and restarted mid-incident, persisted as docker-compose.yml runs it (AOF, appendfsync always),
// under the real `oncall-agent serve --role api` and a real worker process sharing it, on kube-sim. The worker is held
// by ONCALL_TEST_PAUSE_AT right after the write's durable intent, Redis is killed there, and the run goes on while
// Redis is down; meanwhile a sender that retries like PagerDuty (on 503 and connection errors, with backoff) delivers
// new incidents and is answered 503; Redis comes back on the same port from the same AOF directory.
// Asserted: every delivery answered 2xx is processed, every incident ends with exactly one incident.outcome, no write
// ran twice (execution records, the Deployments' generations, the ledger), and both processes recovered unrestarted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { RedisActionLedger } from '../../../backend/src/ledger/redis-action-ledger.js';
import { createBullmqQueue, type IncidentQueue } from '../../../backend/src/queue/index.js';
import { createRedis, type Redis } from '../../../backend/src/redis/create-redis.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { deploymentManifest, eventually, runKubectl } from '../execute/execute-harness.js';
import { outcomesIn, readTrail, startFaultWorker, type FaultWorker } from '../../helpers/fault-worker.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';

const SECRET = 'whsec-redis-restart';
const ns = 'redisfault';
const MID_RUN = 'REDIS-MID';
const DURING_OUTAGE = ['REDIS-D1', 'REDIS-D2', 'REDIS-D3'];
const ALL = [MID_RUN, ...DURING_OUTAGE];
let sim: RunningSim;
let redis: TestRedis;
let dir: string;
let api: ServeProcess;
let apiUrl: string;
let worker: FaultWorker;
let command: Redis | undefined;
let queue: IncidentQueue | undefined;

const kubectl = (args: string[], stdin?: string) => runKubectl(sim.kubeconfigPath, args, stdin);
const auditPath = () => join(dir, 'audit.jsonl');
const trail = (incidentId: string): AuditEvent[] => readTrail(auditPath(), incidentId);
const nameOf = (incidentId: string) => incidentId.toLowerCase();
const commandOf = (incidentId: string) => `kubectl set image deployment/${nameOf(incidentId)} app=nginx:1.26 -n ${ns}`;
const generationOf = async (name: string) => Number(await kubectl(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.metadata.generation}']));

function proposalFor(incidentId: string): RemediationProposal {
  const name = nameOf(incidentId);
  return {
    incidentId,
    analyzer: 'runbook',
    rootCause: 'a bad image',
    confidence: 0.95,
    evidence: [],
    escalate: { required: false },
    target: { kind: 'Deployment', namespace: ns, name },
    actions: [{ command: commandOf(incidentId), description: 'set the image', confidence: 0.95, expectedEffect: 'the rollout completes', postconditions: [{ type: 'rolloutComplete', namespace: ns, deployment: name }] }],
  };
}

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSim({ speed: 40, nodes: 2 }), startTestRedis({ appendfsync: 'always' })]);
  dir = mkdtempSync(join(tmpdir(), 'redis-restart-'));
  const env = {
    REDIS_URL: redis.url,
    KUBECONFIG: sim.kubeconfigPath,
    AUDIT_JSONL_PATH: auditPath(),
    STATE_DIR: join(dir, 'state'),
    DOTENV_PATH: join(dir, 'no.env'),
    EXECUTION_MODE: 'yolo',
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    TARGET_COOLDOWN_SECONDS: '0',
    VERIFY_DEADLINE_SECONDS: '60',
    VERIFY_POLL_MS: '200',
    LOG_LEVEL: 'info',
  };
  api = spawnAgent(['serve', '--role', 'api'], { ...env, HOST: '127.0.0.1', PORT: '0', PAGERDUTY_WEBHOOK_SECRETS: SECRET }, dir);
  worker = startFaultWorker({ ...env, FAULT_PROPOSALS: JSON.stringify(Object.fromEntries(ALL.map((id) => [id, proposalFor(id)]))), ONCALL_TEST_PAUSE_AT: 'after-snapshot' });
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  for (const id of ALL) await kubectl(['apply', '-f', '-'], deploymentManifest(nameOf(id), ns, 'nginx:1.25', 1));
  for (const id of ALL) await eventually(async () => evaluateRolloutComplete(JSON.parse(await kubectl(['get', 'deployment', nameOf(id), '-n', ns, '-o', 'json']))).ok, `${id} rolled out`);
  const line = await api.waitForLine((l) => String(l.msg ?? '').startsWith('listening on'), 'the API to listen', 60_000);
  apiUrl = `http://127.0.0.1:${String(line.port)}`;
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  if (api && api.child.exitCode === null) api.child.kill('SIGTERM');
  await api?.exited;
  await queue?.close();
  await command?.quit().catch(() => undefined);
  await Promise.allSettled([sim?.stop(), redis?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Sent {
  incidentId: string;
  /** Every answer, in order: an HTTP status, or 'connection error'. */
  answers: Array<number | string>;
  jobId?: string;
}

/**
 * Delivers one signed incident.triggered as PagerDuty does: the same delivery again on a 503 or a connection error,
 * with exponential backoff (100 ms doubling, capped at 1 s here), until a 2xx; any other answer ends it.
 */
async function send(incidentId: string, sent: Sent = { incidentId, answers: [] }, giveUpMs = 120_000): Promise<Sent> {
  const payload = loadFixture('incident.triggered');
  payload.event.data.id = incidentId;
  const delivery = signDelivery(payload, [SECRET], `delivery-${incidentId}`);
  const deadline = Date.now() + giveUpMs;
  for (let backoff = 100; Date.now() < deadline; backoff = Math.min(backoff * 2, 1_000)) {
    try {
      const res = await fetch(`${apiUrl}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
      const body = (await res.json().catch(() => ({}))) as { jobId?: string };
      sent.answers.push(res.status);
      if (res.ok) return { ...sent, jobId: body.jobId };
      if (res.status !== 503) return sent;
    } catch {
      sent.answers.push('connection error');
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
  }
  return sent;
}

describe('Redis killed and restarted mid-incident (AOF, appendfsync always)', () => {
  it('loses no accepted delivery, ends every incident once, and runs no write twice', async () => {
    const before = Object.fromEntries(await Promise.all(ALL.map(async (id) => [id, await generationOf(nameOf(id))] as const)));

    // An incident reaches its write: the intent is in the ledger, the write not yet run. Redis dies right there.
    const mid = await send(MID_RUN);
    expect(mid.answers.at(-1)).toBe(202);
    await worker.paused();
    await redis.stop();

    // While Redis is down, PagerDuty keeps delivering: every first try is answered 503 (or cannot connect), nothing
    // is acknowledged, and the sender keeps retrying in the background.
    const outage = DURING_OUTAGE.map((id) => ({ incidentId: id, answers: [] as Array<number | string> }));
    const senders = outage.map((s) => send(s.incidentId, s));
    await eventually(async () => outage.every((s) => s.answers.length >= 2), 'two refused tries of each delivery during the outage', 30_000);
    for (const s of outage) expect(s.answers.slice(0, 2)).toEqual([503, 503]);

    // The held run goes on without Redis: kubectl writes, verification reads the cluster (the JSONL trail says so).
    worker.release();
    await eventually(async () => trail(MID_RUN).some((e) => e.type === 'verification'), 'the mid-run incident verified during the outage', 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${worker.output().slice(-3_000)}`);
    });

    // Redis comes back on the same port, from the same append-only file.
    await redis.start();
    const delivered = await Promise.all(senders);
    for (const s of delivered) expect(s.answers.at(-1), JSON.stringify(s)).toBe(202);

    // Every accepted delivery's job completes (none can run again after that), each incident with one ending.
    command = createRedis(redis.url, 'command');
    queue = createBullmqQueue({ connection: command, retry: { attempts: 1, backoffMs: 10 } });
    for (const s of [mid, ...delivered]) {
      const jobId = s.jobId;
      expect(jobId, JSON.stringify(s)).toBeDefined();
      await eventually(async () => (await queue!.waitForJob(jobId!, 1_000)).state === 'completed', `job ${jobId} completed`, 120_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${worker.output().slice(-4_000)}`);
      });
    }
    for (const id of ALL) {
      const events = trail(id);
      const endings = outcomesIn(events);
      expect(endings, `${id}: ${JSON.stringify(endings.map((o) => o.outcome))}\n${worker.output().slice(-3_000)}`).toHaveLength(1);
      expect(endings[0].outcome, JSON.stringify(endings[0].reasons)).toBe('fixed');
      // The write ran once: one execution record, one spec change.
      expect(events.filter((e) => e.type === 'execution').map((e) => e.data.command)).toEqual([commandOf(id)]);
      expect(await generationOf(nameOf(id))).toBe(before[id] + 1);
      // The story in order: one run, from its receipt to its ending.
      const types = events.map((e) => e.type);
      expect(types.filter((t) => t === 'incident.received')).toHaveLength(1);
      expect(types.indexOf('execution')).toBeLessThan(types.indexOf('verification'));
      expect(types.at(-1)).toBe('incident.outcome');
    }
    // The mid-run job's lock lapsed during the outage, so the queue could not complete it and ran it again: that
    // attempt found the ending already recorded and wrote nothing (the case that used to end the incident twice).
    expect(worker.output()).toMatch(/"incidentId":"REDIS-MID".*an earlier attempt of this job already ended its run/);

    // The mid-run incident's intent, stored just before Redis died, survived it (appendfsync always).
    const ledger = new RedisActionLedger(createRedis(redis.url, 'command'), { prefix: 'oncall:', ownsClient: true });
    const [entry] = await ledger.listIncident(MID_RUN);
    await ledger.close();
    expect(entry?.intent.argv).toEqual(['set', 'image', `deployment/${nameOf(MID_RUN)}`, 'app=nginx:1.26', '-n', ns]);

    // Both processes are the ones started at the beginning, and serve again.
    expect(worker.alive()).toBe(true);
    expect(api.child.exitCode).toBeNull();
    await eventually(async () => (await fetch(`${apiUrl}/readyz`)).status === 200, 'the API ready again', 30_000);
  }, 300_000);
});
