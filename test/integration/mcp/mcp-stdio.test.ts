// `oncall-agent mcp` as a child process, driven by the SDK's client over stdio: the same tools as over HTTP, stdout
// carries nothing but the protocol (logs on stderr), remediate manual plans without writing, an action in plan mode
// previews, bad input is isError, and calls are audited with the client and transport.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { apply, deployment, pods, rolledOut, waitingReasons } from '../pipeline/pipeline-harness.js';
import { connectStdio, startMcpHarness, unpack, type McpHarness } from './mcp-harness.js';

let sim: RunningSim;
let kubectl: Kubectl;
let client: Client;
let stdio: Awaited<ReturnType<typeof connectStdio>>;
let dir: string;

beforeAll(async () => {
  sim = await startSim({ speed: 30, nodes: 2 });
  kubectl = kubectlFor(sim.kubeconfigPath);
  dir = mkdtempSync(join(tmpdir(), 'mcp-stdio-'));
  stdio = await connectStdio(
    {
      KUBECONFIG: sim.kubeconfigPath,
      EXECUTION_MODE: 'plan',
      AUDIT_JSONL_PATH: join(dir, 'audit.jsonl'),
      STATE_DIR: join(dir, 'state'),
      DOTENV_PATH: join(dir, 'no.env'),
      LOG_LEVEL: 'info',
    },
    dir,
  );
  client = stdio.client;
}, 90_000);
afterAll(async () => {
  await client?.close();
  await sim?.stop();
});

const audit = (): AuditEvent[] => readFileSync(join(dir, 'audit.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent);

describe('oncall-agent mcp (stdio)', () => {
  it('offers the same tools, with the same schemas and annotations, as /mcp over HTTP', async () => {
    const { tools } = await client.listTools();
    let http: McpHarness | undefined;
    try {
      http = await startMcpHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'plan' });
      const overHttp = await (await http.connect()).listTools();
      expect(tools).toEqual(overHttp.tools);
    } finally {
      await http?.close();
    }
    expect(client.getServerVersion()?.name).toBe('oncall-agent');
  });

  it('remediate manual returns the plan and writes nothing; logs went to stderr, never stdout', async () => {
    await kubectl.ok(['create', 'namespace', 'stdio']);
    await apply(kubectl, deployment('stdio', 'api'));
    await rolledOut(kubectl, 'stdio', 'api');
    await kubectl.ok(['set', 'image', 'deployment/api', 'app=nginx:does-not-exist', '-n', 'stdio']);
    await eventually(async () => (await pods(kubectl, 'stdio', 'app=api')).some((p) => waitingReasons(p).some((r) => /ImagePull|ErrImagePull/.test(r))), 60_000);
    const rv = await kubectl.ok(['get', 'deployment/api', '-n', 'stdio', '-o', 'jsonpath={.metadata.resourceVersion}']);

    const out = unpack(await client.callTool({ name: 'remediate', arguments: { issue: 'api pods cannot start', context: { namespace: 'stdio', workload: 'api' } } }, undefined, { timeout: 90_000 })).structured!;
    expect(out).toMatchObject({ status: 'success', outcome: 'previewed', executed: false });
    expect((out.remediation as { actions: Array<{ command: string }> }).actions.map((a) => a.command)).toEqual(['kubectl rollout undo deployment/api -n stdio']);
    expect(await kubectl.ok(['get', 'deployment/api', '-n', 'stdio', '-o', 'jsonpath={.metadata.resourceVersion}'])).toBe(rv);

    expect(stdio.protocolErrors).toEqual([]);
    expect(stdio.stderr()).toMatch(/MCP server ready on stdio/);
    const call = audit().find((e) => e.type === 'mcp.call' && e.data.tool === 'remediate');
    expect(call).toMatchObject({ actor: 'mcp:vitest-stdio/2.0.0', data: { transport: 'stdio', isError: false } });
  });

  it('an action tool in plan mode previews; bad input is isError naming the field', async () => {
    const before = await kubectl.ok(['get', 'deployment/api', '-n', 'stdio', '-o', 'jsonpath={.spec.replicas}']);
    const preview = unpack(await client.callTool({ name: 'scale_deployment', arguments: { namespace: 'stdio', name: 'api', replicas: 7 } }));
    expect(preview.structured).toMatchObject({ outcome: 'previewed', decision: 'preview', command: 'kubectl scale deployment/api --replicas=7 -n stdio' });
    expect(await kubectl.ok(['get', 'deployment/api', '-n', 'stdio', '-o', 'jsonpath={.spec.replicas}'])).toBe(before);
    const bad = unpack(await client.callTool({ name: 'scale_deployment', arguments: { namespace: 'stdio', name: 'api', replicas: 'many' } }));
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^invalid input for scale_deployment: replicas:/);
  });
});
