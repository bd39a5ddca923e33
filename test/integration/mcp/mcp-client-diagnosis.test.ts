// Other MCP servers as read-only context for diagnosis. The real kubernetes-mcp-server (its Linux binary from the npm
// registry) in --read-only mode against kube-sim: our client lists its tools and calls them, and the Claude loop,
// driven by the fake Anthropic server, calls one and sees its result. A small SDK server covers the failure cases.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import { createAnthropicClient } from '../../../backend/src/llm/anthropic-client.js';
import { connectMcpServers } from '../../../backend/src/mcp-client/connect-mcp-servers.js';
import { silentLogger } from '../../../backend/src/observability/logger.js';
import { READ_TOOLS, renderToolResult } from '../../../backend/src/tools/registry.js';
import type { ExternalTools } from '../../../backend/src/tools/types.js';
import { FAKE_API_KEY, reply, startFakeAnthropic, type FakeAnthropicServer } from '../../fakes/fake-anthropic-server.js';
import { LEAKED_BEARER } from '../../fakes/fake-mcp-server.js';
import { seedWorkload } from '../../helpers/seed-workload.js';
import { baseDeps, incident, startHarness, type Harness } from '../diagnose/diagnose-harness.js';

const root = join(import.meta.dirname, '..', '..', '..');
// The Linux x64 build of kubernetes-mcp-server, from its npm platform package (a dev + optional dependency, so other
// platforms install without it and the production image leaves it out).
const KMS = join(root, 'node_modules', 'kubernetes-mcp-server-linux-amd64', 'bin', 'kubernetes-mcp-server-linux-amd64');
const KMS_PLATFORM = process.platform === 'linux' && process.arch === 'x64';
const FAKE_SERVER = join(root, 'test', 'fakes', 'fake-mcp-server.ts');

let h: Harness;
let fake: FakeAnthropicServer;
const opened: ExternalTools[] = [];

beforeAll(async () => {
  h = await startHarness();
  fake = await startFakeAnthropic();
  seedWorkload(h.sim.store, { namespace: 'shop', name: 'web', revisions: [{ image: 'web:1', replicas: 2, podState: 'ready' }, { image: 'web:2', replicas: 1, podState: 'crashloop' }] });
});
afterAll(async () => {
  await Promise.allSettled(opened.map((t) => t.close()));
  await fake?.close();
  await h?.stop();
});

function connect(servers: Parameters<typeof connectMcpServers>[0]['servers'], options: { allowlist?: string[]; timeoutMs?: number } = {}): ExternalTools {
  const tools = connectMcpServers({ servers, allowlist: options.allowlist ?? [], timeoutMs: options.timeoutMs ?? 15_000, logger: silentLogger(), reserved: READ_TOOLS.map((t) => t.name) });
  opened.push(tools);
  return tools;
}

const kubernetesMcp = () => ({ name: 'k8s', command: KMS, args: ['--read-only', '--kubeconfig', h.sim.kubeconfigPath, '--disable-multi-cluster', '--log-file', 'stderr'] });
const fakeServer = (name = 'fake') => ({ name, command: process.execPath, args: ['--import', 'tsx', FAKE_SERVER] });

describe.skipIf(!KMS_PLATFORM)('kubernetes-mcp-server --read-only against kube-sim (Linux x64 build)', () => {
  it('our client lists its read-only tools (prefixed) and calls them', async () => {
    const tools = connect([kubernetesMcp()]);
    const names = (await tools.list()).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['k8s_pods_list_in_namespace', 'k8s_pods_get', 'k8s_events_list', 'k8s_namespaces_list', 'k8s_resources_get']));
    expect(names.every((n) => n.startsWith('k8s_'))).toBe(true);

    const pods = await tools.call('k8s_pods_list_in_namespace', { namespace: 'shop' });
    expect(pods.status).toBe('success');
    const rendered = renderToolResult(pods);
    expect(rendered).toContain('<untrusted-data source="mcp server k8s">');
    expect(rendered).toMatch(/web-r2x3-p0/);
    // client-go's typed GET against kube-sim.
    const deployment = await tools.call('k8s_resources_get', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(renderToolResult(deployment)).toMatch(/image: web:2/);
    const namespaces = await tools.call('k8s_namespaces_list', {});
    expect(renderToolResult(namespaces)).toMatch(/shop/);
  });

  it('the Claude loop (fake Anthropic) calls one of its tools and sees the result', async () => {
    fake.script([
      reply.toolUse('k8s_pods_list_in_namespace', { namespace: 'shop' }, 'toolu_k8s'),
      reply.toolUse('propose_remediation', {
        rootCause: 'revision 2 of web crashes on start',
        confidence: 0.9,
        evidence: [{ fact: 'web-r2x3-p0 is crash looping', source: 'k8s_pods_list_in_namespace shop' }],
        escalate: false,
        actions: [{ command: 'kubectl rollout undo deployment/web -n shop', description: 'back to revision 1', confidence: 0.9, expectedEffect: 'pods run web:1', postcondition: { type: 'rolloutComplete', namespace: 'shop', deployment: 'web' } }],
      }),
    ]);
    const llm = createAnthropicClient({ ANTHROPIC_API_KEY: FAKE_API_KEY, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_MODEL: 'claude-sonnet-5-5', ANTHROPIC_TIMEOUT_MS: 10_000, ANTHROPIC_MAX_RETRIES: 0, ANTHROPIC_MAX_TOKENS: 2048 });
    const proposal = await diagnoseIncident(incident('web is crash looping', { namespace: 'shop', deployment: 'web' }), baseDeps(h.reader, { llm, externalTools: connect([kubernetesMcp()]) }));
    expect(proposal.error).toBeUndefined();
    expect(proposal.actions[0].command).toBe('kubectl rollout undo deployment/web -n shop');
    const offered = (fake.requests[0].body.tools as Array<{ name: string; description: string }>).map((t) => t.name);
    expect(offered).toContain('k8s_pods_list_in_namespace');
    expect(offered.at(-1)).toBe('propose_remediation');
    const result = (fake.requests[1].body.messages.at(-1).content as Array<{ tool_use_id: string; content: string; is_error?: boolean }>).find((r) => r.tool_use_id === 'toolu_k8s')!;
    expect(result.is_error).toBeUndefined();
    expect(result.content).toContain('<untrusted-data source="mcp server k8s">');
    expect(result.content).toMatch(/web-r2x3-p0/);
  });
});

describe('failing, hanging and untrusted servers', () => {
  it('offers only read-only tools unless allow-listed; fences, redacts and bounds their text', async () => {
    const tools = connect([fakeServer()]);
    expect((await tools.list()).map((t) => t.name).sort()).toEqual(['fake_big', 'fake_hang', 'fake_peek']);
    const allowed = connect([fakeServer()], { allowlist: ['fake_poke'] });
    expect((await allowed.list()).map((t) => t.name)).toContain('fake_poke');

    const peek = renderToolResult(await tools.call('fake_peek', { what: 'config' }));
    expect(peek).not.toContain(LEAKED_BEARER);
    // The server's own closing tag is neutralised: its "instructions" stay inside the fence.
    expect(peek.match(/<\/untrusted-data>/g)).toHaveLength(1);
    expect(peek.trim().endsWith('</untrusted-data>')).toBe(true);
    const big = renderToolResult(await tools.call('fake_big', {}));
    expect(big.length).toBeLessThan(9_000);
    expect(big).toMatch(/more characters cut/);
  });

  it('a hanging tool costs one tool error (timeout); a server that never starts or answers is left out', async () => {
    const tools = connect([fakeServer(), { name: 'missing', command: '/nonexistent/mcp-server', args: [] }, { name: 'mute', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] }], { timeoutMs: 6_000 });
    const names = (await tools.list()).map((t) => t.name);
    expect(names).toContain('fake_peek');
    expect(names.some((n) => n.startsWith('missing_') || n.startsWith('mute_'))).toBe(false);
    const hung = await tools.call('fake_hang', {});
    expect(hung).toMatchObject({ status: 'error' });
    expect((hung as { error: string }).error).toMatch(/timed out|did not answer/i);
    // The server still answers the next call.
    expect((await tools.call('fake_peek', {})).status).toBe('success');
  });

  it('a diagnosis whose external tool hangs still completes with a proposal', async () => {
    fake.script([
      reply.toolUse('fake_hang', {}, 'toolu_hang'),
      reply.toolUse('propose_remediation', { rootCause: 'unknown', confidence: 0.3, evidence: [], escalate: true, escalationReason: 'not enough evidence', actions: [] }),
    ]);
    fake.requests.length = 0;
    const llm = createAnthropicClient({ ANTHROPIC_API_KEY: FAKE_API_KEY, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_MODEL: 'claude-sonnet-5-5', ANTHROPIC_TIMEOUT_MS: 10_000, ANTHROPIC_MAX_RETRIES: 0, ANTHROPIC_MAX_TOKENS: 2048 });
    const proposal = await diagnoseIncident(incident('web is crash looping', { namespace: 'shop', deployment: 'web' }), baseDeps(h.reader, { llm, externalTools: connect([fakeServer()], { timeoutMs: 6_000 }) }));
    expect(proposal.analyzer).toBe('claude');
    expect(proposal.error).toBeUndefined();
    const result = (fake.requests[1].body.messages.at(-1).content as Array<{ tool_use_id: string; content: string; is_error?: boolean }>).find((r) => r.tool_use_id === 'toolu_hang')!;
    expect(result).toMatchObject({ is_error: true });
    expect(result.content).toMatch(/fake_hang failed: .*(timed out|did not answer)/i);
  });
});
