// Wiring only: load config, build adapters, start HTTP and workers, shut down on SIGTERM.
import { loadConfig, describeConfig, type Config } from './config/index.js';
import { checkWorkerPaths } from './config/check-worker-paths.js';
import { missingClusterReason } from './cluster/probe-cluster.js';
import { ConfigError } from './domain/errors.js';
import { serveHttp } from './http/serve-http.js';
import type { RunningHttpServer } from './http/start-http-server.js';
import { createPagerDutyWebhookRouter } from './ingest/pagerduty-webhook-router.js';
import { describeAgent, publishAgent } from './lifecycle/agent-settings.js';
import { createRedis } from './redis/create-redis.js';
import { generateSimSecret, startEmbeddedSim } from './lifecycle/embedded-sim.js';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { createAgent, type Agent } from './app/create-agent.js';
import { createQueue } from './app/create-queue.js';
import { createMcpHttp } from './mcp/create-mcp-http.js';
import { approvalSweepIntervalMs, startApprovalExpirySweep } from './app/approval-expiry-sweep.js';
import { createApprovalRoutes } from './app/create-approval-routes.js';
import type { IncidentWorker } from './queue/index.js';

export type ServeRole = 'api' | 'worker' | 'all';

export interface ServeOptions {
  /** Start an embedded kube-sim and point the agent at it (the demo / embedded default; never for production). */
  sim?: boolean;
  /** With sim: create the healthy demo workloads (namespace demo). Default true. */
  seed?: boolean;
}

/** `oncall-agent serve`: runs until SIGTERM/SIGINT. */
export async function runServe(role: ServeRole, options: ServeOptions = {}): Promise<void> {
  let config = loadConfig();
  checkRole(config, role);
  const logger = createLogger(config.LOG_LEVEL, { format: config.LOG_FORMAT });
  const metrics = createMetrics({ defaultMetrics: true });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection (kept running)'));
  logger.debug({ config: describeConfig(config) }, 'configuration');
  if (options.sim && config.PAGERDUTY_WEBHOOK_SECRETS.length === 0) config = useSimSecret(config, logger);
  warnAboutDefaults(config, logger);

  const { queue, startWorker, close: closeQueue } = createQueue(config, metrics);
  let worker: IncidentWorker | undefined;
  let http: RunningHttpServer | undefined;
  let pipeline: Agent | undefined;
  let sim: { stop(): Promise<void> } | undefined;
  let mcp: ReturnType<typeof createMcpHttp>;
  let mcpAgent: Agent | undefined;
  let expiry: { stop(): void } | undefined;
  let withdraw: (() => Promise<void>) | undefined;
  const closeLater: Array<() => Promise<unknown>> = [];
  // Without PagerDuty, list_related_alerts shows the other open triage jobs from the queue.
  const activeJobs = { listActive: () => queue.listOpenTriage(50) };
  // Installed before anything starts, so a signal during start-up also shuts down cleanly, in this order.
  // The pipeline's stores and the cluster close only after the worker has drained: active jobs still use them.
  installGracefulShutdown({
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    steps: [
      { name: 'http', run: async () => (await withdraw?.(), http?.close()) },
      { name: 'worker', run: async () => worker?.close(config.SHUTDOWN_GRACE_MS) },
      // MCP runs already started finish (they hold locks and may be mid-verification) before their stores close.
      { name: 'mcp', run: async () => (await mcp?.close(), await mcp?.closeService(), await mcpAgent?.close()) },
      { name: 'pipeline', run: async () => (expiry?.stop(), pipeline?.close()) },
      { name: 'approvals', run: async () => void (await Promise.allSettled(closeLater.map((close) => close()))) },
      { name: 'kube-sim', run: async () => sim?.stop() },
      { name: 'queue', run: () => closeQueue() },
    ],
  });

  if (!options.sim) warnIfNoCluster(config, logger);
  if (options.sim) {
    const embedded = await startEmbeddedSim(config.STATE_DIR, { seed: options.seed ?? true });
    sim = embedded;
    config = { ...config, KUBECONFIG: embedded.kubeconfigPath, KUBE_CONTEXT: undefined };
    logger.warn(
      { kubeconfig: embedded.kubeconfigPath, url: embedded.url, seeded: embedded.seeded },
      `embedded kube-sim started (a simulated cluster in this process's memory, gone when it stops): kubectl --kubeconfig ${embedded.kubeconfigPath} get pods -A`,
    );
  }
  // What this agent will do, in one line, and what makes its mode do less than its name says.
  const agent = describeAgent(config, { role, simulated: Boolean(options.sim) });
  logger.info({ mode: config.EXECUTION_MODE }, `policy: ${agent.policy}`);
  for (const warning of agent.warnings) logger.warn(warning);
  if (role !== 'api') {
    for (const warning of checkWorkerPaths(config).warnings) logger.warn(warning);
    const running = createAgent(config, { logger, metrics, activeJobs, enqueue: (job) => queue.enqueue(job) });
    pipeline = running;
    logger.info({ mode: config.EXECUTION_MODE, analyzer: config.ANTHROPIC_API_KEY ? 'claude' : 'runbook', audit: running.audit.sinks }, 'pipeline ready');
    const handler = running.handleJob;
    expiry = startApprovalExpirySweep({
      store: running.safety,
      audit: running.audit.sink,
      now: Date.now,
      noteExpired: (approval) => running.pagerDuty.onApprovalExpired(approval),
      intervalMs: approvalSweepIntervalMs(config.APPROVAL_TTL_SECONDS),
      logger,
    });
    worker = startWorker({ handler, concurrency: config.WORKER_CONCURRENCY, logger, onAbandoned: running.recordAbandoned });
    logger.info({ concurrency: config.WORKER_CONCURRENCY, durable: queue.durable }, 'worker started on queue "incidents"');
  }
  {
    // A worker-only process still serves /healthz, /readyz and /metrics (its job counters live here, and the image's
    // HEALTHCHECK probes /healthz); only the webhook route is left out.
    const running = worker;
    const ingest =
      role === 'worker' ? undefined : createPagerDutyWebhookRouter({ secrets: config.PAGERDUTY_WEBHOOK_SECRETS, queue, metrics, logger, maxEventAgeSeconds: config.WEBHOOK_MAX_EVENT_AGE_SECONDS });
    if (role !== 'worker') {
      // An api-only process has no agent of its own: MCP runs get one over the same shared (Redis) stores and queue.
      const agent = () => pipeline ?? (mcpAgent = createAgent(config, { logger, metrics, workerId: `mcp-api-${process.pid}` }));
      mcp = createMcpHttp(config, { agent, queue, activeJobs }, logger);
    }
    // The approval channels over HTTP live with the webhook route (the API role); with --role all they share the agent's store.
    const approvalRoutes = role === 'worker' ? undefined : createApprovalRoutes(config, { queue, logger, shared: pipeline?.safety });
    if (approvalRoutes) closeLater.push(() => approvalRoutes.close());
    const readiness = { queue: () => queue.isHealthy(), worker: running ? () => running.isRunning() : undefined };
    const extraRouters = [...(mcp ? [mcp.router] : []), ...(approvalRoutes?.routers ?? [])];
    const auditHealth = pipeline ? pipeline.audit.health : undefined;
    http = await serveHttp(config, { metrics, logger, ingest, extraRouters, readiness, auditHealth }).catch((error: NodeJS.ErrnoException) => {
      // A bad HOST/PORT is bad configuration: one line naming the variable (an unresolvable or foreign address is HOST's).
      const variable = ['ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'].includes(error.code ?? '') ? 'HOST' : 'PORT';
      throw new ConfigError(`invalid configuration: ${variable}: cannot listen on ${config.HOST}:${config.PORT} (${error.code ?? error.message})`, 'set PORT (or HOST) to a free address', { cause: error });
    });
    const routes = ingest
      ? [`POST /webhooks/pagerduty${mcp ? ', /mcp' : ''}`, ...(approvalRoutes?.routes ?? [])].join(', ')
      : 'health and metrics only, no webhook route';
    logger.info({ host: config.HOST, port: http.port, role }, `listening on http://${config.HOST}:${http.port} (${routes})`);
    const webhookUrl = ingest ? `http://${['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST}:${http.port}/webhooks/pagerduty` : undefined;
    // Its own small client: what `status` reads must not wait behind queue traffic, and it closes with the withdrawal.
    const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, 'command') : undefined;
    // What changes while it runs (an audit sink failing) is re-published within seconds, for `oncall-agent status`.
    const failingAuditSinks = () =>
      (pipeline?.audit.health?.() ?? []).filter((h) => !h.healthy).map(({ sink, target, failingSince, lastError }) => ({ sink, target, failingSince, lastError }));
    const unpublish = publishAgent(() => ({ ...agent, webhookUrl, failingAuditSinks: failingAuditSinks() }), { stateDir: config.STATE_DIR, redis, prefix: config.REDIS_KEY_PREFIX }, (error) =>
      logger.warn({ err: error }, 'could not publish this agent\'s settings for `oncall-agent status` (kept running)'),
    );
    if (options.sim && options.seed !== false && ingest) {
      logger.info(
        `try it: kubectl --kubeconfig ${config.KUBECONFIG} -n demo set image deployment/web web=nginx:does-not-exist, then \`oncall-agent page --deployment web\``,
      );
    }
    withdraw = async () => {
      await unpublish();
      await redis?.quit().catch(() => redis.disconnect());
    };
  }
}

function checkRole(config: Config, role: ServeRole): void {
  if (!config.REDIS_URL && role !== 'all') {
    throw new ConfigError(
      `invalid configuration: REDIS_URL: serve --role ${role} needs a shared Redis queue; set REDIS_URL, or use --role all (in-process queue)`,
    );
  }
}

function warnAboutDefaults(config: Config, logger: Logger): void {
  if (!config.REDIS_URL) {
    logger.warn('REDIS_URL is not set: using the in-process queue; jobs are lost on restart (set REDIS_URL for production)');
  }
  if (config.PAGERDUTY_WEBHOOK_SECRETS.length === 0) {
    logger.warn('PAGERDUTY_WEBHOOK_SECRETS is not set: every webhook delivery will be answered 401 until you set it');
  }
  if (config.APPROVAL_TTL_SECONDS < 60) {
    logger.warn(`APPROVAL_TTL_SECONDS is ${config.APPROVAL_TTL_SECONDS}: a pending approval expires before most people can review it (default 900)`);
  }
  if (!config.PAGERDUTY_API_TOKEN) {
    logger.info('PAGERDUTY_API_TOKEN is not set: nothing is written back to PagerDuty (no notes, acknowledge or resolve)');
  }
}

/** `serve --sim` with no signing secret: one for this run, so `oncall-agent page` works with no set-up. */
function useSimSecret(config: Config, logger: Logger): Config {
  const { secret, path } = generateSimSecret(config.STATE_DIR);
  // Printed on purpose: a throwaway secret of a simulator run, which the user needs to sign test pages.
  logger.warn({ path }, `serve --sim: PAGERDUTY_WEBHOOK_SECRETS is not set, so this run signs with a generated secret: ${secret} (saved to ${path}; \`oncall-agent page\` uses it)`);
  return { ...config, PAGERDUTY_WEBHOOK_SECRETS: [secret] };
}

function warnIfNoCluster(config: Config, logger: Logger): void {
  const missing = missingClusterReason(config);
  if (missing) logger.warn(`${missing}; every incident will escalate until one is set (or use \`serve --sim\` for the simulator)`);
}
