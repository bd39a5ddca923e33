// The MCP server as the daemon mounts it: the real pipeline on kube-sim (pipeline-harness), the MCP service over it,
// and an Express app with the PagerDuty webhook route and /mcp side by side on a free port. Clients are the SDK's own.
import { request } from 'node:http';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createApp } from '../../../backend/src/http/create-app.js';
import { startHttpServer, type RunningHttpServer } from '../../../backend/src/http/start-http-server.js';
import { createPagerDutyWebhookRouter } from '../../../backend/src/ingest/pagerduty-webhook-router.js';
import { accessPolicyFrom } from '../../../backend/src/mcp/check-mcp-request.js';
import { createMcpService, type McpService } from '../../../backend/src/mcp/create-mcp-service.js';
import { createMcpHttpRouter, type McpHttpEndpoint } from '../../../backend/src/mcp/mcp-http-router.js';
import { createMetrics } from '../../../backend/src/observability/metrics.js';
import { createInProcessQueue, type InProcessQueue } from '../../../backend/src/queue/index.js';
import { createPipeline, type Pipeline } from '../pipeline/pipeline-harness.js';

export const TOKEN = 'mcp-test-token-0123456789abcdef';
export const WEBHOOK_SECRET = 'webhook-secret-for-mcp-tests';

export interface McpHarness {
  pipeline: Pipeline;
  service: McpService;
  endpoint: McpHttpEndpoint;
  queue: InProcessQueue;
  url: string;
  port: number;
  connect(options?: { name?: string }): Promise<Client>;
  close(): Promise<void>;
}

export async function startMcpHarness(kubeconfigPath: string, env: Record<string, string> = {}): Promise<McpHarness> {
  const pipeline = createPipeline(kubeconfigPath, { MCP_TOKEN: TOKEN, ...env });
  const metrics = createMetrics();
  // Approval decisions go through a queue and a worker running the agent's job handler, as in the daemon.
  const decisions = createInProcessQueue({ retry: { attempts: 1, backoffMs: 10 } });
  const worker = decisions.startWorker({ handler: pipeline.running.handleJob, concurrency: 1, logger: pipeline.logger });
  const service = createMcpService(pipeline.config, pipeline.running, decisions, pipeline.logger);
  // The webhook's own queue has no worker: these tests only check what ingest accepts.
  const queue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 10 } });
  const endpoint = createMcpHttpRouter({ service, policy: accessPolicyFrom(pipeline.config, TOKEN), maxSessions: pipeline.config.MCP_MAX_SESSIONS, logger: pipeline.logger });
  const ingest = createPagerDutyWebhookRouter({ secrets: [WEBHOOK_SECRET], queue, metrics, logger: pipeline.logger });
  const app = createApp({ metrics, logger: pipeline.logger, ingest, extraRouters: [endpoint.router], readiness: { queue: async () => true } });
  const http: RunningHttpServer = await startHttpServer(app, '127.0.0.1', 0);
  const url = `http://127.0.0.1:${http.port}`;
  const clients: Client[] = [];
  return {
    pipeline,
    service,
    endpoint,
    queue,
    url,
    port: http.port,
    async connect(options = {}) {
      const client = new Client({ name: options.name ?? 'vitest-http', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await endpoint.close();
      await http.close();
      await service.close();
      await worker.close(5_000);
      await decisions.close();
      await queue.close();
      await pipeline.close();
    },
  };
}

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'oncall-agent.js');

/** `oncall-agent mcp` in a child process, spoken to over stdio by the SDK's client. */
export async function connectStdio(env: Record<string, string>, cwd: string): Promise<{ client: Client; stderr(): string; protocolErrors: Error[] }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, cwd, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'vitest-stdio', version: '2.0.0' });
  // A log line on stdout would reach the client as a protocol message it cannot parse.
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  return { client, stderr: () => stderr, protocolErrors };
}

/** A raw HTTP request with any Host header (fetch does not let a caller set Host). */
export function rawRequest(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path ?? '/mcp', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });

/** The text and structured content of a tool result. */
export function unpack(result: unknown): { text: string; structured: Record<string, unknown> | undefined; isError: boolean } {
  const r = result as CallToolResult;
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  return { text, structured: r.structuredContent as Record<string, unknown> | undefined, isError: r.isError === true };
}
