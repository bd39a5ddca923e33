// The diagnosis registry's read-only cluster tools, served over MCP: same schemas, same runner, and the same
// fenced, redacted, size-bounded rendering the model sees (nothing re-implemented here).
import type { ToolContext } from '../tools/types.js';
import { READ_TOOLS, renderToolResult, runTool } from '../tools/registry.js';
import { defineMcpTool, READ_ONLY_HINTS, type McpTool } from './mcp-tool.js';

const titleOf = (name: string) => name.split('_').map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');

/** One MCP tool per read tool; `context` supplies the cluster reader (and optional related-incident sources). */
export function createReadTools(context: Omit<ToolContext, 'signal'>): McpTool[] {
  return READ_TOOLS.filter((t) => t.readOnly).map((tool) =>
    defineMcpTool({
      name: tool.name,
      title: titleOf(tool.name),
      description: `${tool.description} Read-only.`,
      inputSchema: tool.inputSchema,
      hints: READ_ONLY_HINTS,
      async handler(input, ctx) {
        const result = await runTool(tool.name, input, { ...context, signal: ctx.signal });
        return { text: renderToolResult(result), isError: result.status === 'error' };
      },
    }),
  );
}
