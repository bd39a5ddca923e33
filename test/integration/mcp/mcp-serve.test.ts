// The real daemon (`oncall-agent serve`, in-process queue): with MCP_TOKEN it serves /mcp to the SDK's client;
// without it the HTTP transport is off, /mcp is 404, and the daemon says so once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';

let sim: RunningSim;
let dir: string;
const started: ServeProcess[] = [];

beforeAll(async () => {
  sim = await startSim({ nodes: 1, withoutControllers: true });
  dir = mkdtempSync(join(tmpdir(), 'mcp-serve-'));
});
afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>): Promise<{ p: ServeProcess; url: string }> {
  const stateDir = mkdtempSync(join(dir, 'state-'));
  const p = spawnAgent(['serve'], { DOTENV_PATH: join(dir, 'no.env'), HOST: '127.0.0.1', PORT: '0', STATE_DIR: stateDir, AUDIT_JSONL_PATH: join(stateDir, 'audit.jsonl'), KUBECONFIG: sim.kubeconfigPath, ...env }, dir);
  started.push(p);
  const line = await p.waitForLine((l) => typeof l.msg === 'string' && l.msg.startsWith('listening on'), 'the listening line');
  return { p, url: `http://127.0.0.1:${line.port}` };
}

describe('serve and /mcp', () => {
  it('with MCP_TOKEN: the SDK client lists the tools and calls one over HTTP', async () => {
    const { p, url } = await serve({ MCP_TOKEN: 'daemon-token-abcdef0123456789' });
    expect(p.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('MCP over HTTP at /mcp'))).toBe(true);
    const client = new Client({ name: 'serve-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { Authorization: 'Bearer daemon-token-abcdef0123456789' } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['remediate', 'get_pod_status', 'scale_deployment']));
      const status = await client.callTool({ name: 'deployment_status', arguments: { namespace: 'default', name: 'absent' } });
      expect(status.isError).toBeFalsy();
    } finally {
      await client.close();
    }
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('without MCP_TOKEN: /mcp is off (404) and the daemon says so once', async () => {
    const { p, url } = await serve({});
    const off = p.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('MCP over HTTP is off'));
    expect(off).toHaveLength(1);
    expect((await fetch(`${url}/mcp`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(404);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });
});
