// /mcp on the daemon's app: tool list snapshot, bearer token (401), Host/Origin allow-list (403), bad input as
// isError, every call audited with the client from the handshake, and the PagerDuty webhook still verifying its
// signature over the raw bytes with /mcp mounted beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';
import { INITIALIZE, rawRequest, startMcpHarness, TOKEN, unpack, WEBHOOK_SECRET, type McpHarness } from './mcp-harness.js';

let sim: RunningSim;
let h: McpHarness;

beforeAll(async () => {
  sim = await startSim({ speed: 30, nodes: 2, withoutControllers: true });
  h = await startMcpHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'plan', MCP_ALLOWED_HOSTS: 'agent.internal' });
});
afterAll(async () => {
  await h?.close();
  await sim?.stop();
});

const mcpHeaders = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', accept: 'application/json, text/event-stream', host: `127.0.0.1:${h.port}`, ...extra });

describe('the tool list', () => {
  it('names, schemas and annotations match the snapshot', async () => {
    const client = await h.connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => ({ name: t.name, annotations: t.annotations, inputSchema: t.inputSchema, outputSchema: t.outputSchema }))).toMatchSnapshot();
    const byName = new Map(tools.map((t) => [t.name, t]));
    // Every read-only cluster tool of the diagnosis registry is there, marked read-only.
    for (const name of ['get_pod_status', 'list_pods', 'get_events', 'get_pod_logs', 'get_deployment', 'get_deployment_history', 'check_node_capacity', 'check_resource_quotas', 'get_hpa_status', 'get_service_endpoints', 'list_related_alerts', 'get_remediation', 'deployment_status']) {
      expect(byName.get(name)?.annotations, name).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    }
    for (const name of ['remediate', 'approve_remediation', 'scale_deployment', 'restart_deployment', 'update_resources', 'rollback_deployment', 'cordon_node', 'uncordon_node']) {
      expect(byName.get(name)?.annotations?.readOnlyHint, name).toBe(false);
    }
    expect(byName.get('remediate')?.outputSchema).toBeDefined();
  });
});

describe('access to /mcp', () => {
  it('a missing or wrong bearer token is 401; the right one initializes a session', async () => {
    const missing = await rawRequest(h.port, { headers: mcpHeaders(), body: INITIALIZE });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await rawRequest(h.port, { headers: mcpHeaders({ authorization: `Bearer ${TOKEN}x` }), body: INITIALIZE });
    expect(wrong.status).toBe(401);
    const prefix = await rawRequest(h.port, { headers: mcpHeaders({ authorization: `Bearer ${TOKEN.slice(0, 10)}` }), body: INITIALIZE });
    expect(prefix.status).toBe(401);
    const ok = await rawRequest(h.port, { headers: mcpHeaders({ authorization: `Bearer ${TOKEN}` }), body: INITIALIZE });
    expect(ok.status).toBe(200);
    expect(ok.headers['mcp-session-id']).toBeTruthy();
  });

  it('a Host or Origin outside the allow-list is 403, even with the token (DNS rebinding)', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await rawRequest(h.port, { headers: mcpHeaders({ ...auth, host: 'evil.example.com' }), body: INITIALIZE })).status).toBe(403);
    expect((await rawRequest(h.port, { headers: mcpHeaders({ ...auth, host: `evil.example.com:${h.port}` }), body: INITIALIZE })).status).toBe(403);
    expect((await rawRequest(h.port, { headers: mcpHeaders({ ...auth, origin: 'https://evil.example.com' }), body: INITIALIZE })).status).toBe(403);
    // MCP_ALLOWED_HOSTS and loopback names are fine, and so is a loopback browser origin.
    expect((await rawRequest(h.port, { headers: mcpHeaders({ ...auth, host: 'agent.internal:443' }), body: INITIALIZE })).status).toBe(200);
    expect((await rawRequest(h.port, { headers: mcpHeaders({ ...auth, host: `localhost:${h.port}`, origin: 'http://localhost:6274' }), body: INITIALIZE })).status).toBe(200);
  });

  it('an unknown session id is 404 and a GET without a session is 400', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await rawRequest(h.port, { headers: mcpHeaders({ ...auth, 'mcp-session-id': 'no-such-session' }), body: INITIALIZE })).status).toBe(404);
    expect((await rawRequest(h.port, { method: 'GET', headers: mcpHeaders(auth) })).status).toBe(400);
  });
});

describe('MCP_MAX_SESSIONS', () => {
  it('closes the least recently used session beyond the limit; the others keep working', async () => {
    const limited = await startMcpHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'plan', MCP_MAX_SESSIONS: '2' });
    try {
      const first = await limited.connect();
      const second = await limited.connect();
      await second.listTools();
      const third = await limited.connect();
      expect(limited.endpoint.sessionCount()).toBe(2);
      await expect(first.listTools()).rejects.toThrow(/session not found|404/i);
      expect((await third.listTools()).tools.length).toBeGreaterThan(10);
      expect((await second.listTools()).tools.length).toBeGreaterThan(10);
    } finally {
      await limited.close();
    }
  });
});

describe('the PagerDuty webhook beside /mcp', () => {
  it('still verifies the signature over the raw bytes', async () => {
    // Pretty-printed: a JSON parser in front of the route would re-serialize it and the signature would no longer match.
    const raw = Buffer.from(JSON.stringify(loadFixture('incident.triggered'), null, 3));
    const signed = signDelivery(raw, [WEBHOOK_SECRET]);
    const accepted = await rawRequest(h.port, { path: '/webhooks/pagerduty', headers: { ...signed.headers, host: '127.0.0.1' }, body: raw });
    expect(accepted.status).toBe(202);
    // The same bytes with one space changed: the signature no longer holds.
    const tampered = Buffer.from(raw.toString('utf8').replace('   ', '  '));
    const refused = await rawRequest(h.port, { path: '/webhooks/pagerduty', headers: { ...signed.headers, host: '127.0.0.1' }, body: tampered });
    expect(refused.status).toBe(401);
  });
});

describe('bad input', () => {
  it('is isError with a message naming the field, never a protocol error, and is audited with the client', async () => {
    const client = await h.connect({ name: 'bad-input-client' });
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['scale_deployment', { namespace: 'shop', name: 'web', replicas: -1 }, /replicas: must be 0 or more/],
      ['scale_deployment', { namespace: 'shop', name: 'web; rm -rf /', replicas: 1 }, /name: must be a Kubernetes object name/],
      ['scale_deployment', { namespace: 'shop', name: 'web' }, /replicas:/],
      ['update_resources', { namespace: 'shop', name: 'web', memoryLimit: '1Gi --overwrite' }, /memoryLimit: must be a memory quantity/],
      ['update_resources', { namespace: 'shop', name: 'web' }, /at least one of memoryLimit/],
      ['rollback_deployment', { namespace: 'shop', name: 'web', toRevision: 1.5 }, /toRevision: must be a whole number/],
      ['cordon_node', { name: '--all' }, /name: must be a Kubernetes object name/],
      ['remediate', { context: { namespace: 'shop' } }, /issue:/],
      ['remediate', { issue: 'web is down', mode: 'yolo' }, /mode:/],
      ['get_remediation', { sessionId: '../../etc/passwd' }, /sessionId: must be a sessionId/],
      ['get_pod_logs', { namespace: 'Not A Namespace', pod: 'x' }, /namespace: must be a Kubernetes namespace name/],
      ['no_such_tool', {}, /unknown tool "no_such_tool"/],
    ];
    for (const [name, args, message] of cases) {
      const result = unpack(await client.callTool({ name, arguments: args }));
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(result.text).toMatch(message);
    }
    const calls = h.pipeline.audit().filter((e) => e.type === 'mcp.call' && e.actor === 'mcp:bad-input-client/1.0.0');
    expect(calls).toHaveLength(cases.length);
    expect(calls[0].data).toMatchObject({ transport: 'http', tool: 'scale_deployment', isError: true });
  });

  it('a read tool answers fenced, redacted text exactly as the model would see it', async () => {
    const client = await h.connect();
    const result = unpack(await client.callTool({ name: 'get_deployment', arguments: { namespace: 'default', name: 'nope' } }));
    expect(result.isError).toBe(false);
    expect(JSON.parse(result.text)).toEqual({ status: 'no_data', message: 'deployment nope not found in default' });
  });
});
