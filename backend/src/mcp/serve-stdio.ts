// `oncall-agent mcp`: one MCP session over stdin/stdout. stdout carries only the protocol; every log line goes to
// stderr. The agent is built by the composition root from the same config as the daemon (with REDIS_URL, the same
// shared safety store and queue, whose workers run approval decisions; without it, this process runs its own worker).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createAgent } from '../app/create-agent.js';
import { createQueue } from '../app/create-queue.js';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { createMcpService } from './create-mcp-service.js';

/** Serves until stdin closes (the client went away) or SIGTERM/SIGINT, then lets in-flight runs finish. */
export async function serveMcpStdio(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, { destination: process.stderr }).child({ component: 'mcp', transport: 'stdio' });
  const metrics = createMetrics();
  const agent = createAgent(config, { logger, metrics, workerId: `mcp-stdio-${process.pid}` });
  const queue = createQueue(config, metrics);
  // With the in-process queue nobody else would run this process's approval decisions.
  const worker = config.REDIS_URL ? undefined : queue.startWorker({ handler: agent.handleJob, concurrency: 1, logger });
  const service = createMcpService(config, agent, queue.queue, logger);
  const server = service.newServer('stdio');
  const transport = new StdioServerTransport();
  let closing: Promise<void> | undefined;
  const shutdown = (why: string) =>
    (closing ??= (async () => {
      logger.info(`MCP stdio session ending: ${why}; waiting for runs in flight`);
      await server.close().catch(() => undefined);
      await service.close();
      await worker?.close(config.SHUTDOWN_GRACE_MS);
      await queue.close();
      await agent.close();
    })());
  await new Promise<void>((resolve) => {
    transport.onclose = () => void shutdown('the client closed the connection').then(resolve);
    process.stdin.once('end', () => void shutdown('stdin closed').then(resolve));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(signal).then(resolve));
    server
      .connect(transport)
      .then(() => logger.info({ tools: service.tools.length, mode: config.EXECUTION_MODE, modeCap: config.MCP_EXECUTION_MODE }, 'MCP server ready on stdio'))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'MCP stdio transport failed');
        void shutdown('transport error').then(resolve);
      });
  });
}
