// Everything one process needs to serve MCP: the engine over the shared pipeline, the session registry and the tool
// list (read tools, remediate / get / approve, bounded actions). Each client session gets its own Server over these.
import { createAuditReader } from '../audit/create-audit.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Agent } from '../app/create-agent.js';
import type { AuditSink } from '../domain/ports.js';
import type { IncidentQueue } from '../queue/incident-queue.js';
import type { ActiveJobsSource } from '../tools/types.js';
import type { ClusterReader } from '../domain/ports.js';
import type { ExecutionMode } from '../domain/decision.js';
import { createActionTools } from './action-tools.js';
import { createMcpServer } from './create-mcp-server.js';
import type { McpTool } from './mcp-tool.js';
import type { McpToolDeps } from './mcp-tool-deps.js';
import { createReadTools } from './read-tools.js';
import { createRemediateTools } from './remediate-tools.js';
import type { RemediationEngine } from './remediation-engine.js';
import { RemediationSessions } from './remediation-sessions.js';
import { createRemediationEngine } from './run-remediation.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';

export interface McpService {
  tools: readonly McpTool[];
  /** A fresh protocol server for one client session. */
  newServer(transport: 'stdio' | 'http'): Server;
  /** Waits for runs still in flight, then releases the audit reader. */
  close(): Promise<void>;
}

export type McpSettings = Pick<Config, 'MCP_EXECUTION_MODE' | 'MCP_ALLOW_APPROVE' | 'MCP_WAIT_SECONDS'>;

/** Builds the service from parts (tests pass their own engine or reader). */
export function buildMcpService(parts: { engine: RemediationEngine; reader: ClusterReader; settings: McpSettings; audit: AuditSink; logger: Logger; activeJobs?: ActiveJobsSource; progressEveryMs?: number }): McpService {
  const sessions = new RemediationSessions({ progressEveryMs: parts.progressEveryMs });
  const deps: McpToolDeps = {
    engine: parts.engine,
    sessions,
    reader: parts.reader,
    settings: { modeCap: parts.settings.MCP_EXECUTION_MODE as ExecutionMode, allowApprove: parts.settings.MCP_ALLOW_APPROVE, waitMs: parts.settings.MCP_WAIT_SECONDS * 1_000 },
  };
  const tools = [...createReadTools({ reader: parts.reader, activeJobs: parts.activeJobs }), ...createRemediateTools(deps), ...createActionTools(deps)];
  return {
    tools,
    newServer: (transport) => createMcpServer({ tools, audit: parts.audit, logger: parts.logger, transport }),
    close: async () => {
      await sessions.drain();
      await parts.engine.close();
    },
  };
}

/** The MCP service over the composition root's agent (the daemon's, or the one `oncall-agent mcp` builds). */
export function createMcpService(config: Config, agent: Agent, queue: IncidentQueue, logger: Logger, activeJobs?: ActiveJobsSource): McpService {
  const engine = createRemediationEngine(agent, queue, createAuditReader(config), logger, { decisionWaitMs: config.MCP_WAIT_SECONDS * 1_000 });
  return buildMcpService({ engine, reader: agent.execute.reader, settings: config, audit: agent.audit.sink, logger, activeJobs });
}
