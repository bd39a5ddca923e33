import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { createClientNodeReader } from '../../../backend/src/cluster/client-node-reader.js';
import { createKubeConfig } from '../../../backend/src/cluster/create-kube-config.js';
import type { ClusterReader } from '../../../backend/src/domain/ports.js';
import { createMetrics } from '../../../backend/src/observability/metrics.js';
import { createLogger } from '../../../backend/src/observability/logger.js';
import { deliverWriteback, WritebackRetryableError, type WritebackPorts } from '../../../backend/src/pagerduty/deliver-writeback.js';
import { createEventsClient } from '../../../backend/src/pagerduty/events-client.js';
import { planOutcomeWriteback, type WritebackPolicy } from '../../../backend/src/pagerduty/plan-writeback.js';
import { createPagerDutyWriter } from '../../../backend/src/pagerduty/rest-writer.js';
import { createMemoryWritebackLedger } from '../../../backend/src/pagerduty/writeback-ledger.js';
import { runWritebackJob } from '../../../backend/src/pipeline/run-writeback-job.js';
import { createInProcessQueue } from '../../../backend/src/queue/in-process-queue.js';
import type { JobContext } from '../../../backend/src/queue/incident-queue.js';
import { recheckSymptom } from '../../../backend/src/verify/recheck-symptom.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';
import { fixedOutcome, rolledBackOutcome } from '../../helpers/outcomes.js';
import { FAKE_PD_AGENT, FAKE_PD_TOKEN, startFakePagerDuty, type FakePagerDutyServer } from '../../fakes/fake-pagerduty-server.js';

// Write-back delivery against the fake PagerDuty (real pdjs, real HTTP) with the re-check reading kube-sim through the
// real client-node reader: order, idempotency across retries and lost answers, PagerDuty outages, giving up.

const ROUTING_KEY = 'Rk'.padEnd(32, '0');
const retry = { attempts: 50, backoffMs: 20, maxBackoffMs: 100 };
const policy: WritebackPolicy = { resolveOnVerified: true, changeEvents: true, giveUpMs: 60_000, retry };
const fast = { maxTotalMs: 400, baseDelayMs: 10, maxDelayMs: 50 };

let sim: RunningSim;
let reader: ClusterReader;
let pd: FakePagerDutyServer;
let dir: string;

beforeAll(async () => {
  sim = await startSim();
  reader = createClientNodeReader(createKubeConfig({ KUBECONFIG: sim.kubeconfigPath }));
  // Real rollouts by kube-sim's controllers: web healthy, api stuck pulling an image that does not exist.
  const k = kubectlFor(sim.kubeconfigPath);
  await k.ok(['create', 'namespace', 'shop']);
  await k.ok(['create', 'deployment', 'web', '-n', 'shop', '--image=nginx:1.27', '--replicas=2']);
  await k.ok(['create', 'deployment', 'api', '-n', 'shop', '--image=api:does-not-exist', '--replicas=2']);
  await k.ok(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=60s']);
  await eventually(async () => /ErrImagePull|ImagePullBackOff/.test(await k.ok(['get', 'pods', '-n', 'shop', '-l', 'app=api'])), 30_000);
  dir = mkdtempSync(join(tmpdir(), 'oncall-writeback-'));
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  pd = await startFakePagerDuty({ incidents: [{ id: 'PINC1', title: 'web down', status: 'triggered', service: { id: 'PSVC1' } }] });
});
afterEach(async () => pd.close());

function ports(overrides: Partial<WritebackPorts> = {}): WritebackPorts {
  return {
    writer: createPagerDutyWriter({ token: FAKE_PD_TOKEN, fromEmail: FAKE_PD_AGENT.email, apiUrl: pd.url, retry: fast, timeoutMs: 2_000 }),
    events: createEventsClient({ routingKey: ROUTING_KEY, eventsUrl: pd.url, retry: fast }),
    ledger: createMemoryWritebackLedger(),
    recheck: (target) => recheckSymptom(target, reader),
    ...overrides,
  };
}

const notes = () => (pd.state.incidents[0].notes ?? []).map((n) => n.content);
const firstLines = () => notes().map((c) => c.split('\n')[0]);
const ctx = (attempt: number, finalAttempt = false): JobContext => ({
  jobId: 'j',
  attempt,
  finalAttempt,
  requeuedOnShutdown: false,
  signal: new AbortController().signal,
  logger: createLogger('silent'),
});

describe('write-back delivery', () => {
  it('a verified fix: diagnosis, plan, result, change event, resolution note, then resolve — in that order', async () => {
    const job = planOutcomeWriteback({ outcome: fixedOutcome(), evidence: [{ fact: 'pods waiting: ImagePullBackOff', source: 'get_pod_status' }], now: Date.now() }, policy);
    const reports = await deliverWriteback(job, ports(), { attempt: 1 });
    expect(reports.map((r) => [r.type, r.result])).toEqual([
      ['note', 'delivered'],
      ['note', 'delivered'],
      ['note', 'delivered'],
      ['change', 'delivered'],
      ['resolve', 'delivered'],
    ]);
    expect(firstLines()).toEqual([
      'oncall-agent · diagnosis (runbook analyzer)',
      'oncall-agent · plan (yolo mode)',
      'oncall-agent · result: fixed and verified',
      'oncall-agent · resolving: the fix is verified and the original symptom is gone',
    ]);
    expect(notes()[3]).toMatch(/Re-check: deployment shop\/web: rollout complete/);
    expect(pd.state.incidents[0].status).toBe('resolved');
    expect(pd.state.events.map((e) => e.path)).toEqual(['/v2/change/enqueue']);
    expect((pd.state.events[0].body.payload as { summary: string }).summary).toBe('oncall-agent ran: kubectl rollout undo deployment/web -n shop (exit 0, verified)');
    const writes = pd.requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/v2/'));
    expect(writes.every((r) => r.headers.from === FAKE_PD_AGENT.email)).toBe(true);
  });

  it('does not resolve when the re-check finds the symptom back: it says why and leaves the incident open', async () => {
    const outcome = fixedOutcome({ target: { kind: 'Deployment', namespace: 'shop', name: 'api' } });
    await deliverWriteback(planOutcomeWriteback({ outcome, now: Date.now() }, policy), ports(), { attempt: 1 });
    expect(pd.state.incidents[0].status).toBe('triggered');
    expect(firstLines().at(-1)).toBe('oncall-agent · not resolving: the re-check of the original symptom is not clean');
    expect(notes().at(-1)).toMatch(/Re-check: deployment shop\/api: .*(not complete|ErrImagePull|ImagePullBackOff)/);
    expect(pd.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('never resolves a failed or rolled-back result, even with RESOLVE_ON_VERIFIED', async () => {
    const job = planOutcomeWriteback({ outcome: rolledBackOutcome(), now: Date.now() }, policy);
    expect(job.steps.some((s) => s.type === 'resolve')).toBe(false);
    await deliverWriteback(job, ports(), { attempt: 1 });
    expect(pd.state.incidents[0].status).toBe('triggered');
    // The executed write and its rollback both reach the service timeline as change events.
    expect(pd.state.events.map((e) => (e.body.payload as { summary: string }).summary)).toEqual([
      'oncall-agent ran: kubectl rollout undo deployment/web -n shop (exit 0, failed)',
      'oncall-agent rolled back: kubectl rollout undo deployment/web -n shop (restored)',
    ]);
  });

  it('a retried job skips what an earlier attempt delivered: every note exactly once', async () => {
    const job = planOutcomeWriteback({ outcome: fixedOutcome(), now: Date.now() }, { ...policy, resolveOnVerified: false, changeEvents: false });
    const shared = ports();
    // The second note hits an outage long enough to outlast the per-call budget.
    let posts = 0;
    pd.state.failNext.push({ status: 503, times: 1_000, match: (r) => r.method === 'POST' && ++posts > 1 });
    const error = await deliverWriteback(job, shared, { attempt: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WritebackRetryableError);
    expect(notes()).toHaveLength(1);
    pd.state.failNext = [];
    await deliverWriteback(job, shared, { attempt: 2 });
    expect(firstLines()).toEqual(['oncall-agent · diagnosis (runbook analyzer)', 'oncall-agent · plan (yolo mode)', 'oncall-agent · result: fixed and verified']);
  });

  it('a note whose answer was lost is found by its ref on the retry, not posted again', async () => {
    const job = planOutcomeWriteback({ outcome: fixedOutcome(), now: Date.now() }, { ...policy, resolveOnVerified: false, changeEvents: false });
    // PagerDuty stores the first note, then the answer is lost (5xx after the write) for longer than the call budget.
    pd.state.failNext.push({ status: 502, times: 1_000, afterWrite: true, match: (r) => r.method === 'POST' });
    const shared = ports();
    await expect(deliverWriteback(job, shared, { attempt: 1 })).rejects.toBeInstanceOf(WritebackRetryableError);
    const stored = notes().length;
    expect(stored).toBeGreaterThanOrEqual(1);
    pd.state.failNext = [];
    // A fresh ledger: the worker that posted it died before it could record anything.
    await deliverWriteback(job, { ...shared, ledger: createMemoryWritebackLedger() }, { attempt: 2 });
    const refs = notes().map((c) => c.split('\n').at(-1));
    expect(new Set(refs).size).toBe(3);
  });

  it('an incident PagerDuty does not know (an MCP or CLI run): one refused request, the other steps skipped', async () => {
    const job = planOutcomeWriteback({ outcome: fixedOutcome({ incidentId: 'mcp-1234' }), now: Date.now() }, policy);
    const reports = await deliverWriteback(job, ports(), { attempt: 1 });
    expect(reports.map((r) => r.result)).toEqual(['failed', ...job.steps.slice(1).map(() => 'skipped')]);
    expect(pd.requests.filter((r) => r.path.startsWith('/incidents/mcp-1234'))).toHaveLength(1);
  });

  it('gives up after its deadline with a pagerduty.writeback audit record and a metric', async () => {
    const job = planOutcomeWriteback({ outcome: fixedOutcome(), now: Date.now() - 120_000 }, { ...policy, giveUpMs: 60_000 });
    pd.state.failWith = 503;
    const auditPath = join(dir, 'gave-up.jsonl');
    const metrics = createMetrics();
    await runWritebackJob(job, ctx(3), { ports: ports(), audit: new JsonlAuditSink(auditPath), metrics });
    const [record] = readFileSync(auditPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(record.type).toBe('pagerduty.writeback');
    expect(record.data.status).toBe('gave_up');
    expect(record.data.steps.every((s: { result: string }) => s.result === 'gave_up')).toBe(true);
    expect(record.data.error).toMatch(/HTTP 503/);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/oncall_pagerduty_writeback_total\{step="note",result="gave_up"\} 3/);
  });

  it('before its deadline, a PagerDuty outage makes the job throw for a retry and records nothing yet', async () => {
    const job = planOutcomeWriteback({ outcome: fixedOutcome(), now: Date.now() }, policy);
    pd.state.failWith = 500;
    const auditPath = join(dir, 'retry.jsonl');
    await expect(runWritebackJob(job, ctx(1), { ports: ports(), audit: new JsonlAuditSink(auditPath) })).rejects.toThrow(/PagerDuty write-back failed/);
    expect(() => readFileSync(auditPath, 'utf8')).toThrow();
  });

  it('through the in-process queue: PagerDuty down for a while, the job retries with its own backoff, and each note arrives once', async () => {
    const queue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 10 } });
    const shared = ports();
    const auditPath = join(dir, 'queue.jsonl');
    const audit = new JsonlAuditSink(auditPath);
    const worker = queue.startWorker({
      concurrency: 1,
      logger: createLogger('silent'),
      handler: async (data, c) => {
        if (data.kind === 'writeback') await runWritebackJob(data, c, { ports: shared, audit });
      },
    });
    pd.state.failWith = 503;
    const job = planOutcomeWriteback({ outcome: fixedOutcome(), now: Date.now() }, policy);
    const { jobId } = await queue.enqueue(job);
    expect((await queue.enqueue(job)).outcome).toBe('duplicate');
    await eventually(() => (queue.get(jobId)?.attemptsMade ?? 0) >= 3, 10_000);
    expect(notes()).toHaveLength(0);
    pd.state.failWith = undefined;
    await eventually(() => queue.get(jobId)?.state === 'completed', 10_000);
    expect(firstLines()).toHaveLength(4);
    expect(new Set(notes()).size).toBe(4);
    expect(pd.state.incidents[0].status).toBe('resolved');
    const record = JSON.parse(readFileSync(auditPath, 'utf8').trim());
    expect(record.data.status).toBe('delivered');
    await worker.close(1_000);
    await queue.close();
  });
});
