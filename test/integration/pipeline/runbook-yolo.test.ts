// Every row of the runbook table through the WHOLE engine on kube-sim: real manifests break the cluster, the pipeline
// (diagnose → risk → YOLO → kubectl → verify) fixes it or escalates, and kubectl proves the cluster recovered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import { executeApprovedPlan } from '../../../backend/src/execute/approvals.js';
import { approvePlan } from '../../../backend/src/safety/approvals.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { allRunningReady, apply, createPipeline, deployment, incident, pods, rolledOut, scaledToZeroBehindService, types, waitingReasons, type Pipeline } from './pipeline-harness.js';

let sim: RunningSim;
let kubectl: Kubectl;
let pipeline: Pipeline;

beforeAll(async () => {
  sim = await startSim({ speed: 30, nodes: 3 });
  kubectl = kubectlFor(sim.kubeconfigPath);
  pipeline = createPipeline(sim.kubeconfigPath);
});
afterAll(async () => {
  await pipeline?.close();
  await sim?.stop();
});

const ns = (name: string) => kubectl.ok(['create', 'namespace', name]);

/** The audit trail of a YOLO fix: every stage, in order, with the analyzer, the tokens and the verdict. */
function expectFixTrail(events: AuditEvent[], command: string): void {
  const t = types(events);
  for (const step of ['incident.received', 'proposal', 'risk', 'decision', 'execution', 'verification']) expect(t).toContain(step);
  expect(t.indexOf('incident.received')).toBeLessThan(t.indexOf('proposal'));
  expect(t.indexOf('proposal')).toBeLessThan(t.indexOf('risk'));
  expect(t.indexOf('decision')).toBeLessThan(t.indexOf('execution'));
  expect(t.indexOf('execution')).toBeLessThan(t.indexOf('verification'));
  const proposal = events.find((e) => e.type === 'proposal')!;
  expect(proposal.data).toMatchObject({ analyzer: 'runbook', tokens: { input: 0, output: 0 } });
  expect(events.find((e) => e.type === 'decision')!.data).toMatchObject({ command, kind: 'execute', mode: 'yolo' });
  expect(events.find((e) => e.type === 'execution')!.data).toMatchObject({ command, exitCode: 0 });
  expect(events.find((e) => e.type === 'verification')!.data).toMatchObject({ command, status: 'verified' });
  expect(t).not.toContain('escalation');
}

/** An escalation: the proposal says why, no write was decided or made. */
function expectEscalationNoWrite(events: AuditEvent[]): void {
  const t = types(events);
  expect(t).toContain('incident.received');
  expect(t).toContain('escalation');
  for (const step of ['execution', 'decision', 'approval.requested']) expect(t).not.toContain(step);
  expect(events.find((e) => e.type === 'proposal')!.data).toMatchObject({ escalate: { required: true }, actions: [] });
}

describe('runbook rows through the pipeline in YOLO mode (destructive operations on)', () => {
  it('bad image after a healthy revision → rollout undo, verified, pods Running and Ready', async () => {
    await ns('img');
    await apply(kubectl, deployment('img', 'api'));
    await rolledOut(kubectl, 'img', 'api');
    await kubectl.ok(['set', 'image', 'deployment/api', 'app=nginx:does-not-exist', '-n', 'img']);
    await eventually(async () => (await pods(kubectl, 'img', 'app=api')).some((p) => waitingReasons(p).some((r) => /ImagePull|ErrImagePull/.test(r))), 60_000);

    const inc = incident('api unavailable', { namespace: 'img', deployment: 'api' });
    const { report } = await pipeline.run(inc);
    expect(report.outcomes.map((o) => [o.command, o.status])).toEqual([['kubectl rollout undo deployment/api -n img', 'verified']]);
    expect(report.escalate).toBe(false);
    expect(await allRunningReady(kubectl, 'img', 'app=api', 2)).toBe(true);
    expect(await kubectl.ok(['get', 'deployment/api', '-n', 'img', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
    expectFixTrail(pipeline.audit(inc.id), 'kubectl rollout undo deployment/api -n img');
    // The audit trail also lands on the object as Kubernetes Events (AUDIT_KUBE_EVENTS defaults to true).
    const messages = await kubectl.ok(['get', 'events', '-n', 'img', '--field-selector', 'reason=AgentRemediation', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    expect(messages).toMatch(/execution.*rollout undo deployment\/api/);
    expect(messages).toMatch(/verification.*verified/);
  });

  it('crash (sh -c "exit 1") after a healthy revision → rollout undo, verified, no crash loop', async () => {
    await ns('crash');
    await apply(kubectl, deployment('crash', 'web'));
    await rolledOut(kubectl, 'crash', 'web');
    await apply(kubectl, deployment('crash', 'web', { image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }));
    await eventually(async () => (await pods(kubectl, 'crash', 'app=web')).some((p) => waitingReasons(p).includes('CrashLoopBackOff')), 60_000);

    const inc = incident('web 5xx', { namespace: 'crash', deployment: 'web' });
    const { report } = await pipeline.run(inc);
    expect(report.outcomes.map((o) => [o.command, o.status])).toEqual([['kubectl rollout undo deployment/web -n crash', 'verified']]);
    expect(await allRunningReady(kubectl, 'crash', 'app=web', 2)).toBe(true);
    expectFixTrail(pipeline.audit(inc.id), 'kubectl rollout undo deployment/web -n crash');
  });

  it('OOMKilled → memory limit doubled, verified, pods Running and Ready', async () => {
    await ns('oom');
    await apply(kubectl, deployment('oom', 'cache', { memoryLimit: '256Mi', annotations: { 'sim.oncall-agent.dev/memory-mi.app': '400' } }));
    await eventually(async () => (await pods(kubectl, 'oom', 'app=cache')).some((p) => JSON.stringify(p.status).includes('OOMKilled')), 60_000);

    const inc = incident('cache restarting', { namespace: 'oom', deployment: 'cache' });
    const { report } = await pipeline.run(inc);
    const command = 'kubectl set resources deployment/cache -n oom -c app --limits=memory=512Mi';
    expect(report.outcomes.map((o) => [o.command, o.status])).toEqual([[command, 'verified']]);
    expect(await kubectl.ok(['get', 'deployment/cache', '-n', 'oom', '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}'])).toBe('512Mi');
    await eventually(() => allRunningReady(kubectl, 'oom', 'app=cache', 2), 60_000);
    expectFixTrail(pipeline.audit(inc.id), command);
  });

  it('Service with no endpoints because its deployment is at 0 → scaled back, endpoints ready', async () => {
    await ns('zero');
    await scaledToZeroBehindService(kubectl, 'zero', 'shop', 3);

    const inc = incident('service/shop has no endpoints', { namespace: 'zero' });
    const { report } = await pipeline.run(inc);
    const command = 'kubectl scale deployment/shop -n zero --replicas=3';
    expect(report.outcomes.map((o) => [o.command, o.status])).toEqual([[command, 'verified']]);
    expect(await allRunningReady(kubectl, 'zero', 'app=shop', 3)).toBe(true);
    const endpoints = JSON.parse(await kubectl.ok(['get', 'endpoints', 'shop', '-n', 'zero', '-o', 'json'])) as { subsets?: Array<{ addresses?: unknown[] }> };
    expect((endpoints.subsets ?? []).flatMap((s) => s.addresses ?? []).length).toBe(3);
    expectFixTrail(pipeline.audit(inc.id), command);
  });

  it('readiness probe failing after a new revision → rollout undo, verified, pods Ready', async () => {
    await ns('probe');
    await apply(kubectl, deployment('probe', 'front', { readinessProbe: true }));
    await rolledOut(kubectl, 'probe', 'front');
    await apply(kubectl, deployment('probe', 'front', { readinessProbe: true, image: 'nginx:1.26', annotations: { 'sim.oncall-agent.dev/probe-fail.app': 'readiness' } }));
    await eventually(async () => {
      const events = await kubectl.ok(['get', 'events', '-n', 'probe', '--field-selector', 'reason=Unhealthy', '-o', 'name']);
      return (await pods(kubectl, 'probe', 'app=front')).some((p) => p.status?.phase === 'Running' && !p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) && events.trim() !== '';
    }, 60_000);

    const inc = incident('front degraded', { namespace: 'probe', deployment: 'front' });
    const { report } = await pipeline.run(inc);
    const command = 'kubectl rollout undo deployment/front -n probe';
    expect(report.outcomes.map((o) => [o.command, o.status])).toEqual([[command, 'verified']]);
    await eventually(() => allRunningReady(kubectl, 'probe', 'app=front', 2), 60_000);
    expectFixTrail(pipeline.audit(inc.id), command);
  });

  it('crash with no healthy earlier revision → escalation, no write', async () => {
    await ns('bug');
    await apply(kubectl, deployment('bug', 'worker', { image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }));
    await eventually(async () => (await pods(kubectl, 'bug', 'app=worker')).some((p) => waitingReasons(p).includes('CrashLoopBackOff')), 60_000);
    const generation = await kubectl.ok(['get', 'deployment/worker', '-n', 'bug', '-o', 'jsonpath={.metadata.generation}']);

    const inc = incident('bug/worker crash looping');
    const { report } = await pipeline.run(inc);
    expect(report).toMatchObject({ escalate: true, outcomes: [] });
    expectEscalationNoWrite(pipeline.audit(inc.id));
    expect(await kubectl.ok(['get', 'deployment/worker', '-n', 'bug', '-o', 'jsonpath={.metadata.generation}'])).toBe(generation);
  });

  it('missing ConfigMap → escalation, no write', async () => {
    await ns('cfg');
    await apply(kubectl, deployment('cfg', 'web', { envFrom: [{ configMapRef: { name: 'web-config' } }] }));
    await eventually(async () => (await pods(kubectl, 'cfg', 'app=web')).some((p) => waitingReasons(p).includes('CreateContainerConfigError')), 60_000);

    const inc = incident('deployment/web in namespace: cfg not ready');
    const { report } = await pipeline.run(inc);
    expect(report).toMatchObject({ escalate: true, outcomes: [] });
    expectEscalationNoWrite(pipeline.audit(inc.id));
    // The escalation is a Warning Event on the deployment, with the reason, for whoever runs `kubectl describe`.
    const agentEvents = JSON.parse(await kubectl.ok(['get', 'events', '-n', 'cfg', '--field-selector', 'reason=AgentRemediation', '-o', 'json'])) as {
      items: Array<{ type: string; message: string; involvedObject: { kind: string; name: string } }>;
    };
    expect(agentEvents.items).toEqual([expect.objectContaining({ type: 'Warning', involvedObject: expect.objectContaining({ kind: 'Deployment', name: 'web' }) })]);
    expect(agentEvents.items[0].message).toMatch(/escalation.*ConfigMap/);
  });

  // Last: it cordons every node of the shared sim.
  it('Pending because every fitting node is cordoned → uncordon is high risk per the runbook: YOLO asks a human; once approved the pod becomes Ready', async () => {
    const nodes = (await kubectl.ok(['get', 'nodes', '-o', 'name'])).split('\n').filter(Boolean).map((n) => n.replace('node/', ''));
    for (const node of nodes) await kubectl.ok(['cordon', node]);
    await ns('sched');
    await apply(kubectl, deployment('sched', 'batch', { replicas: 1 }));
    await eventually(async () => (await pods(kubectl, 'sched', 'app=batch')).some((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')), 60_000);

    const inc = incident('sched/batch stuck pending');
    const { proposal, report } = await pipeline.run(inc);
    const command = proposal.actions[0]?.command ?? '';
    expect(command).toMatch(/^kubectl uncordon \S+$/);
    // The scorer rates uncordon medium (issue 5); the runbook's caution is its confidence, below YOLO_MIN_CONFIDENCE.
    const events = pipeline.audit(inc.id);
    expect(events.find((e) => e.type === 'risk')!.data).toMatchObject({ command, level: 'medium' });
    expect(report.outcomes).toMatchObject([{ command, status: 'awaiting-approval' }]);
    expect(report.outcomes[0].detail).toMatch(/confidence/);
    expect(types(events)).not.toContain('execution');
    expect(await kubectl.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.unschedulable}'])).toBe(nodes.map(() => 'true').join(' '));

    const approval = report.approval!;
    await approvePlan({ store: pipeline.running.safety, audit: pipeline.running.audit.sink, now: () => Date.now() }, approval.id, 'oncall@example.com', approval.planHash);
    const executed = await executeApprovedPlan(approval.id, pipeline.running.execute);
    expect(executed.outcomes.map((o) => [o.command, o.status])).toEqual([[command, 'verified']]);
    expect(await allRunningReady(kubectl, 'sched', 'app=batch', 1)).toBe(true);
    expect(types(pipeline.audit(inc.id))).toEqual(expect.arrayContaining(['approval.requested', 'approval.granted', 'execution', 'verification']));
  });
});
