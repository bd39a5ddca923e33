// The bounded action tools over Streamable HTTP on kube-sim: in yolo each runs its one kubectl command through the
// execute stage and verifies it; in plan mode each returns the preview and changes nothing; with the circuit breaker
// open an automatic write is refused (handed to a human) and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { breakerPolicyFromConfig, breakerScopeFor } from '../../../backend/src/safety/breaker-policy.js';
import { kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { apply, deployment, rolledOut } from '../pipeline/pipeline-harness.js';
import { startMcpHarness, unpack, type McpHarness } from './mcp-harness.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

let sim: RunningSim;
let kubectl: Kubectl;
const harnesses: McpHarness[] = [];

beforeAll(async () => {
  sim = await startSim({ speed: 30, nodes: 2 });
  kubectl = kubectlFor(sim.kubeconfigPath);
  for (const ns of ['acts', 'previews', 'breaker']) {
    await kubectl.ok(['create', 'namespace', ns]);
    await apply(kubectl, deployment(ns, 'web'));
    await rolledOut(kubectl, ns, 'web');
  }
});
afterAll(async () => {
  await Promise.allSettled(harnesses.map((h) => h.close()));
  await sim?.stop();
});

async function connect(env: Record<string, string>): Promise<{ h: McpHarness; client: Client }> {
  const h = await startMcpHarness(sim.kubeconfigPath, env);
  harnesses.push(h);
  return { h, client: await h.connect() };
}

const call = async (client: Client, name: string, args: Record<string, unknown>) => unpack(await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 }));
const get = (args: string[]) => kubectl.ok(args);
const replicas = (ns: string) => get(['get', 'deployment/web', '-n', ns, '-o', 'jsonpath={.spec.replicas}']);
const memoryLimit = (ns: string) => get(['get', 'deployment/web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}']);
const unschedulable = (node: string) => get(['get', `node/${node}`, '-o', 'jsonpath={.spec.unschedulable}']);
const resourceVersion = (ns: string) => get(['get', 'deployment/web', '-n', ns, '-o', 'jsonpath={.metadata.resourceVersion}']);

describe('action tools in yolo', () => {
  let client: Client;
  beforeAll(async () => ({ client } = await connect({ EXECUTION_MODE: 'yolo' })));

  const expectFixed = (out: Record<string, unknown> | undefined, command: string, verification: string) => {
    expect(out).toMatchObject({ status: 'success', outcome: 'fixed', command, decision: 'execute', result: { exitCode: 0 }, verification: { status: verification } });
    expect(['low', 'medium', 'high']).toContain(out!.risk);
  };

  it('scale_deployment scales and verifies', async () => {
    const { structured } = await call(client, 'scale_deployment', { namespace: 'acts', name: 'web', replicas: 3 });
    expectFixed(structured, 'kubectl scale deployment/web --replicas=3 -n acts', 'verified');
    expect(await replicas('acts')).toBe('3');
  });

  it('update_resources sets the limit and rollback_deployment undoes it, each verified', async () => {
    const updated = await call(client, 'update_resources', { namespace: 'acts', name: 'web', memoryLimit: '300Mi', cpuRequest: '60m' });
    expectFixed(updated.structured, 'kubectl set resources deployment/web --limits=memory=300Mi --requests=cpu=60m -n acts', 'verified');
    expect(await memoryLimit('acts')).toBe('300Mi');
    const undone = await call(client, 'rollback_deployment', { namespace: 'acts', name: 'web' });
    expectFixed(undone.structured, 'kubectl rollout undo deployment/web -n acts', 'verified');
    expect(await memoryLimit('acts')).toBe('256Mi');
  });

  it('restart_deployment rolls the pods and verifies', async () => {
    const { structured } = await call(client, 'restart_deployment', { namespace: 'acts', name: 'web' });
    expectFixed(structured, 'kubectl rollout restart deployment/web -n acts', 'verified');
    expect(await get(['get', 'deployment/web', '-n', 'acts', '-o', 'jsonpath={.spec.template.metadata.annotations}'])).toMatch(/restartedAt/);
  });

  it('cordon_node and uncordon_node change the node, each verified', async () => {
    const cordoned = await call(client, 'cordon_node', { name: 'sim-node-2' });
    expectFixed(cordoned.structured, 'kubectl cordon sim-node-2', 'verified');
    expect(await unschedulable('sim-node-2')).toBe('true');
    const uncordoned = await call(client, 'uncordon_node', { name: 'sim-node-2' });
    expectFixed(uncordoned.structured, 'kubectl uncordon sim-node-2', 'verified');
    expect(await unschedulable('sim-node-2')).toBe('');
  });

  it('deployment_status reads the rollout state', async () => {
    const result = await call(client, 'deployment_status', { namespace: 'acts', name: 'web' });
    expect(result.isError).toBe(false);
    expect(JSON.parse(result.text)).toMatchObject({ status: 'success', data: { rolloutComplete: true, name: 'web', namespace: 'acts' } });
  });

  it('a write in a protected namespace goes to a human, whatever the caller asks', async () => {
    const { structured } = await call(client, 'scale_deployment', { namespace: 'kube-system', name: 'coredns', replicas: 5 });
    expect(structured).toMatchObject({ status: 'pending', outcome: 'awaiting_approval', decision: 'approval' });
  });
});

describe('action tools in plan mode', () => {
  it('each returns the preview only and changes nothing', async () => {
    const { client, h } = await connect({ EXECUTION_MODE: 'plan' });
    const before = { rv: await resourceVersion('previews'), node: await unschedulable('sim-node-1') };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['scale_deployment', { namespace: 'previews', name: 'web', replicas: 4 }],
      ['restart_deployment', { namespace: 'previews', name: 'web' }],
      ['update_resources', { namespace: 'previews', name: 'web', memoryLimit: '512Mi' }],
      ['rollback_deployment', { namespace: 'previews', name: 'web', toRevision: 1 }],
      ['cordon_node', { name: 'sim-node-1' }],
      ['uncordon_node', { name: 'sim-node-1' }],
    ];
    for (const [name, args] of cases) {
      const { structured } = await call(client, name, args);
      expect(structured, name).toMatchObject({ status: 'success', outcome: 'previewed', decision: 'preview', result: { status: 'previewed' } });
      expect(structured!.verification, name).toBeUndefined();
    }
    expect({ rv: await resourceVersion('previews'), node: await unschedulable('sim-node-1') }).toEqual(before);
    expect(h.pipeline.audit().filter((e) => e.type === 'execution')).toEqual([]);
  });
});

describe('action tools with the circuit breaker open', () => {
  it('refuse to execute automatically: a human decides, nothing changes', async () => {
    const { client, h } = await connect({ EXECUTION_MODE: 'yolo', BREAKER_FAILURE_THRESHOLD: '1' });
    const cfg = h.pipeline.config;
    await h.pipeline.running.safety.recordBreakerOutcome(breakerScopeFor('cluster', cfg.CLUSTER_NAME), false, breakerPolicyFromConfig(cfg), Date.now());
    const before = await resourceVersion('breaker');
    const { structured } = await call(client, 'scale_deployment', { namespace: 'breaker', name: 'web', replicas: 5 });
    expect(structured).toMatchObject({ status: 'pending', outcome: 'awaiting_approval', decision: 'approval', result: { status: 'awaiting-approval' } });
    expect((structured!.result as { detail: string }).detail).toMatch(/circuit breaker is open/);
    expect(await resourceVersion('breaker')).toBe(before);
    expect(await replicas('breaker')).toBe('2');
  });
});

describe('action tools with the kill switch on', () => {
  it('refuse every write; read-only deployment_status still answers', async () => {
    const { client } = await connect({ EXECUTION_MODE: 'yolo', KILL_SWITCH: 'true' });
    const before = await resourceVersion('breaker');
    const { structured } = await call(client, 'restart_deployment', { namespace: 'breaker', name: 'web' });
    expect(structured).toMatchObject({ status: 'failed', outcome: 'refused', decision: 'refuse', result: { status: 'refused' } });
    expect((structured!.result as { detail: string }).detail).toMatch(/kill switch is on/);
    expect(await resourceVersion('breaker')).toBe(before);
    expect((await call(client, 'deployment_status', { namespace: 'breaker', name: 'web' })).isError).toBe(false);
  });
});
