import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Agent } from '../app/create-agent.js';
import type { IncidentQueue } from '../queue/incident-queue.js';
import type { ActiveJobsSource } from '../tools/types.js';
import { accessPolicyFrom } from './check-mcp-request.js';
import { createMcpService } from './create-mcp-service.js';
import { createMcpHttpRouter, MCP_PATH, type McpHttpEndpoint } from './mcp-http-router.js';

/** The daemon's /mcp endpoint (the agent is asked for only when the endpoint is on), or undefined (said once in the log) when MCP_TOKEN is unset. */
export function createMcpHttp(config: Config, parts: { agent: () => Agent; queue: IncidentQueue; activeJobs?: ActiveJobsSource }, logger: Logger): (McpHttpEndpoint & { closeService(): Promise<void> }) | undefined {
  if (!config.MCP_TOKEN) {
    logger.info('MCP over HTTP is off: MCP_TOKEN is not set (`oncall-agent mcp` serves MCP over stdio without it)');
    return undefined;
  }
  const service = createMcpService(config, parts.agent(), parts.queue, logger.child({ component: 'mcp' }), parts.activeJobs);
  const endpoint = createMcpHttpRouter({ service, policy: accessPolicyFrom(config, config.MCP_TOKEN), maxSessions: config.MCP_MAX_SESSIONS, logger });
  logger.info({ path: MCP_PATH, tools: service.tools.length, modeCap: config.MCP_EXECUTION_MODE, approve: config.MCP_ALLOW_APPROVE }, `MCP over HTTP at ${MCP_PATH} (bearer token required)`);
  return { ...endpoint, closeService: () => service.close() };
}
