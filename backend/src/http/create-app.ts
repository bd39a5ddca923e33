import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SinkHealth } from '../audit/sink-health.js';

/** What /readyz checks. Each probe answers quickly and never throws. */
export interface ReadinessProbe {
  /** Redis (or the in-process store) answers. */
  queue(): Promise<boolean>;
  /** A worker is running in this process; undefined when this process runs no worker (--role api). */
  worker?: () => boolean;
}

export interface AppDeps {
  metrics: Metrics;
  logger: Logger;
  readiness: ReadinessProbe;
  /** The PagerDuty webhook router; absent in a worker-only process, which serves health and metrics only. */
  ingest?: Router;
  /** The audit sinks' health, in a process that runs the pipeline: shown by /healthz. */
  auditHealth?: () => SinkHealth[];
  /** Routers added by later features (approval channels, MCP); mounted at the root after the built-in routes. */
  extraRouters?: Router[];
  /** False when /metrics is served on its own port (METRICS_PORT); default true. */
  serveMetrics?: boolean;
}

async function sendMetrics(metrics: Metrics, res: Response): Promise<void> {
  res.setHeader('Content-Type', metrics.registry.contentType);
  res.send(await metrics.registry.metrics());
}

/** /metrics alone, for METRICS_PORT; everything else is 404. */
export function createMetricsApp(deps: Pick<AppDeps, 'metrics'>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/metrics', (_req, res, next) => void sendMetrics(deps.metrics, res).catch(next));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}

/** The HTTP app: /healthz, /readyz, /metrics, the webhook route, and any extra routers. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/healthz', (_req, res) => {
    // A failing audit sink makes the agent "degraded", still 200: restarting would not free a full disk (and the
    // start-up check would then refuse to start), while the running agent keeps writing every record to the others.
    const audit = deps.auditHealth?.();
    const failing = audit?.filter((s) => !s.healthy) ?? [];
    res.json({ status: failing.length ? 'degraded' : 'ok', uptimeSeconds: Math.round(process.uptime()), ...(audit ? { audit } : {}) });
  });

  app.get('/readyz', async (_req, res) => {
    const redis = await deps.readiness.queue().catch(() => false);
    const worker = deps.readiness.worker ? deps.readiness.worker() : undefined;
    const ready = redis && worker !== false;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: { queue: redis, worker: worker ?? 'not in this process' } });
  });

  if (deps.serveMetrics !== false) app.get('/metrics', (_req, res, next) => void sendMetrics(deps.metrics, res).catch(next));

  if (deps.ingest) app.use(deps.ingest);
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  // Last resort: an unexpected error answers 500 and is logged; the process keeps serving.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    deps.logger.error({ err: error }, 'unhandled error in HTTP handler');
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
