// The MCP client side (the only importer of the SDK's client): other MCP servers (MCP_SERVERS) as extra read-only
// context for diagnosis. At start each server is connected and listed; only tools marked readOnlyHint, or named in
// MCP_SERVER_TOOL_ALLOWLIST, are offered, prefixed with the server's name. Every call is bounded by a timeout and its
// text is fenced, redacted and size-bounded like our own tools' output. A failing server costs one tool error.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerEntry } from '../config/schema.js';
import type { Logger } from '../observability/logger.js';
import { redactText } from '../redaction/redact.js';
import { errorMessage, fenceUntrusted, truncate } from '../tools/format.js';
import { MAX_TOOL_RESULT_CHARS } from '../tools/registry.js';
import type { ExternalToolDefinition, ExternalTools, ToolResult } from '../tools/types.js';

export interface McpClientOptions {
  servers: readonly McpServerEntry[];
  /** Prefixed names (server_tool) offered even without readOnlyHint. */
  allowlist: readonly string[];
  timeoutMs: number;
  logger: Logger;
  /** Names the agent already uses (its own tools): an external tool never shadows one. */
  reserved: readonly string[];
}

interface Connected {
  server: string;
  client: Client;
  tools: Map<string, { remoteName: string; definition: ExternalToolDefinition }>;
}

const MAX_TOOLS_PER_SERVER = 40;
const MAX_DESCRIPTION = 1_000;

/** "k8s" + "pods_list" → "k8s_pods_list", within the Messages API's tool-name alphabet and length. */
export function prefixedToolName(server: string, tool: string): string {
  return `${server}_${tool}`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
}

/** Offered when the server marks the tool read-only, or the operator allow-listed it by its prefixed name. */
export function isOffered(tool: Pick<Tool, 'annotations'>, prefixed: string, allowlist: readonly string[]): boolean {
  return tool.annotations?.readOnlyHint === true || allowlist.includes(prefixed);
}

function transportFor(entry: McpServerEntry) {
  if ('url' in entry) return new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } });
  return new StdioClientTransport({ command: entry.command, args: entry.args, env: entry.env, stderr: 'pipe' });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function connectOne(entry: McpServerEntry, options: McpClientOptions): Promise<Connected> {
  const client = new Client({ name: 'oncall-agent', version: '0.1.0' });
  const transport = transportFor(entry);
  if (transport instanceof StdioClientTransport) {
    transport.stderr?.on('data', (chunk: Buffer) => options.logger.debug({ mcpServer: entry.name }, truncate(redactText(chunk.toString('utf8')), 500)));
  }
  try {
    await withTimeout(client.connect(transport, { timeout: options.timeoutMs }), options.timeoutMs, `MCP server ${entry.name}`);
    const listed = await client.listTools(undefined, { timeout: options.timeoutMs });
    const tools = new Map<string, { remoteName: string; definition: ExternalToolDefinition }>();
    const skipped: string[] = [];
    for (const tool of listed.tools.slice(0, MAX_TOOLS_PER_SERVER)) {
      const name = prefixedToolName(entry.name, tool.name);
      if (!isOffered(tool, name, options.allowlist) || options.reserved.includes(name) || tools.has(name)) {
        skipped.push(tool.name);
        continue;
      }
      // The description and schema come from outside: bounded, and the description redacted like any foreign text.
      const description = truncate(redactText(`[from MCP server ${entry.name}; read-only] ${tool.description ?? tool.title ?? tool.name}`), MAX_DESCRIPTION);
      tools.set(name, { remoteName: tool.name, definition: { name, description, inputSchema: tool.inputSchema as Record<string, unknown> } });
    }
    options.logger.info({ mcpServer: entry.name, offered: [...tools.keys()], notOffered: skipped }, `MCP server ${entry.name}: ${tools.size} read-only tool(s) offered to diagnosis`);
    return { server: entry.name, client, tools };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

/** The text a tool returned, fenced as untrusted data (redacted inside fenceUntrusted) and bounded. */
function toToolResult(server: string, result: CallToolResult): ToolResult {
  const text = result.content
    .map((c) => (c.type === 'text' ? c.text : c.type === 'resource' && 'text' in c.resource ? String(c.resource.text) : `[${c.type} content not shown]`))
    .join('\n');
  const bounded = truncate(text, MAX_TOOL_RESULT_CHARS);
  if (result.isError) return { status: 'error', error: truncate(redactText(`MCP server ${server}: ${bounded.replace(/\s+/g, ' ')}`), 1_000) };
  if (!bounded.trim()) return { status: 'no_data', message: `MCP server ${server} returned nothing` };
  return { status: 'success', data: fenceUntrusted(`mcp server ${server}`, bounded) };
}

/** Starts connecting at once; list() waits for the start-up listing (each server bounded by timeoutMs). */
export function connectMcpServers(options: McpClientOptions): ExternalTools {
  const ready = Promise.all(
    options.servers.map((entry) =>
      connectOne(entry, options).catch((error: unknown) => {
        options.logger.warn({ mcpServer: entry.name, err: errorMessage(error) }, `MCP server ${entry.name} is left out of diagnosis: ${errorMessage(error)}`);
        return undefined;
      }),
    ),
  ).then((all) => all.filter((c): c is Connected => c !== undefined));

  return {
    async list() {
      return (await ready).flatMap((c) => [...c.tools.values()].map((t) => t.definition));
    },
    async call(name, input, signal) {
      const connected = (await ready).find((c) => c.tools.has(name));
      if (!connected) return { status: 'error', error: `unknown tool "${name}"` };
      const { remoteName } = connected.tools.get(name)!;
      try {
        const args = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
        const result = await withTimeout(connected.client.callTool({ name: remoteName, arguments: args }, undefined, { timeout: options.timeoutMs, signal }), options.timeoutMs + 100, `MCP server ${connected.server}`);
        return toToolResult(connected.server, result as CallToolResult);
      } catch (error) {
        signal?.throwIfAborted();
        return { status: 'error', error: `${name} failed: ${errorMessage(error)}` };
      }
    },
    async close() {
      await Promise.allSettled((await ready).map((c) => c.client.close()));
    },
  };
}
