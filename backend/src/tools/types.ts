import type { z } from 'zod/v4';
import type { ClusterReader } from '../domain/ports.js';

/** Other open incidents on the same PagerDuty service (adapter in pagerduty/). */
export interface RelatedIncidentsSource {
  listOpenIncidents(serviceId: string): Promise<Array<{ id: string; title: string; status: string; createdAt?: string; urgency?: string }>>;
}

/** Jobs the queue is working on now; the queue supplies this later. */
export interface ActiveJobsSource {
  listActive(): Promise<Array<{ incidentId: string; title?: string; namespace?: string; workload?: string; state?: string }>>;
}

/** What a tool handler may use. Everything here is read-only. */
export interface ToolContext {
  reader: ClusterReader;
  /** The incident being diagnosed, for list_related_alerts. */
  incident?: { id: string; serviceId?: string; namespace?: string; workload?: string };
  relatedIncidents?: RelatedIncidentsSource;
  activeJobs?: ActiveJobsSource;
  signal?: AbortSignal;
}

/** Structured tool result (HolmesGPT style): the model sees the status, then data or the error. */
export type ToolResult =
  | { status: 'success'; data: unknown }
  | { status: 'no_data'; data?: unknown; message: string }
  | { status: 'error'; error: string };

/** A read-only cluster tool, declared as data and shared by the Claude loop and the MCP server. */
export interface ReadTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  inputSchema: S;
  readOnly: true;
  destructive: false;
  idempotent: true;
  handler(input: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
}

/** Declares a tool with its input type inferred from the schema. */
export function defineTool<S extends z.ZodType>(tool: Omit<ReadTool<S>, 'readOnly' | 'destructive' | 'idempotent'>): ReadTool<S> {
  return { ...tool, readOnly: true, destructive: false, idempotent: true };
}

/** A tool another MCP server offers for diagnosis, already prefixed with the server's name. */
export interface ExternalToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/**
 * Tools from other MCP servers (MCP_SERVERS), read-only or allow-listed. Never throws: a failing or hanging server
 * is one { status: 'error' } result. Text from them is fenced and redacted like cluster text.
 */
export interface ExternalTools {
  /** Resolves once the servers were listed at start (bounded by their timeout); the failed ones are left out. */
  list(): Promise<ExternalToolDefinition[]>;
  call(name: string, input: unknown, signal?: AbortSignal): Promise<ToolResult>;
  close(): Promise<void>;
}
