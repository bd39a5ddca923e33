// Plan mode changes nothing in the cluster (not even an audit Event) while it logs the preview; approval mode waits,
// then runs exactly the approved command; a changed plan is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { KUBE_EVENT_TYPES } from '../../../backend/src/audit/format-event-message.js';
import { executeApprovedPlan } from '../../../backend/src/execute/approvals.js';
import { ApprovalRefusal } from '../../../backend/src/safety/approval-errors.js';
import { approvePlan } from '../../../backend/src/safety/approvals.js';
import { computePlanHash } from '../../../backend/src/safety/plan-hash.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { allRunningReady, apply, createPipeline, deployment, incident, pods, rolledOut, types, waitingReasons, type Pipeline } from './pipeline-harness.js';

let sim: RunningSim;
let kubectl: Kubectl;
const opened: Pipeline[] = [];

beforeAll(async () => {
  sim = await startSim({ speed: 30, nodes: 2 });
  kubectl = kubectlFor(sim.kubeconfigPath);
});
afterAll(async () => {
  for (const p of opened) await p.close();
  await sim?.stop();
});

function pipelineIn(mode: 'plan' | 'approval' | 'yolo', env: Record<string, string> = {}): Pipeline {
  const p = createPipeline(sim.kubeconfigPath, { EXECUTION_MODE: mode, AUDIT_KUBE_EVENTS: 'true', ...env });
  opened.push(p);
  return p;
}

/** resourceVersion of every object in the namespace (every listable kind) and of every Event in the cluster. */
async function clusterState(ns: string): Promise<Record<string, string>> {
  const kinds = (await kubectl.ok(['api-resources', '--verbs=list', '--namespaced=true', '-o', 'name'])).split('\n').filter(Boolean);
  const inNs = JSON.parse(await kubectl.ok(['get', kinds.join(','), '-n', ns, '-o', 'json'])) as { items: Array<{ kind: string; metadata: { namespace?: string; name: string; resourceVersion: string } }> };
  const events = JSON.parse(await kubectl.ok(['get', 'events', '-A', '-o', 'json'])) as typeof inNs;
  const out: Record<string, string> = {};
  for (const item of [...inNs.items, ...events.items]) out[`${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`] = item.metadata.resourceVersion;
  out[`Namespace//${ns}`] = await kubectl.ok(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.resourceVersion}']);
  return out;
}

/** Waits until the simulated cluster stops changing on its own (two equal snapshots in a row). */
async function settledState(ns: string): Promise<Record<string, string>> {
  let previous = await clusterState(ns);
  return eventually(async () => {
    await new Promise((r) => setTimeout(r, 500));
    const now = await clusterState(ns);
    const same = JSON.stringify(now) === JSON.stringify(previous);
    previous = now;
    return same ? now : undefined;
  }, 60_000);
}

async function scaledToZero(ns: string): Promise<void> {
  await kubectl.ok(['create', 'namespace', ns]);
  await apply(kubectl, deployment(ns, 'shop', { replicas: 2 }), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'shop', namespace: ns },
    spec: { selector: { app: 'shop' }, ports: [{ port: 80 }] },
  });
  await rolledOut(kubectl, ns, 'shop');
  await kubectl.ok(['scale', 'deployment/shop', '--replicas=0', '-n', ns]);
  await eventually(async () => (await pods(kubectl, ns, 'app=shop')).length === 0, 60_000);
}

describe('plan mode (AUDIT_KUBE_EVENTS=true)', () => {
  it('leaves the cluster byte-for-byte unchanged, no audit Event included, and logs the preview', async () => {
    await scaledToZero('plan');
    const pipeline = pipelineIn('plan');
    const before = await settledState('plan');

    const inc = incident('service/shop has no endpoints', { namespace: 'plan' });
    const { report } = await pipeline.run(inc);
    expect(report.mode).toBe('plan');
    expect(report.outcomes).toMatchObject([{ command: 'kubectl scale deployment/shop -n plan --replicas=2', status: 'previewed', dryRun: { ran: true } }]);
    expect(report.outcomes[0].dryRun?.changes?.join('\n')).toMatch(/\/spec\/replicas: 0 → 2/);

    expect(await clusterState('plan')).toEqual(before);
    expect((await kubectl.ok(['get', 'events', '-A', '--field-selector', 'reason=AgentRemediation', '-o', 'name'])).trim()).toBe('');

    // Every record that the kube-event sink would consider is marked as plan mode (so it is skipped).
    const events = pipeline.audit(inc.id);
    expect(types(events)).toEqual(expect.arrayContaining(['incident.received', 'proposal', 'risk', 'decision', 'plan.preview']));
    for (const e of events.filter((x) => x.target && KUBE_EVENT_TYPES.has(x.type))) expect({ type: e.type, mode: e.data.mode }).toEqual({ type: e.type, mode: 'plan' });
    expect(types(events)).not.toContain('execution');

    const log = pipeline.logText();
    expect(log).toContain('kubectl scale deployment/shop -n plan --replicas=2');
    expect(log).toMatch(/plan preview for incident/);
    expect(log).toMatch(/yolo would execute/);
  });

  it('a rollout undo in plan mode is only dry-run: the deployment and its ReplicaSets keep their resourceVersions', async () => {
    await kubectl.ok(['create', 'namespace', 'plan-undo']);
    await apply(kubectl, deployment('plan-undo', 'api'));
    await rolledOut(kubectl, 'plan-undo', 'api');
    await kubectl.ok(['set', 'image', 'deployment/api', 'app=nginx:does-not-exist', '-n', 'plan-undo']);
    await eventually(async () => (await pods(kubectl, 'plan-undo', 'app=api')).some((p) => waitingReasons(p).some((r) => /ImagePull/.test(r))), 60_000);
    // Pods of a failing image keep changing (back-off); the objects a write would touch must not.
    const versions = async () => kubectl.ok(['get', 'deployments,replicasets', '-n', 'plan-undo', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion} {end}']);
    let previous = await versions();
    const before = await eventually(async () => {
      await new Promise((r) => setTimeout(r, 500));
      const now = await versions();
      const same = now === previous;
      previous = now;
      return same ? now : undefined;
    }, 60_000);
    const pipeline = pipelineIn('plan');
    const inc = incident('api unavailable', { namespace: 'plan-undo', deployment: 'api' });
    const { report } = await pipeline.run(inc);
    expect(report.outcomes).toMatchObject([{ command: 'kubectl rollout undo deployment/api -n plan-undo', status: 'previewed', dryRun: { ran: true } }]);
    expect(await versions()).toBe(before);
    expect(await kubectl.ok(['get', 'deployment/api', '-n', 'plan-undo', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:does-not-exist');
    expect((await kubectl.ok(['get', 'events', '-n', 'plan-undo', '--field-selector', 'reason=AgentRemediation', '-o', 'name'])).trim()).toBe('');
  });

  it('an escalating incident in plan mode writes no Event either', async () => {
    await kubectl.ok(['create', 'namespace', 'plan-cfg']);
    await apply(kubectl, deployment('plan-cfg', 'web', { replicas: 1, envFrom: [{ configMapRef: { name: 'missing' } }] }));
    await eventually(async () => (await pods(kubectl, 'plan-cfg', 'app=web')).some((p) => waitingReasons(p).includes('CreateContainerConfigError')), 60_000);
    const pipeline = pipelineIn('plan');
    const inc = incident('deployment/web in namespace: plan-cfg not ready');
    const { report } = await pipeline.run(inc);
    expect(report.escalate).toBe(true);
    expect(types(pipeline.audit(inc.id))).toContain('escalation');
    expect((await kubectl.ok(['get', 'events', '-n', 'plan-cfg', '--field-selector', 'reason=AgentRemediation', '-o', 'name'])).trim()).toBe('');
  });
});

describe('approval mode', () => {
  it('waits; runs exactly the approved command after approvePlan; a changed plan is refused', async () => {
    await kubectl.ok(['create', 'namespace', 'appr']);
    await apply(kubectl, deployment('appr', 'api'));
    await rolledOut(kubectl, 'appr', 'api');
    await kubectl.ok(['set', 'image', 'deployment/api', 'app=nginx:does-not-exist', '-n', 'appr']);
    await eventually(async () => (await pods(kubectl, 'appr', 'app=api')).some((p) => waitingReasons(p).some((r) => /ImagePull/.test(r))), 60_000);
    const generation = () => kubectl.ok(['get', 'deployment/api', '-n', 'appr', '-o', 'jsonpath={.metadata.generation}']);
    const before = await generation();

    const pipeline = pipelineIn('approval');
    const inc = incident('api unavailable', { namespace: 'appr', deployment: 'api' });
    const command = 'kubectl rollout undo deployment/api -n appr';
    const { report } = await pipeline.run(inc);
    expect(report.outcomes).toMatchObject([{ command, status: 'awaiting-approval' }]);
    const approval = report.approval!;
    expect(approval).toMatchObject({ commands: [command], status: 'pending' });
    expect(await generation()).toBe(before);
    expect(types(pipeline.audit(inc.id))).toContain('approval.requested');

    const approvalDeps = { store: pipeline.running.safety, audit: pipeline.running.audit.sink, now: () => Date.now() };
    // The human saw a different plan (another command): its hash does not match, nothing is approved or run.
    const otherHash = computePlanHash(inc.id, ['kubectl scale deployment/api -n appr --replicas=0']);
    await expect(approvePlan(approvalDeps, approval.id, 'alice', otherHash)).rejects.toBeInstanceOf(ApprovalRefusal);
    await expect(executeApprovedPlan(approval.id, pipeline.running.execute)).rejects.toThrow(/not approved/);
    expect(await generation()).toBe(before);

    await approvePlan(approvalDeps, approval.id, 'alice', approval.planHash);
    const executed = await executeApprovedPlan(approval.id, pipeline.running.execute);
    expect(executed.outcomes.map((o) => [o.command, o.status])).toEqual([[command, 'verified']]);
    expect(await allRunningReady(kubectl, 'appr', 'app=api', 2)).toBe(true);
    const trail = pipeline.audit(inc.id);
    expect(trail.filter((e) => e.type === 'execution').map((e) => e.data.command)).toEqual([command]);
    expect(trail.find((e) => e.type === 'approval.granted')?.actor).toBe('alice');
    // Approval mode writes audit Events on the object it acted on.
    expect(await kubectl.ok(['get', 'events', '-n', 'appr', '--field-selector', 'reason=AgentRemediation', '-o', 'jsonpath={.items[*].message}'])).toMatch(/rollout undo/);
  });

  it('YOLO in a protected namespace (PROTECTED_NAMESPACES) asks a human whatever the confidence', async () => {
    await kubectl.ok(['create', 'namespace', 'payments']);
    await apply(kubectl, deployment('payments', 'api'));
    await rolledOut(kubectl, 'payments', 'api');
    await kubectl.ok(['set', 'image', 'deployment/api', 'app=nginx:does-not-exist', '-n', 'payments']);
    await eventually(async () => (await pods(kubectl, 'payments', 'app=api')).some((p) => waitingReasons(p).some((r) => /ImagePull/.test(r))), 60_000);
    const pipeline = pipelineIn('yolo', { PROTECTED_NAMESPACES: 'payments' });
    const inc = incident('api unavailable', { namespace: 'payments', deployment: 'api' });
    const { report } = await pipeline.run(inc);
    expect(report.outcomes).toMatchObject([{ command: 'kubectl rollout undo deployment/api -n payments', level: 'high', status: 'awaiting-approval' }]);
    expect(report.outcomes[0].detail).toMatch(/protected namespace/);
    expect(types(pipeline.audit(inc.id))).not.toContain('execution');
    expect(await kubectl.ok(['get', 'deployment/api', '-n', 'payments', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:does-not-exist');
  });
});
