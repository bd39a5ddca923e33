// An MCP tool as data: name, zod input (and output) schema, honest hints, and a handler that never throws.
import type { z } from 'zod/v4';

/** What a tool may say about itself (MCP ToolAnnotations): as true as they are, never flattering. */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Per-call facts the server passes to a handler. */
export interface ToolCallContext {
  /** The MCP client's name/version from the handshake, e.g. "claude-code/1.2.3" (untrusted, for the audit trail). */
  actor: string;
  transport: 'stdio' | 'http';
  signal: AbortSignal;
  /** Reports progress while a long call waits (no-op when the client asked for none). */
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
}

/** A tool's answer: text for the model, optional structured content matching outputSchema, isError for failures. */
export interface ToolAnswer {
  text: string;
  structured?: Record<string, unknown>;
  isError?: boolean;
}

export interface McpTool<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  inputSchema: S;
  outputSchema?: z.ZodType;
  hints: ToolHints;
  handler(input: z.infer<S>, ctx: ToolCallContext): Promise<ToolAnswer>;
}

/** Declares a tool with its input type inferred from the schema. */
export function defineMcpTool<S extends z.ZodType>(tool: McpTool<S>): McpTool {
  return tool as unknown as McpTool;
}

export const READ_ONLY_HINTS: ToolHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
