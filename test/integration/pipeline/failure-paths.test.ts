// The engine when things go wrong, end to end on kube-sim: a retried job never repeats a write, kubectl failing,
// a fix that does not hold (rollback, escalation, and the breaker opening after 5 failures), bad inputs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { triageIncident } from '../../../backend/src/pipeline/triage-incident.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { freePort } from '../../helpers/free-port.js';
import { FAKE_API_KEY, reply, startFakeAnthropic, type FakeAnthropicServer } from '../../fakes/fake-anthropic-server.js';
import { allRunningReady, apply, createPipeline, deployment, incident, pods, rolledOut, types, waitingReasons, type Pipeline } from './pipeline-harness.js';

let sim: RunningSim;
let kubectl: Kubectl;
let fake: FakeAnthropicServer;
const opened: Pipeline[] = [];

beforeAll(async () => {
  sim = await startSim({ speed: 30, nodes: 2 });
  kubectl = kubectlFor(sim.kubeconfigPath);
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  for (const p of opened) await p.close();
  await sim?.stop();
  await fake?.close();
});

function pipelineWith(env: Record<string, string> = {}, kubeconfigPath = sim.kubeconfigPath): Pipeline {
  const p = createPipeline(kubeconfigPath, env);
  opened.push(p);
  return p;
}

async function badImageRollout(ns: string, name = 'api'): Promise<void> {
  await kubectl.ok(['create', 'namespace', ns]);
  await apply(kubectl, deployment(ns, name));
  await rolledOut(kubectl, ns, name);
  await kubectl.ok(['set', 'image', `deployment/${name}`, 'app=nginx:does-not-exist', '-n', ns]);
  await eventually(async () => (await pods(kubectl, ns, `app=${name}`)).some((p) => waitingReasons(p).some((r) => /ImagePull/.test(r))), 60_000);
}

const oomKilledNow = async (ns: string) => (await pods(kubectl, ns, 'app=cache')).some((p) => JSON.stringify(p.status).includes('OOMKilled'));

describe('idempotency (a queue retry of the same triage job)', () => {
  it('the first attempt dies after its write: the retry proposes the same command, verifies the earlier write and never repeats it', async () => {
    await badImageRollout('retry');
    // The model proposes the same fix on every attempt (the fake Anthropic server, real SDK, real HTTP).
    fake.script(() =>
      reply.toolUse('propose_remediation', {
        rootCause: 'revision 2 of api cannot pull its image',
        confidence: 0.9,
        evidence: [{ fact: 'api pods are in ImagePullBackOff', source: 'get_pod_status' }],
        escalate: false,
        actions: [
          {
            command: 'kubectl rollout undo deployment/api -n retry',
            description: 'roll back to revision 1',
            confidence: 0.9,
            expectedEffect: 'pods run nginx:1.25 and become ready',
            postcondition: { type: 'noCrashLoop', namespace: 'retry', selector: 'app=api', windowSeconds: 6 },
          },
        ],
      }),
    );
    // Default TARGET_COOLDOWN_SECONDS: the first attempt's write starts the target's cooldown.
    const pipeline = pipelineWith({ ANTHROPIC_API_KEY: FAKE_API_KEY, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_MAX_RETRIES: '0', TARGET_COOLDOWN_SECONDS: '' });
    const inc = incident('api unavailable', { namespace: 'retry', deployment: 'api' });

    const controller = new AbortController();
    const first = triageIncident(inc, pipeline.running.pipeline, pipeline.logger, controller.signal);
    await eventually(() => types(pipeline.audit(inc.id)).includes('execution'), 60_000);
    controller.abort(new Error('worker lost'));
    await expect(first).rejects.toThrow();

    const { proposal, report } = await pipeline.run(inc);
    expect(proposal.analyzer).toBe('claude');
    const trail = pipeline.audit(inc.id);
    expect(trail.filter((e) => e.type === 'execution').map((e) => e.data.command)).toEqual(['kubectl rollout undo deployment/api -n retry']);
    expect(report.outcomes.map((o) => [o.command, o.status])).toEqual([['kubectl rollout undo deployment/api -n retry', 'already-done']]);
    expect(report.outcomes[0].verdict?.status).toBe('verified');
    expect(report.escalate).toBe(false);
    expect(trail.find((e) => e.type === 'proposal')!.data).toMatchObject({ analyzer: 'claude', tokens: { input: expect.any(Number) } });
    // Undo twice would have brought the bad image back.
    expect(await kubectl.ok(['get', 'deployment/api', '-n', 'retry', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
    await eventually(() => allRunningReady(kubectl, 'retry', 'app=api', 2), 60_000);

    // Once more, after the fix held, now with the runbook (the model is not asked): the cluster is healthy, nothing
    // is written, and the escalation says an earlier attempt already acted.
    fake.script([reply.overloaded()]);
    const again = await pipeline.run(inc);
    expect(again.report.outcomes).toEqual([]);
    expect(again.report.escalationReasons[0]).toMatch(/earlier attempt of this job already ran a write/);
    expect(pipeline.audit(inc.id).filter((e) => e.type === 'execution')).toHaveLength(1);
  });
});

describe('failure paths', () => {
  it('the deployment is deleted between diagnosis and execution: nothing is written, the job escalates', async () => {
    await badImageRollout('gone');
    const pipeline = pipelineWith();
    const deps = {
      ...pipeline.running.pipeline,
      diagnose: async (...args: Parameters<typeof pipeline.running.pipeline.diagnose>) => {
        const proposal = await pipeline.running.pipeline.diagnose(...args);
        await kubectl.ok(['delete', 'deployment/api', '-n', 'gone', '--wait=false']);
        return proposal;
      },
    };
    const inc = incident('api unavailable', { namespace: 'gone', deployment: 'api' });
    const { report } = await triageIncident(inc, deps, pipeline.logger, new AbortController().signal);
    expect(report.escalate).toBe(true);
    expect(report.outcomes).toHaveLength(1);
    expect(['blocked', 'failed']).toContain(report.outcomes[0].status);
    expect(report.escalationReasons.join(' ')).toMatch(/NotFound|not found/i);
    const t = types(pipeline.audit(inc.id));
    expect(t).toContain('escalation');
    expect(t).not.toContain('verification');
    expect((await kubectl.run(['get', 'deployment/api', '-n', 'gone'])).exitCode).not.toBe(0);
  });

  it('a fix that does not hold is rolled back and escalated; 5 such failures open the breaker, then YOLO asks a human', async () => {
    await kubectl.ok(['create', 'namespace', 'oomx']);
    // Needs 2000Mi: doubling 256Mi is not enough, so every verification fails.
    await apply(kubectl, deployment('oomx', 'cache', { replicas: 1, memoryLimit: '256Mi', annotations: { 'sim.oncall-agent.dev/memory-mi.app': '2000' } }));
    const pipeline = pipelineWith({ VERIFY_DEADLINE_SECONDS: '6', NO_CRASHLOOP_WINDOW_SECONDS: '2' });
    const command = 'kubectl set resources deployment/cache -n oomx -c app --limits=memory=512Mi';
    const limit = () => kubectl.ok(['get', 'deployment/cache', '-n', 'oomx', '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}']);

    for (let attempt = 1; attempt <= 5; attempt++) {
      await eventually(() => oomKilledNow('oomx'), 60_000);
      const inc = incident('cache restarting', { namespace: 'oomx', deployment: 'cache' });
      const { report } = await pipeline.run(inc);
      expect(report.outcomes.map((o) => [o.command, o.status])).toEqual([[command, 'rolled-back']]);
      expect(report.escalate).toBe(true);
      expect(await limit()).toBe('256Mi');
      const trail = pipeline.audit(inc.id);
      const t = types(trail);
      expect(t.indexOf('verification')).toBeLessThan(t.indexOf('rollback'));
      expect(t.indexOf('rollback')).toBeLessThan(t.indexOf('escalation'));
      expect(trail.find((e) => e.type === 'verification')!.data.status).toBe('failed');
      if (attempt < 5) expect(t).not.toContain('breaker.transition');
      else expect(trail.find((e) => e.type === 'breaker.transition')!.data).toMatchObject({ from: 'closed', to: 'open' });
    }

    // What `kubectl describe` shows: the failed verification and the rollback as Warnings on the deployment.
    const warnings = JSON.parse(await kubectl.ok(['get', 'events', '-n', 'oomx', '--field-selector', 'reason=AgentRemediation,type=Warning', '-o', 'json'])) as { items: Array<{ message: string }> };
    const messages = warnings.items.map((e) => e.message).join('\n');
    expect(messages).toMatch(/verification.*verdict: failed/);
    expect(messages).toMatch(/rollback/);
    expect(messages).toMatch(/escalation/);

    await eventually(() => oomKilledNow('oomx'), 60_000);
    const inc = incident('cache restarting', { namespace: 'oomx', deployment: 'cache' });
    const { report } = await pipeline.run(inc);
    expect(report.outcomes).toMatchObject([{ command, status: 'awaiting-approval' }]);
    expect(report.outcomes[0].detail).toMatch(/circuit breaker is open/);
    expect(types(pipeline.audit(inc.id))).not.toContain('execution');
    expect(await limit()).toBe('256Mi');
  });
});

describe('kill switch and concurrent incidents on one deployment', () => {
  it('the kill switch refuses the write; once resumed, two incidents at once on one deployment write exactly once', async () => {
    await badImageRollout('twice');
    const pipeline = pipelineWith({ TARGET_COOLDOWN_SECONDS: '' });
    const command = 'kubectl rollout undo deployment/api -n twice';

    await pipeline.running.safety.setKillSwitch({ paused: true, by: 'e2e', since: Date.now() });
    const paused = incident('api unavailable', { namespace: 'twice', deployment: 'api' });
    const { report: refused } = await pipeline.run(paused);
    expect(refused.outcomes).toMatchObject([{ command, status: 'refused' }]);
    expect(refused.outcomes[0].detail).toMatch(/kill switch/);
    expect(refused.escalate).toBe(true);
    expect(types(pipeline.audit(paused.id))).not.toContain('execution');
    await pipeline.running.safety.setKillSwitch({ paused: false, by: 'e2e', since: Date.now() });

    const a = incident('api unavailable', { namespace: 'twice', deployment: 'api' });
    const b = incident('api 5xx', { namespace: 'twice', deployment: 'api' });
    const [ra, rb] = await Promise.all([pipeline.run(a), pipeline.run(b)]);
    const executions = [...pipeline.audit(a.id), ...pipeline.audit(b.id)].filter((e) => e.type === 'execution');
    expect(executions.map((e) => e.data.command)).toEqual([command]);
    // The other incident was held by the lock or the cooldown (or, diagnosing after the fix, found nothing to do).
    const statuses = [...ra.report.outcomes, ...rb.report.outcomes].map((o) => o.status);
    expect(statuses.filter((s) => s === 'verified')).toHaveLength(1);
    expect(statuses.filter((s) => ['failed', 'rolled-back', 'already-done'].includes(s))).toEqual([]);
    expect(await kubectl.ok(['get', 'deployment/api', '-n', 'twice', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
  });
});

describe('bad inputs', () => {
  it('an incident that resolves to nothing escalates with no action', async () => {
    const pipeline = pipelineWith();
    const inc = incident('Something is wrong somewhere', { summary: 'latency high' });
    const { proposal, report, outcome } = await pipeline.run(inc);
    expect(proposal).toMatchObject({ escalate: { required: true }, actions: [] });
    expect(report).toMatchObject({ escalate: true, outcomes: [] });
    const t = types(pipeline.audit(inc.id));
    expect(t).toEqual(['incident.received', 'proposal', 'escalation', 'incident.outcome']);
    expect(outcome).toMatchObject({ outcome: 'escalated', run: 'triage', commands: [] });
  });

  it('an unreachable API server (closed port): the job ends with an escalating proposal and an error, no crash', async () => {
    const pipeline = pipelineWith({}, kubeconfigFor(await freePort()));
    const inc = incident('api unavailable', { namespace: 'shop', deployment: 'api' });
    const { proposal, report } = await pipeline.run(inc);
    expect(proposal.escalate.required).toBe(true);
    expect(proposal.actions).toEqual([]);
    expect(proposal.error).toMatch(/ECONNREFUSED|connect|unreachable/i);
    // Marked as passing: from the queue, with attempts left, the job is retried rather than escalated (hostile-inputs.test.ts).
    expect(proposal.retryable).toBe(true);
    expect(report.escalate).toBe(true);
    expect(types(pipeline.audit(inc.id))).toEqual(['incident.received', 'proposal', 'escalation', 'incident.outcome']);
  }, 60_000);

  it('an API server that accepts connections and never answers: the job still ends (bounded reads), escalating with an error', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const pipeline = pipelineWith({ CLUSTER_READ_TIMEOUT_MS: '2000' }, kubeconfigFor((silent.address() as AddressInfo).port));
      const inc = incident('api unavailable', { namespace: 'shop', deployment: 'api' });
      const { proposal, report } = await pipeline.run(inc);
      expect(proposal).toMatchObject({ escalate: { required: true }, actions: [] });
      expect(proposal.error).toMatch(/timed out|timeout|abort/i);
      expect(report.escalate).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 90_000);
});

function kubeconfigFor(port: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kubeconfig-')), 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: u, user: {token: abc}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
      '',
    ].join('\n'),
  );
  return path;
}
