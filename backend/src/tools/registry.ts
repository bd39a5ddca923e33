import { z } from 'zod/v4';
import type { ReadTool, ToolContext, ToolResult } from './types.js';
import { getPodStatus } from './get-pod-status.js';
import { listPods } from './list-pods.js';
import { getEvents } from './get-events.js';
import { getPodLogs } from './get-pod-logs.js';
import { getDeployment } from './get-deployment.js';
import { getDeploymentHistory } from './get-deployment-history.js';
import { checkNodeCapacity } from './check-node-capacity.js';
import { checkResourceQuotas } from './check-resource-quotas.js';
import { getHpaStatus } from './get-hpa-status.js';
import { getServiceEndpoints } from './get-service-endpoints.js';
import { listRelatedAlerts } from './list-related-alerts.js';
import { errorMessage, truncate } from './format.js';

/** Every read-only cluster tool, in the order they are offered. Shared by the Claude loop and the MCP server. */
export const READ_TOOLS: readonly ReadTool[] = [
  getPodStatus,
  listPods,
  getEvents,
  getPodLogs,
  getDeployment,
  getDeploymentHistory,
  checkNodeCapacity,
  checkResourceQuotas,
  getHpaStatus,
  getServiceEndpoints,
  listRelatedAlerts,
] as unknown as readonly ReadTool[];

/** Bound on one tool result as sent to a model (~2,000 tokens). */
export const MAX_TOOL_RESULT_CHARS = 8_000;

export function findTool(name: string): ReadTool | undefined {
  return READ_TOOLS.find((t) => t.name === name);
}

/** The tool's input as JSON Schema (what the model and MCP clients see). */
export function toolJsonSchema(tool: ReadTool): Record<string, unknown> {
  const { $schema: _s, ...schema } = z.toJSONSchema(tool.inputSchema) as Record<string, unknown>;
  return schema;
}

/**
 * Validates the input and runs a tool. Never throws: unknown tools, bad input and cluster failures come back as
 * { status: 'error' } so the model can correct itself.
 */
export async function runTool(name: string, input: unknown, ctx: ToolContext): Promise<ToolResult> {
  const tool = findTool(name);
  if (!tool) return { status: 'error', error: `unknown tool "${name}"; available: ${READ_TOOLS.map((t) => t.name).join(', ')}` };
  const parsed = tool.inputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    return { status: 'error', error: `invalid input for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}` };
  }
  try {
    return await tool.handler(parsed.data, ctx);
  } catch (error) {
    return { status: 'error', error: `${name} failed: ${errorMessage(error)}` };
  }
}

/**
 * A tool result as bounded text for a model: compact JSON, with fenced untrusted text (logs, event messages)
 * lifted out of the JSON strings and appended verbatim so it reads as lines, still inside its fence.
 */
export function renderToolResult(result: ToolResult, max = MAX_TOOL_RESULT_CHARS): string {
  const blocks: string[] = [];
  const json = JSON.stringify(result, (_key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith('<untrusted-data')) {
      blocks.push(value);
      return `[untrusted block ${blocks.length} below]`;
    }
    return value;
  });
  const text = truncate([json, ...blocks].join('\n'), max);
  // A cut inside a fence must not leave it open: what follows would no longer read as data.
  return text.lastIndexOf('<untrusted-data') > text.lastIndexOf('</untrusted-data>') ? `${text}\n</untrusted-data>` : text;
}
