import type { Config } from '../config/index.js';
import { createApp, createMetricsApp, type AppDeps } from './create-app.js';
import { startHttpServer, type HttpLimits, type RefusedConnection, type RunningHttpServer } from './start-http-server.js';

export type ServeHttpConfig = Pick<Config, 'HOST' | 'PORT' | 'METRICS_PORT' | 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_MAX_CONNECTIONS'>;

export const httpLimitsOf = (config: ServeHttpConfig): HttpLimits => ({
  headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
  maxConnections: config.HTTP_MAX_CONNECTIONS,
});

export interface ServingHttp extends RunningHttpServer {
  /** Set when METRICS_PORT serves /metrics apart from the webhook. */
  metricsPort?: number;
}

/**
 * The app on HOST:PORT and, with METRICS_PORT set, /metrics on its own port (and not on PORT), so the scrape endpoint
 * need not be exposed where PagerDuty reaches the webhook. Both servers carry the same connection limits.
 */
export async function serveHttp(config: ServeHttpConfig, deps: Omit<AppDeps, 'serveMetrics'>): Promise<ServingHttp> {
  const limits = httpLimitsOf(config);
  const separate = config.METRICS_PORT > 0;
  const onRefused = reportRefusals(deps, limits.maxConnections);
  const main = await startHttpServer(createApp({ ...deps, serveMetrics: !separate }), config.HOST, config.PORT, limits, onRefused);
  if (!separate) return main;
  const metrics = await startHttpServer(createMetricsApp(deps), config.HOST, config.METRICS_PORT, limits, onRefused).catch(async (error: unknown) => {
    await main.close();
    throw error;
  });
  deps.logger.info({ host: config.HOST, port: metrics.port }, `metrics on http://${config.HOST}:${metrics.port}/metrics (METRICS_PORT; not served on PORT)`);
  return {
    ...main,
    metricsPort: metrics.port,
    close: async () => {
      await Promise.all([main.close(), metrics.close()]);
    },
  };
}

/** Each refused connection counts in the metric; the log says so at most once per 10 s, with the count since. */
function reportRefusals(deps: Pick<AppDeps, 'metrics' | 'logger'>, cap: number): (how: RefusedConnection) => void {
  const counts: Record<RefusedConnection, number> = { 'answered-503': 0, dropped: 0 };
  let timer: NodeJS.Timeout | undefined;
  return (how) => {
    deps.metrics.httpConnectionsRefused.inc({ how });
    counts[how] += 1;
    timer ??= setTimeout(() => {
      timer = undefined;
      deps.logger.warn(
        { answered503: counts['answered-503'], dropped: counts.dropped, maxConnections: cap },
        'HTTP connections past HTTP_MAX_CONNECTIONS in the last 10 s: answered 503 with Retry-After (or dropped past twice the cap)',
      );
      counts['answered-503'] = 0;
      counts.dropped = 0;
    }, 10_000).unref();
  };
}
