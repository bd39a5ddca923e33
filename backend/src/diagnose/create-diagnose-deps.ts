import type { Config } from '../config/load-config.js';
import type { ClusterReader } from '../domain/ports.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createKubeConfig } from '../cluster/create-kube-config.js';
import { createClientNodeReader } from '../cluster/client-node-reader.js';
import { createAnthropicClient } from '../llm/anthropic-client.js';
import { createPagerDutyRestClient } from '../pagerduty/rest-client.js';
import type { ActiveJobsSource } from '../tools/types.js';
import { connectMcpServers } from '../mcp-client/connect-mcp-servers.js';
import { READ_TOOLS } from '../tools/registry.js';
import { PROPOSE_TOOL } from './system-prompt.js';
import type { DiagnoseDeps } from './index.js';

/** Wires the real adapters from config: Claude only when ANTHROPIC_API_KEY is set, PagerDuty only with a token. */
export function createDiagnoseDeps(config: Config, logger: Logger, metrics?: Metrics, extra: { activeJobs?: ActiveJobsSource; reader?: ClusterReader } = {}): DiagnoseDeps {
  return {
    // A caller that already has a reader (the pipeline shares one) passes it, so the kubeconfig is loaded once.
    reader: extra.reader ?? createClientNodeReader(createKubeConfig(config), { timeoutMs: config.CLUSTER_READ_TIMEOUT_MS }),
    llm: config.ANTHROPIC_API_KEY ? createAnthropicClient(config) : undefined,
    pagerDuty: config.PAGERDUTY_API_TOKEN
      ? createPagerDutyRestClient({ PAGERDUTY_API_TOKEN: config.PAGERDUTY_API_TOKEN, PAGERDUTY_API_URL: config.PAGERDUTY_API_URL })
      : undefined,
    activeJobs: extra.activeJobs,
    // Other MCP servers are only context for the Claude loop: without a model they are not even started.
    externalTools:
      config.MCP_SERVERS.length && config.ANTHROPIC_API_KEY
        ? connectMcpServers({
            servers: config.MCP_SERVERS,
            allowlist: config.MCP_SERVER_TOOL_ALLOWLIST,
            timeoutMs: config.MCP_CLIENT_TIMEOUT_MS,
            logger: logger.child({ component: 'mcp-client' }),
            reserved: [...READ_TOOLS.map((t) => t.name), PROPOSE_TOOL],
          })
        : undefined,
    config,
    logger,
    metrics,
  };
}
