// Every way an incident run ends, through the real daemon on kube-sim: `serve --role api` takes the signed webhooks,
// a separate `serve --role worker` runs the jobs from Redis, and each run ends with exactly one `incident.outcome`
// record carrying the right kind and its timings. One sim, one Redis and one pair of processes for all cases.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';
import { runAgentCli, spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';
import { apply, deployment, pods, rolledOut, waitingReasons } from '../pipeline/pipeline-harness.js';

const SECRET = 'whsec-outcomes';
let sim: RunningSim;
let redis: TestRedis;
let kubectl: Kubectl;
let dir: string;
let env: Record<string, string>;
let api: ServeProcess;
let worker: ServeProcess;
let apiUrl: string;

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSim({ speed: 30, nodes: 2 }), startTestRedis()]);
  kubectl = kubectlFor(sim.kubeconfigPath);
  dir = mkdtempSync(join(tmpdir(), 'outcomes-'));
  env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'outcomes:',
    HOST: '127.0.0.1',
    PORT: '0',
    PAGERDUTY_WEBHOOK_SECRETS: SECRET,
    STATE_DIR: join(dir, 'state'),
    AUDIT_JSONL_PATH: join(dir, 'audit.jsonl'),
    KUBECONFIG: sim.kubeconfigPath,
    DOTENV_PATH: join(dir, 'no.env'),
    EXECUTION_MODE: 'yolo',
    MODE_OVERRIDES: 'namespace:appr=approval,namespace:prev=plan',
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    VERIFY_DEADLINE_SECONDS: '8',
    VERIFY_POLL_MS: '200',
    NO_CRASHLOOP_WINDOW_SECONDS: '2',
    TARGET_COOLDOWN_SECONDS: '0',
    LOG_LEVEL: 'info',
  };
  api = spawnAgent(['serve', '--role', 'api'], env, dir);
  worker = spawnAgent(['serve', '--role', 'worker'], env, dir);
  const line = await api.waitForLine((l) => String(l.msg ?? '').startsWith('listening on'), 'the API to listen', 60_000);
  apiUrl = `http://127.0.0.1:${String(line.port)}`;
  await worker.waitForLine((l) => String(l.msg ?? '').startsWith('worker started'), 'the worker to start', 60_000);
}, 120_000);

afterAll(async () => {
  for (const p of [api, worker]) if (p && p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.allSettled([api?.exited, worker?.exited]);
  await Promise.allSettled([sim?.stop(), redis?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const trail = (incidentId: string): AuditEvent[] =>
  existsSync(env.AUDIT_JSONL_PATH)
    ? readFileSync(env.AUDIT_JSONL_PATH, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent).filter((e) => e.incidentId === incidentId)
    : [];
const outcomesOf = (incidentId: string): IncidentOutcome[] => trail(incidentId).filter((e) => e.type === 'incident.outcome').map((e) => e.data as unknown as IncidentOutcome);

/** Sends a signed incident.triggered for this incident and waits until `count` outcomes of it are recorded. */
async function page(incidentId: string, title: string, count = 1): Promise<IncidentOutcome[]> {
  const payload = loadFixture('incident.triggered');
  payload.event.data.id = incidentId;
  payload.event.data.title = title;
  const delivery = signDelivery(payload, [SECRET], `delivery-${incidentId}`);
  const res = await fetch(`${apiUrl}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
  expect(res.status).toBe(202);
  return waitForOutcomes(incidentId, count);
}

async function waitForOutcomes(incidentId: string, count: number): Promise<IncidentOutcome[]> {
  await eventually(() => outcomesOf(incidentId).length >= count, 120_000, 250);
  // Nothing more arrives for this run: exactly `count` endings.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return outcomesOf(incidentId);
}

async function badImage(ns: string): Promise<void> {
  await kubectl.ok(['create', 'namespace', ns]);
  await apply(kubectl, deployment(ns, 'web'));
  await rolledOut(kubectl, ns, 'web');
  await kubectl.ok(['set', 'image', 'deployment/web', '-n', ns, 'app=nginx:does-not-exist']);
  await eventually(async () => (await pods(kubectl, ns, 'app=web')).some((p) => waitingReasons(p).some((r) => /ImagePull/.test(r))), 30_000);
}

const imageOf = (ns: string) => kubectl.ok(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);

function expectTimingsInOrder(o: IncidentOutcome): void {
  const { toDecisionMs, toFirstWriteMs, toVerifiedFixMs, totalMs } = o.timings;
  expect(Date.parse(o.timings.receivedAt)).not.toBeNaN();
  for (const [a, b] of [[toDecisionMs, toFirstWriteMs], [toFirstWriteMs, toVerifiedFixMs], [toVerifiedFixMs, totalMs]] as const) {
    if (a !== undefined && b !== undefined) expect(a).toBeLessThanOrEqual(b);
  }
}

describe('every incident run ends with exactly one incident.outcome (serve --role api + serve --role worker)', () => {
  it('fixed: a bad image is rolled back in YOLO and verified; timings to decision, first write and verified fix', async () => {
    await badImage('fix');
    const [o, ...more] = await page('POUTFIX', 'Pods of fix/web cannot start');
    expect(more).toEqual([]);
    expect(o).toMatchObject({ outcome: 'fixed', run: 'triage', mode: 'yolo', analyzer: 'runbook', target: { namespace: 'fix', name: 'web' }, reasons: [] });
    expect(o.commands).toMatchObject([{ command: 'kubectl rollout undo deployment/web -n fix', risk: 'medium', decision: 'execute', status: 'verified', exitCode: 0, verdict: 'verified' }]);
    expect(o.timings).toMatchObject({ toDecisionMs: expect.any(Number), toFirstWriteMs: expect.any(Number), toVerifiedFixMs: expect.any(Number) });
    expectTimingsInOrder(o);
    expect(trail('POUTFIX').at(-1)?.type).toBe('incident.outcome');
    expect(await imageOf('fix')).toBe('nginx:1.25');
  });

  it('previewed: plan mode for the namespace previews the undo and changes nothing', async () => {
    await badImage('prev');
    const [o, ...more] = await page('POUTPREV', 'Pods of prev/web cannot start');
    expect(more).toEqual([]);
    expect(o).toMatchObject({ outcome: 'previewed', mode: 'plan', commands: [{ decision: 'preview', status: 'previewed' }] });
    expect(o.timings.toFirstWriteMs).toBeUndefined();
    expect(o.timings.toVerifiedFixMs).toBeUndefined();
    expect(await imageOf('prev')).toBe('nginx:does-not-exist');
  });

  it('escalated: an incident that resolves to nothing goes to a human with the reason', async () => {
    const [o, ...more] = await page('POUTESC', 'Something is wrong somewhere');
    expect(more).toEqual([]);
    expect(o).toMatchObject({ outcome: 'escalated', run: 'triage', commands: [] });
    expect(o.reasons.length).toBeGreaterThan(0);
    expect(o.timings.toFirstWriteMs).toBeUndefined();
  });

  it('refused: with the kill switch on, the write is refused by policy; nothing changes', async () => {
    await badImage('kill');
    const paused = await runAgentCli(['pause', '--reason', 'freeze', '--by', 'alice'], { ...env, LOG_LEVEL: 'silent' }, dir);
    expect(paused.code, paused.stderr).toBe(0);
    try {
      const [o, ...more] = await page('POUTKILL', 'Pods of kill/web cannot start');
      expect(more).toEqual([]);
      expect(o).toMatchObject({ outcome: 'refused', commands: [{ command: 'kubectl rollout undo deployment/web -n kill' }] });
      expect(o.reasons.join(' ')).toMatch(/kill switch/);
      expect(await imageOf('kill')).toBe('nginx:does-not-exist');
    } finally {
      expect((await runAgentCli(['resume', '--by', 'alice'], { ...env, LOG_LEVEL: 'silent' }, dir)).code).toBe(0);
    }
  });

  it('rolled_back: a memory fix that does not hold is verified as failed and the snapshot is restored', async () => {
    await kubectl.ok(['create', 'namespace', 'oom']);
    // Needs 2000Mi: doubling 256Mi is not enough, so the verification fails and the rollback restores 256Mi.
    await apply(kubectl, deployment('oom', 'cache', { replicas: 1, memoryLimit: '256Mi', annotations: { 'sim.oncall-agent.dev/memory-mi.app': '2000' } }));
    await eventually(async () => (await pods(kubectl, 'oom', 'app=cache')).some((p) => JSON.stringify(p.status ?? {}).includes('OOMKilled')), 60_000);
    const [o, ...more] = await page('POUTOOM', 'cache restarting: deployment/cache in namespace oom');
    expect(more).toEqual([]);
    expect(o).toMatchObject({ outcome: 'rolled_back', commands: [{ status: 'rolled-back', verdict: 'failed', rollback: { restored: true } }] });
    expect(o.timings.toFirstWriteMs).toEqual(expect.any(Number));
    expect(o.timings.toVerifiedFixMs).toBeUndefined();
    expectTimingsInOrder(o);
    expect(await kubectl.ok(['get', 'deployment/cache', '-n', 'oom', '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}'])).toBe('256Mi');
  });

  it('awaiting_approval, then the approval runs in the worker process (not the API process) and ends fixed', async () => {
    await badImage('appr');
    const [waiting] = await page('POUTAPPR', 'Pods of appr/web cannot start');
    expect(waiting).toMatchObject({ outcome: 'awaiting_approval', mode: 'approval', approval: { id: expect.any(String), planHash: expect.any(String) } });
    expect(waiting.commands).toMatchObject([{ status: 'awaiting-approval', decision: 'approval' }]);
    expect(await imageOf('appr')).toBe('nginx:does-not-exist');

    // The approver's shell has none of the daemon's settings: the worker's own apply.
    const shell = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'outcomes:', STATE_DIR: join(dir, 'approver'), AUDIT_JSONL_PATH: join(dir, 'approver.jsonl'), LOG_LEVEL: 'silent' };
    const approved = await runAgentCli(['approve', waiting.approval!.id, '--plan-hash', waiting.approval!.planHash, '--by', 'carol'], shell, dir);
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/Outcome: FIXED/);
    const [, ran, ...more] = await waitForOutcomes('POUTAPPR', 2);
    expect(more).toEqual([]);
    expect(ran).toMatchObject({ outcome: 'fixed', run: 'approval', approval: waiting.approval, commands: [{ status: 'verified' }] });
    expectTimingsInOrder(ran);
    expect(await imageOf('appr')).toBe('nginx:1.25');
    // The run's log lines (they carry the approval id) come from the worker process only.
    const ranHere = (p: ServeProcess) => p.lines.filter((l) => l.approvalId === waiting.approval!.id && String(l.msg ?? '').startsWith('verification'));
    expect(ranHere(worker).length).toBeGreaterThan(0);
    expect(ranHere(api)).toEqual([]);
    expect(api.lines.some((l) => l.incidentId === 'POUTAPPR' && l.command !== undefined)).toBe(false);
  });
});
