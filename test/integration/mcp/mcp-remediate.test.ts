// remediate over Streamable HTTP on kube-sim, through the real pipeline: manual is a plan that changes nothing;
// automatic under EXECUTION_MODE=yolo fixes and verifies; under EXECUTION_MODE=plan it executes nothing; an MCP
// mode cap narrows yolo to approval, and approve_remediation (when allowed) runs the waiting plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { allRunningReady, apply, deployment, pods, rolledOut, waitingReasons } from '../pipeline/pipeline-harness.js';
import { startMcpHarness, unpack, type McpHarness } from './mcp-harness.js';

let sim: RunningSim;
let kubectl: Kubectl;
const harnesses: McpHarness[] = [];

beforeAll(async () => {
  sim = await startSim({ speed: 30, nodes: 2 });
  kubectl = kubectlFor(sim.kubeconfigPath);
});
afterAll(async () => {
  await Promise.allSettled(harnesses.map((h) => h.close()));
  await sim?.stop();
});

async function harness(env: Record<string, string>): Promise<McpHarness> {
  const h = await startMcpHarness(sim.kubeconfigPath, env);
  harnesses.push(h);
  return h;
}

/** A Deployment whose newest revision cannot pull its image (the runbook's rollout-undo case). */
async function brokenDeployment(ns: string, name: string): Promise<void> {
  await kubectl.ok(['create', 'namespace', ns]);
  await apply(kubectl, deployment(ns, name));
  await rolledOut(kubectl, ns, name);
  await kubectl.ok(['set', 'image', `deployment/${name}`, 'app=nginx:does-not-exist', '-n', ns]);
  await eventually(async () => (await pods(kubectl, ns, `app=${name}`)).some((p) => waitingReasons(p).some((r) => /ImagePull|ErrImagePull/.test(r))), 60_000);
}

/** Deployment and ReplicaSet resourceVersions and the template image: what a write would change. */
async function writeState(ns: string, name: string): Promise<string> {
  return kubectl.ok(['get', 'deployment,replicaset', '-n', ns, '-l', `app=${name}`, '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}@{.metadata.generation}:{.spec.template.spec.containers[0].image}{"\\n"}{end}']).then(
    async (shape) => `${shape}\n${await kubectl.ok(['get', `deployment/${name}`, '-n', ns, '-o', 'jsonpath={.metadata.resourceVersion}'])}`,
  );
}

describe('remediate', () => {
  it('manual: returns the plan (rollout undo, risk, decision) and changes nothing', async () => {
    const h = await harness({ EXECUTION_MODE: 'yolo' });
    await brokenDeployment('manual', 'api');
    const before = await writeState('manual', 'api');
    const client = await h.connect({ name: 'claude-code' });
    const result = unpack(await client.callTool({ name: 'remediate', arguments: { issue: 'api is unavailable', context: { namespace: 'manual', workload: 'api' }, mode: 'manual' } }));
    expect(result.isError).toBe(false);
    const out = result.structured!;
    expect(out).toMatchObject({ status: 'success', outcome: 'previewed', executed: false });
    expect(out.sessionId).toMatch(/^mcp-/);
    expect((out.remediation as { actions: unknown[] }).actions).toEqual([{ command: 'kubectl rollout undo deployment/api -n manual', risk: expect.any(String), decision: 'preview' }]);
    expect((out.analysis as { rootCause: string }).rootCause).toMatch(/image/i);
    expect(out.results).toBeUndefined();
    expect(await writeState('manual', 'api')).toBe(before);
    // The run is the pipeline's: received, proposal, risk, decision, preview, outcome; no execution.
    const trail = h.pipeline.audit(out.sessionId as string).map((e) => e.type);
    for (const t of ['incident.received', 'proposal', 'risk', 'decision', 'plan.preview', 'incident.outcome', 'mcp.call']) expect(trail).toContain(t);
    expect(trail).not.toContain('execution');
    expect(h.pipeline.audit(out.sessionId as string).find((e) => e.type === 'mcp.call')?.actor).toBe('mcp:claude-code/1.0.0');
    // get_remediation reads the same outcome back.
    const again = unpack(await client.callTool({ name: 'get_remediation', arguments: { sessionId: out.sessionId } }));
    expect(again.structured).toMatchObject({ sessionId: out.sessionId, status: 'success', outcome: 'previewed' });
  });

  it('automatic with EXECUTION_MODE=yolo: fixes and verifies, with progress notifications while it waits', async () => {
    const h = await harness({ EXECUTION_MODE: 'yolo' });
    await brokenDeployment('auto', 'api');
    const client = await h.connect();
    const progress: string[] = [];
    const raw = await client.callTool({ name: 'remediate', arguments: { issue: 'api is unavailable', context: { namespace: 'auto', workload: 'api' }, mode: 'automatic' } }, undefined, {
      onprogress: (p) => progress.push(p.message ?? ''),
      timeout: 120_000,
    });
    const out = unpack(raw).structured!;
    expect(out).toMatchObject({ status: 'success', outcome: 'fixed', executed: true });
    expect(out.results).toEqual([{ command: 'kubectl rollout undo deployment/api -n auto', exitCode: 0, verified: true, detail: expect.any(String) }]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatch(/pipeline running/);
    expect(await allRunningReady(kubectl, 'auto', 'app=api', 2)).toBe(true);
  });

  it('automatic with EXECUTION_MODE=plan: executes nothing', async () => {
    const h = await harness({ EXECUTION_MODE: 'plan' });
    await brokenDeployment('planned', 'api');
    const before = await writeState('planned', 'api');
    const client = await h.connect();
    const out = unpack(await client.callTool({ name: 'remediate', arguments: { issue: 'api is unavailable', context: { namespace: 'planned', workload: 'api' }, mode: 'automatic' } })).structured!;
    expect(out).toMatchObject({ status: 'success', outcome: 'previewed', executed: false });
    expect(await writeState('planned', 'api')).toBe(before);
    expect(h.pipeline.audit(out.sessionId as string).map((e) => e.type)).not.toContain('execution');
  });

  it('MCP_EXECUTION_MODE=approval narrows yolo: the plan waits; approve_remediation runs it when MCP_ALLOW_APPROVE is on', async () => {
    const h = await harness({ EXECUTION_MODE: 'yolo', MCP_EXECUTION_MODE: 'approval', MCP_ALLOW_APPROVE: 'true' });
    await brokenDeployment('narrow', 'api');
    const before = await writeState('narrow', 'api');
    const client = await h.connect({ name: 'approver' });
    const out = unpack(await client.callTool({ name: 'remediate', arguments: { issue: 'api is unavailable', context: { namespace: 'narrow', workload: 'api' }, mode: 'automatic' } })).structured!;
    expect(out).toMatchObject({ status: 'pending', outcome: 'awaiting_approval', executed: false, approval: { id: expect.stringMatching(/^apr-/) } });
    expect(await writeState('narrow', 'api')).toBe(before);

    const approved = unpack(await client.callTool({ name: 'approve_remediation', arguments: { sessionId: out.sessionId, approve: true, comment: 'looks right' } }, undefined, { timeout: 120_000 }));
    expect(approved.structured).toMatchObject({ status: 'success', outcome: 'fixed', executed: true });
    const trail = h.pipeline.audit(out.sessionId as string);
    expect(trail.find((e) => e.type === 'approval.granted')?.actor).toBe('mcp:approver/1.0.0');
    expect(await allRunningReady(kubectl, 'narrow', 'app=api', 2)).toBe(true);
  });

  it('approve_remediation with approve: false denies the waiting plan: nothing runs, the denial is audited', async () => {
    const h = await harness({ EXECUTION_MODE: 'approval', MCP_ALLOW_APPROVE: 'true' });
    await brokenDeployment('denied', 'api');
    const before = await writeState('denied', 'api');
    const client = await h.connect({ name: 'denier' });
    const out = unpack(await client.callTool({ name: 'remediate', arguments: { issue: 'api is unavailable', context: { namespace: 'denied', workload: 'api' }, mode: 'automatic' } })).structured!;
    expect(out).toMatchObject({ status: 'pending', outcome: 'awaiting_approval' });
    const denied = unpack(await client.callTool({ name: 'approve_remediation', arguments: { sessionId: out.sessionId, approve: false, comment: 'not now' } }));
    expect(denied.structured).toMatchObject({ status: 'failed', remediation: { summary: expect.stringMatching(/^denied by denier/) } });
    expect(h.pipeline.audit(out.sessionId as string).find((e) => e.type === 'approval.denied')).toMatchObject({ actor: 'mcp:denier/1.0.0', data: { reason: 'not now' } });
    expect(await writeState('denied', 'api')).toBe(before);
    // A second decision finds nothing waiting.
    const again = unpack(await client.callTool({ name: 'approve_remediation', arguments: { sessionId: out.sessionId, approve: true } }));
    expect(again).toMatchObject({ isError: true, text: expect.stringMatching(/no plan of session .* is waiting/) });
  });

  it('approve_remediation is off by default', async () => {
    const h = await harness({ EXECUTION_MODE: 'approval' });
    const client = await h.connect();
    const result = unpack(await client.callTool({ name: 'approve_remediation', arguments: { sessionId: 'mcp-00000000-0000', approve: true } }));
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/MCP_ALLOW_APPROVE=false/);
  });

  it('waits only up to MCP_WAIT_SECONDS, then answers pending; get_remediation gives the outcome later', async () => {
    const h = await harness({ EXECUTION_MODE: 'yolo', MCP_WAIT_SECONDS: '0' });
    await brokenDeployment('later', 'api');
    const client = await h.connect();
    const out = unpack(await client.callTool({ name: 'remediate', arguments: { issue: 'api is unavailable', context: { namespace: 'later', workload: 'api' }, mode: 'manual' } })).structured!;
    expect(out).toMatchObject({ status: 'pending', outcome: 'running' });
    const done = await eventually(async () => {
      const r = unpack(await client.callTool({ name: 'get_remediation', arguments: { sessionId: out.sessionId } })).structured!;
      return r.status === 'pending' ? undefined : r;
    }, 60_000, 200);
    expect(done).toMatchObject({ status: 'success', outcome: 'previewed' });
  });
});
