import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';

const SECRET = 'whsec-serve';
let redis: TestRedis;
let dir: string;
const started: ServeProcess[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  dir = mkdtempSync(join(tmpdir(), 'oncall-serve-'));
});
afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await redis?.close();
  rmSync(dir, { recursive: true, force: true });
});

function serve(args: string[], env: Record<string, string>): ServeProcess {
  const p = spawnAgent(args, { DOTENV_PATH: join(dir, 'no.env'), ...env }, dir);
  started.push(p);
  return p;
}

const listening = (p: ServeProcess) =>
  p.waitForLine((l) => typeof l.msg === 'string' && l.msg.startsWith('listening on'), 'the listening line').then((l) => `http://127.0.0.1:${l.port}`);

/** shop/web rolled out on nginx:1.27, then set to an image that does not exist: its new pods cannot pull. */
async function badImageRollout(sim: RunningSim): Promise<(...args: string[]) => Promise<string>> {
  const k = kubectlFor(sim.kubeconfigPath);
  const kubectl = (...args: string[]) => k.ok(args);
  await kubectl('create', 'namespace', 'shop');
  await kubectl('create', 'deployment', 'web', '-n', 'shop', '--image=nginx:1.27', '--replicas=2');
  await kubectl('rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=60s');
  await kubectl('set', 'image', 'deployment/web', '-n', 'shop', 'nginx=nginx:does-not-exist');
  await eventually(async () => /ErrImagePull|ImagePullBackOff/.test(await kubectl('get', 'pods', '-n', 'shop')), 30_000);
  return kubectl;
}

/** A YOLO daemon on Redis and the sim, with its own state directory. */
const yoloServeEnv = (stateDir: string, kubeconfigPath: string): Record<string, string> => ({
  REDIS_URL: redis.url,
  HOST: '127.0.0.1',
  PORT: '0',
  PAGERDUTY_WEBHOOK_SECRETS: SECRET,
  STATE_DIR: stateDir,
  AUDIT_JSONL_PATH: join(stateDir, 'audit.jsonl'),
  KUBECONFIG: kubeconfigPath,
  EXECUTION_MODE: 'yolo',
  K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
});

describe('oncall-agent serve (the real binary)', () => {
  it('SIGTERM while a job runs: the job completes and the process exits 0', async () => {
    // The real pipeline on kube-sim: a bad image rollout → runbook proposes `rollout undo` → YOLO runs it → verify.
    // The crash-loop check holds the job open for NO_CRASHLOOP_WINDOW_SECONDS, so SIGTERM lands mid-job.
    const sim = await startSim({ speed: 20 });
    try {
      const kubectl = await badImageRollout(sim);

      const stateDir = join(dir, 'state-sigterm');
      const p = serve(['serve'], {
        ...yoloServeEnv(stateDir, sim.kubeconfigPath),
        NO_CRASHLOOP_WINDOW_SECONDS: '4',
        VERIFY_DEADLINE_SECONDS: '60',
        VERIFY_POLL_MS: '200',
        SHUTDOWN_GRACE_MS: '90000',
        LOG_LEVEL: 'info',
      });
      const url = await listening(p);

      const payload = loadFixture('incident.triggered');
      payload.event.data.title = 'Pods of shop/web cannot start';
      const delivery = signDelivery(payload, [SECRET], 'delivery-sigterm');
      const res = await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
      expect(res.status).toBe(202);
      const { jobId } = (await res.json()) as { jobId: string };

      // The undo is about to run; verification is still watching the crash-loop window when SIGTERM arrives.
      await p.waitForLine((l) => l.jobId === jobId && l.command === 'kubectl rollout undo deployment/web -n shop' && l.decision === 'execute', 'the rollout undo to be decided', 60_000);
      p.child.kill('SIGTERM');
      const exit = await p.exited;
      expect(exit).toEqual({ code: 0, signal: null });

      const audit = readFileSync(join(stateDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; incidentId: string; data: Record<string, unknown> });
      const types = audit.filter((e) => e.incidentId === 'PGR0VU2').map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['incident.received', 'proposal', 'risk', 'decision', 'execution', 'verification']));
      expect(audit.find((e) => e.type === 'verification')?.data).toMatchObject({ status: 'verified' });
      expect(await kubectl('get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('nginx:1.27');

      const messages = p.lines.map((l) => String(l.msg));
      const shuttingDown = messages.findIndex((m) => m.startsWith('shutting down'));
      const handled = messages.findIndex((m) => m.startsWith('incident PGR0VU2 handled in yolo mode'));
      // The signal arrived while the job was still running, and the process waited for it.
      expect(shuttingDown).toBeGreaterThanOrEqual(0);
      expect(handled).toBeGreaterThan(shuttingDown);
      expect(messages.indexOf('shutdown complete')).toBeGreaterThan(handled);
      // Every line the job wrote carries the incident id and the job id.
      const jobLines = p.lines.filter((l) => l.jobId === jobId);
      expect(jobLines.length).toBeGreaterThan(2);
      for (const line of jobLines) expect(line).toMatchObject({ incidentId: 'PGR0VU2', jobId });
    } finally {
      await sim.stop();
    }
  });

  it('SIGINT with a job running past SHUTDOWN_GRACE_MS: exits 0 and the job stays in Redis for the next worker', async () => {
    // The same slow job (verification watches the crash-loop window), but a grace period far shorter than it.
    const sim = await startSim({ speed: 20 });
    try {
      await badImageRollout(sim);

      const stateDir = join(dir, 'state-grace');
      const p = serve(['serve'], {
        ...yoloServeEnv(stateDir, sim.kubeconfigPath),
        NO_CRASHLOOP_WINDOW_SECONDS: '60',
        VERIFY_DEADLINE_SECONDS: '120',
        VERIFY_POLL_MS: '200',
        SHUTDOWN_GRACE_MS: '300',
        // Its own safety state: the first test's cooldown on shop/web must not block this remediation.
        REDIS_KEY_PREFIX: 'grace:',
        JOB_ATTEMPTS: '1',
        LOG_LEVEL: 'info',
      });
      const url = await listening(p);
      const payload = loadFixture('incident.triggered');
      payload.event.data.id = 'PGRACE';
      payload.event.data.title = 'Pods of shop/web cannot start';
      const delivery = signDelivery(payload, [SECRET], 'delivery-grace');
      const res = await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
      expect(res.status).toBe(202);
      const { jobId } = (await res.json()) as { jobId: string };
      // SIGINT once the write has run and verification is watching the crash-loop window (not while kubectl runs).
      const auditPath = join(stateDir, 'audit.jsonl');
      const executed = () =>
        existsSync(auditPath) &&
        readFileSync(auditPath, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { type: string; incidentId: string })
          .some((e) => e.type === 'execution' && e.incidentId === 'PGRACE');
      await eventually(executed, 60_000);

      p.child.kill('SIGINT');
      expect(await p.exited).toEqual({ code: 0, signal: null });
      // Not escalated as failed: the next worker takes it over.
      const audit = readFileSync(join(stateDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; incidentId: string });
      expect(audit.filter((e) => e.incidentId === 'PGRACE').map((e) => e.type)).not.toContain('escalation');
      expect(p.lines.map((l) => String(l.msg))).toContain('job aborted by shutdown: returned to the queue for the next worker');
      // Its only attempt was cut short by the shutdown: it is waiting again, not failed.
      const reader = createRedis(redis.url, 'blocking');
      try {
        expect(await reader.zscore('bull:incidents:failed', jobId)).toBeNull();
        expect(await reader.lrange('bull:incidents:wait', 0, -1)).toContain(jobId);
      } finally {
        // Later tests in this file start workers on the same Redis: they must not pick this job up.
        await reader.lrem('bull:incidents:wait', 0, jobId);
        await reader.quit();
      }
    } finally {
      await sim.stop();
    }
  });

  it('runs with no environment at all: in-process queue, and says every delivery is answered 401', async () => {
    const p = serve(['serve'], { HOST: '127.0.0.1', PORT: '0', STATE_DIR: join(dir, 'state-bare') });
    const url = await listening(p);
    const warnings = p.lines.filter((l) => l.level === 40).map((l) => String(l.msg));
    expect(warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/REDIS_URL is not set: using the in-process queue; jobs are lost on restart/), expect.stringMatching(/PAGERDUTY_WEBHOOK_SECRETS is not set: every webhook delivery will be answered 401/)]),
    );
    const delivery = signDelivery(loadFixture('incident.triggered'), ['guess'], 'delivery-bare');
    expect((await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers })).status).toBe(401);
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: 'ready', checks: { queue: true, worker: true } });
    p.child.kill('SIGINT');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });

  it('--role worker serves health, readiness and metrics but no webhook route; --role api says it runs no worker', async () => {
    const env = { REDIS_URL: redis.url, HOST: '127.0.0.1', PORT: '0', PAGERDUTY_WEBHOOK_SECRETS: SECRET, STATE_DIR: join(dir, 'state-roles') };
    const workerOnly = serve(['serve', '--role', 'worker'], env);
    const api = serve(['serve', '--role', 'api'], env);
    const [workerUrl, apiUrl] = await Promise.all([listening(workerOnly), listening(api)]);

    expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${workerUrl}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toMatchObject({ status: 200, body: { status: 'ready', checks: { queue: true, worker: true } } });
    expect(await (await fetch(`${workerUrl}/metrics`)).text()).toMatch(/# TYPE oncall_jobs_total counter/);
    const delivery = signDelivery(loadFixture('incident.triggered'), [SECRET], 'delivery-roles');
    expect((await fetch(`${workerUrl}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers })).status).toBe(404);

    expect(await (await fetch(`${apiUrl}/readyz`)).json()).toMatchObject({ status: 'ready', checks: { queue: true, worker: 'not in this process' } });
    // The api process stores the job; the worker process runs it.
    const res = await fetch(`${apiUrl}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    await workerOnly.waitForLine((l) => l.jobId === jobId && l.incidentId === 'PGR0VU2', 'the worker process to run the job');

    workerOnly.child.kill('SIGTERM');
    api.child.kill('SIGINT');
    expect(await workerOnly.exited).toEqual({ code: 0, signal: null });
    expect(await api.exited).toEqual({ code: 0, signal: null });
  });

  it('exits 0 on SIGTERM even when its stdout pipe has been closed', async () => {
    const p = serve(['serve'], { HOST: '127.0.0.1', PORT: '0', STATE_DIR: join(dir, 'state-epipe') });
    await listening(p);
    // The reader goes away (e.g. `oncall-agent serve | head`): later log writes hit EPIPE.
    p.child.stdout!.destroy();
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });

  it.each([
    [['serve', '--role', 'api'], {}, /^oncall-agent: invalid configuration: REDIS_URL: serve --role api needs a shared Redis queue/],
    [['serve'], { EXECUTION_MODE: 'sometimes' }, /^oncall-agent: invalid configuration: EXECUTION_MODE: expected one of yolo\|approval\|plan/],
  ])('%j with %j exits 1 with one line naming the variable', async (args, env, message) => {
    const p = serve(args, env as Record<string, string>);
    expect((await p.exited).code).toBe(1);
    expect(p.stderr().trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(p.lines.filter((l) => String(l.msg).startsWith('listening'))).toEqual([]);
  });
});
